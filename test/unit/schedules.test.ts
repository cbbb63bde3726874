/**
 * Business-hours schedules (domain/schedules): scenarios S6, S7, S15, S16 (shared/scenarios),
 * DOMAIN.md §6 and §9 rule 5, Zendesk's recorded schedules as fixtures, validation messages, and
 * properties. Expected instants are written by hand as ISO times with their offset.
 */
import fs from 'node:fs';
import path from 'node:path';
import fc from 'fast-check';
import { DateTime } from 'luxon';
import { DomainError } from '../../domain/errors';
import * as S from '../../domain/schedules';

const t = (iso: string): number => {
  const ms = Date.parse(iso);
  if (Number.isNaN(ms)) throw new Error(`bad ISO ${iso}`);
  return ms;
};
const iso = (ms: number): string => new Date(ms).toISOString();

const weekdays = (hours: [string, string]) => Object.fromEntries(['mon', 'tue', 'wed', 'thu', 'fri'].map((d) => [d, [hours]]));
const everyDay = (hours: [string, string]) => Object.fromEntries(S.WEEKDAYS.map((d) => [d, [hours]]));

const la = S.parseSchedule({ id: 'la', name: 'Los Angeles', time_zone: 'America/Los_Angeles', weekly: weekdays(['09:00', '18:00']) });
const berlin = S.parseSchedule({ id: 'berlin', name: 'Berlin', time_zone: 'Europe/Berlin', weekly: weekdays(['09:00', '17:00']) });

describe('S6 — business hours across DST and the UTC day boundary', () => {
  test('S6: Los Angeles Mon–Fri 09:00–18:00 — Friday 17:30 PDT (Saturday 00:30Z) is within', () => {
    expect(S.isWithin(la, t('2025-07-12T00:30:00Z'))).toBe(true);
    expect(S.isWithin(la, DateTime.fromISO('2025-07-11T17:30:00', { zone: 'America/Los_Angeles' }))).toBe(true);
    expect(S.isWithin(la, t('2025-07-12T01:00:00Z'))).toBe(false); // Friday 18:00 PDT: closed
    expect(S.isWithin(la, t('2025-07-12T17:00:00Z'))).toBe(false); // Saturday 10:00 PDT: closed
    expect(iso(S.nextOpen(la, t('2025-07-12T01:00:00Z')))).toBe(iso(t('2025-07-14T09:00:00-07:00')));
  });

  test('S6: Los Angeles, both sides of the 2025-03-09 and 2025-11-02 changes', () => {
    // Friday 2025-03-07 is PST (UTC−8), Monday 2025-03-10 is PDT (UTC−7).
    expect(S.isWithin(la, t('2025-03-07T17:00:00Z'))).toBe(true);
    expect(S.isWithin(la, t('2025-03-07T16:59:00Z'))).toBe(false);
    expect(S.isWithin(la, t('2025-03-10T16:00:00Z'))).toBe(true);
    expect(S.isWithin(la, t('2025-03-10T15:59:00Z'))).toBe(false);
    expect(S.isWithin(la, t('2025-03-11T00:59:00Z'))).toBe(true); // Monday 17:59 PDT
    expect(S.isWithin(la, t('2025-03-11T01:00:00Z'))).toBe(false); // Monday 18:00 PDT
    // Friday 2025-10-31 is PDT, Monday 2025-11-03 is PST.
    expect(S.isWithin(la, t('2025-10-31T16:00:00Z'))).toBe(true);
    expect(S.isWithin(la, t('2025-11-03T16:00:00Z'))).toBe(false); // 08:00 PST
    expect(S.isWithin(la, t('2025-11-03T17:00:00Z'))).toBe(true);
  });

  test('S6: Europe/Berlin 09:00–17:00 — 17:30 local on a July day is outside, 16:30 inside', () => {
    expect(S.isWithin(berlin, t('2025-07-15T17:30:00+02:00'))).toBe(false);
    expect(S.isWithin(berlin, t('2025-07-15T15:30:00Z'))).toBe(false);
    expect(S.isWithin(berlin, t('2025-07-15T16:30:00+02:00'))).toBe(true);
  });

  test('S6: Europe/Berlin, both sides of 2025-03-30 (CET → CEST)', () => {
    // Friday 2025-03-28, CET (UTC+1): open 08:00Z–16:00Z.
    expect(S.isWithin(berlin, t('2025-03-28T07:59:59Z'))).toBe(false);
    expect(S.isWithin(berlin, t('2025-03-28T08:00:00Z'))).toBe(true);
    expect(S.isWithin(berlin, t('2025-03-28T15:59:59Z'))).toBe(true);
    expect(S.isWithin(berlin, t('2025-03-28T16:00:00Z'))).toBe(false);
    // Sunday 2025-03-30 (the change) is closed; Monday 2025-03-31, CEST (UTC+2): open 07:00Z–15:00Z.
    expect(S.isWithin(berlin, t('2025-03-30T10:00:00Z'))).toBe(false);
    expect(S.isWithin(berlin, t('2025-03-31T06:59:59Z'))).toBe(false);
    expect(S.isWithin(berlin, t('2025-03-31T07:00:00Z'))).toBe(true);
    expect(S.isWithin(berlin, t('2025-03-31T14:59:59Z'))).toBe(true);
    expect(S.isWithin(berlin, t('2025-03-31T15:00:00Z'))).toBe(false);
    expect(iso(S.nextOpen(berlin, t('2025-03-28T16:00:00Z')))).toBe('2025-03-31T07:00:00.000Z');
    expect(S.businessTimeBetween(berlin, t('2025-03-28T09:00:00+01:00'), t('2025-03-31T17:00:00+02:00'))).toBe(16 * 60);
  });

  test('S6: Europe/Berlin, both sides of 2025-10-26 (CEST → CET)', () => {
    // Friday 2025-10-24, CEST: open 07:00Z–15:00Z.
    expect(S.isWithin(berlin, t('2025-10-24T06:59:59Z'))).toBe(false);
    expect(S.isWithin(berlin, t('2025-10-24T07:00:00Z'))).toBe(true);
    expect(S.isWithin(berlin, t('2025-10-24T15:00:00Z'))).toBe(false);
    // Monday 2025-10-27, CET: open 08:00Z–16:00Z (07:30Z would be open under the summer offset).
    expect(S.isWithin(berlin, t('2025-10-27T07:30:00Z'))).toBe(false);
    expect(S.isWithin(berlin, t('2025-10-27T08:00:00Z'))).toBe(true);
    expect(S.isWithin(berlin, t('2025-10-27T15:59:59Z'))).toBe(true);
    expect(S.isWithin(berlin, t('2025-10-27T16:00:00Z'))).toBe(false);
    expect(iso(S.nextOpen(berlin, t('2025-10-24T15:00:00Z')))).toBe('2025-10-27T08:00:00.000Z');
    expect(S.businessTimeBetween(berlin, t('2025-10-24T09:00:00+02:00'), t('2025-10-27T17:00:00+01:00'))).toBe(16 * 60);
  });

  test('S6/§9.5: wall-clock hours keep their local meaning on the change days themselves', () => {
    const daily = S.parseSchedule({ id: 'd', name: 'daily', time_zone: 'Europe/Berlin', weekly: everyDay(['09:00', '17:00']) });
    expect(S.businessTimeBetween(daily, t('2025-03-30T00:00:00+01:00'), t('2025-03-31T00:00:00+02:00'))).toBe(8 * 60);
    expect(S.businessTimeBetween(daily, t('2025-10-26T00:00:00+02:00'), t('2025-10-27T00:00:00+01:00'))).toBe(8 * 60);
    // An interval spanning the change counts the real time between its wall-clock ends.
    const night = S.parseSchedule({ id: 'n', name: 'night', time_zone: 'Europe/Berlin', weekly: everyDay(['01:00', '05:00']) });
    expect(S.businessTimeBetween(night, t('2025-03-30T00:00:00+01:00'), t('2025-03-31T00:00:00+02:00'))).toBe(3 * 60);
    expect(S.businessTimeBetween(night, t('2025-10-26T00:00:00+02:00'), t('2025-10-27T00:00:00+01:00'))).toBe(5 * 60);
    // Wall times the spring-forward skips move forward by the gap (02:30 → 03:30 CEST).
    const skipped = S.parseSchedule({ id: 'g', name: 'gap', time_zone: 'Europe/Berlin', weekly: { sun: [['02:30', '04:00']] } });
    expect(S.periodsAfter(skipped, t('2025-03-30T00:00:00+01:00'), 1).map((p) => [iso(p.start), iso(p.end)])).toEqual([
      [iso(t('2025-03-30T03:30:00+02:00')), iso(t('2025-03-30T04:00:00+02:00'))],
    ]);
    // Wall times that occur twice open at their first occurrence (02:30 CEST on 2025-10-26).
    const twice = S.parseSchedule({ id: 'a', name: 'ambiguous', time_zone: 'Europe/Berlin', weekly: { sun: [['02:30', '04:00']] } });
    expect(S.periodsAfter(twice, t('2025-10-26T00:00:00+02:00'), 1).map((p) => [iso(p.start), iso(p.end)])).toEqual([
      [iso(t('2025-10-26T02:30:00+02:00')), iso(t('2025-10-26T04:00:00+01:00'))],
    ]);
  });
});

describe('S7 — closing time: intervals are [start, end)', () => {
  test.each([
    ['16:59:59', true],
    ['17:00:00', false],
    ['17:00:01', false],
  ] as const)('S7: Berlin hours ending 17:00 — %s local is within: %s', (clock, expected) => {
    expect(S.isWithin(berlin, t(`2025-07-15T${clock}+02:00`))).toBe(expected);
  });

  test('S7: the same instants against a UTC schedule ending 17:00, and what comes next', () => {
    const utc = S.parseSchedule({ id: 'u', name: 'utc', time_zone: 'UTC', weekly: weekdays(['09:00', '17:00']) });
    expect(S.isWithin(utc, t('2025-07-15T16:59:59Z'))).toBe(true);
    expect(S.isWithin(utc, t('2025-07-15T17:00:00Z'))).toBe(false);
    expect(S.isWithin(utc, t('2025-07-15T17:00:01Z'))).toBe(false);
    expect(S.isWithin(utc, t('2025-07-15T09:00:00Z'))).toBe(true);
    expect(iso(S.nextOpen(utc, t('2025-07-15T17:00:00Z')))).toBe('2025-07-16T09:00:00.000Z');
    expect(iso(S.nextOpen(utc, t('2025-07-15T16:59:59Z')))).toBe('2025-07-15T16:59:59.000Z');
    expect(iso(S.previousClose(utc, t('2025-07-15T17:00:30Z')))).toBe('2025-07-15T17:00:00.000Z');
    expect(S.businessTimeBetween(utc, t('2025-07-15T16:58:00Z'), t('2025-07-15T17:00:30Z'))).toBe(2);
  });
});

describe('S15 — midnight and 24-hour days', () => {
  // The same 24/7 schedule in both input forms: Zendesk week minutes, and the weekly form.
  const zendesk = S.parseSchedule({
    id: 7,
    name: '24/7',
    time_zone: 'Eastern Time (US & Canada)',
    intervals: S.WEEKDAYS.map((_d, i) => ({ start_time: i * 1440, end_time: (i + 1) * 1440 })),
  });
  const weekly = S.parseSchedule({ id: 8, name: '24/7', time_zone: 'America/New_York', weekly: everyDay(['00:00', '24:00']) });

  test('S15: both forms normalise to the same week of true 24 h days', () => {
    expect(zendesk.week).toEqual(weekly.week);
    expect(zendesk.timeZone).toBe('America/New_York');
    expect(zendesk.week.every((d) => d.length === 1 && d[0][0] === 0 && d[0][1] === 1440)).toBe(true);
  });

  test.each([zendesk, weekly])('S15: 23:59:30 is within, and so are midnight and 00:00:30', (s) => {
    expect(S.isWithin(s, t('2025-07-15T23:59:30-04:00'))).toBe(true);
    expect(S.isWithin(s, t('2025-07-16T00:00:00-04:00'))).toBe(true);
    expect(S.isWithin(s, t('2025-07-16T00:00:30-04:00'))).toBe(true);
    expect(iso(S.nextOpen(s, t('2025-07-16T00:00:00-04:00')))).toBe(iso(t('2025-07-16T00:00:00-04:00')));
  });

  test.each([zendesk, weekly])('S15: a business-time duration across midnight loses no minute', (s) => {
    expect(S.businessTimeBetween(s, t('2025-07-15T23:59:00-04:00'), t('2025-07-16T00:01:00-04:00'))).toBe(2);
    expect(S.businessTimeBetween(s, t('2025-07-15T23:59:30-04:00'), t('2025-07-16T00:00:30-04:00'))).toBe(1);
    expect(iso(S.addBusinessTime(s, t('2025-07-15T23:59:00-04:00'), 2))).toBe(iso(t('2025-07-16T00:01:00-04:00')));
    expect(iso(S.addBusinessTime(s, t('2025-07-15T23:59:00-04:00'), 1))).toBe(iso(t('2025-07-16T00:00:00-04:00')));
    expect(iso(S.subtractBusinessTime(s, t('2025-07-16T00:01:00-04:00'), 2))).toBe(iso(t('2025-07-15T23:59:00-04:00')));
    expect(S.businessTimeBetween(s, t('2025-07-14T00:00:00-04:00'), t('2025-07-21T00:00:00-04:00'))).toBe(7 * 1440);
  });

  test('S15: a 24 h day counts its real length on DST change days (23 h, 25 h)', () => {
    expect(S.businessTimeBetween(weekly, t('2025-03-09T00:00:00-05:00'), t('2025-03-10T00:00:00-04:00'))).toBe(23 * 60);
    expect(S.businessTimeBetween(weekly, t('2025-11-02T00:00:00-04:00'), t('2025-11-03T00:00:00-05:00'))).toBe(25 * 60);
    expect(S.isWithin(weekly, t('2025-11-02T01:30:00-05:00'))).toBe(true); // the repeated hour, second time
  });

  test('S15: a 24 h day next to a closed day and a holiday ends exactly at midnight', () => {
    const s = S.parseSchedule({
      id: 9,
      name: 'weekdays 24h',
      time_zone: 'Europe/Berlin',
      weekly: weekdays(['00:00', '24:00']),
      holidays: [{ name: 'Tag der Deutschen Einheit', start_date: '2025-10-03', end_date: '2025-10-03' }],
    });
    expect(S.isWithin(s, t('2025-07-18T23:59:59+02:00'))).toBe(true); // Friday
    expect(S.isWithin(s, t('2025-07-19T00:00:00+02:00'))).toBe(false); // Saturday
    expect(S.isWithin(s, t('2025-10-02T23:59:59+02:00'))).toBe(true);
    expect(S.isWithin(s, t('2025-10-03T00:00:00+02:00'))).toBe(false); // holiday, whole local day
    expect(S.isWithin(s, t('2025-10-03T23:59:59+02:00'))).toBe(false);
    expect(iso(S.nextOpen(s, t('2025-10-03T12:00:00+02:00')))).toBe(iso(t('2025-10-06T00:00:00+02:00')));
    expect(iso(S.addBusinessTime(s, t('2025-07-18T23:00:00+02:00'), 120))).toBe(iso(t('2025-07-21T01:00:00+02:00')));
  });
});

describe('S16 — timed actions in the schedule zone', () => {
  test.each([
    ['a summer week', '2025-07-18T15:00:00+02:00', '2025-07-21T15:00:00+02:00'],
    ['the 2025-03-30 change weekend', '2025-03-28T15:00:00+01:00', '2025-03-31T15:00:00+02:00'],
    ['the 2025-10-26 change weekend', '2025-10-24T15:00:00+02:00', '2025-10-27T15:00:00+01:00'],
  ])('S16: 8 business hours after Friday 15:00 Berlin fire Monday 15:00 Berlin (%s)', (_w, from, to) => {
    const due = S.addBusinessTime(berlin, t(from), 8 * 60);
    expect(iso(due)).toBe(iso(t(to)));
    const local = DateTime.fromMillis(due, { zone: 'Europe/Berlin' });
    expect(local.weekday).toBe(1); // Monday, not Sunday
    expect(local.toFormat('HH:mm')).toBe('15:00'); // not midnight
    expect(S.businessTimeBetween(berlin, t(from), due)).toBe(8 * 60);
  });

  test('S16: a Monday holiday moves the reminder to Tuesday 15:00; subtracting goes back to Friday', () => {
    const withHoliday = S.parseSchedule({
      id: 'bh',
      name: 'Berlin',
      time_zone: 'Europe/Berlin',
      weekly: weekdays(['09:00', '17:00']),
      holidays: [{ name: 'Pfingstmontag', start_date: '2025-06-09', end_date: '2025-06-09' }],
    });
    expect(iso(S.addBusinessTime(withHoliday, t('2025-06-06T15:00:00+02:00'), 480))).toBe(iso(t('2025-06-10T15:00:00+02:00')));
    expect(iso(S.addBusinessTime(withHoliday, t('2025-06-10T15:00:00+02:00'), -480))).toBe(iso(t('2025-06-06T15:00:00+02:00')));
  });

  test('S16: a duration used up exactly at closing lands on the next opening (default) or at the close', () => {
    const from = t('2025-07-18T15:00:00+02:00');
    expect(iso(S.addBusinessTime(berlin, from, 120))).toBe(iso(t('2025-07-21T09:00:00+02:00')));
    expect(iso(S.addBusinessTime(berlin, from, 120, { skipClosedTime: false }))).toBe(iso(t('2025-07-18T17:00:00+02:00')));
    expect(iso(S.addBusinessTime(berlin, t('2025-07-19T12:00:00+02:00'), 0))).toBe(iso(t('2025-07-21T09:00:00+02:00')));
    expect(S.addBusinessTime(berlin, t('2025-07-19T12:00:00+02:00'), 0, { skipClosedTime: false })).toBe(t('2025-07-19T12:00:00+02:00'));
  });
});

describe('Zendesk schedules recorded from a real account (salto myBrand mock replies)', () => {
  const file = path.resolve(__dirname, '../../../shared/data/zendesk-triggers/salto_mybrand_schedules_slas.json');
  const data = JSON.parse(fs.readFileSync(file, 'utf8')) as {
    schedules: Array<Record<string, unknown> & { id: number }>;
    holidays: Record<string, { holidays: unknown[] }>;
  };
  const book = S.parseScheduleBook(data.schedules.map((s) => ({ ...s, holidays: data.holidays[String(s.id)]?.holidays ?? [] })));
  const [first, second, third] = book;

  test('every schedule parses, in Chicago time, with its holidays', () => {
    expect(book.map((s) => [s.id, s.name, s.timeZone, s.holidays.length])).toEqual([
      ['1900000004365', 'New schedule', 'America/Chicago', 1],
      ['1500001036042', 'Schedule 2', 'America/Chicago', 0],
      ['1500001035461', 'Schedule 3', 'America/Chicago', 1],
    ]);
    expect(first.timeZoneName).toBe('Central Time (US & Canada)');
    // Mon–Thu 09:00–17:00; Friday 08:30–16:30 in "New schedule", 09:00–17:00 in the others.
    expect(first.week).toEqual([[], [[540, 1020]], [[540, 1020]], [[540, 1020]], [[540, 1020]], [[510, 990]], []]);
    expect(second.week[5]).toEqual([[540, 1020]]);
  });

  test('the first schedule is the default; scheduleFor picks by id (numeric or text)', () => {
    expect(S.scheduleFor(book)?.id).toBe('1900000004365');
    expect(S.scheduleFor(book, 1500001035461)?.name).toBe('Schedule 3');
    expect(S.scheduleFor(book, '1500001036042')?.name).toBe('Schedule 2');
    expect(S.scheduleFor(book, 'deleted-schedule')?.id).toBe('1900000004365');
    expect(S.scheduleFor([], 'x')).toBeUndefined();
  });

  test('isWithin spot checks (computed by hand)', () => {
    // Friday 2021-12-17 08:45 CST (14:45Z): "New schedule" opens 08:30, the others 09:00.
    expect(S.isWithin(first, t('2021-12-17T14:45:00Z'))).toBe(true);
    expect(S.isWithin(second, t('2021-12-17T14:45:00Z'))).toBe(false);
    expect(S.isWithin(first, t('2021-12-17T22:30:00Z'))).toBe(false); // 16:30 CST, closed
    expect(S.isWithin(second, t('2021-12-17T22:30:00Z'))).toBe(true);
    // Holiday1 2021-12-19..20 (Sunday–Monday): Monday 10:00 CST closed in "New schedule" only.
    expect(S.isWithin(first, t('2021-12-20T16:00:00Z'))).toBe(false);
    expect(S.isWithin(second, t('2021-12-20T16:00:00Z'))).toBe(true);
    expect(S.isWithin(first, t('2021-12-21T16:00:00Z'))).toBe(true);
    // Holi2 2021-12-22 (Wednesday) closes "Schedule 3".
    expect(S.isWithin(third, t('2021-12-22T16:00:00Z'))).toBe(false);
    expect(S.isWithin(second, t('2021-12-22T16:00:00Z'))).toBe(true);
    // Summer (CDT, UTC−5): Monday 2021-08-09 opens 14:00Z.
    expect(S.isWithin(second, t('2021-08-09T13:59:00Z'))).toBe(false);
    expect(S.isWithin(second, t('2021-08-09T14:00:00Z'))).toBe(true);
    expect(S.isWithin(second, t('2021-08-09T21:59:00Z'))).toBe(true);
    expect(S.isWithin(second, t('2021-08-09T22:00:00Z'))).toBe(false);
  });

  test('business time across the holiday: Friday 16:00 CST to Tuesday 10:00 CST is 1.5 h in "New schedule"', () => {
    // Friday 16:00–16:30, Monday is a holiday, Tuesday 09:00–10:00.
    expect(S.businessTimeBetween(first, t('2021-12-17T16:00:00-06:00'), t('2021-12-21T10:00:00-06:00'))).toBe(90);
    expect(S.businessTimeBetween(second, t('2021-12-17T16:00:00-06:00'), t('2021-12-21T10:00:00-06:00'))).toBe(60 + 480 + 60);
  });
});

describe('validation: clear messages with JSON paths', () => {
  const base = { id: 1, name: 'x', time_zone: 'Europe/Berlin' };
  const problems = (input: unknown): string => {
    try {
      S.parseSchedule(input);
    } catch (e) {
      expect(e).toBeInstanceOf(DomainError);
      expect((e as DomainError).code).toBe('invalid_input');
      return (e as Error).message;
    }
    throw new Error('expected a validation error');
  };

  test('an unknown time zone is rejected, naming the value', () => {
    expect(problems({ ...base, time_zone: 'Mars/Olympus_Mons', weekly: { mon: [['09:00', '17:00']] } })).toMatch(
      /time_zone: unknown time zone "Mars\/Olympus_Mons"/,
    );
    expect(problems({ ...base, time_zone: 'Pacific Time', weekly: { mon: [['09:00', '17:00']] } })).toMatch(/"Pacific Time"/);
  });

  test('Zendesk/Rails names and IANA names (any case) are accepted', () => {
    for (const [name, zone] of [
      ['Pacific Time (US & Canada)', 'America/Los_Angeles'],
      ['Central Time (US & Canada)', 'America/Chicago'],
      ['Eastern Time (US & Canada)', 'America/New_York'],
      ['London', 'Europe/London'],
      ['Berlin', 'Europe/Berlin'],
      ['Tokyo', 'Asia/Tokyo'],
      ['europe/berlin', 'Europe/Berlin'],
      ['Australia/Sydney', 'Australia/Sydney'],
    ]) {
      expect(S.parseSchedule({ ...base, time_zone: name, weekly: { mon: [['09:00', '17:00']] } }).timeZone).toBe(zone);
    }
  });

  test('every Rails/Zendesk name maps to a zone the runtime knows', () => {
    const unknown = Object.entries(S.RAILS_TIME_ZONES).filter(([name]) => S.resolveTimeZone(name) === null);
    expect(unknown).toEqual([]);
  });

  test('overlapping intervals, crossing midnight, end before start, start at 24:00', () => {
    expect(
      problems({
        ...base,
        intervals: [
          { start_time: 1980, end_time: 2460 },
          { start_time: 2400, end_time: 2500 },
          { start_time: 2800, end_time: 2900 },
          { start_time: 3000, end_time: 3000 },
        ],
      }),
    ).toBe(
      [
        'invalid schedule:',
        'intervals[2].end_time: interval 2800–2900 (mon 22:40 → tue 00:20) crosses midnight: end it at 2880 (24:00) and start the next day at 2880 (00:00)',
        'intervals[3].end_time: end_time 3000 must be after start_time 3000',
        'intervals[1]: interval mon 16:00–17:40 overlaps intervals[0] (mon 09:00–17:00)',
      ].join('\n'),
    );
    expect(problems({ ...base, weekly: { tue: [['09:00', '12:00'], ['11:00', '13:00']], wed: [['22:00', '02:00']], thu: [['24:00', '24:00']] } })).toBe(
      [
        'invalid schedule:',
        'weekly.tue[1]: tue 11:00–13:00 overlaps tue[0] (09:00–12:00)',
        'weekly.wed[0][1]: closing time 02:00 must be after opening time 22:00 (intervals never cross midnight: use 24:00 and open the next day at 00:00)',
        'weekly.thu[0][0]: 24:00 is only allowed as a closing time',
      ].join('\n'),
    );
  });

  test('both forms, neither form, bad holidays, unknown keys', () => {
    expect(problems({ ...base, weekly: { mon: [['09:00', '17:00']] }, intervals: [{ start_time: 1980, end_time: 2460 }] })).toMatch(/weekly: give either/);
    expect(problems({ ...base })).toMatch(/intervals: a schedule needs "intervals" \(Zendesk form\) or "weekly" hours/);
    expect(problems({ ...base, intervals: [] })).toMatch(/intervals: a schedule needs at least one open interval/);
    expect(
      problems({
        ...base,
        weekly: { mon: [['09:00', '17:00']] },
        holidays: [
          { name: 'bad', start_date: '2025-02-30', end_date: '2025-03-01' },
          { name: 'reversed', start_date: '2025-12-26', end_date: '2025-12-24' },
        ],
      }),
    ).toBe(
      [
        'invalid schedule:',
        'holidays[0].start_date: not a date: "2025-02-30" (expected YYYY-MM-DD)',
        'holidays[1].end_date: end_date 2025-12-24 is before start_date 2025-12-26',
      ].join('\n'),
    );
    expect(problems({ ...base, weekly: { monday: [['09:00', '17:00']] } })).toMatch(/weekly: Unrecognized key: "monday"/);
  });

  test('holiday ranges are inclusive whole local days', () => {
    const s = S.parseSchedule({
      ...base,
      weekly: everyDay(['00:00', '24:00']),
      holidays: [{ id: 1, name: 'Weihnachten', start_date: '2025-12-24', end_date: '2025-12-26' }],
    });
    expect(S.isWithin(s, t('2025-12-23T23:59:59+01:00'))).toBe(true);
    expect(S.isWithin(s, t('2025-12-24T00:00:00+01:00'))).toBe(false);
    expect(S.isWithin(s, t('2025-12-26T23:59:59+01:00'))).toBe(false);
    expect(S.isWithin(s, t('2025-12-27T00:00:00+01:00'))).toBe(true);
    expect(S.businessTimeBetween(s, t('2025-12-23T00:00:00+01:00'), t('2025-12-28T00:00:00+01:00'))).toBe(2 * 1440);
  });

  test('duplicate ids in a book are rejected; bad instants and durations throw invalid_input', () => {
    const one = { ...base, weekly: { mon: [['09:00', '17:00']] } };
    expect(() => S.parseScheduleBook([one, { ...one, id: '1' }])).toThrow(/\[1\]\.id: duplicate schedule id "1"/);
    expect(() => S.parseScheduleBook([one, { ...one, id: 2, time_zone: 'Nope' }])).toThrow(/\[1\]\.time_zone: unknown time zone "Nope"/);
    const s = S.parseSchedule(one);
    expect(() => S.isWithin(s, Number.NaN)).toThrow(DomainError);
    expect(() => S.isWithin(s, DateTime.invalid('nope'))).toThrow(/not a valid instant/);
    expect(() => S.addBusinessTime(s, 0, Number.POSITIVE_INFINITY)).toThrow(/finite/);
    expect(() => S.subtractBusinessTime(s, 0, -1)).toThrow(/≥ 0/);
  });

  test('a schedule closed by holidays for more than the search horizon reports it', () => {
    const s = S.parseSchedule({ ...base, weekly: { mon: [['09:00', '17:00']] }, holidays: [{ name: 'forever', start_date: '2025-01-01', end_date: '2040-12-31' }] });
    expect(() => S.nextOpen(s, t('2025-06-01T00:00:00Z'))).toThrow(/no business hours within 3660 days after 2025-06-01/);
    expect(S.isWithin(s, t('2025-06-02T10:00:00+02:00'))).toBe(false);
  });
});

describe('properties', () => {
  const zones = ['Europe/Berlin', 'America/Los_Angeles', 'America/Sao_Paulo', 'Australia/Lord_Howe', 'Asia/Kolkata', 'UTC'];
  const hhmm = (m: number) => S.clockText(m);
  /** Random valid weekly hours: per day up to 3 disjoint intervals on a 15-minute grid. */
  const arbSchedule = fc
    .record({
      zone: fc.constantFrom(...zones),
      days: fc.array(fc.uniqueArray(fc.integer({ min: 0, max: 96 }), { minLength: 0, maxLength: 6 }), { minLength: 7, maxLength: 7 }),
      holiday: fc.option(fc.integer({ min: 0, max: 400 }), { nil: undefined }),
    })
    .filter((r) => r.days.some((d) => d.length >= 2))
    .map((r) => {
      const weekly: Record<string, Array<[string, string]>> = {};
      r.days.forEach((cuts, i) => {
        const sorted = [...cuts].sort((a, b) => a - b);
        const list: Array<[string, string]> = [];
        for (let k = 0; k + 1 < sorted.length; k += 2) list.push([hhmm(sorted[k] * 15), hhmm(sorted[k + 1] * 15)]);
        if (list.length) weekly[S.WEEKDAYS[i]] = list;
      });
      const holidays =
        r.holiday === undefined ? [] : [{ name: 'h', start_date: S.isoDateOf(20089 + r.holiday), end_date: S.isoDateOf(20089 + r.holiday + 2) }];
      return S.parseSchedule({ id: 'p', name: 'prop', time_zone: r.zone, weekly, holidays });
    });
  // 2025-01-01 .. 2026-12-31, second precision.
  const arbInstant = fc.integer({ min: Date.UTC(2025, 0, 1) / 1000, max: Date.UTC(2026, 11, 31) / 1000 }).map((s) => s * 1000);

  /** A schedule and an instant, half of them within a second of a 15-minute wall-clock boundary. */
  const arbCase = arbSchedule.chain((s) =>
    fc.tuple(
      fc.constant(s),
      fc.oneof(
        arbInstant,
        fc
          .record({ day: fc.integer({ min: 0, max: 729 }), q: fc.integer({ min: 0, max: 95 }), d: fc.integer({ min: -1, max: 1 }) })
          .map(({ day, q, d }) =>
            DateTime.fromObject({ year: 2025, month: 1, day: 1 }, { zone: s.timeZone })
              .plus({ days: day })
              .set({ hour: Math.floor(q / 4), minute: (q % 4) * 15 })
              .toMillis() + d * 1000,
          ),
      ),
    ),
  );

  test('away from DST changes, isWithin is the plain wall-clock rule (reference computed with luxon)', () => {
    fc.assert(
      fc.property(arbCase, ([s, at]) => {
        const local = DateTime.fromMillis(at, { zone: s.timeZone });
        const midnight = local.startOf('day');
        const nextMidnight = midnight.plus({ days: 1 });
        fc.pre(midnight.offset === nextMidnight.offset && nextMidnight.toMillis() - midnight.toMillis() === 86_400_000);
        const minute = local.hour * 60 + local.minute + local.second / 60;
        const date = local.toISODate() as string;
        const holiday = s.holidays.some((h) => h.startDate <= date && date <= h.endDate);
        const expected = !holiday && s.week[local.weekday % 7].some(([a, b]) => a <= minute && minute < b);
        expect(S.isWithin(s, at)).toBe(expected);
        expect(S.isHoliday(s, at)).toBe(holiday);
      }),
      { numRuns: 1000 },
    );
  });

  test('isWithin(nextOpen(t)) holds, and nothing between t and nextOpen(t) is open', () => {
    fc.assert(
      fc.property(arbCase, ([s, at]) => {
        const open = S.nextOpen(s, at);
        expect(open).toBeGreaterThanOrEqual(at);
        expect(S.isWithin(s, open)).toBe(true);
        expect(S.businessTimeBetween(s, at, open)).toBe(0);
        if (S.isWithin(s, at)) expect(open).toBe(at);
      }),
      { numRuns: 300 },
    );
  });

  test('addBusinessTime then businessTimeBetween round-trips (forward and backward), and lands open', () => {
    fc.assert(
      fc.property(arbCase, fc.integer({ min: 0, max: 5000 }), ([s, at], minutes) => {
        const later = S.addBusinessTime(s, at, minutes);
        expect(S.businessTimeBetween(s, at, later)).toBe(minutes);
        expect(S.isWithin(s, later)).toBe(true);
        const exact = S.addBusinessTime(s, at, minutes, { skipClosedTime: false });
        expect(S.businessTimeBetween(s, at, exact)).toBe(minutes);
        expect(exact).toBeLessThanOrEqual(later);
        const earlier = S.addBusinessTime(s, at, -minutes);
        expect(S.businessTimeBetween(s, earlier, at)).toBe(minutes);
      }),
      { numRuns: 200 },
    );
  });

  test('businessTimeBetween is additive over a split point', () => {
    fc.assert(
      fc.property(arbSchedule, arbInstant, arbInstant, arbInstant, (s, x, y, z) => {
        const [a, b, c] = [x, y, z].sort((p, q) => p - q);
        expect(S.businessTimeBetween(s, a, b) + S.businessTimeBetween(s, b, c)).toBeCloseTo(S.businessTimeBetween(s, a, c), 9);
      }),
      { numRuns: 100 },
    );
  });
});
