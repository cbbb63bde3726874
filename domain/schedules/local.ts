/**
 * Local calendar arithmetic for schedules (DOMAIN.md §6, §9 rule 5: zone per instant, DST,
 * midnight boundaries). Days are counted as whole local dates ("day numbers": days since
 * 1970-01-01, so day 0 is a Thursday); instants are epoch milliseconds. Pure: offsets come from
 * the runtime's time zone database through luxon, never from the clock.
 */
import { DateTime, IANAZone } from 'luxon';
import { DomainError } from '../errors';

/** Milliseconds in one minute. */
export const MINUTE_MS = 60_000;
/** Milliseconds in one 24-hour UTC day (local days may be 23 or 25 hours long). */
export const DAY_MS = 86_400_000;
/** Minutes in a 24-hour wall-clock day; 1440 is "24:00", the end of the day. */
export const DAY_MINUTES = 1440;
/** Minutes in a week. */
export const WEEK_MINUTES = 7 * DAY_MINUTES;

/** Weekday names, index 0 = Sunday (Zendesk's week starts Sunday 00:00). */
export const WEEKDAYS = ['sun', 'mon', 'tue', 'wed', 'thu', 'fri', 'sat'] as const;
export type Weekday = (typeof WEEKDAYS)[number];

/** An instant: epoch milliseconds, or a luxon DateTime (any zone; only its instant counts). */
export type Instant = number | DateTime;

/**
 * The epoch milliseconds of an instant.
 * @throws DomainError `invalid_input` for a non-finite number or an invalid DateTime.
 */
export function toEpochMs(t: Instant): number {
  const ms = typeof t === 'number' ? t : t.isValid ? t.toMillis() : Number.NaN;
  if (!Number.isFinite(ms)) throw new DomainError('invalid_input', `not a valid instant: ${String(t)}`);
  return ms;
}

const ISO_DATE = /^(\d{4})-(\d{2})-(\d{2})$/;

/**
 * The day number of a calendar date `YYYY-MM-DD` (proleptic Gregorian), or `null` when the text
 * is not a real date (e.g. `2025-02-30`).
 */
export function dayNumberOf(isoDate: string): number | null {
  const m = ISO_DATE.exec(isoDate);
  if (!m) return null;
  const [y, mo, d] = [Number(m[1]), Number(m[2]), Number(m[3])];
  const ms = Date.UTC(y, mo - 1, d);
  const back = new Date(ms);
  if (back.getUTCFullYear() !== y || back.getUTCMonth() !== mo - 1 || back.getUTCDate() !== d) return null;
  return ms / DAY_MS;
}

/** The `YYYY-MM-DD` text of a day number. */
export function isoDateOf(day: number): string {
  return new Date(day * DAY_MS).toISOString().slice(0, 10);
}

/** Weekday of a day number: 0 = Sunday … 6 = Saturday. */
export function weekdayOf(day: number): number {
  return (((day + 4) % 7) + 7) % 7;
}

/** `HH:MM` of a minute of the day (0..1440; 1440 prints as `24:00`). */
export function clockText(minute: number): string {
  const h = Math.floor(minute / 60);
  const m = minute % 60;
  return `${String(h).padStart(2, '0')}:${String(m).padStart(2, '0')}`;
}

/** Offset of `zone` from UTC at instant `t`, in milliseconds. */
export function offsetMs(zone: IANAZone, t: number): number {
  return zone.offset(t) * MINUTE_MS;
}

/** The local day number of instant `t` (ms) in `zone`. */
export function localDayOf(zone: IANAZone, t: number): number {
  return Math.floor((t + offsetMs(zone, t)) / DAY_MS);
}

/**
 * The instant (ms) at which the wall clock of `zone` shows `minute` (minutes since local midnight,
 * fractions allowed; 1440 = 24:00 = midnight starting the next day) on local day `day`.
 *
 * DST (DOMAIN.md §9 rule 5), as the public `zendesk/biz` gem resolves it:
 * - a wall time that occurs twice (clocks go back) resolves to its first, daylight-time occurrence;
 * - a wall time that does not exist (clocks go forward) moves forward by the gap, e.g. 02:30 on a
 *   spring-forward night in America/Los_Angeles is 03:30 PDT.
 */
export function localToInstant(zone: IANAZone, day: number, minute: number): number {
  const wall = day * DAY_MS + minute * MINUTE_MS; // the wall time read as if it were UTC
  const probes = [wall - 18 * 3_600_000, wall, wall + 18 * 3_600_000].map((p) => offsetMs(zone, p));
  let best: number | null = null;
  for (const off of probes) {
    const candidate = wall - off;
    if (offsetMs(zone, candidate) === off && (best === null || candidate < best)) best = candidate;
  }
  if (best !== null) return best;
  // In a gap: read the wall time with the offset in force before the gap (lands after the gap).
  return wall - probes[0];
}

/**
 * The instant at which the wall clock of `timeZone` (IANA) shows `HH:MM` (or minutes since
 * midnight; `24:00` / 1440 = the next midnight) on the local date `isoDate`, resolved as
 * {@link localToInstant} does.
 * @throws DomainError `invalid_input` for an unknown zone, a bad date or a bad time.
 */
export function localInstant(timeZone: string, isoDate: string, time: string | number): number {
  if (!IANAZone.isValidZone(timeZone)) throw new DomainError('invalid_input', `unknown time zone "${timeZone}"`);
  const day = dayNumberOf(isoDate);
  if (day === null) throw new DomainError('invalid_input', `not a date: "${isoDate}" (expected YYYY-MM-DD)`);
  let minute: number;
  if (typeof time === 'number') minute = time;
  else {
    const m = /^(\d{2}):(\d{2})(?::(\d{2}))?$/.exec(time);
    minute = m ? Number(m[1]) * 60 + Number(m[2]) + Number(m[3] ?? 0) / 60 : Number.NaN;
  }
  if (!(minute >= 0 && minute <= DAY_MINUTES)) {
    throw new DomainError('invalid_input', `not a time of day: ${JSON.stringify(time)} (expected HH:MM, 00:00..24:00)`);
  }
  return localToInstant(IANAZone.create(timeZone), day, minute);
}
