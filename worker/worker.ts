/**
 * Worker bootstrap: one worker polls the Parley task queue with every workflow and activity.
 * Workflow code is bundled once per process ({@link bundleWorkflows}) and shared by workers.
 */
import path from 'node:path';
import type { Client } from '@temporalio/client';
import { NativeConnection, Worker, bundleWorkflowCode, type WorkflowBundleWithSourceMap } from '@temporalio/worker';
import { RuleBasedAiAgent, type AiAgent } from '../activities/aiAgent';
import { OutboxChannelDelivery, type ChannelDelivery } from '../activities/channel';
import { createMailer, type Mailer } from '../activities/email';
import { createActivities } from '../activities';
import { createWebhookSender, type WebhookSender } from '../activities/webhook';
import type { ConfigReader } from '../config/types';

let bundlePromise: Promise<WorkflowBundleWithSourceMap> | undefined;

/** Bundles `workflows/index.ts` once per process (webpack; a few seconds) and caches the result. */
export function bundleWorkflows(): Promise<WorkflowBundleWithSourceMap> {
  bundlePromise ??= bundleWorkflowCode({
    workflowsPath: require.resolve('../workflows'),
    logger: { log() {}, trace() {}, debug() {}, info() {}, warn: console.warn, error: console.error },
  });
  return bundlePromise;
}

/** Everything a Parley worker needs. Omitted adapters default to the local outbox implementations. */
export interface ParleyWorkerOptions {
  connection: NativeConnection;
  client: Client;
  namespace: string;
  taskQueue: string;
  /** Folder for the local outbox (`channel/` and `email/` below it). */
  outboxDir: string;
  publicUrl: string;
  smtpUrl?: string;
  channel?: ChannelDelivery;
  mailer?: Mailer;
  aiAgent?: AiAgent;
  /** Secret of the CSAT survey links; the HTTP API must be given the same (`buildServer({ csatSecret })`). */
  csatSecret: string;
  /** Let trigger webhooks reach loopback/private/link-local addresses (development, tests). Default false. */
  allowPrivateWebhookAddresses?: boolean;
  /** The account's name: `{{ticket.account}}` and the sender name of emails (default "Support"). */
  accountName?: string;
  /** Trigger, schedule and webhook configuration (config/store.ts); none: no triggers, always open. */
  config?: ConfigReader;
  webhooks?: WebhookSender;
}

/** Creates (does not run) a worker for the Parley task queue. */
export async function createParleyWorker(options: ParleyWorkerOptions): Promise<Worker> {
  const activities = createActivities({
    client: options.client,
    taskQueue: options.taskQueue,
    channel: options.channel ?? new OutboxChannelDelivery(path.join(options.outboxDir, 'channel')),
    mailer:
      options.mailer ??
      createMailer({ outboxDir: path.join(options.outboxDir, 'email'), from: `${options.accountName ?? 'Support'} <support@parley.local>`, smtpUrl: options.smtpUrl }),
    aiAgent: options.aiAgent ?? new RuleBasedAiAgent(),
    publicUrl: options.publicUrl,
    csatSecret: options.csatSecret,
    ...(options.config ? { config: options.config } : {}),
    ...(options.accountName ? { accountName: options.accountName } : {}),
    webhooks:
      options.webhooks ??
      createWebhookSender({ ledgerDir: path.join(options.outboxDir, 'webhooks'), allowPrivateAddresses: options.allowPrivateWebhookAddresses === true }),
  });
  return Worker.create({
    connection: options.connection,
    namespace: options.namespace,
    taskQueue: options.taskQueue,
    workflowBundle: await bundleWorkflows(),
    activities,
    maxConcurrentWorkflowTaskExecutions: 100,
    maxConcurrentActivityTaskExecutions: 200,
    // Ctrl-C must end even if a task hangs: activities get 10 s to finish, then the worker stops.
    shutdownGraceTime: '10 seconds',
    shutdownForceTime: '20 seconds',
  });
}
