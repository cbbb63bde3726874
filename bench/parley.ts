/**
 * The Parley side of the lifecycle bench: a Parley worker whose channel and mailer adapters are
 * in-process no-ops that report to a {@link Rendezvous} (so Parley is compared with no-op activities,
 * like the floor), the agent pool, and one conversation lifecycle driven through the typed client.
 */
import os from 'node:os';
import path from 'node:path';
import type { Client } from '@temporalio/client';
import { Worker, type NativeConnection } from '@temporalio/worker';
import { createActivities } from '../activities';
import { OutboxChannelDelivery, type ChannelDelivery } from '../activities/channel';
import { createMailer, type Mailer } from '../activities/email';
import type { ParleyActivities } from '../activities/types';
import { ParleyClient } from '../client/parleyClient';
import { workflowIds } from '../workflows/definitions';
import { bundleWorkflows, createParleyWorker } from '../worker/worker';
import type { Rendezvous } from './hooks';
import { MESSAGE_PAIRS, since, sleep, stepTimer, type DriverOptions, type LifecycleSample } from './stats';

/** The routing entity's workflow id for a task queue (one routing workflow per task queue). */
export function routingWorkflowId(taskQueue: string): string {
  return workflowIds.routing(taskQueue);
}

/** Channel adapter: optionally delegates, then fires `greet:<conversationId>` for the AI agent's reply. */
export function hookedChannel(hooks: Rendezvous, inner?: ChannelDelivery): ChannelDelivery {
  return {
    async deliver(input) {
      await inner?.deliver(input);
      if (input.message.author.type === 'ai_agent') hooks.fire(`greet:${input.conversationId}`);
    },
  };
}

/** Mailer adapter: optionally delegates, then fires the idempotency key (`csat:<conversationId>` for CSAT). */
export function hookedMailer(hooks: Rendezvous, inner?: Mailer): Mailer {
  return {
    async send(mail) {
      await inner?.send(mail);
      hooks.fire(mail.idempotencyKey);
    },
  };
}

/** Options of {@link createBenchParleyWorker}. */
export interface BenchParleyWorkerOptions {
  connection: NativeConnection;
  /** Client the activities use (the bench passes one with a counting interceptor). */
  client: Client;
  namespace: string;
  taskQueue: string;
  hooks: Rendezvous;
  /** Write channel/email traffic to a real outbox folder instead of no-op adapters. */
  outboxDir?: string;
  /**
   * Replaces some activities (experiments only). Omitted: the worker is built by the project's own
   * `createParleyWorker`, exactly as production builds it.
   */
  override?: (activities: ParleyActivities) => Partial<ParleyActivities>;
}

/** Creates (does not run) the Parley worker the bench measures. */
export async function createBenchParleyWorker(options: BenchParleyWorkerOptions): Promise<Worker> {
  const channel = hookedChannel(options.hooks, options.outboxDir ? new OutboxChannelDelivery(path.join(options.outboxDir, 'channel')) : undefined);
  const mailer = hookedMailer(
    options.hooks,
    options.outboxDir ? createMailer({ outboxDir: path.join(options.outboxDir, 'email'), from: 'Parley Bench <bench@parley.local>' }) : undefined,
  );
  if (!options.override) {
    return createParleyWorker({
      connection: options.connection,
      client: options.client,
      namespace: options.namespace,
      taskQueue: options.taskQueue,
      // Both adapters are given, so this folder is never written.
      outboxDir: options.outboxDir ?? path.join(os.tmpdir(), 'parley-bench-outbox'),
      publicUrl: 'http://localhost',
      csatSecret: 'bench-csat-secret',
      channel,
      mailer,
    });
  }
  // Experiment: same bundle and slot settings as createParleyWorker, some activities replaced.
  const base = createActivities({
    client: options.client,
    taskQueue: options.taskQueue,
    channel,
    mailer,
    aiAgent: new (await import('../activities/aiAgent')).RuleBasedAiAgent(),
    publicUrl: 'http://localhost',
    webhooks: { post: async () => ({ status: 200, alreadySent: false }) },
    csatSecret: 'bench-csat-secret',
  });
  return Worker.create({
    connection: options.connection,
    namespace: options.namespace,
    taskQueue: options.taskQueue,
    workflowBundle: await bundleWorkflows(),
    activities: { ...base, ...options.override(base) },
    maxConcurrentWorkflowTaskExecutions: 100,
    maxConcurrentActivityTaskExecutions: 200,
  });
}

/**
 * Starts routing and account entities and puts an online agent pool in place whose messaging
 * capacity exceeds what `concurrency` lifecycles can hold at once (assignment never waits for a slot).
 * @returns the agent ids.
 */
export async function setUpAgentPool(parley: ParleyClient, concurrency: number): Promise<string[]> {
  await parley.ensureEntities();
  const agents = 4;
  const perAgent = Math.min(500, Math.max(5, concurrency));
  const ids: string[] = [];
  for (let i = 1; i <= agents; i++) {
    const id = `bench-agent-${i}`;
    await parley.upsertAgent({ id, name: `Bench agent ${i}`, status: 'online', groups: ['support'], capacity: { messaging: perAgent, email: 10 } });
    ids.push(id);
  }
  return ids;
}

/**
 * One Parley conversation lifecycle on a new thread `<id>`: first end-user message (starts thread and
 * conversation; waits for the AI agent's greeting), hand-off through the thread, assignment polled
 * with `getConversation`, 3 × (end-user message, public agent reply), the agent ends the session;
 * done when the CSAT survey (the last activity) was sent. With `threadId` (experiments only) the
 * lifecycle runs on that thread instead, which may already exist (a returning end user).
 */
export async function runParleyLifecycle(
  parley: ParleyClient,
  hooks: Rendezvous,
  id: string,
  options: DriverOptions,
  threadId: string = id,
): Promise<LifecycleSample> {
  const author = { id: `user-${id}`, name: 'Ann', email: `ann+${id}@example.com` };
  const endUser = (k: number) => ({
    eventId: `${id}-e${k}`,
    message: { messageId: `${id}-u${k}`, text: k === 0 ? 'Hello, my parcel has not arrived' : `More details ${k}`, author, cause: { type: 'webhook' as const, eventId: `${id}-e${k}` } },
  });
  const t0 = performance.now();
  const timer = stepTimer();

  const first = await parley.ingestEndUserMessage(threadId, endUser(0));
  timer.lap('first message');
  if (!first.newConversation) throw new Error(`first message of ${id} on thread ${threadId} did not start a conversation`);
  const conversationId = first.conversationId;
  await hooks.wait(`greet:${conversationId}`, options.timeoutMs);
  timer.lap('AI greeting');
  await parley.handOffThread(threadId, { eventId: `${id}-handoff`, handOff: { actor: { type: 'system' }, cause: { type: 'webhook', eventId: `${id}-handoff` } } });
  timer.lap('hand-off');
  const tHandedOff = performance.now();
  let polls = 0;
  let agentId: string | null = null;
  for (;;) {
    polls += 1;
    agentId = (await parley.getConversation(conversationId)).ticket?.assigneeId ?? null;
    if (agentId) break;
    if (since(t0) > options.timeoutMs) throw new Error(`conversation ${conversationId}: not assigned within ${options.timeoutMs} ms`);
    await sleep(options.pollMs);
  }
  const assignMs = since(tHandedOff);
  timer.lap('assignment');
  for (let k = 1; k <= MESSAGE_PAIRS; k++) {
    const ingested = await parley.ingestEndUserMessage(threadId, endUser(k));
    timer.lap('end-user message');
    if (ingested.conversationId !== conversationId) throw new Error(`message ${k} of ${id} went to ${ingested.conversationId}, expected ${conversationId}`);
    await parley.agentReply(conversationId, {
      agentId,
      text: `Reply ${k}`,
      visibility: 'public',
      messageId: `${id}-a${k}`,
      cause: { type: 'request', requestId: `${id}-a${k}` },
    });
    timer.lap('agent reply');
  }
  const ended = await parley.endSession(conversationId, { actor: { type: 'agent', id: agentId }, reason: 'agent', cause: { type: 'request', requestId: `${id}-end` } });
  timer.lap('end session');
  if (ended.alreadyEnded) throw new Error(`session of ${conversationId} had already ended`);
  const clientMs = since(t0);
  await hooks.wait(`csat:${conversationId}`, options.timeoutMs);
  timer.lap('last effect');
  timer.steps['end-user message'] /= MESSAGE_PAIRS;
  timer.steps['agent reply'] /= MESSAGE_PAIRS;
  return { latencyMs: since(t0), clientMs, assignMs, polls, steps: timer.steps };
}
