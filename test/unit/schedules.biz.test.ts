/**
 * Conformance with the public `zendesk/biz` Ruby gem (the business-hours library behind Zendesk's
 * schedules): the concrete cases of its spec suite (schedule + instant → expected result) that fit
 * Parley's model (weekly hours, holidays, time zones, DST, add/subtract business time, duration
 * between), restated as a table. Each row names the spec file and context it comes from.
 *
 * Not ported: shifts and breaks (date-specific hours; Parley has neither), business-*day*
 * arithmetic (`time(n, :days)`, `dates`), schedule intersection (`&`), the synthetic
 * timeline specs (periods that are not weekly hours), intervals crossing midnight (DOMAIN.md §6
 * forbids them), `HH:MM:SS` hours (Parley is minute-precise like Zendesk), and Ruby type checks.
 * Cases on dates that carry a shift or break in the spec's fixture are left out unless that shift
 * or break cannot touch the result (noted on the row).
 */
import * as S from '../../domain/schedules';

/** `Time.utc(y, m, d, h, mi, s)` → epoch ms. */
const utc = (y: number, m: number, d: number, h = 0, mi = 0, s = 0): number => Date.UTC(y, m - 1, d, h, mi, s);
/** An ISO instant with an explicit offset (for specs that place times in a zone) → epoch ms. */
const at = (iso: string): number => {
  const ms = Date.parse(iso);
  if (Number.isNaN(ms)) throw new Error(`bad ISO ${iso}`);
  return ms;
};

type Hours = Partial<Record<S.Weekday, Array<[string, string]>>>;

/** The hours of biz's spec helper `schedule` (spec/support/time.rb). */
const BIZ_HOURS: Hours = {
  mon: [['09:00', '17:00']],
  tue: [['10:00', '16:00']],
  wed: [['09:00', '17:00']],
  thu: [['10:00', '16:00']],
  fri: [['09:00', '17:00']],
  sat: [['11:00', '14:30']],
};

function biz(opts: { hours?: Hours; holidays?: string[]; timeZone?: string } = {}): S.Schedule {
  return S.parseSchedule({
    id: 'biz',
    name: 'biz spec schedule',
    time_zone: opts.timeZone ?? 'Etc/UTC',
    weekly: opts.hours ?? BIZ_HOURS,
    holidays: (opts.holidays ?? []).map((d) => ({ name: d, start_date: d, end_date: d })),
  });
}

type P = [start: number, end: number];

type Check =
  | { isWithin: number; expected: boolean }
  | { isHoliday: number; expected: boolean }
  | { add: number; minutes: number; expected: number }
  | { subtract: number; minutes: number; expected: number }
  | { between: [number, number]; expected: number }
  | { periodsAfter: number; count: number; expected: P[] }
  | { periodsBefore: number; count: number; expected: P[] }
  | { periodsBetween: [number, number]; expected: P[] };

interface Case {
  spec: string;
  context: string;
  schedule: () => S.Schedule;
  check: Check;
}

const activeSched = () => biz({ holidays: ['2006-01-04', '2006-01-11'] });
const holidaySched = () => biz({ holidays: ['2006-01-04'] });
const laHoliday = () => biz({ holidays: ['2010-07-15'], timeZone: 'America/Los_Angeles' });
const defaultSched = () => biz();
const scheduleSpecSched = () => biz({ holidays: ['2006-01-01', '2006-12-25'] });
const bizSpecSched = () => biz({ hours: { sun: [['11:00', '12:00']] }, holidays: ['2015-12-25'], timeZone: 'Africa/Abidjan' });
const periodsSched = () => biz({ holidays: ['2006-01-16', '2006-01-18'] });
const laMon = () => biz({ hours: { mon: [['09:00', '17:00']] }, timeZone: 'America/Los_Angeles' });

const CASES: Case[] = [
  // spec/calculation/active_spec.rb (holidays 2006-01-04, 2006-01-11; its shifts/breaks fall on other dates)
  { spec: 'calculation/active_spec.rb', context: 'contained neither by an interval nor a shift, no break or holiday', schedule: activeSched, check: { isWithin: utc(2006, 1, 1, 6), expected: false } },
  { spec: 'calculation/active_spec.rb', context: 'not contained by an interval, during a holiday', schedule: activeSched, check: { isWithin: utc(2006, 1, 4, 6), expected: false } },
  { spec: 'calculation/active_spec.rb', context: 'contained by an interval, neither break nor holiday', schedule: activeSched, check: { isWithin: utc(2006, 1, 2, 12), expected: true } },
  { spec: 'calculation/active_spec.rb', context: 'contained by an interval, during a holiday', schedule: activeSched, check: { isWithin: utc(2006, 1, 4, 12), expected: false } },

  // spec/calculation/on_holiday_spec.rb
  { spec: 'calculation/on_holiday_spec.rb', context: 'at the beginning of a holiday', schedule: holidaySched, check: { isHoliday: utc(2006, 1, 4, 0), expected: true } },
  { spec: 'calculation/on_holiday_spec.rb', context: 'in the middle of a holiday', schedule: holidaySched, check: { isHoliday: utc(2006, 1, 4, 12), expected: true } },
  { spec: 'calculation/on_holiday_spec.rb', context: 'at the end of a holiday (24:00)', schedule: holidaySched, check: { isHoliday: utc(2006, 1, 5, 0), expected: false } },
  { spec: 'calculation/on_holiday_spec.rb', context: 'not during a holiday', schedule: holidaySched, check: { isHoliday: utc(2006, 1, 5, 12), expected: false } },

  // spec/holiday_spec.rb (holiday 2010-07-15 in America/Los_Angeles, instants given in New York time)
  { spec: 'holiday_spec.rb', context: 'contains? before the holiday', schedule: laHoliday, check: { isHoliday: at('2010-07-15T02:00:00-04:00'), expected: false } },
  { spec: 'holiday_spec.rb', context: 'contains? at the beginning of the holiday', schedule: laHoliday, check: { isHoliday: at('2010-07-15T03:00:00-04:00'), expected: true } },
  { spec: 'holiday_spec.rb', context: 'contains? within the holiday', schedule: laHoliday, check: { isHoliday: at('2010-07-15T15:00:00-04:00'), expected: true } },
  { spec: 'holiday_spec.rb', context: 'contains? at the end of the holiday', schedule: laHoliday, check: { isHoliday: at('2010-07-16T03:00:00-04:00'), expected: false } },
  { spec: 'holiday_spec.rb', context: 'contains? after the holiday', schedule: laHoliday, check: { isHoliday: at('2010-07-16T04:00:00-04:00'), expected: false } },

  // spec/calculation/for_duration_spec.rb (the "scalar is zero" contexts repeat per unit with the same inputs: ported once)
  { spec: 'calculation/for_duration_spec.rb', context: 'seconds(90).before', schedule: defaultSched, check: { subtract: utc(2006, 1, 4, 16, 1, 30), minutes: 1.5, expected: utc(2006, 1, 4, 16) } },
  { spec: 'calculation/for_duration_spec.rb', context: 'seconds(90).after', schedule: defaultSched, check: { add: utc(2006, 1, 4, 15, 58, 30), minutes: 1.5, expected: utc(2006, 1, 4, 16) } },
  { spec: 'calculation/for_duration_spec.rb', context: 'zero scalar before: first active moment backward', schedule: defaultSched, check: { subtract: utc(2006, 1, 3), minutes: 0, expected: utc(2006, 1, 2, 17) } },
  { spec: 'calculation/for_duration_spec.rb', context: 'zero scalar after: first active moment forward', schedule: defaultSched, check: { add: utc(2006, 1, 3), minutes: 0, expected: utc(2006, 1, 3, 10) } },
  { spec: 'calculation/for_duration_spec.rb', context: 'minutes(90).before', schedule: defaultSched, check: { subtract: utc(2006, 1, 4, 16, 30), minutes: 90, expected: utc(2006, 1, 4, 15) } },
  { spec: 'calculation/for_duration_spec.rb', context: 'minutes(90).after', schedule: defaultSched, check: { add: utc(2006, 1, 4, 14, 30), minutes: 90, expected: utc(2006, 1, 4, 16) } },
  { spec: 'calculation/for_duration_spec.rb', context: 'hours(3).before', schedule: defaultSched, check: { subtract: utc(2006, 1, 4, 17), minutes: 180, expected: utc(2006, 1, 4, 14) } },
  { spec: 'calculation/for_duration_spec.rb', context: 'hours(3).after', schedule: defaultSched, check: { add: utc(2006, 1, 4, 13), minutes: 180, expected: utc(2006, 1, 4, 16) } },
  { spec: 'calculation/for_duration_spec.rb', context: 'with_unit(1, :hour).after 2006-01-02 10:00', schedule: defaultSched, check: { add: utc(2006, 1, 2, 10), minutes: 60, expected: utc(2006, 1, 2, 11) } },

  // spec/calculation/duration_within_spec.rb
  { spec: 'calculation/duration_within_spec.rb', context: 'start after end: zero', schedule: defaultSched, check: { between: [utc(2006, 1, 8), utc(2006, 1, 1)], expected: 0 } },
  { spec: 'calculation/duration_within_spec.rb', context: 'start equal to end: zero', schedule: defaultSched, check: { between: [utc(2006, 1, 1), utc(2006, 1, 1)], expected: 0 } },
  { spec: 'calculation/duration_within_spec.rb', context: 'start before end: 39.5 hours', schedule: defaultSched, check: { between: [utc(2006, 1, 1), utc(2006, 1, 8)], expected: 39.5 * 60 } },

  // spec/schedule_spec.rb (holidays 2006-01-01, 2006-12-25; its breaks 2006-01-02 10:00–11:30 and
  // 2006-01-03 afternoon do not touch these instants)
  { spec: 'schedule_spec.rb', context: '#periods with hours mon 01:00–02:00', schedule: () => biz({ hours: { mon: [['01:00', '02:00']] }, holidays: ['2006-01-01', '2006-12-25'] }), check: { periodsAfter: utc(2006, 1, 1), count: 1, expected: [[utc(2006, 1, 2, 1), utc(2006, 1, 2, 2)]] } },
  { spec: 'schedule_spec.rb', context: '#time(30, :minutes).after', schedule: scheduleSpecSched, check: { add: utc(2006, 1, 2, 9), minutes: 30, expected: utc(2006, 1, 2, 9, 30) } },
  { spec: 'schedule_spec.rb', context: '#within Thursday noon to Friday noon', schedule: scheduleSpecSched, check: { between: [utc(2006, 1, 5, 12), utc(2006, 1, 6, 12)], expected: 7 * 60 } },
  { spec: 'schedule_spec.rb', context: '#in_hours? / #business_hours? not in hours', schedule: scheduleSpecSched, check: { isWithin: utc(2006, 1, 2, 8), expected: false } },
  { spec: 'schedule_spec.rb', context: '#in_hours? / #business_hours? in hours', schedule: scheduleSpecSched, check: { isWithin: utc(2006, 1, 2, 12), expected: true } },
  { spec: 'schedule_spec.rb', context: '#on_holiday? during a holiday', schedule: scheduleSpecSched, check: { isHoliday: utc(2006, 12, 25, 12), expected: true } },
  { spec: 'schedule_spec.rb', context: '#on_holiday? not during a holiday', schedule: scheduleSpecSched, check: { isHoliday: utc(2006, 12, 26, 12), expected: false } },

  // spec/biz_spec.rb (hours sun 11:00–12:00, holiday 2015-12-25, Africa/Abidjan)
  { spec: 'biz_spec.rb', context: '.periods', schedule: bizSpecSched, check: { periodsAfter: utc(2006, 1, 1), count: 1, expected: [[utc(2006, 1, 1, 11), utc(2006, 1, 1, 12)]] } },
  {
    spec: 'biz_spec.rb',
    context: '.time(2, :hours).after: a duration used up exactly at closing lands on the next opening',
    schedule: bizSpecSched,
    check: { add: utc(2006, 1, 1), minutes: 120, expected: utc(2006, 1, 15, 11) },
  },
  { spec: 'biz_spec.rb', context: '.within one week', schedule: bizSpecSched, check: { between: [utc(2006, 1, 1, 11, 30), utc(2006, 1, 8, 11, 30)], expected: 60 } },
  { spec: 'biz_spec.rb', context: '.in_hours? at the opening instant', schedule: bizSpecSched, check: { isWithin: utc(2006, 1, 1, 11), expected: true } },
  { spec: 'biz_spec.rb', context: '.on_holiday?', schedule: bizSpecSched, check: { isHoliday: utc(2015, 12, 25, 12), expected: true } },

  // spec/periods/after_spec.rb (holidays 2006-01-16, 2006-01-18; its shifts fall on 2005-12-31, 01-04, 01-06)
  { spec: 'periods/after_spec.rb', context: 'origin outside a period: a full period first', schedule: periodsSched, check: { periodsAfter: utc(2006, 1, 1), count: 1, expected: [[utc(2006, 1, 2, 9), utc(2006, 1, 2, 17)]] } },
  { spec: 'periods/after_spec.rb', context: 'origin inside a period: a partial period first', schedule: periodsSched, check: { periodsAfter: utc(2006, 1, 2, 12), count: 1, expected: [[utc(2006, 1, 2, 12), utc(2006, 1, 2, 17)]] } },
  {
    spec: 'periods/after_spec.rb',
    context: 'a period during a holiday is skipped',
    schedule: periodsSched,
    check: { periodsAfter: utc(2006, 1, 14), count: 2, expected: [[utc(2006, 1, 14, 11), utc(2006, 1, 14, 14, 30)], [utc(2006, 1, 17, 10), utc(2006, 1, 17, 16)]] },
  },
  {
    spec: 'periods/after_spec.rb',
    context: 'periods during several holidays are skipped',
    schedule: periodsSched,
    check: {
      periodsAfter: utc(2006, 1, 14),
      count: 3,
      expected: [[utc(2006, 1, 14, 11), utc(2006, 1, 14, 14, 30)], [utc(2006, 1, 17, 10), utc(2006, 1, 17, 16)], [utc(2006, 1, 19, 10), utc(2006, 1, 19, 16)]],
    },
  },
  {
    spec: 'periods/after_spec.rb',
    context: 'origin near the beginning of the (UTC) week includes the local Saturday interval',
    schedule: () => biz({ hours: { sat: [['06:00', '18:00']] }, timeZone: 'America/Los_Angeles' }),
    check: { periodsAfter: at('2006-01-07T17:00:00-08:00'), count: 1, expected: [[at('2006-01-07T17:00:00-08:00'), at('2006-01-07T18:00:00-08:00')]] },
  },
  {
    spec: 'periods/after_spec.rb',
    context: 'an interval emptied by the spring-forward gap (sun 02:30–03:15 on 2006-04-02) is skipped',
    schedule: () => biz({ hours: { sun: [['02:30', '03:15']], mon: [['09:00', '17:00']] }, timeZone: 'America/Los_Angeles' }),
    check: { periodsAfter: at('2006-04-02T00:00:00-08:00'), count: 1, expected: [[at('2006-04-03T09:00:00-07:00'), at('2006-04-03T17:00:00-07:00')]] },
  },
  {
    spec: 'periods/after_spec.rb',
    context: '#timeline until 2006-01-04',
    schedule: periodsSched,
    check: { periodsBetween: [utc(2006, 1, 1), utc(2006, 1, 4)], expected: [[utc(2006, 1, 2, 9), utc(2006, 1, 2, 17)], [utc(2006, 1, 3, 10), utc(2006, 1, 3, 16)]] },
  },

  // spec/periods/before_spec.rb (holidays 2006-01-16, 2006-01-18; its shifts fall on 01-04, 01-05, 01-31)
  { spec: 'periods/before_spec.rb', context: 'origin outside a period: a full period first', schedule: periodsSched, check: { periodsBefore: utc(2006, 1, 3), count: 1, expected: [[utc(2006, 1, 2, 9), utc(2006, 1, 2, 17)]] } },
  { spec: 'periods/before_spec.rb', context: 'origin inside a period: a partial period first', schedule: periodsSched, check: { periodsBefore: utc(2006, 1, 2, 12), count: 1, expected: [[utc(2006, 1, 2, 9), utc(2006, 1, 2, 12)]] } },
  {
    spec: 'periods/before_spec.rb',
    context: 'a period during a holiday is skipped',
    schedule: periodsSched,
    check: { periodsBefore: utc(2006, 1, 18), count: 2, expected: [[utc(2006, 1, 17, 10), utc(2006, 1, 17, 16)], [utc(2006, 1, 14, 11), utc(2006, 1, 14, 14, 30)]] },
  },
  {
    spec: 'periods/before_spec.rb',
    context: 'periods during several holidays are skipped',
    schedule: periodsSched,
    check: {
      periodsBefore: utc(2006, 1, 20),
      count: 3,
      expected: [[utc(2006, 1, 19, 10), utc(2006, 1, 19, 16)], [utc(2006, 1, 17, 10), utc(2006, 1, 17, 16)], [utc(2006, 1, 14, 11), utc(2006, 1, 14, 14, 30)]],
    },
  },
  {
    spec: 'periods/before_spec.rb',
    context: 'origin near the end of the (UTC) week includes the local Sunday interval (Asia/Brunei)',
    schedule: () => biz({ hours: { sun: [['06:00', '18:00']] }, timeZone: 'Asia/Brunei' }),
    check: { periodsBefore: at('2006-01-08T07:00:00+08:00'), count: 1, expected: [[at('2006-01-08T06:00:00+08:00'), at('2006-01-08T07:00:00+08:00')]] },
  },
  {
    spec: 'periods/before_spec.rb',
    context: '#timeline from 2006-01-04 back until 2006-01-01',
    schedule: periodsSched,
    check: { periodsBefore: utc(2006, 1, 4), count: 2, expected: [[utc(2006, 1, 3, 10), utc(2006, 1, 3, 16)], [utc(2006, 1, 2, 9), utc(2006, 1, 2, 17)]] },
  },

  // spec/interval_spec.rb (mon 09:00–17:00 America/Los_Angeles; instants in New York time)
  { spec: 'interval_spec.rb', context: 'contains? before the interval', schedule: laMon, check: { isWithin: at('2006-01-02T11:00:00-05:00'), expected: false } },
  { spec: 'interval_spec.rb', context: 'contains? at the beginning', schedule: laMon, check: { isWithin: at('2006-01-02T12:00:00-05:00'), expected: true } },
  { spec: 'interval_spec.rb', context: 'contains? within', schedule: laMon, check: { isWithin: at('2006-01-02T15:00:00-05:00'), expected: true } },
  { spec: 'interval_spec.rb', context: 'contains? at the end', schedule: laMon, check: { isWithin: at('2006-01-02T20:00:00-05:00'), expected: false } },
  { spec: 'interval_spec.rb', context: 'contains? after the interval', schedule: laMon, check: { isWithin: at('2006-01-02T21:00:00-05:00'), expected: false } },
  {
    spec: 'interval_spec.rb',
    context: '#to_time_segment for week 4',
    schedule: laMon,
    check: { periodsAfter: at('2006-01-29T00:00:00-08:00'), count: 1, expected: [[at('2006-01-30T09:00:00-08:00'), at('2006-01-30T17:00:00-08:00')]] },
  },
  {
    spec: 'interval_spec.rb',
    context: '#to_time_segment when the interval covers an entire day (00:00–24:00)',
    schedule: () => biz({ hours: { sun: [['00:00', '24:00']] }, timeZone: 'America/Los_Angeles' }),
    check: { periodsAfter: at('2006-01-29T00:00:00-08:00'), count: 1, expected: [[at('2006-01-29T00:00:00-08:00'), at('2006-01-30T00:00:00-08:00')]] },
  },

  // spec/dates_spec.rb (hours mon 01:00–02:00, holiday 2006-01-09): business dates after 2006-01-01
  {
    spec: 'dates_spec.rb',
    context: 'dates after 2006-01-01 are 2006-01-02 and 2006-01-16 (the holiday Monday skipped)',
    schedule: () => biz({ hours: { mon: [['01:00', '02:00']] }, holidays: ['2006-01-09'] }),
    check: { periodsAfter: utc(2006, 1, 1), count: 2, expected: [[utc(2006, 1, 2, 1), utc(2006, 1, 2, 2)], [utc(2006, 1, 16, 1), utc(2006, 1, 16, 2)]] },
  },
];

function run(c: Case): void {
  const s = c.schedule();
  const k = c.check;
  if ('isWithin' in k) expect(S.isWithin(s, k.isWithin)).toBe(k.expected);
  else if ('isHoliday' in k) expect(S.isHoliday(s, k.isHoliday)).toBe(k.expected);
  else if ('add' in k) expect(new Date(S.addBusinessTime(s, k.add, k.minutes)).toISOString()).toBe(new Date(k.expected).toISOString());
  else if ('subtract' in k) expect(new Date(S.subtractBusinessTime(s, k.subtract, k.minutes)).toISOString()).toBe(new Date(k.expected).toISOString());
  else if ('between' in k) expect(S.businessTimeBetween(s, k.between[0], k.between[1])).toBe(k.expected);
  else {
    const got =
      'periodsAfter' in k
        ? S.periodsAfter(s, k.periodsAfter, k.count)
        : 'periodsBefore' in k
          ? S.periodsBefore(s, k.periodsBefore, k.count)
          : S.periodsBetween(s, k.periodsBetween[0], k.periodsBetween[1]);
    const iso = (ps: P[]) => ps.map(([a, b]) => `${new Date(a).toISOString()}/${new Date(b).toISOString()}`);
    expect(iso(got.map((p) => [p.start, p.end]))).toEqual(iso(k.expected));
  }
}

describe('zendesk/biz conformance: calculations', () => {
  test.each(CASES.map((c) => [`${c.spec} — ${c.context}`, c] as const))('%s', (_name, c) => run(c));
});

// spec/time_spec.rb (#on_date / #during_week, America/Los_Angeles unless noted): wall time → instant.
// The #during_week DST contexts (weeks 427 and 461) are the same instants as the #on_date ones.
const LOCAL_CASES: Array<{ context: string; zone: string; date: string; time: string; expected: string }> = [
  { context: 'a normal time', zone: 'America/Los_Angeles', date: '2006-01-04', time: '12:30:09', expected: '2006-01-04T12:30:09-08:00' },
  { context: 'a non-existent (spring-forward) time moves an hour later', zone: 'America/Los_Angeles', date: '2014-03-09', time: '02:30', expected: '2014-03-09T03:30:00-07:00' },
  { context: 'a non-existent (spring-forward) endnight 24:00 (America/Sao_Paulo)', zone: 'America/Sao_Paulo', date: '2015-10-17', time: '24:00', expected: '2015-10-18T01:00:00-02:00' },
  { context: 'an ambiguous time resolves to its DST occurrence', zone: 'America/Los_Angeles', date: '2014-11-02', time: '01:30', expected: '2014-11-02T01:30:00-07:00' },
  { context: '#during_week: week 1, Sunday 01:05', zone: 'America/Los_Angeles', date: '2006-01-08', time: '01:05', expected: '2006-01-08T01:05:00-08:00' },
];

describe('zendesk/biz conformance: local times (spec/time_spec.rb)', () => {
  test.each(LOCAL_CASES.map((c) => [c.context, c] as const))('time_spec.rb — %s', (_n, c) => {
    expect(new Date(S.localInstant(c.zone, c.date, c.time)).toISOString()).toBe(new Date(at(c.expected)).toISOString());
  });
});

// Configuration and validation specs: which hours are accepted, and how they normalise.
const base = { id: 1, name: 'biz', time_zone: 'Etc/UTC' };
const wm = (day: number, hh: number, mm = 0) => day * 1440 + hh * 60 + mm;

describe('zendesk/biz conformance: configuration and validation', () => {
  test('validation_spec.rb — hours provided: valid', () => {
    expect(() => S.parseSchedule({ ...base, weekly: { mon: [['09:00', '17:00']] } })).not.toThrow();
  });
  test('validation_spec.rb — no hours provided: configuration error (also configuration_spec.rb "invalid configuration")', () => {
    expect(() => S.parseSchedule({ ...base, weekly: {} })).toThrow(/weekly: a schedule needs at least one open day/);
  });
  test('validation_spec.rb — nonsensical hours 09:00 → 09:00: configuration error', () => {
    expect(() => S.parseSchedule({ ...base, weekly: { mon: [['09:00', '09:00']] } })).toThrow(/weekly\.mon\[0\]\[1\]: closing time 09:00 must be after opening time 09:00/);
  });
  test('validation_spec.rb — a day with no hours: configuration error', () => {
    expect(() => S.parseSchedule({ ...base, weekly: { mon: [] } })).toThrow(/weekly\.mon: no hours for mon/);
  });
  test.each(['timestamp', '5:35', '12:3', '11:35:3'])('day_time_spec.rb — from_timestamp rejects %j', (bad) => {
    expect(() => S.parseSchedule({ ...base, weekly: { mon: [[bad, '17:00']] } })).toThrow(/weekly\.mon\[0\]\[0\]: expected a time "HH:MM"/);
  });
  test('day_time_spec.rb — from_timestamp accepts "21:43" (minute 1303)', () => {
    expect(S.parseSchedule({ ...base, weekly: { mon: [['21:43', '22:00']] } }).week[1]).toEqual([[1303, 1320]]);
  });
  test('configuration_spec.rb — #intervals: weekly hours are the same intervals as Zendesk week minutes', () => {
    const weekly = S.parseSchedule({ ...base, weekly: BIZ_HOURS });
    const zendesk = S.parseSchedule({
      ...base,
      intervals: [
        { start_time: wm(1, 9), end_time: wm(1, 17) },
        { start_time: wm(2, 10), end_time: wm(2, 16) },
        { start_time: wm(3, 9), end_time: wm(3, 17) },
        { start_time: wm(4, 10), end_time: wm(4, 16) },
        { start_time: wm(5, 9), end_time: wm(5, 17) },
        { start_time: wm(6, 11), end_time: wm(6, 14, 30) },
      ],
    });
    expect(zendesk.week).toEqual(weekly.week);
    expect(weekly.week).toEqual([[], [[540, 1020]], [[600, 960]], [[540, 1020]], [[600, 960]], [[540, 1020]], [[660, 870]]]);
  });
  test('configuration_spec.rb — weekdays configured out of order come back in order', () => {
    const s = S.parseSchedule({ ...base, intervals: [{ start_time: wm(2, 10), end_time: wm(2, 16) }, { start_time: wm(1, 9), end_time: wm(1, 17) }] });
    expect(s.week.slice(1, 3)).toEqual([[[540, 1020]], [[600, 960]]]);
  });
  test('interval_spec.rb — .to_hours: Zendesk intervals and the weekly form describe the same week', () => {
    const zendesk = S.parseSchedule({
      ...base,
      intervals: [
        { start_time: wm(1, 9), end_time: wm(1, 17) },
        { start_time: wm(2, 9), end_time: wm(2, 12) },
        { start_time: wm(2, 13), end_time: wm(2, 17) },
        { start_time: wm(4, 10), end_time: wm(4, 16) },
        { start_time: wm(5, 9), end_time: wm(5, 17) },
      ],
    });
    const weekly = S.parseSchedule({
      ...base,
      weekly: { mon: [['09:00', '17:00']], tue: [['09:00', '12:00'], ['13:00', '17:00']], thu: [['10:00', '16:00']], fri: [['09:00', '17:00']] },
    });
    expect(zendesk.week).toEqual(weekly.week);
  });
  test('week_time/end_spec.rb — an end on a day boundary is 24:00 of the day before', () => {
    const s = S.parseSchedule({ ...base, intervals: [{ start_time: 0, end_time: 1440 }] });
    expect(s.week[0]).toEqual([[0, 1440]]);
    expect(s.week[1]).toEqual([]);
  });
});
