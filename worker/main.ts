/**
 * `npm start`: the whole of Parley in one process. Without `TEMPORAL_ADDRESS` it starts the embedded
 * Temporal dev server (SQLite file in the data folder, so state survives a restart; Web UI on a
 * printed port); with it, it connects to that cluster (envconfig conventions) and starts no server.
 * Then the worker and the HTTP API. Ctrl-C stops everything cleanly.
 */
import { createHmac } from 'node:crypto';
import { mkdirSync } from 'node:fs';
import path from 'node:path';
import { Client } from '@temporalio/client';
import { ParleyClient } from '../client/parleyClient';
import { loadOrCreateAdminToken } from '../config/adminToken';
import { openConfigStore } from '../config/store';
import { buildServer } from '../server/app';
import { loadConfig } from './config';
import { connectTo, loadConnectionConfig } from './connection';
import { startDevServer, type DevServer } from './devServer';
import { ensureSearchAttributes } from './ensureSearchAttributes';
import { createParleyWorker } from './worker';

async function main(): Promise<void> {
  const config = loadConfig();
  mkdirSync(config.PARLEY_DATA_DIR, { recursive: true });
  const store = openConfigStore(path.join(config.PARLEY_DATA_DIR, 'config.sqlite'));
  const admin = loadOrCreateAdminToken(config.PARLEY_DATA_DIR, config.PARLEY_ADMIN_TOKEN);
  const external = loadConnectionConfig();
  let devServer: DevServer | undefined;
  if (!external) {
    console.log('Starting the embedded Temporal dev server...');
    devServer = await startDevServer({
      dbFilename: path.join(config.PARLEY_DATA_DIR, 'temporal.sqlite'),
      port: config.TEMPORAL_PORT,
      uiPort: config.TEMPORAL_UI_PORT,
    });
  }
  const target = external ?? { address: (devServer as DevServer).address, namespace: 'default' };
  const { connection, nativeConnection, namespace, close } = await connectTo(target);
  const address = target.address;
  if (external) await ensureSearchAttributes(connection, namespace);
  const client = new Client({ connection, namespace });
  const publicUrl = config.PARLEY_PUBLIC_URL ?? `http://${config.PARLEY_HOST}:${config.PARLEY_PORT}`;
  // CSAT links are signed with a key derived from the admin token unless PARLEY_CSAT_SECRET is set.
  const csatSecret = config.PARLEY_CSAT_SECRET ?? createHmac('sha256', admin.token).update('parley-csat-links').digest('base64url');
  const worker = await createParleyWorker({
    connection: nativeConnection,
    client,
    namespace,
    taskQueue: config.PARLEY_TASK_QUEUE,
    outboxDir: path.join(config.PARLEY_DATA_DIR, 'outbox'),
    publicUrl,
    smtpUrl: config.PARLEY_SMTP_URL,
    accountName: config.PARLEY_ACCOUNT_NAME,
    config: store,
    csatSecret,
    allowPrivateWebhookAddresses: config.PARLEY_WEBHOOK_ALLOW_PRIVATE === 'true',
  });
  const running = worker.run();
  const parley = new ParleyClient(client, config.PARLEY_TASK_QUEUE);
  await parley.ensureEntities();
  const server = buildServer({
    parley,
    webhookSecret: config.PARLEY_WEBHOOK_SECRET,
    apiToken: config.PARLEY_API_TOKEN,
    config: store,
    adminToken: admin.token,
    csatSecret,
    logger: { level: 'warn' },
  });
  await server.listen({ host: config.PARLEY_HOST, port: config.PARLEY_PORT });
  const summary = store.summary();

  console.log(`
Parley is running.
  HTTP API         ${publicUrl}   (try: curl ${publicUrl}/settings)
  Sunshine webhook ${publicUrl}/webhooks/sunshine   (X-API-Key: ${config.PARLEY_WEBHOOK_SECRET === 'parley-dev-webhook-secret' ? 'parley-dev-webhook-secret (dev default; set PARLEY_WEBHOOK_SECRET)' : 'from PARLEY_WEBHOOK_SECRET'})
  Temporal         ${address}  namespace ${namespace}${devServer?.uiUrl ? `\n  Temporal Web UI  ${devServer.uiUrl}` : ''}
  Admin API        ${publicUrl}/admin   (Bearer token ${admin.source === 'env' ? 'from PARLEY_ADMIN_TOKEN' : `in ${admin.file}${admin.source === 'created' ? ', created now' : ''}`}; npx parley triggers --help)
  Configuration    ${store.file}   (revision ${summary.revision}, ${summary.triggers.active} active triggers, ${summary.messaging_triggers.active} active messaging triggers, ${summary.schedules} schedules, ${summary.webhooks} webhooks)
  Data folder      ${config.PARLEY_DATA_DIR}
Press Ctrl-C to stop.`);

  // Ctrl-C / SIGTERM: the SDK runtime drains the worker on these signals itself; we make sure it
  // does, then close the API, the connections and the embedded server once the worker has stopped.
  const requestStop = (signal: string): void => {
    console.log(`\n${signal}: stopping Parley...`);
    if (worker.getState() === 'RUNNING') worker.shutdown();
  };
  process.once('SIGINT', () => requestStop('SIGINT'));
  process.once('SIGTERM', () => requestStop('SIGTERM'));
  let failed = false;
  await running.catch((err) => {
    failed = true;
    console.error('Worker failed:', err);
  });
  await server.close();
  store.close();
  await close();
  await devServer?.stop();
  console.log('Stopped.');
  process.exit(failed ? 1 : 0);
}

main().catch((err) => {
  console.error(err instanceof Error ? err.message : err);
  process.exit(1);
});
