/**
 * Test harness: a Parley worker on a unique task queue against the run's shared dev server, with a
 * typed client, the HTTP app, and an in-memory channel/mailer that records every delivery.
 */
import { randomUUID } from 'node:crypto';
import { mkdtempSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { Client, Connection } from '@temporalio/client';
import { NativeConnection, type Worker } from '@temporalio/worker';
import type { ChannelDelivery } from '../../activities/channel';
import type { Mailer, OutgoingEmail } from '../../activities/email';
import { ParleyClient } from '../../client/parleyClient';
import type { WebhookSender } from '../../activities/webhook';
import type { ConfigReader } from '../../config/types';
import type { Message } from '../../domain/conversation';
import type { ConversationView } from '../../workflows/definitions';
import { createParleyWorker } from '../../worker/worker';
import { testServerAddress } from './devServer';

/** Everything one test file needs. */
export interface Harness {
  parley: ParleyClient;
  client: Client;
  taskQueue: string;
  /** Unique prefix for thread ids of this harness. */
  prefix: string;
  channel: Array<{ idempotencyKey: string; threadId: string; message: Message }>;
  emails: OutgoingEmail[];
  stop(): Promise<void>;
}

/** Secret of CSAT links in tests (give the same to `buildServer`). */
export const TEST_CSAT_SECRET = 'test-csat-secret';

/** What a test may give the worker: a trigger/schedule configuration, a webhook sender. */
export interface HarnessOptions {
  config?: ConfigReader;
  webhooks?: WebhookSender;
}

/** Starts a worker for a fresh task queue; entity workflows get ids unique to this harness via the task queue. */
export async function startHarness(options: HarnessOptions = {}): Promise<Harness> {
  const address = testServerAddress();
  const connection = await Connection.connect({ address });
  const client = new Client({ connection });
  const native = await NativeConnection.connect({ address });
  const taskQueue = `test-${randomUUID()}`;
  const channelLog: Harness['channel'] = [];
  const emails: OutgoingEmail[] = [];
  const seen = new Set<string>();
  const channel: ChannelDelivery = {
    async deliver(input) {
      if (seen.has(input.idempotencyKey)) return;
      seen.add(input.idempotencyKey);
      channelLog.push({ idempotencyKey: input.idempotencyKey, threadId: input.threadId, message: input.message });
    },
  };
  const mailer: Mailer = {
    async send(mail) {
      if (seen.has(mail.idempotencyKey)) return;
      seen.add(mail.idempotencyKey);
      emails.push(mail);
    },
  };
  const worker: Worker = await createParleyWorker({
    connection: native,
    client,
    namespace: 'default',
    taskQueue,
    outboxDir: mkdtempSync(path.join(os.tmpdir(), 'parley-test-')),
    publicUrl: 'http://parley.test',
    csatSecret: TEST_CSAT_SECRET,
    // Test receivers listen on 127.0.0.1.
    allowPrivateWebhookAddresses: true,
    channel,
    mailer,
    ...(options.config ? { config: options.config } : {}),
    ...(options.webhooks ? { webhooks: options.webhooks } : {}),
  });
  const running = worker.run();
  const parley = new ParleyClient(client, taskQueue);
  await parley.ensureEntities();
  return {
    parley,
    client,
    taskQueue,
    prefix: taskQueue.slice(5, 13),
    channel: channelLog,
    emails,
    async stop() {
      worker.shutdown();
      await running;
      await native.close();
      await connection.close();
    },
  };
}

/** Polls `fn` every 50 ms until it returns a truthy value (max `timeoutMs`, default 15 s). */
export async function eventually<T>(fn: () => Promise<T | null | undefined | false>, timeoutMs = 15_000): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  let last: unknown;
  for (;;) {
    try {
      const value = await fn();
      if (value) return value;
    } catch (err) {
      last = err;
    }
    if (Date.now() > deadline) throw new Error(`condition not met in ${timeoutMs} ms${last ? `: ${String(last)}` : ''}`);
    await new Promise((r) => setTimeout(r, 50));
  }
}

/** Waits until the conversation's ticket is assigned; returns the view. */
export function assigned(h: Harness, conversationId: string): Promise<ConversationView> {
  return eventually(async () => {
    const view = await h.parley.getConversation(conversationId);
    return view.ticket?.assigneeId ? view : null;
  });
}
