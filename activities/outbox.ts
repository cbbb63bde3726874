/**
 * A folder of delivered items, one file per idempotency key. Writing with the `wx` flag makes a
 * retried delivery a no-op: the second write finds the file and stops.
 */
import { createHash } from 'node:crypto';
import { mkdir, writeFile } from 'node:fs/promises';
import { join } from 'node:path';

/**
 * Turns an idempotency key into a safe file name (same key → same name, distinct keys → distinct
 * names). Readable for short keys; long keys keep a readable prefix plus a SHA-256 of the whole key,
 * so names stay far below the 255-byte limit of file systems.
 */
export function fileNameFor(key: string, extension: string): string {
  const safe = key.replace(/[^A-Za-z0-9._-]/g, '_');
  const hash = createHash('sha256').update(key).digest('hex').slice(0, 16);
  const stem = safe.length <= 120 && safe === key ? safe : `${safe.slice(0, 100)}-${hash}`;
  return `${stem}.${extension}`;
}

/**
 * Writes `content` to `<dir>/<key>.<extension>` unless it exists.
 * @returns true when this call wrote it, false when an earlier call already had.
 */
export async function writeOnce(dir: string, key: string, extension: string, content: string | Buffer): Promise<boolean> {
  await mkdir(dir, { recursive: true });
  try {
    await writeFile(join(dir, fileNameFor(key, extension)), content, { flag: 'wx' });
    return true;
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === 'EEXIST') return false;
    throw err;
  }
}
