/**
 * The admin API token. `PARLEY_ADMIN_TOKEN` when set; otherwise `npm start` creates a random token
 * once in `<data dir>/admin-token` (mode 0600) and reuses it on later starts, so the admin API works
 * without setup yet is never open. The CLI reads the same file when the variable is unset.
 */
import { randomBytes } from 'node:crypto';
import { chmodSync, mkdirSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import path from 'node:path';

/** Shortest admin token accepted (characters). */
export const MIN_ADMIN_TOKEN_LENGTH = 16;

/** Where the generated token lives: `<data dir>/admin-token`. */
export const adminTokenFile = (dataDir: string): string => path.join(dataDir, 'admin-token');

/** The admin token and where it came from. */
export interface AdminToken {
  token: string;
  /** `env`: PARLEY_ADMIN_TOKEN; `file`: reused from the file; `created`: written now. */
  source: 'env' | 'file' | 'created';
  /** The token file (for `file` and `created`). */
  file?: string;
}

/**
 * The token in `<data dir>/admin-token` (trimmed), or undefined when there is no usable file.
 * @throws Error for read errors other than "no such file".
 */
export function readAdminToken(dataDir: string): string | undefined {
  try {
    const token = readFileSync(adminTokenFile(dataDir), 'utf8').trim();
    return token.length >= MIN_ADMIN_TOKEN_LENGTH ? token : undefined;
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === 'ENOENT') return undefined;
    throw err;
  }
}

/**
 * `fromEnv` when given; else the token file, created (32 random bytes, base64url, mode 0600) when
 * absent or unusable. A token file readable by group or others is narrowed to 0600.
 */
export function loadOrCreateAdminToken(dataDir: string, fromEnv?: string): AdminToken {
  if (fromEnv) return { token: fromEnv, source: 'env' };
  const file = adminTokenFile(dataDir);
  const existing = readAdminToken(dataDir);
  if (existing) {
    if ((statSync(file).mode & 0o077) !== 0) chmodSync(file, 0o600);
    return { token: existing, source: 'file', file };
  }
  const token = randomBytes(32).toString('base64url');
  mkdirSync(dataDir, { recursive: true });
  writeFileSync(file, `${token}\n`, { mode: 0o600 });
  chmodSync(file, 0o600);
  return { token, source: 'created', file };
}
