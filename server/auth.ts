/** Constant-time secret comparison for `X-API-Key` and bearer tokens (DOMAIN.md §8). */
import { createHash, timingSafeEqual } from 'node:crypto';

/** Compares two strings in time independent of where they differ (hashing first equalises lengths). */
export function safeEqual(given: string, expected: string): boolean {
  const a = createHash('sha256').update(given).digest();
  const b = createHash('sha256').update(expected).digest();
  return timingSafeEqual(a, b);
}
