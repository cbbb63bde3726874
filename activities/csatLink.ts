/**
 * CSAT survey links (DOMAIN.md §3 "CSAT"): `<publicUrl>/csat/<ticketId>?score=good|bad&token=…`.
 * The token is HMAC-SHA256(secret, ticket id), base64url, so only the survey's recipient can rate
 * that ticket; the HTTP API checks it in constant time (server/csat.ts).
 */
import { createHmac, timingSafeEqual } from 'node:crypto';

/** The token of a ticket's survey links. */
export function csatToken(secret: string, ticketId: string): string {
  return createHmac('sha256', secret).update(`csat:${ticketId}`).digest('base64url');
}

/** True when `token` is the token of `ticketId` (constant time). */
export function validCsatToken(secret: string, ticketId: string, token: string): boolean {
  const expected = Buffer.from(csatToken(secret, ticketId));
  const given = Buffer.from(token);
  return given.length === expected.length && timingSafeEqual(given, expected);
}

/** The link that rates `ticketId` with `score`. */
export function csatLink(baseUrl: string, secret: string, ticketId: string, score: 'good' | 'bad'): string {
  return `${baseUrl}/csat/${encodeURIComponent(ticketId)}?score=${score}&token=${csatToken(secret, ticketId)}`;
}
