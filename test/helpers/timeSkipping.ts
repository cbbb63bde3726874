/**
 * Time-skipping test environment backed by the project-local Java test server (installed by
 * `npm install`), so nothing is downloaded at test time; and a Parley worker on it.
 */
import { mkdtempSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { encodeSearchAttributeIndexedValueType } from '@temporalio/common/lib/search-attributes';
import { TestWorkflowEnvironment } from '@temporalio/testing';
import type { Worker } from '@temporalio/worker';
import { SA } from '../../worker/searchAttributes';
import { resolveTemporalTestServerPath } from '../../worker/temporalPaths';
import { createParleyWorker, type ParleyWorkerOptions } from '../../worker/worker';

/** Starts a time-skipping `TestWorkflowEnvironment`; call `teardown()` when done. */
export function createTimeSkippingEnv(): Promise<TestWorkflowEnvironment> {
  return TestWorkflowEnvironment.createTimeSkipping({
    server: { executable: { type: 'existing-path', path: resolveTemporalTestServerPath() } },
  });
}

/**
 * Registers Parley's custom search attributes (worker/searchAttributes.ts) on `env`: the
 * time-skipping server knows none until they are added.
 */
export async function addParleySearchAttributes(env: TestWorkflowEnvironment): Promise<void> {
  await env.connection.operatorService.addSearchAttributes({
    namespace: env.namespace ?? 'default',
    searchAttributes: Object.fromEntries(Object.values(SA).map((key) => [key.name, encodeSearchAttributeIndexedValueType(key.type) as NonNullable<ReturnType<typeof encodeSearchAttributeIndexedValueType>>])),
  });
}

/** Options of {@link createTimeSkippingWorker}. */
export type TimeSkippingWorkerOptions = Pick<ParleyWorkerOptions, 'taskQueue' | 'channel' | 'config'> & {
  /** Prefix of the fresh temporary outbox folder (`parley-bh-`). */
  outboxPrefix: string;
};

/**
 * Creates (does not run) a Parley worker on `env` (its connection, client and namespace), with a
 * fresh temporary outbox, `http://parley.test` as public URL, a test CSAT secret and a mailer that
 * sends nothing; `channel` defaults to one that delivers nothing, `config` to none.
 */
export function createTimeSkippingWorker(env: TestWorkflowEnvironment, options: TimeSkippingWorkerOptions): Promise<Worker> {
  const { outboxPrefix, channel = { async deliver() {} }, ...rest } = options;
  return createParleyWorker({
    connection: env.nativeConnection,
    client: env.client,
    namespace: env.namespace ?? 'default',
    outboxDir: mkdtempSync(path.join(os.tmpdir(), outboxPrefix)),
    publicUrl: 'http://parley.test',
    csatSecret: 'test-csat-secret',
    channel,
    mailer: { async send() {} },
    ...rest,
  });
}
