/** Jest globalTeardown: stops the dev server started by `test/globalSetup.ts`. */
import { TEST_TEMPORAL_ADDRESS_ENV } from './helpers/devServer';

export default async function globalTeardown(): Promise<void> {
  const server = globalThis.__PARLEY_DEV_SERVER__;
  if (!server) return;
  globalThis.__PARLEY_DEV_SERVER__ = undefined;
  delete process.env[TEST_TEMPORAL_ADDRESS_ENV];
  await server.stop();
}
