/**
 * Explain (config/evaluate.ts): every active trigger in evaluation order with each condition's
 * value and result, what fired in which pass, why the others did not, and hypothetical updates.
 */
import { renderExplanation } from '../../client/cliExplain';
import { explainUpdate, hypotheticalUpdate } from '../../config/evaluate';
import type { ConfigSnapshot } from '../../config/types';
import { DomainError } from '../../domain/errors';
import { parseScheduleBook } from '../../domain/schedules';
import { triggerTicket, type Trigger } from '../../domain/triggers';

const schedules = parseScheduleBook([{ id: 'office', name: 'Office', time_zone: 'Europe/Berlin', weekly: { mon: [['09:00', '17:00']] } }]);
const MONDAY_10 = Date.parse('2026-11-30T09:00:00Z');
const MONDAY_20 = Date.parse('2026-11-30T19:00:00Z');

const triggers: Trigger[] = [
  {
    id: 1,
    title: 'After hours',
    position: 2,
    conditions: { all: [{ field: 'update_type', operator: 'is', value: 'Create' }, { field: 'in_business_hours', operator: 'is', value: 'false' }], any: [] },
    actions: [{ field: 'current_tags', value: 'after_hours' }],
  },
  {
    id: 2,
    title: 'VIP first',
    position: 1,
    conditions: { all: [{ field: 'current_tags', operator: 'includes', value: 'vip' }], any: [] },
    actions: [{ field: 'priority', value: 'high' }],
  },
  {
    id: 3,
    title: 'Escalate after-hours high',
    position: 3,
    conditions: { all: [{ field: 'current_tags', operator: 'includes', value: 'after_hours' }], any: [{ field: 'priority', operator: 'is', value: 'urgent' }, { field: 'priority', operator: 'is', value: 'high' }] },
    actions: [{ field: 'group_id', value: 'tier2' }],
  },
  { id: 4, title: 'Off', active: false, conditions: { all: [{ field: 'status', operator: 'is', value: 'new' }], any: [] }, actions: [{ field: 'status', value: 'open' }] },
];
const snapshot: ConfigSnapshot = { revision: 9, triggers, categoryOrder: [], schedules, webhooks: [] };

test('lists every active trigger in order with conditions, passes and changed actions; counts the inactive one', () => {
  const after = triggerTicket({ id: 't1', status: 'new', tags: ['vip'] });
  const e = explainUpdate(snapshot, { before: null, after, comment: null, update_type: 'Create', now: MONDAY_20 });
  expect(e).toMatchObject({ configRevision: 9, updateType: 'Create', at: '2026-11-30T19:00:00.000Z', activeTriggers: 3, inactiveTriggers: 1, passes: 4, skipped: null });
  expect(e.triggers.map((t) => [t.order, t.triggerId, t.fired, t.pass])).toEqual([
    [1, '2', true, 1],
    [2, '1', true, 2],
    [3, '3', true, 3],
  ]);
  const afterHours = e.triggers[1];
  expect(afterHours.conditions).toEqual([
    expect.objectContaining({ group: 'all', field: 'update_type', actual: 'Create', result: true }),
    expect.objectContaining({ group: 'all', field: 'in_business_hours', result: true }),
  ]);
  expect(afterHours.actions).toEqual([expect.objectContaining({ field: 'current_tags', changes: [{ field: 'tags', from: ['vip'], to: ['vip', 'after_hours'] }] })]);
  expect(e.changes.map((c) => c.field)).toEqual(['priority', 'group_id', 'tags']);
});

test('a trigger that did not fire says why, against the final ticket', () => {
  const after = triggerTicket({ id: 't1', status: 'new' });
  const e = explainUpdate(snapshot, { before: null, after, comment: null, update_type: 'Create', now: MONDAY_10 });
  expect(e.triggers.every((t) => !t.fired)).toBe(true);
  expect(e.triggers.find((t) => t.triggerId === '1')!.because).toBe('ALL condition "in_business_hours is false" fails: in_business_hours is true');
  expect(e.triggers.find((t) => t.triggerId === '3')!.because).toBe('ALL condition "current_tags includes after_hours" fails: current_tags is []; no ANY condition holds');
});

test('hypothetical updates: set fields, tags and a comment on the ticket as it is now; invalid values are named', () => {
  const current = triggerTicket({ id: 't1', status: 'open', tags: ['VIP', 'x'] });
  const u = hypotheticalUpdate(current, { set: { status: 'solved' }, addTags: ['vip', 'new'], removeTags: ['X'], comment: { public: true, text: 'thanks' }, now: MONDAY_10 });
  expect(u).toMatchObject({ update_type: 'Change', before: current, after: { status: 'solved', tags: ['VIP', 'new'] }, comment: { public: true, text: 'thanks' } });
  expect(hypotheticalUpdate(current, { updateType: 'Create', now: MONDAY_10 }).before).toBeNull();
  const bad = (() => {
    try {
      hypotheticalUpdate(current, { set: { status: 'nope' as never }, now: MONDAY_10 });
    } catch (err) {
      return err;
    }
  })();
  expect(bad).toBeInstanceOf(DomainError);
  expect((bad as Error).message).toMatch(/set\.status: .*"new".*"open"/);
});

test('closed before the update: nothing runs, and explain says so', () => {
  const before = triggerTicket({ id: 't1', status: 'closed', tags: ['vip'] });
  const e = explainUpdate(snapshot, { before, after: { ...before, tags: ['vip', 'y'] }, comment: null, update_type: 'Change', now: MONDAY_10 });
  expect(e.skipped).toBe('ticket_closed');
  expect(e.triggers.every((t) => !t.fired && t.because === null)).toBe(true);
});

test('the CLI rendering shows each trigger, ✓/✗ per condition with what it read, the changes and why not', () => {
  const after = triggerTicket({ id: 't1', status: 'new', tags: ['vip'] });
  const text = renderExplanation(explainUpdate(snapshot, { before: null, after, comment: null, update_type: 'Create', now: MONDAY_10 }));
  expect(text).toContain('configuration revision 9; Create at 2026-11-30T09:00:00.000Z; 3 active, 1 inactive triggers; 2 passes');
  expect(text).toContain('   1. FIRED (pass 1)  #2 VIP first');
  expect(text).toContain('        ✓ ALL current_tags includes "vip" — is ["vip"]');
  expect(text).toContain('        → priority: priority "normal" → "high"');
  expect(text).toContain('   2. no  #1 After hours');
  expect(text).toContain('        ✗ ALL in_business_hours is "false" — is true');
  expect(text).toContain('net changes: priority → "high"; effects: none');
});
