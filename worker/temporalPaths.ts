import { accessSync, constants, statSync } from 'node:fs';
import path from 'node:path';

/** Repository root: this file lives in `<root>/worker/`. */
const REPO_ROOT = path.resolve(__dirname, '..');
/** Where `scripts/install-temporal.js` (npm postinstall) puts the Temporal binaries. */
const TOOLS_BIN = path.join(REPO_ROOT, '.tools', 'temporal', 'bin');

function resolveBinary(envVar: string, fileName: string, what: string): string {
  const fromEnv = process.env[envVar];
  const candidate = fromEnv ? path.resolve(fromEnv) : path.join(TOOLS_BIN, fileName);
  let ok = false;
  try {
    accessSync(candidate, constants.X_OK);
    ok = statSync(candidate).isFile();
  } catch {
    ok = false;
  }
  if (!ok) {
    throw new Error(
      fromEnv
        ? `${what} not found or not executable at ${candidate} (from ${envVar}).`
        : `${what} not found at ${candidate}. Run \`npm install\` (its postinstall step installs it), ` +
            `or set ${envVar} to an existing binary.`,
    );
  }
  return candidate;
}

/**
 * Absolute path of the Temporal CLI (`temporal`, used for `temporal server start-dev`).
 *
 * Uses `TEMPORAL_CLI_PATH` when set, else `<repo>/.tools/temporal/bin/temporal` installed by
 * `npm install`. Throws an Error naming `npm install` when the binary is missing.
 */
export function resolveTemporalCliPath(): string {
  return resolveBinary('TEMPORAL_CLI_PATH', 'temporal', 'Temporal CLI');
}

/**
 * Absolute path of the Temporal time-skipping test server (`temporal-test-server`).
 *
 * Uses `TEMPORAL_TEST_SERVER_PATH` when set, else `<repo>/.tools/temporal/bin/temporal-test-server`
 * installed by `npm install`. Throws an Error naming `npm install` when the binary is missing.
 */
export function resolveTemporalTestServerPath(): string {
  return resolveBinary('TEMPORAL_TEST_SERVER_PATH', 'temporal-test-server', 'Temporal test server');
}
