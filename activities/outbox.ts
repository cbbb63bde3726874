/**
 * A folder of delivered items, one file per idempotency key. Writing with the `wx` flag makes a
 * retried delivery a no-op: the second write finds the file and stops.
 */
import { mkdir, writeFile } from 'node:fs/promises';
import { join } from 'node:path';

/** Turns an idempotency key into a safe file name (same key → same name). */
export function fileNameFor(key: string, extension: string): string {
  return `${key.replace(/[^A-Za-z0-9._-]/g, '_')}.${extension}`;
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
