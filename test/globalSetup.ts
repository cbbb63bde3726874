/**
 * Jest globalSetup: starts ONE Temporal dev server (in-memory, headless, random port) for the
 * whole run and hands its address to test files through `PARLEY_TEST_TEMPORAL_ADDRESS` (set here
 * in the parent process before any test environment or worker exists, so tests inherit it; read
 * it with `testServerAddress()` from `test/helpers/devServer.ts`).
 *
 * If `PARLEY_TEST_TEMPORAL_ADDRESS` is already set, that server is used and none is started.
 * Set `PARLEY_DEV_SERVER_LOG=1` to see the server's log lines.
 */
import { startDevServer, type DevServer } from '../worker/devServer';
import { TEST_TEMPORAL_ADDRESS_ENV } from './helpers/devServer';

declare global {
  // Shared with globalTeardown (same context).
  var __PARLEY_DEV_SERVER__: DevServer | undefined;
}

export default async function globalSetup(): Promise<void> {
  if (process.env[TEST_TEMPORAL_ADDRESS_ENV]) return;
  const started = Date.now();
  const server = await startDevServer({
    headless: true,
    log: process.env.PARLEY_DEV_SERVER_LOG ? (line) => process.stderr.write(`[dev-server] ${line}\n`) : undefined,
  });
  globalThis.__PARLEY_DEV_SERVER__ = server;
  process.env[TEST_TEMPORAL_ADDRESS_ENV] = server.address;
  process.stderr.write(`\n[globalSetup] Temporal dev server at ${server.address} (${Date.now() - started} ms)\n`);
}
