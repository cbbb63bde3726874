/** Recipe 3's report (domain/reports.ts): ended sessions by local day and reason, DST-correct. */
import { endedSessionsReport } from '../../domain/reports';

const at = (iso: string): number => Date.parse(iso);

test('groups by the local calendar day of the zone and by reason; rows outside [from, to) are left out', () => {
  const rows = [
    { reason: 'agent' as const, endedAt: at('2026-03-28T22:30:00Z') }, // 23:30 CET, Mar 28
    { reason: 'agent' as const, endedAt: at('2026-03-28T23:30:00Z') }, // 00:30 CET, Mar 29
    { reason: 'inactivity' as const, endedAt: at('2026-03-29T21:59:00Z') }, // 23:59 CEST (after the DST switch), Mar 29
    { reason: 'trigger' as const, endedAt: at('2026-03-29T22:00:00Z') }, // 00:00 CEST, Mar 30
    { reason: 'end_user' as const, endedAt: at('2026-04-02T00:00:00Z') }, // outside
  ];
  const r = endedSessionsReport(rows, at('2026-03-28T00:00:00Z'), at('2026-04-01T00:00:00Z'), 'Europe/Berlin');
  expect(r.days).toEqual([
    { date: '2026-03-28', total: 1, agent: 1, end_user: 0, trigger: 0, inactivity: 0 },
    { date: '2026-03-29', total: 2, agent: 1, end_user: 0, trigger: 0, inactivity: 1 },
    { date: '2026-03-30', total: 1, agent: 0, end_user: 0, trigger: 1, inactivity: 0 },
  ]);
  expect(r.totals).toEqual({ total: 4, agent: 2, end_user: 0, trigger: 1, inactivity: 1 });
});

test('bad zone or empty range are named', () => {
  expect(() => endedSessionsReport([], 0, 1, 'Mars/Olympus')).toThrow(/unknown time zone "Mars\/Olympus"/);
  expect(() => endedSessionsReport([], 5, 5, 'UTC')).toThrow(/"from" must be before "to"/);
});
