/**
 * Reports (DOMAIN.md §7 recipe 3: "a report of ended sessions by reason and day"). Pure
 * aggregation; the rows come from Temporal visibility (search attributes `SessionEndedReason`,
 * `SessionEndedAt`), read by the client.
 */
import { IANAZone } from 'luxon';
import { DomainError } from './errors';
import { isoDateOf, localDayOf } from './schedules';
import { SESSION_ENDED_REASONS, type SessionEndedReason } from './vocabulary';

/** One ended session: why and when (ms since the epoch). */
export interface EndedSessionRow {
  reason: SessionEndedReason;
  endedAt: number;
}

/** Counts for one local day (`YYYY-MM-DD` in the report's zone). */
export type EndedSessionsDay = { date: string; total: number } & Record<SessionEndedReason, number>;

/** The report: one entry per local day that had ended sessions, in date order, plus totals. */
export interface EndedSessionsReport {
  timeZone: string;
  /** Inclusive start and exclusive end, ISO-8601. */
  from: string;
  to: string;
  days: EndedSessionsDay[];
  totals: { total: number } & Record<SessionEndedReason, number>;
}

const zeroes = (): Record<SessionEndedReason, number> => Object.fromEntries(SESSION_ENDED_REASONS.map((r) => [r, 0])) as Record<SessionEndedReason, number>;

/**
 * Groups ended sessions by local day in `timeZone` (DST-correct: a day is the zone's calendar day)
 * and by reason. Rows outside [from, to) are ignored.
 * @throws DomainError `invalid_input` for an unknown zone or from ≥ to.
 */
export function endedSessionsReport(rows: readonly EndedSessionRow[], from: number, to: number, timeZone: string): EndedSessionsReport {
  if (!IANAZone.isValidZone(timeZone)) throw new DomainError('invalid_input', `unknown time zone "${timeZone}" (use an IANA name, e.g. "Europe/Berlin")`);
  if (!(from < to)) throw new DomainError('invalid_input', '"from" must be before "to"');
  const zone = IANAZone.create(timeZone);
  const byDay = new Map<number, EndedSessionsDay>();
  const totals = { total: 0, ...zeroes() };
  for (const row of rows) {
    if (row.endedAt < from || row.endedAt >= to) continue;
    const day = localDayOf(zone, row.endedAt);
    let entry = byDay.get(day);
    if (!entry) {
      entry = { date: isoDateOf(day), total: 0, ...zeroes() };
      byDay.set(day, entry);
    }
    entry[row.reason] += 1;
    entry.total += 1;
    totals[row.reason] += 1;
    totals.total += 1;
  }
  const days = [...byDay.entries()].sort((a, b) => a[0] - b[0]).map(([, d]) => d);
  return { timeZone, from: new Date(from).toISOString(), to: new Date(to).toISOString(), days, totals };
}
