/**
 * Proves the test infrastructure: the shared dev server from globalSetup (with Parley's search
 * attributes and update-with-start config), the search attribute registration helper, and the
 * time-skipping test server from the project-local install.
 */
import { mkdtempSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { Connection } from '@temporalio/client';
import { encodeSearchAttributeIndexedValueType } from '@temporalio/common/lib/search-attributes';
import { msToTs } from '@temporalio/common/lib/time';
import type { TestWorkflowEnvironment } from '@temporalio/testing';
import { connectTo, loadConnectionConfig } from '../worker/connection';
import { ensureSearchAttributes } from '../worker/ensureSearchAttributes';
import { PARLEY_SEARCH_ATTRIBUTES, SA } from '../worker/searchAttributes';
import { testServerAddress } from './helpers/devServer';
import { createTimeSkippingEnv } from './helpers/timeSkipping';

describe('shared dev server (globalSetup)', () => {
  let connection: Connection;

  beforeAll(async () => {
    connection = await Connection.connect({ address: testServerAddress() });
  });
  afterAll(async () => {
    await connection?.close();
  });

  it('answers GetSystemInfo', async () => {
    const info = await connection.workflowService.getSystemInfo({});
    expect(info.serverVersion).toBeTruthy();
  });

  it('has every Parley search attribute registered with its type', async () => {
    const { customAttributes } = await connection.operatorService.listSearchAttributes({ namespace: 'default' });
    expect(PARLEY_SEARCH_ATTRIBUTES).toHaveLength(11);
    for (const key of Object.values(SA)) {
      expect({ name: key.name, type: customAttributes[key.name] }).toEqual({
        name: key.name,
        type: encodeSearchAttributeIndexedValueType(key.type),
      });
    }
  });

  it('ensureSearchAttributes registers missing attributes and is idempotent', async () => {
    const namespace = `infra-${Date.now()}`;
    await connection.workflowService.registerNamespace({
      namespace,
      workflowExecutionRetentionPeriod: msToTs('1 day'),
    });
    // Namespace registration propagates asynchronously in the dev server.
    for (let i = 0; ; i++) {
      try {
        await connection.workflowService.describeNamespace({ namespace });
        break;
      } catch (err) {
        if (i > 100) throw err;
        await new Promise((r) => setTimeout(r, 100));
      }
    }
    await ensureSearchAttributes(connection, namespace);
    await ensureSearchAttributes(connection, namespace);
    const { customAttributes } = await connection.operatorService.listSearchAttributes({ namespace });
    for (const key of Object.values(SA)) {
      expect(customAttributes[key.name]).toBe(encodeSearchAttributeIndexedValueType(key.type));
    }
  });
});

describe('time-skipping test server', () => {
  let env: TestWorkflowEnvironment;

  beforeAll(async () => {
    env = await createTimeSkippingEnv();
  });
  afterAll(async () => {
    await env?.teardown();
  });

  it('env.sleep skips an hour instantly', async () => {
    expect(env.supportsTimeSkipping).toBe(true);
    const before = await env.currentTimeMs();
    const wallStart = Date.now();
    await env.sleep('1 hour');
    const after = await env.currentTimeMs();
    expect(after - before).toBeGreaterThanOrEqual(3_600_000);
    expect(Date.now() - wallStart).toBeLessThan(10_000);
  });
});

describe('connection config (envconfig)', () => {
  const noFile = { HOME: '/nonexistent-home' };

  it('is undefined without TEMPORAL_ADDRESS (caller starts the embedded dev server)', () => {
    expect(loadConnectionConfig({ ...noFile })).toBeUndefined();
  });

  it('reads TEMPORAL_ADDRESS / TEMPORAL_NAMESPACE / TEMPORAL_API_KEY', () => {
    expect(loadConnectionConfig({ ...noFile, TEMPORAL_ADDRESS: 'h:7233' })).toEqual({
      address: 'h:7233',
      namespace: 'default',
    });
    expect(
      loadConnectionConfig({
        ...noFile,
        TEMPORAL_ADDRESS: 'ns.acct.tmprl.cloud:7233',
        TEMPORAL_NAMESPACE: 'ns.acct',
        TEMPORAL_API_KEY: 'secret',
      }),
    ).toEqual({ address: 'ns.acct.tmprl.cloud:7233', namespace: 'ns.acct', apiKey: 'secret', tls: true });
  });

  it('reads a profile from TEMPORAL_CONFIG_FILE', () => {
    const dir = mkdtempSync(path.join(os.tmpdir(), 'parley-envconfig-'));
    const file = path.join(dir, 'temporal.toml');
    writeFileSync(file, '[profile.staging]\naddress = "staging:7233"\nnamespace = "parley"\n');
    expect(loadConnectionConfig({ ...noFile, TEMPORAL_CONFIG_FILE: file, TEMPORAL_PROFILE: 'staging' })).toEqual({
      address: 'staging:7233',
      namespace: 'parley',
    });
  });

  it('connectTo opens worker and client connections to the dev server', async () => {
    const conns = await connectTo({ address: testServerAddress(), namespace: 'default' });
    try {
      await conns.connection.workflowService.getSystemInfo({});
      await conns.nativeConnection.workflowService.getSystemInfo({});
    } finally {
      await conns.close();
    }
  });
});
