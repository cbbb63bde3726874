/**
 * Business-hours schedules as admins and Zendesk's API give them, and the one model Parley keeps
 * (DOMAIN.md §6: name, IANA time zone, weekly intervals that never cross midnight, a 24 h day is a
 * real 24 h day, holidays as whole days; the first schedule is the default).
 *
 * Two input forms are accepted and normalised to {@link Schedule}:
 * - Zendesk's: `{ id, name, time_zone, intervals: [{ start_time, end_time }] }`, intervals in minutes
 *   from the start of the week (Sunday 00:00 local), as `GET /api/v2/business_hours/schedules` returns;
 * - a friendlier weekly form: `{ id, name, time_zone, weekly: { mon: [['09:00', '17:00']], … } }`.
 * Both may carry `holidays: [{ name, start_date, end_date }]` (whole local days, inclusive ranges;
 * Zendesk serves these from a separate endpoint per schedule).
 */
import { z } from 'zod';
import { DomainError } from '../errors';
import { clockText, dayNumberOf, DAY_MINUTES, WEEKDAYS, WEEK_MINUTES } from './local';
import { resolveTimeZone } from './zones';

/** An open interval of one weekday: `[start, end)` in minutes since local midnight, 0 ≤ start < end ≤ 1440. */
export type DayInterval = readonly [start: number, end: number];

/** A holiday: every local date from `startDate` to `endDate` (both `YYYY-MM-DD`, inclusive) is closed. */
export interface Holiday {
  readonly name: string;
  readonly startDate: string;
  readonly endDate: string;
}

/**
 * A validated business-hours schedule, plain JSON (safe to keep in workflow state).
 * `week[d]` holds weekday d's open intervals (0 = Sunday … 6 = Saturday), sorted and disjoint;
 * an end of 1440 is 24:00, so `[[0, 1440]]` is the whole (real, 23–25 h) local day.
 */
export interface Schedule {
  /** Zendesk's numeric ids become their decimal text. */
  readonly id: string;
  readonly name: string;
  /** IANA zone every rule is evaluated in (DOMAIN.md §6). */
  readonly timeZone: string;
  /** The zone as given (a Zendesk/Rails name such as "Central Time (US & Canada)", or IANA). */
  readonly timeZoneName: string;
  readonly week: ReadonlyArray<ReadonlyArray<DayInterval>>;
  readonly holidays: ReadonlyArray<Holiday>;
}

/** Several schedules; the first is the account's default (DOMAIN.md §6). */
export type ScheduleBook = ReadonlyArray<Schedule>;

/** A Zendesk interval: minutes from Sunday 00:00 local; `end_time` may be the next midnight (24:00). */
export const ZendeskIntervalSchema = z
  .object({
    start_time: z.number().int().min(0).max(WEEK_MINUTES),
    end_time: z.number().int().min(0).max(WEEK_MINUTES),
  })
  .strict();

const CLOCK = /^(?:[01]\d|2[0-3]):[0-5]\d$|^24:00$/;
/** `HH:MM`, 00:00..24:00 (24:00 only as an end). Minute precision, as Zendesk's schedules. */
export const ClockSchema = z.string().regex(CLOCK, 'expected a time "HH:MM" between 00:00 and 24:00');

const dayHours = z.array(z.tuple([ClockSchema, ClockSchema])).optional();
/** The friendly weekly form: per weekday a non-empty list of `[open, close]` times; absent day = closed. */
export const WeeklyHoursSchema = z
  .object({ sun: dayHours, mon: dayHours, tue: dayHours, wed: dayHours, thu: dayHours, fri: dayHours, sat: dayHours })
  .strict();

/** A holiday as Zendesk's API shapes it (`id` optional). Dates are local calendar dates. */
export const HolidayInputSchema = z
  .object({
    id: z.union([z.number().int(), z.string()]).optional(),
    name: z.string().min(1).max(200),
    start_date: z.string(),
    end_date: z.string(),
  })
  .strict();

/** Schedule fields common to both forms; Zendesk's timestamps are accepted and ignored. */
const scheduleShape = {
  id: z.union([z.string().min(1).max(200), z.number().int().nonnegative()]),
  name: z.string().min(1).max(200),
  time_zone: z
    .string()
    .max(100)
    .superRefine((name, ctx) => {
      if (resolveTimeZone(name) === null) {
        ctx.addIssue({
          code: 'custom',
          message: `unknown time zone "${name}": use an IANA name (e.g. "Europe/Berlin") or a Zendesk name (e.g. "Pacific Time (US & Canada)")`,
        });
      }
    }),
  intervals: z.array(ZendeskIntervalSchema).optional(),
  weekly: WeeklyHoursSchema.optional(),
  holidays: z.array(HolidayInputSchema).default([]),
  created_at: z.string().optional(),
  updated_at: z.string().optional(),
};

/** A schedule in either input form, before normalisation. */
export const ScheduleInputObjectSchema = z.object(scheduleShape).strict();
export type ScheduleInput = z.input<typeof ScheduleInputObjectSchema>;

type Checked = z.output<typeof ScheduleInputObjectSchema>;
type Issue = { path: (string | number)[]; message: string };

/** `mon 09:00` for a minute of the week (10080, the end of the week, is `sat 24:00`). */
const weekClock = (m: number): string => {
  const day = Math.min(Math.floor(m / DAY_MINUTES), 6);
  return `${WEEKDAYS[day]} ${clockText(m - day * DAY_MINUTES)}`;
};
/** `mon 09:00–17:00` for an interval within one day. */
const weekText = (start: number, end: number): string => {
  const day = Math.floor(start / DAY_MINUTES);
  return `${weekClock(start)}–${clockText(end - day * DAY_MINUTES)}`;
};
const clockMinutes = (hhmm: string): number => Number(hhmm.slice(0, 2)) * 60 + Number(hhmm.slice(3, 5));

/** Validates the rules zod's shapes cannot say; each issue names its JSON path. */
function scheduleIssues(v: Checked): Issue[] {
  const issues: Issue[] = [];
  if (v.intervals !== undefined && v.weekly !== undefined) {
    issues.push({ path: ['weekly'], message: 'give either "intervals" (Zendesk form) or "weekly", not both' });
  } else if (v.intervals === undefined && v.weekly === undefined) {
    issues.push({ path: ['intervals'], message: 'a schedule needs "intervals" (Zendesk form) or "weekly" hours' });
  }
  if (v.intervals !== undefined) {
    if (v.intervals.length === 0) issues.push({ path: ['intervals'], message: 'a schedule needs at least one open interval' });
    const ok: Array<{ i: number; start: number; end: number }> = [];
    v.intervals.forEach(({ start_time: start, end_time: end }, i) => {
      if (end <= start) {
        issues.push({ path: ['intervals', i, 'end_time'], message: `end_time ${end} must be after start_time ${start}` });
      } else if (start >= WEEK_MINUTES) {
        issues.push({ path: ['intervals', i, 'start_time'], message: `start_time ${start} is past the end of the week (${WEEK_MINUTES})` });
      } else if (end > (Math.floor(start / DAY_MINUTES) + 1) * DAY_MINUTES) {
        const day = Math.floor(start / DAY_MINUTES);
        issues.push({
          path: ['intervals', i, 'end_time'],
          message: `interval ${start}–${end} (${weekClock(start)} → ${weekClock(end)}) crosses midnight: end it at ${(day + 1) * DAY_MINUTES} (24:00) and start the next day at ${(day + 1) * DAY_MINUTES} (00:00)`,
        });
      } else ok.push({ i, start, end });
    });
    ok.sort((a, b) => a.start - b.start);
    for (let k = 1; k < ok.length; k++) {
      const prev = ok[k - 1];
      const cur = ok[k];
      if (cur.start < prev.end) {
        issues.push({
          path: ['intervals', cur.i],
          message: `interval ${weekText(cur.start, cur.end)} overlaps intervals[${prev.i}] (${weekText(prev.start, prev.end)})`,
        });
      }
    }
  }
  if (v.weekly !== undefined) {
    const days = WEEKDAYS.filter((d) => v.weekly?.[d] !== undefined);
    if (days.length === 0) issues.push({ path: ['weekly'], message: 'a schedule needs at least one open day' });
    for (const d of days) {
      const list = v.weekly[d] ?? [];
      if (list.length === 0) {
        issues.push({ path: ['weekly', d], message: `no hours for ${d}: leave the day out to close it` });
      }
      const ok: Array<{ i: number; start: number; end: number }> = [];
      list.forEach(([open, close], i) => {
        const [start, end] = [clockMinutes(open), clockMinutes(close)];
        if (start === DAY_MINUTES) {
          issues.push({ path: ['weekly', d, i, 0], message: '24:00 is only allowed as a closing time' });
        } else if (end <= start) {
          issues.push({
            path: ['weekly', d, i, 1],
            message: `closing time ${close} must be after opening time ${open} (intervals never cross midnight: use 24:00 and open the next day at 00:00)`,
          });
        } else ok.push({ i, start, end });
      });
      ok.sort((a, b) => a.start - b.start);
      for (let k = 1; k < ok.length; k++) {
        if (ok[k].start < ok[k - 1].end) {
          issues.push({
            path: ['weekly', d, ok[k].i],
            message: `${d} ${clockText(ok[k].start)}–${clockText(ok[k].end)} overlaps ${d}[${ok[k - 1].i}] (${clockText(ok[k - 1].start)}–${clockText(ok[k - 1].end)})`,
          });
        }
      }
    }
  }
  v.holidays.forEach((h, i) => {
    const start = dayNumberOf(h.start_date);
    const end = dayNumberOf(h.end_date);
    if (start === null) issues.push({ path: ['holidays', i, 'start_date'], message: `not a date: "${h.start_date}" (expected YYYY-MM-DD)` });
    if (end === null) issues.push({ path: ['holidays', i, 'end_date'], message: `not a date: "${h.end_date}" (expected YYYY-MM-DD)` });
    if (start !== null && end !== null && end < start) {
      issues.push({ path: ['holidays', i, 'end_date'], message: `end_date ${h.end_date} is before start_date ${h.start_date}` });
    }
  });
  return issues;
}

/** Builds the model from input that passed {@link scheduleIssues}. */
function normalise(v: Checked): Schedule {
  const week: Array<Array<[number, number]>> = WEEKDAYS.map(() => []);
  if (v.intervals !== undefined) {
    for (const { start_time: start, end_time: end } of v.intervals) {
      const day = Math.floor(start / DAY_MINUTES);
      week[day].push([start - day * DAY_MINUTES, end - day * DAY_MINUTES]);
    }
  } else if (v.weekly !== undefined) {
    WEEKDAYS.forEach((d, day) => {
      for (const [open, close] of v.weekly?.[d] ?? []) week[day].push([clockMinutes(open), clockMinutes(close)]);
    });
  }
  for (const list of week) list.sort((a, b) => a[0] - b[0]);
  return {
    id: String(v.id),
    name: v.name,
    timeZone: resolveTimeZone(v.time_zone) as string,
    timeZoneName: v.time_zone,
    week,
    holidays: v.holidays.map((h) => ({ name: h.name, startDate: h.start_date, endDate: h.end_date })),
  };
}

/**
 * Zod schema of a schedule in either input form; parses to the normalised {@link Schedule}.
 * Rules (DOMAIN.md §6), each reported at its JSON path: known time zone (IANA or Zendesk/Rails
 * name, the message names the value); exactly one of `intervals`/`weekly`; at least one interval;
 * every interval ends after it starts, never crosses midnight (24:00 / the next day's minute 0 is
 * allowed as an end) and overlaps no other; holiday dates are real dates, end ≥ start.
 */
export const ScheduleSchema = ScheduleInputObjectSchema.superRefine((v, ctx) => {
  for (const issue of scheduleIssues(v)) ctx.addIssue({ code: 'custom', path: issue.path, message: issue.message });
}).transform(normalise);

/** One line per issue: `path: message`, the path in JSON style (`intervals[2].end_time`). */
export function formatIssues(error: z.ZodError, prefix: (string | number)[] = []): string {
  return error.issues
    .map((i) => {
      const path = [...prefix, ...i.path]
        .map((p, k) => (typeof p === 'number' ? `[${p}]` : k === 0 ? String(p) : `.${String(p)}`))
        .join('');
      return `${path || '(schedule)'}: ${i.message}`;
    })
    .join('\n');
}

/**
 * Validates and normalises one schedule (either input form, see {@link ScheduleSchema}).
 * @throws DomainError `invalid_input` listing every problem as `json.path: message`.
 */
export function parseSchedule(input: unknown): Schedule {
  const r = ScheduleSchema.safeParse(input);
  if (!r.success) throw new DomainError('invalid_input', `invalid schedule:\n${formatIssues(r.error)}`);
  return r.data;
}

/**
 * Validates a list of schedules; the first becomes the default (DOMAIN.md §6). Ids must be unique.
 * @throws DomainError `invalid_input` listing every problem as `[index].json.path: message`.
 */
export function parseScheduleBook(input: unknown): ScheduleBook {
  const r = z.array(ScheduleSchema).safeParse(input);
  if (!r.success) throw new DomainError('invalid_input', `invalid schedules:\n${formatIssues(r.error)}`);
  const seen = new Map<string, number>();
  const dupes: string[] = [];
  r.data.forEach((s, i) => {
    const first = seen.get(s.id);
    if (first !== undefined) dupes.push(`[${i}].id: duplicate schedule id "${s.id}" (also [${first}])`);
    else seen.set(s.id, i);
  });
  if (dupes.length) throw new DomainError('invalid_input', `invalid schedules:\n${dupes.join('\n')}`);
  return r.data;
}
