/**
 * Access to the run's shared Temporal dev server, started once by `test/globalSetup.ts`.
 */

/** Env var through which globalSetup hands the dev server address to test files. */
export const TEST_TEMPORAL_ADDRESS_ENV = 'PARLEY_TEST_TEMPORAL_ADDRESS';

/**
 * `host:port` of the shared dev server (namespace "default", Parley search attributes registered).
 * Throws when the tests were not started through Jest's globalSetup.
 */
export function testServerAddress(): string {
  const address = process.env[TEST_TEMPORAL_ADDRESS_ENV];
  if (!address) {
    throw new Error(
      `${TEST_TEMPORAL_ADDRESS_ENV} is not set: run the tests with jest (globalSetup starts the dev server), ` +
        'e.g. `npm test` or `npx jest test/...`.',
    );
  }
  return address;
}
