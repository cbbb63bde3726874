/**
 * Business-hours arithmetic on a {@link Schedule} (DOMAIN.md §6; §9 rule 5: zone per instant, DST,
 * holidays, midnight boundaries, true 24 h days). Pure: no I/O, no clock; every instant is an
 * argument. Instants are epoch milliseconds (or luxon DateTimes on input); durations are minutes
 * (fractions allowed, millisecond precision).
 *
 * Model: each local date of the schedule's zone opens the intervals of its weekday, unless it is a
 * holiday. An interval `[start, end)` is the span of real time between the instants at which the
 * local wall clock shows `start` and `end` on that date, so
 * - 09:00–17:00 is 8 real hours on every date, also on a DST change date (the change is at night);
 * - 00:00–24:00 is the whole local date: 23 h on a spring-forward date, 25 h on a fall-back date,
 *   and back-to-back 24 h days join with no minute lost at midnight (S15);
 * - wall times that occur twice resolve to their first occurrence, wall times skipped by a
 *   spring-forward move forward by the gap (as the public `zendesk/biz` gem does).
 * Start is inside, end is outside: with hours ending 17:00, 16:59:59 is open and 17:00:00 is not (S7).
 */
import { IANAZone } from 'luxon';
import { DomainError } from '../errors';
import { DAY_MS, dayNumberOf, localDayOf, localToInstant, MINUTE_MS, offsetMs, toEpochMs, weekdayOf, type Instant } from './local';
import type { Schedule, ScheduleBook } from './schema';

/** A span of open time: `[start, end)` in epoch milliseconds. */
export interface Period {
  start: number;
  end: number;
}

/**
 * How far (in local days) the calculations look for open time before giving up. A schedule whose
 * holidays close more than ten years in a row is treated as never open again.
 */
export const SEARCH_HORIZON_DAYS = 3660;

interface Compiled {
  zone: IANAZone;
  schedule: Schedule;
  /** Closed day-number ranges, sorted by start. */
  holidays: Array<[number, number]>;
  /** Periods per local day number (a bounded memo; the schedule is immutable). */
  days: Map<number, Period[]>;
}

const compiledCache = new WeakMap<Schedule, Compiled>();

function compile(schedule: Schedule): Compiled {
  let c = compiledCache.get(schedule);
  if (!c) {
    if (!IANAZone.isValidZone(schedule.timeZone)) {
      throw new DomainError('invalid_input', `schedule ${schedule.id}: unknown time zone "${schedule.timeZone}"`);
    }
    const holidays: Array<[number, number]> = [];
    for (const h of schedule.holidays) {
      const a = dayNumberOf(h.startDate);
      const b = dayNumberOf(h.endDate);
      if (a === null || b === null) throw new DomainError('invalid_input', `schedule ${schedule.id}: bad holiday dates "${h.name}"`);
      holidays.push([a, b]);
    }
    holidays.sort((x, y) => x[0] - y[0]);
    c = { zone: IANAZone.create(schedule.timeZone), schedule, holidays, days: new Map() };
    compiledCache.set(schedule, c);
  }
  return c;
}

function isHolidayDay(c: Compiled, day: number): boolean {
  for (const [a, b] of c.holidays) {
    if (a > day) return false;
    if (day <= b) return true;
  }
  return false;
}

/**
 * The open periods of local day `day`, ascending, disjoint, non-empty, and clipped to the day's own
 * real span [local 00:00, next local 00:00) so that days never overlap, even where a DST gap
 * would move a wall time past midnight.
 */
function dayPeriods(c: Compiled, day: number): Period[] {
  const memo = c.days.get(day);
  if (memo) return memo;
  const intervals = c.schedule.week[weekdayOf(day)] ?? [];
  const out: Period[] = [];
  if (intervals.length > 0 && !isHolidayDay(c, day)) {
    const dayStart = localToInstant(c.zone, day, 0);
    const dayEnd = localToInstant(c.zone, day + 1, 0);
    // Fast path: one offset from this midnight to the next, so wall time = instant + offset.
    const off = offsetMs(c.zone, dayStart);
    const steady = dayEnd - dayStart === DAY_MS && offsetMs(c.zone, dayEnd - 1) === off;
    const at = (m: number) => (steady ? dayStart + m * MINUTE_MS : localToInstant(c.zone, day, m));
    const raw = intervals
      .map(([s, e]) => ({
        start: Math.max(dayStart, at(s)),
        end: Math.min(dayEnd, at(e)),
      }))
      .filter((p) => p.end > p.start)
      .sort((a, b) => a.start - b.start);
    for (const p of raw) {
      const last = out[out.length - 1];
      if (last && p.start < last.end) last.end = Math.max(last.end, p.end);
      else out.push({ ...p });
    }
  }
  if (c.days.size > 4096) c.days.clear();
  c.days.set(day, out);
  return out;
}

/** Open periods from `t` forward (the first clipped to start at `t`), lazily, forever. */
function* forward(c: Compiled, t: number): Generator<Period> {
  let day = localDayOf(c.zone, t) - 1;
  let idle = 0;
  for (;;) {
    let found = false;
    for (const p of dayPeriods(c, day)) {
      if (p.end <= t) continue;
      found = true;
      yield { start: Math.max(p.start, t), end: p.end };
    }
    idle = found ? 0 : idle + 1;
    if (idle > SEARCH_HORIZON_DAYS) throw noOpenTime(c, t, 'after');
    day += 1;
  }
}

/** Open periods before `t` backward (the first clipped to end at `t`), lazily, latest first. */
function* backward(c: Compiled, t: number): Generator<Period> {
  let day = localDayOf(c.zone, t) + 1;
  let idle = 0;
  for (;;) {
    let found = false;
    const periods = dayPeriods(c, day);
    for (let k = periods.length - 1; k >= 0; k--) {
      const p = periods[k];
      if (p.start >= t) continue;
      found = true;
      yield { start: p.start, end: Math.min(p.end, t) };
    }
    idle = found ? 0 : idle + 1;
    if (idle > SEARCH_HORIZON_DAYS) throw noOpenTime(c, t, 'before');
    day -= 1;
  }
}

function noOpenTime(c: Compiled, t: number, side: 'after' | 'before'): DomainError {
  return new DomainError(
    'invalid_state',
    `schedule ${c.schedule.id} has no business hours within ${SEARCH_HORIZON_DAYS} days ${side} ${new Date(t).toISOString()}`,
  );
}

/**
 * Is instant `t` within business hours of `schedule`? Evaluated at that instant in the schedule's
 * zone, DST-correct, holidays closed all local day (DOMAIN.md §6). Intervals are `[start, end)`.
 * @param t epoch ms or luxon DateTime.
 * @throws DomainError `invalid_input` for an invalid instant.
 */
export function isWithin(schedule: Schedule, t: Instant): boolean {
  const ms = toEpochMs(t);
  const c = compile(schedule);
  const day = localDayOf(c.zone, ms);
  for (const d of [day - 1, day, day + 1]) {
    for (const p of dayPeriods(c, d)) if (p.start <= ms && ms < p.end) return true;
  }
  return false;
}

/**
 * Is the local date of instant `t` (in the schedule's zone) one of the schedule's holidays?
 * Holidays are whole local days: from local 00:00 to the next local 00:00 (DOMAIN.md §6).
 */
export function isHoliday(schedule: Schedule, t: Instant): boolean {
  const c = compile(schedule);
  return isHolidayDay(c, localDayOf(c.zone, toEpochMs(t)));
}

/**
 * The first instant at or after `t` that is within business hours: `t` itself when open.
 * @returns epoch ms.
 * @throws DomainError `invalid_state` when nothing is open within {@link SEARCH_HORIZON_DAYS} days.
 */
export function nextOpen(schedule: Schedule, t: Instant): number {
  const ms = toEpochMs(t);
  const first = forward(compile(schedule), ms).next();
  return (first.value as Period).start;
}

/**
 * The last instant before `t` at which business hours were open, as a closing boundary: `t`
 * itself when open, otherwise the end of the latest period before `t` (that end is outside, the
 * period is `[start, end)`).
 * @returns epoch ms.
 * @throws DomainError `invalid_state` when nothing was open within {@link SEARCH_HORIZON_DAYS} days.
 */
export function previousClose(schedule: Schedule, t: Instant): number {
  const ms = toEpochMs(t);
  const first = backward(compile(schedule), ms).next();
  return (first.value as Period).end;
}

/** Options of {@link addBusinessTime}. */
export interface AddBusinessTimeOptions {
  /**
   * When the duration runs out exactly where business hours close (or, backward, open), skip the
   * closed time that follows and land where business time resumes: the next opening (backward:
   * the previous closing). Default `true`, as the public `zendesk/biz` gem does, so a forward
   * result is always an open instant. `false` lands on the boundary itself, the earliest instant
   * at which the duration has elapsed (and a zero duration returns `t`).
   */
  skipClosedTime?: boolean;
}

/**
 * The instant after `minutes` of business time counted from `t` (DOMAIN.md §6, S16: 8 business
 * hours after Friday 15:00 in Europe/Berlin Mon–Fri 09:00–17:00 is Monday 15:00 Berlin). A negative
 * `minutes` counts backward (as {@link subtractBusinessTime}). Zero returns {@link nextOpen}(t)
 * (or `t` itself with `skipClosedTime: false`).
 * @param minutes business minutes, finite; fractions allowed (rounded to the millisecond).
 * @returns epoch ms.
 * @throws DomainError `invalid_input` for a non-finite `minutes` or invalid `t`; `invalid_state`
 *   when no business hours exist within {@link SEARCH_HORIZON_DAYS} days.
 */
export function addBusinessTime(schedule: Schedule, t: Instant, minutes: number, options: AddBusinessTimeOptions = {}): number {
  if (!Number.isFinite(minutes)) throw new DomainError('invalid_input', `business minutes must be a finite number, got ${minutes}`);
  if (minutes < 0) return subtractBusinessTime(schedule, t, -minutes, options);
  const ms = toEpochMs(t);
  const skip = options.skipClosedTime ?? true;
  let remaining = Math.round(minutes * MINUTE_MS);
  if (remaining === 0 && !skip) return ms;
  for (const p of forward(compile(schedule), ms)) {
    const len = p.end - p.start;
    if (remaining < len) return p.start + remaining;
    if (remaining === len && !skip) return p.end;
    remaining -= len;
  }
  /* c8 ignore next */
  throw new Error('unreachable');
}

/**
 * The instant `minutes` of business time before `t` (the mirror of {@link addBusinessTime}). Zero
 * returns {@link previousClose}(t) (or `t` with `skipClosedTime: false`).
 * @param minutes business minutes, finite and ≥ 0.
 * @returns epoch ms.
 * @throws DomainError `invalid_input` for a negative or non-finite `minutes`; `invalid_state` when
 *   no business hours exist within {@link SEARCH_HORIZON_DAYS} days.
 */
export function subtractBusinessTime(schedule: Schedule, t: Instant, minutes: number, options: AddBusinessTimeOptions = {}): number {
  if (!Number.isFinite(minutes) || minutes < 0) {
    throw new DomainError('invalid_input', `business minutes to subtract must be a finite number ≥ 0, got ${minutes}`);
  }
  const ms = toEpochMs(t);
  const skip = options.skipClosedTime ?? true;
  let remaining = Math.round(minutes * MINUTE_MS);
  if (remaining === 0 && !skip) return ms;
  for (const p of backward(compile(schedule), ms)) {
    const len = p.end - p.start;
    if (remaining < len) return p.end - remaining;
    if (remaining === len && !skip) return p.start;
    remaining -= len;
  }
  /* c8 ignore next */
  throw new Error('unreachable');
}

/**
 * Business time between instants `a` and `b`, in minutes (fractional, millisecond precision):
 * the open time inside `[a, b)`. Zero when `b ≤ a` (as `zendesk/biz`). Across midnight of
 * back-to-back 24 h days no minute is lost (S15).
 * @throws DomainError `invalid_input` for an invalid instant.
 */
export function businessTimeBetween(schedule: Schedule, a: Instant, b: Instant): number {
  const from = toEpochMs(a);
  const to = toEpochMs(b);
  if (to <= from) return 0;
  const c = compile(schedule);
  let total = 0;
  const last = localDayOf(c.zone, to) + 1;
  for (let day = localDayOf(c.zone, from) - 1; day <= last; day++) {
    for (const p of dayPeriods(c, day)) {
      const s = Math.max(p.start, from);
      const e = Math.min(p.end, to);
      if (e > s) total += e - s;
    }
  }
  return total / MINUTE_MS;
}

/**
 * The next `count` open periods from `t` forward; the first starts at `t` when `t` is open.
 * One period per local interval occurrence (touching periods, e.g. across midnight, stay separate).
 * @returns `[start, end)` pairs in epoch ms, ascending.
 */
export function periodsAfter(schedule: Schedule, t: Instant, count: number): Period[] {
  return take(forward(compile(schedule), toEpochMs(t)), count);
}

/** The first `count` items of a (possibly endless) iterable. */
function take<T>(items: Iterable<T>, count: number): T[] {
  const out: T[] = [];
  if (count <= 0) return out;
  for (const item of items) {
    out.push(item);
    if (out.length >= count) break;
  }
  return out;
}

/**
 * The `count` open periods before `t`, latest first; the first ends at `t` when `t` is open.
 * @returns `[start, end)` pairs in epoch ms, descending.
 */
export function periodsBefore(schedule: Schedule, t: Instant, count: number): Period[] {
  return take(backward(compile(schedule), toEpochMs(t)), count);
}

/**
 * The open periods inside `[from, to)`, clipped to it, ascending.
 * @returns `[start, end)` pairs in epoch ms; empty when `to ≤ from`.
 */
export function periodsBetween(schedule: Schedule, from: Instant, to: Instant): Period[] {
  const a = toEpochMs(from);
  const b = toEpochMs(to);
  const out: Period[] = [];
  if (b <= a) return out;
  const c = compile(schedule);
  const last = localDayOf(c.zone, b) + 1;
  for (let day = localDayOf(c.zone, a) - 1; day <= last; day++) {
    for (const p of dayPeriods(c, day)) {
      const s = Math.max(p.start, a);
      const e = Math.min(p.end, b);
      if (e > s) out.push({ start: s, end: e });
    }
  }
  return out;
}

/**
 * The schedule a ticket uses (DOMAIN.md §6: the first schedule is the default; `set_schedule`
 * changes a ticket's). `id` absent, or naming no schedule in the book (e.g. deleted), gives the
 * default. Numeric ids match their decimal text.
 * @returns the schedule, or `undefined` when the book is empty (the account has no schedule).
 */
export function scheduleFor(book: ScheduleBook, id?: string | number | null): Schedule | undefined {
  if (id !== undefined && id !== null) {
    const found = book.find((s) => s.id === String(id));
    if (found) return found;
  }
  return book[0];
}
