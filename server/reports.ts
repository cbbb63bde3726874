/**
 * Reports over the HTTP API. `GET /reports/ended-sessions?from&to&time_zone` — DOMAIN.md §7
 * recipe 3: sessions ended in [from, to) by local day of `time_zone` (default UTC) and reason.
 * `from`/`to` are ISO-8601 instants or `YYYY-MM-DD` dates in `time_zone`; a `to` date includes that
 * whole day (`from=2026-11-30&to=2026-11-30` is that one day); default: the last 7 days.
 */
import type { FastifyInstance } from 'fastify';
import { z } from 'zod';
import type { ParleyClient } from '../client/parleyClient';
import { localInstant, resolveTimeZone } from '../domain/schedules';
import { parseOrThrow } from './validation';

const DAY = /^\d{4}-\d{2}-\d{2}$/;
const when = z.union([z.iso.datetime({ offset: true }), z.string().regex(DAY, 'expected an ISO-8601 instant or a YYYY-MM-DD date')]);

/** Query of `GET /reports/ended-sessions`. */
export const EndedSessionsQuery = z.object({ from: when.optional(), to: when.optional(), time_zone: z.string().min(1).max(100).default('UTC') }).strict();

/** Registers the report routes. */
export function registerReportRoutes(app: FastifyInstance, parley: ParleyClient): void {
  app.get('/reports/ended-sessions', async (req) => {
    const parsed = parseOrThrow(EndedSessionsQuery, req.query ?? {}, 'query');
    // Zendesk's zone names ("Eastern Time (US & Canada)") are accepted as in schedules.
    const q = { ...parsed, time_zone: resolveTimeZone(parsed.time_zone) ?? parsed.time_zone };
    const instant = (v: string, endOfDay = false): number => (DAY.test(v) ? localInstant(q.time_zone, v, endOfDay ? '24:00' : 0) : Date.parse(v));
    const to = q.to ? instant(q.to, true) : Date.now();
    const from = q.from ? instant(q.from) : to - 7 * 86_400_000;
    return parley.endedSessionsReport(from, to, q.time_zone);
  });
}
