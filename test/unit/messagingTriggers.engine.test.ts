/**
 * The messaging trigger engine (domain/messagingTriggers/engine.ts): every condition field and
 * operator, ALL vs ANY, never after the session ended or on a closed ticket, order, one pass (no
 * restart loop) with tag changes visible to later triggers, waits as an ordered timeline, explain,
 * DST-correct hours (America/New_York, 2026-03-08 and 2026-11-01), schedule conditions through
 * domain/schedules, and the shipped example examples/messaging-triggers/after-hours-message.json.
 */
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { DomainError } from '../../domain/errors';
import {
  evaluateMessagingTriggers,
  importMessagingTriggers,
  type MessagingContext,
  type MessagingEvent,
  type MessagingTicketView,
  type MessagingTrigger,
} from '../../domain/messagingTriggers';
import { parseScheduleBook } from '../../domain/schedules';
import { formatProblems } from '../../domain/triggers';

const NINE_TO_FIVE = [['09:00', '17:00']] as [string, string][];
const WEEKDAYS = { mon: NINE_TO_FIVE, tue: NINE_TO_FIVE, wed: NINE_TO_FIVE, thu: NINE_TO_FIVE, fri: NINE_TO_FIVE };
/** NY first (the default), Tokyo second. */
const BOOK = parseScheduleBook([
  { id: 'ny', name: 'New York', time_zone: 'America/New_York', weekly: WEEKDAYS, holidays: [{ name: 'Christmas', start_date: '2026-12-25', end_date: '2026-12-25' }] },
  { id: 'tokyo', name: 'Tokyo', time_zone: 'Tokyo', weekly: WEEKDAYS },
]);
/** Monday 2026-03-09 11:00 EDT (15:00 UTC; Tuesday 00:00 in Tokyo). */
const NOW = Date.parse('2026-03-09T15:00:00Z');

function load(...raw: Record<string, unknown>[]): MessagingTrigger[] {
  const r = importMessagingTriggers({ messaging_triggers: raw });
  if (!r.ok) throw new Error(formatProblems(r.problems).join('\n'));
  return r.triggers;
}

let nextId = 100;
function trig(conditions: Record<string, unknown>, actions: Record<string, unknown>[] = [{ field: 'send_message', value: 'hi' }], extra: Record<string, unknown> = {}): Record<string, unknown> {
  nextId += 1;
  return { id: nextId, title: `T${nextId}`, event: 'message_sent', conditions, actions, ...extra };
}

function ticket(over: Partial<MessagingTicketView> = {}): MessagingTicketView {
  return { id: 't1', status: 'open', tags: [], groupId: 'support', brandId: '360', scheduleId: null, ...over };
}
function event(over: Partial<MessagingEvent> = {}, t: Partial<MessagingTicketView> = {}): MessagingEvent {
  return { type: 'message_sent', now: NOW, sessionState: 'active', ticket: ticket(t), message: { text: 'I want a REFUND, now!' }, ...over };
}
function context(over: Partial<MessagingContext> = {}, online: Record<string, number> = {}, queues: Record<string, number> = {}): MessagingContext {
  return {
    schedules: BOOK,
    onlineAgents: (g) => online[g ?? '*'] ?? 0,
    queueSize: (g) => queues[g ?? '*'] ?? 0,
    ...over,
  };
}

// ---------------------------------------------------------------------------------------------
// Every field and operator, one condition at a time.
// ---------------------------------------------------------------------------------------------

interface Case {
  name: string;
  cond: Record<string, unknown>;
  expected: boolean;
  event?: Partial<MessagingEvent>;
  ticket?: Partial<MessagingTicketView>;
  context?: MessagingContext;
}

const C = (field: string, operator: string, value: unknown, extra: Record<string, unknown> = {}): Record<string, unknown> => ({ field, operator, value, ...extra });
const ONLINE = { '*': 3, sales: 3, billing: 0, '5': 1 };
const QUEUES = { '*': 12, billing: 2 };
const staffed = context({}, ONLINE, QUEUES);
const unstaffed = context({}, {}, {});

const CASES: Case[] = [
  // hour_of_day: default zone = the default schedule's (NY: 11:00), UTC without schedules
  { name: 'hour_of_day is 11 (NY, default schedule zone)', cond: C('hour_of_day', 'is', 11), expected: true },
  { name: 'hour_of_day is 15 (the UTC hour) is false', cond: C('hour_of_day', 'is', 15), expected: false },
  { name: 'hour_of_day is "11" (digits)', cond: C('hour_of_day', 'is', '11'), expected: true },
  { name: 'hour_of_day is_not 11', cond: C('hour_of_day', 'is_not', 11), expected: false },
  { name: 'hour_of_day is_not 10', cond: C('hour_of_day', 'is_not', 10), expected: true },
  { name: 'hour_of_day less_than 12', cond: C('hour_of_day', 'less_than', 12), expected: true },
  { name: 'hour_of_day less_than 11', cond: C('hour_of_day', 'less_than', 11), expected: false },
  { name: 'hour_of_day greater_than 10', cond: C('hour_of_day', 'greater_than', 10), expected: true },
  { name: 'hour_of_day greater_than 11', cond: C('hour_of_day', 'greater_than', 11), expected: false },
  { name: 'hour_of_day is 15 in time_zone UTC', cond: C('hour_of_day', 'is', 15, { time_zone: 'UTC' }), expected: true },
  { name: 'hour_of_day is 0 in time_zone "Tokyo" (Zendesk name)', cond: C('hour_of_day', 'is', 0, { time_zone: 'Tokyo' }), expected: true },
  { name: 'hour_of_day is 15 without schedules (UTC)', cond: C('hour_of_day', 'is', 15), context: context({ schedules: [] }), expected: true },
  // day_of_week: Monday in NY, Tuesday in Tokyo
  { name: 'day_of_week is mon', cond: C('day_of_week', 'is', 'mon'), expected: true },
  { name: 'day_of_week is MON (any case)', cond: C('day_of_week', 'is', 'MON'), expected: true },
  { name: 'day_of_week is [sat, sun]', cond: C('day_of_week', 'is', ['sat', 'sun']), expected: false },
  { name: 'day_of_week is_not mon', cond: C('day_of_week', 'is_not', 'mon'), expected: false },
  { name: 'day_of_week is_not [sat, sun]', cond: C('day_of_week', 'is_not', ['sat', 'sun']), expected: true },
  { name: 'day_of_week is tue in Asia/Tokyo', cond: C('day_of_week', 'is', 'tue', { time_zone: 'Asia/Tokyo' }), expected: true },
  // within_schedule: open in NY, closed in Tokyo; unknown schedule → false either way
  { name: 'within_schedule is ny', cond: C('within_schedule', 'is', 'ny'), expected: true },
  { name: 'within_schedule is_not ny', cond: C('within_schedule', 'is_not', 'ny'), expected: false },
  { name: 'within_schedule is tokyo', cond: C('within_schedule', 'is', 'tokyo'), expected: false },
  { name: 'within_schedule is_not tokyo', cond: C('within_schedule', 'is_not', 'tokyo'), expected: true },
  { name: 'within_schedule is (unknown schedule)', cond: C('within_schedule', 'is', 'gone'), expected: false },
  { name: 'within_schedule is_not (unknown schedule)', cond: C('within_schedule', 'is_not', 'gone'), expected: false },
  // in_business_hours: the ticket's schedule, else the default; no schedule = always open
  { name: 'in_business_hours is true (default NY)', cond: C('in_business_hours', 'is', true), expected: true },
  { name: 'in_business_hours is false (default NY)', cond: C('in_business_hours', 'is', false), expected: false },
  { name: 'in_business_hours is "false" on a Tokyo ticket', cond: C('in_business_hours', 'is', 'false'), ticket: { scheduleId: 'tokyo' }, expected: true },
  { name: 'in_business_hours: unknown ticket schedule → default', cond: C('in_business_hours', 'is', true), ticket: { scheduleId: 'gone' }, expected: true },
  { name: 'in_business_hours is true without schedules', cond: C('in_business_hours', 'is', true), context: context({ schedules: undefined }), expected: true },
  { name: 'in_business_hours on a holiday (NY, Christmas 11:00)', cond: C('in_business_hours', 'is', false), event: { now: Date.parse('2026-12-25T16:00:00Z') }, expected: true },
  // agent_status: whole account
  { name: 'agent_status is online (3 online)', cond: C('agent_status', 'is', 'online'), context: staffed, expected: true },
  { name: 'agent_status is offline (3 online)', cond: C('agent_status', 'is', 'offline'), context: staffed, expected: false },
  { name: 'agent_status is online (none online)', cond: C('agent_status', 'is', 'online'), context: unstaffed, expected: false },
  { name: 'agent_status is offline (none online)', cond: C('agent_status', 'is', 'offline'), context: unstaffed, expected: true },
  { name: 'agent_status is_not online (none online)', cond: C('agent_status', 'is_not', 'online'), context: unstaffed, expected: true },
  { name: 'agent_status is_not offline (3 online)', cond: C('agent_status', 'is_not', 'offline'), context: staffed, expected: true },
  // group_status: the named group
  { name: 'group_status sales is online', cond: C('group_status', 'is', 'online', { group_id: 'sales' }), context: staffed, expected: true },
  { name: 'group_status billing is online', cond: C('group_status', 'is', 'online', { group_id: 'billing' }), context: staffed, expected: false },
  { name: 'group_status billing is offline', cond: C('group_status', 'is', 'offline', { group_id: 'billing' }), context: staffed, expected: true },
  { name: 'group_status billing is_not online', cond: C('group_status', 'is_not', 'online', { group_id: 'billing' }), context: staffed, expected: true },
  { name: 'group_status numeric group id 5 is online', cond: C('group_status', 'is', 'online', { group_id: 5 }), context: staffed, expected: true },
  // queue_size: whole account (12) or one group (billing: 2)
  { name: 'queue_size greater_than 10', cond: C('queue_size', 'greater_than', 10), context: staffed, expected: true },
  { name: 'queue_size greater_than 12', cond: C('queue_size', 'greater_than', 12), context: staffed, expected: false },
  { name: 'queue_size less_than 10', cond: C('queue_size', 'less_than', 10), context: staffed, expected: false },
  { name: 'queue_size is 12', cond: C('queue_size', 'is', 12), context: staffed, expected: true },
  { name: 'queue_size of billing less_than 3', cond: C('queue_size', 'less_than', 3, { group_id: 'billing' }), context: staffed, expected: true },
  { name: 'queue_size of billing is 12', cond: C('queue_size', 'is', 12, { group_id: 'billing' }), context: staffed, expected: false },
  // current_tags: case-insensitive, at least one
  { name: 'current_tags includes vip (ticket has VIP)', cond: C('current_tags', 'includes', 'vip'), ticket: { tags: ['VIP', 'Refund'] }, expected: true },
  { name: 'current_tags includes "other REFUND"', cond: C('current_tags', 'includes', 'other REFUND'), ticket: { tags: ['VIP', 'Refund'] }, expected: true },
  { name: 'current_tags includes [nope]', cond: C('current_tags', 'includes', ['nope']), ticket: { tags: ['VIP'] }, expected: false },
  { name: 'current_tags not_includes vip', cond: C('current_tags', 'not_includes', 'vip'), ticket: { tags: ['VIP'] }, expected: false },
  { name: 'current_tags not_includes "nope x"', cond: C('current_tags', 'not_includes', 'nope x'), ticket: { tags: ['VIP'] }, expected: true },
  // message_text_includes_word: whole words and phrases, case-insensitive
  { name: 'message includes refund', cond: C('message_text_includes_word', 'includes', 'refund'), expected: true },
  { name: 'message includes "want a refund" (phrase)', cond: C('message_text_includes_word', 'includes', '"want a refund"'), expected: true },
  { name: 'message includes fund (not a whole word)', cond: C('message_text_includes_word', 'includes', 'fund'), expected: false },
  { name: 'message not_includes cancel', cond: C('message_text_includes_word', 'not_includes', 'cancel'), expected: true },
  { name: 'message not_includes "cancel refund"', cond: C('message_text_includes_word', 'not_includes', 'cancel refund'), expected: false },
  { name: 'message includes refund, no message', cond: C('message_text_includes_word', 'includes', 'refund'), event: { message: null }, expected: false },
  // brand_id
  { name: 'brand_id is 360 (number)', cond: C('brand_id', 'is', 360), expected: true },
  { name: 'brand_id is "361"', cond: C('brand_id', 'is', '361'), expected: false },
  { name: 'brand_id is_not 361', cond: C('brand_id', 'is_not', 361), expected: true },
  { name: 'brand_id is_not 360', cond: C('brand_id', 'is_not', '360'), expected: false },
];

describe('every condition field and operator', () => {
  it.each(CASES)('$name', (c) => {
    const triggers = load(trig({ all: [c.cond] }));
    const r = evaluateMessagingTriggers(triggers, event(c.event, c.ticket), { ...(c.context ?? staffed), explain: true });
    expect(r.firings.length === 1).toBe(c.expected);
    const trace = r.firings.length ? r.firings[0].conditions : r.unfired?.[0].conditions;
    expect(trace?.[0].result).toBe(c.expected);
  });

  it('covers every catalogue field and every operator each field allows', () => {
    const { MESSAGING_CONDITION_FIELDS } = jest.requireActual('../../domain/messagingTriggers');
    const seen = new Set(CASES.map((c) => `${c.cond.field}/${c.cond.operator}`));
    for (const spec of Object.values(MESSAGING_CONDITION_FIELDS) as { field: string; operators: string[] }[]) {
      for (const op of spec.operators) expect(seen).toContain(`${spec.field}/${op}`);
    }
  });
});

describe('ALL, ANY, none', () => {
  const t = C('current_tags', 'includes', 'vip');
  const f = C('current_tags', 'includes', 'nope');
  const run = (conditions: Record<string, unknown>): number => evaluateMessagingTriggers(load(trig(conditions)), event({}, { tags: ['vip'] }), staffed).firings.length;
  it('ALL needs every condition, ANY at least one, none = always', () => {
    expect(run({ all: [t, f] })).toBe(0);
    expect(run({ all: [t, t] })).toBe(1);
    expect(run({ any: [t, f] })).toBe(1);
    expect(run({ any: [f, f] })).toBe(0);
    expect(run({})).toBe(1);
    expect(run({ all: [], any: [] })).toBe(1);
  });
});

describe('never after the session ended, never on a closed ticket', () => {
  const triggers = load(trig({}));
  it('session ended → nothing runs, reason session_ended (also when the ticket is closed too)', () => {
    expect(evaluateMessagingTriggers(triggers, event({ sessionState: 'ended' }), staffed)).toEqual({ firings: [], skipped: 'session_ended', tags: [] });
    expect(evaluateMessagingTriggers(triggers, event({ sessionState: 'ended' }, { status: 'closed' }), staffed).skipped).toBe('session_ended');
  });
  it('closed ticket → nothing runs', () => {
    expect(evaluateMessagingTriggers(triggers, event({}, { status: 'closed', tags: ['a'] }), { ...staffed, explain: true })).toEqual({
      firings: [],
      skipped: 'ticket_closed',
      tags: ['a'],
      unfired: [],
    });
  });
  it('an inactive session still runs triggers; solved and pending tickets too', () => {
    expect(evaluateMessagingTriggers(triggers, event({ sessionState: 'inactive' }), staffed).firings).toHaveLength(1);
    expect(evaluateMessagingTriggers(triggers, event({}, { status: 'solved' }), staffed).firings).toHaveLength(1);
  });
});

describe('selection and order', () => {
  it('by position (absent last), then id (numeric before text), then list order; inactive and other events skipped', () => {
    const triggers = load(
      { id: 'b', title: 'no position b', event: 'message_sent', conditions: {}, actions: [{ field: 'send_message', value: '1' }] },
      { id: 20, title: 'pos 2 id 20', position: 2, event: 'message_sent', conditions: {}, actions: [{ field: 'send_message', value: '1' }] },
      { id: 3, title: 'pos 2 id 3', position: 2, event: 'message_sent', conditions: {}, actions: [{ field: 'send_message', value: '1' }] },
      { id: 'a', title: 'no position a', event: 'message_sent', conditions: {}, actions: [{ field: 'send_message', value: '1' }] },
      { id: 9, title: 'no position 9', event: 'message_sent', conditions: {}, actions: [{ field: 'send_message', value: '1' }] },
      { title: 'no id', event: 'message_sent', conditions: {}, actions: [{ field: 'send_message', value: '1' }] },
      { id: 1, title: 'inactive', active: false, position: 0, event: 'message_sent', conditions: {}, actions: [{ field: 'send_message', value: '1' }] },
      { id: 2, title: 'other event', position: 0, event: 'added_to_queue', conditions: {}, actions: [{ field: 'send_message', value: '1' }] },
      { id: 4, title: 'pos -1', position: -1, event: 'message_sent', conditions: {}, actions: [{ field: 'send_message', value: '1' }] },
    );
    const titles = evaluateMessagingTriggers(triggers, event(), staffed).firings.map((f) => f.title);
    expect(titles).toEqual(['pos -1', 'pos 2 id 3', 'pos 2 id 20', 'no position 9', 'no position a', 'no position b', 'no id']);
    expect(evaluateMessagingTriggers(triggers, event({ type: 'added_to_queue' }), staffed).firings.map((f) => f.title)).toEqual(['other event']);
  });

  it('each trigger fires once per event; no restart loop: a later tag change does not make an earlier trigger fire', () => {
    const triggers = load(
      trig({ all: [C('current_tags', 'includes', 'late')] }, [{ field: 'send_message', value: 'never' }], { position: 1 }),
      trig({}, [{ field: 'add_tags', value: 'late' }], { position: 2 }),
    );
    const r = evaluateMessagingTriggers(triggers, event(), staffed);
    expect(r.firings.map((f) => f.position)).toEqual([2]);
    expect(r.tags).toEqual(['late']);
  });

  it('tag changes of one trigger are visible to later triggers of the same event (case-insensitive)', () => {
    const triggers = load(
      trig({}, [{ field: 'add_tags', value: 'Surge vip' }], { position: 1 }),
      trig({ all: [C('current_tags', 'includes', 'SURGE')] }, [{ field: 'remove_tags', value: ['VIP', 'old'] }], { position: 2 }),
      trig({ all: [C('current_tags', 'not_includes', 'vip')] }, [{ field: 'add_tags', value: 'checked surge' }], { position: 3 }),
    );
    const r = evaluateMessagingTriggers(triggers, event({}, { tags: ['Old'] }), staffed);
    expect(r.firings.map((f) => f.position)).toEqual([1, 2, 3]);
    expect(r.tags).toEqual(['Surge', 'checked']);
  });

  it('tag changes after a wait are not seen by this evaluation', () => {
    const triggers = load(
      trig({}, [{ field: 'wait', value: 10 }, { field: 'add_tags', value: 'later' }], { position: 1 }),
      trig({ all: [C('current_tags', 'includes', 'later')] }, undefined, { position: 2 }),
    );
    const r = evaluateMessagingTriggers(triggers, event(), staffed);
    expect(r.firings.map((f) => f.position)).toEqual([1]);
    expect(r.tags).toEqual([]);
  });
});

describe('actions: resolved, in order, waits as a timeline', () => {
  it('afterSeconds accumulates the trigger\'s waits; keys are <trigger id>/<index>', () => {
    const [t] = load(
      trig({}, [
        { field: 'send_message', value: { text: 'One moment' } },
        { field: 'wait', value: 30 },
        { field: 'send_message', value: 'Still looking' },
        { field: 'wait', value: '15' },
        { field: 'request_email', value: 'Your email?' },
        { field: 'add_tags', value: 'waited  twice' },
        { field: 'remove_tags', value: ['x'] },
      ]),
    );
    const [firing] = evaluateMessagingTriggers([t], event(), staffed).firings;
    const id = String(t.id);
    expect(firing).toEqual({
      triggerId: id,
      title: t.title,
      position: null,
      actions: [
        { type: 'send_message', text: 'One moment', index: 0, key: `${id}/0`, afterSeconds: 0 },
        { type: 'wait', seconds: 30, index: 1, key: `${id}/1`, afterSeconds: 0 },
        { type: 'send_message', text: 'Still looking', index: 2, key: `${id}/2`, afterSeconds: 30 },
        { type: 'wait', seconds: 15, index: 3, key: `${id}/3`, afterSeconds: 30 },
        { type: 'request_email', prompt: 'Your email?', index: 4, key: `${id}/4`, afterSeconds: 45 },
        { type: 'add_tags', tags: ['waited', 'twice'], index: 5, key: `${id}/5`, afterSeconds: 45 },
        { type: 'remove_tags', tags: ['x'], index: 6, key: `${id}/6`, afterSeconds: 45 },
      ],
    });
  });

  it('waits of one trigger do not delay another trigger; revision and title-based keys', () => {
    const triggers = load(
      { title: 'slow', position: 1, revision: 4, event: 'message_sent', conditions: {}, actions: [{ field: 'wait', value: 600 }, { field: 'send_message', value: 'a' }] },
      { title: 'fast', position: 2, event: 'message_sent', conditions: {}, actions: [{ field: 'send_message', value: 'b' }] },
    );
    const r = evaluateMessagingTriggers(triggers, event(), staffed);
    expect(r.firings[0]).toMatchObject({ triggerId: null, revision: 4, actions: [{ key: 'title:slow/0' }, { afterSeconds: 600 }] });
    expect(r.firings[1].actions[0]).toMatchObject({ type: 'send_message', text: 'b', afterSeconds: 0 });
  });
});

describe('explain, purity, errors', () => {
  it('explain records every condition of firing and unfired triggers, with the zone used', () => {
    const triggers = load(
      trig({ any: [C('hour_of_day', 'is', 3), C('queue_size', 'greater_than', 10)] }, undefined, { position: 1 }),
      trig({ all: [C('day_of_week', 'is', 'sun', { time_zone: 'UTC' })] }, undefined, { position: 2 }),
    );
    const r = evaluateMessagingTriggers(triggers, event(), { ...staffed, explain: true });
    expect(r.firings[0].conditions).toEqual([
      { group: 'any', index: 0, field: 'hour_of_day', operator: 'is', value: 3, actual: 11, timeZone: 'America/New_York', result: false },
      { group: 'any', index: 1, field: 'queue_size', operator: 'greater_than', value: 10, actual: 12, result: true },
    ]);
    expect(r.unfired).toEqual([
      {
        triggerId: String(triggers[1].id),
        title: triggers[1].title,
        conditions: [{ group: 'all', index: 0, field: 'day_of_week', operator: 'is', value: 'sun', actual: 'mon', timeZone: 'UTC', result: false }],
      },
    ]);
    expect(evaluateMessagingTriggers(triggers, event(), staffed).firings[0]).not.toHaveProperty('conditions');
  });

  it('is pure and deterministic: inputs unchanged, same result twice', () => {
    const triggers = load(trig({}, [{ field: 'add_tags', value: 'a' }, { field: 'remove_tags', value: 'b' }]));
    const e = event({}, { tags: ['b'] });
    const frozen = JSON.stringify({ triggers, e });
    const r1 = evaluateMessagingTriggers(triggers, e, staffed);
    (r1.firings[0].actions[0] as { tags: string[] }).tags.push('mutated');
    const r2 = evaluateMessagingTriggers(triggers, e, staffed);
    expect(JSON.stringify({ triggers, e })).toBe(frozen);
    expect(r2.tags).toEqual(['a']);
    expect(r2.firings[0].actions[0]).toMatchObject({ tags: ['a'] });
  });

  it('throws invalid_input for an unknown event, a bad instant or a trigger that does not validate', () => {
    const triggers = load(trig({}));
    expect(() => evaluateMessagingTriggers(triggers, event({ type: 'nope' as never }), staffed)).toThrow(DomainError);
    expect(() => evaluateMessagingTriggers(triggers, event({ now: Number.NaN }), staffed)).toThrow(/epoch milliseconds/);
    const bad = [{ title: 'x', event: 'message_sent', conditions: { all: [{ field: 'moon', operator: 'is', value: 1 }] }, actions: [{ field: 'wait', value: 5 }] }];
    expect(() => evaluateMessagingTriggers(bad, event(), staffed)).toThrow(/invalid messaging trigger: "x" \$\[0\]\.conditions\.all\[0\]\.field: unknown condition field "moon"/);
  });
});

describe('DST-correct hour_of_day and day_of_week (America/New_York)', () => {
  const hourIs = (hour: number, iso: string, zone?: string): boolean => {
    const cond = C('hour_of_day', 'is', hour, zone ? { time_zone: zone } : {});
    return evaluateMessagingTriggers(load(trig({ all: [cond] })), event({ now: Date.parse(iso) }), staffed).firings.length === 1;
  };
  it('spring forward 2026-03-08: 01:59 EST then 03:00 EDT; hour 2 never happens', () => {
    expect(hourIs(1, '2026-03-08T06:59:00Z')).toBe(true);
    expect(hourIs(3, '2026-03-08T07:00:00Z')).toBe(true);
    expect(hourIs(2, '2026-03-08T07:00:00Z')).toBe(false);
    for (let m = 0; m < 24 * 60; m += 15) {
      expect(hourIs(2, new Date(Date.parse('2026-03-08T00:00:00Z') + m * 60_000).toISOString(), 'America/New_York')).toBe(false);
    }
  });
  it('fall back 2026-11-01: hour 1 happens twice (EDT, then EST), then 02:00 EST', () => {
    expect(hourIs(1, '2026-11-01T05:30:00Z')).toBe(true);
    expect(hourIs(1, '2026-11-01T06:30:00Z')).toBe(true);
    expect(hourIs(2, '2026-11-01T06:30:00Z')).toBe(false);
    expect(hourIs(2, '2026-11-01T07:30:00Z')).toBe(true);
  });
  it('weekday at local midnight: Sunday 2026-03-08 03:00 UTC is still Saturday in New York', () => {
    const day = (value: string): number =>
      evaluateMessagingTriggers(load(trig({ all: [C('day_of_week', 'is', value)] })), event({ now: Date.parse('2026-03-08T03:00:00Z') }), staffed).firings.length;
    expect(day('sat')).toBe(1);
    expect(day('sun')).toBe(0);
  });
  it('business hours across the change: 09:00 local is 14:00 UTC before, 13:00 UTC after', () => {
    const open = (iso: string): number =>
      evaluateMessagingTriggers(load(trig({ all: [C('within_schedule', 'is', 'ny')] })), event({ now: Date.parse(iso) }), staffed).firings.length;
    expect(open('2026-03-06T13:30:00Z')).toBe(0); // Fri 08:30 EST
    expect(open('2026-03-06T14:00:00Z')).toBe(1); // Fri 09:00 EST
    expect(open('2026-03-09T12:30:00Z')).toBe(0); // Mon 08:30 EDT
    expect(open('2026-03-09T13:00:00Z')).toBe(1); // Mon 09:00 EDT
  });
});

describe('shipped example: examples/messaging-triggers/after-hours-message.json', () => {
  const json = JSON.parse(readFileSync(path.join(__dirname, '../../examples/messaging-triggers/after-hours-message.json'), 'utf8'));
  const r = importMessagingTriggers(json, { schedules: BOOK });
  if (!r.ok) throw new Error(formatProblems(r.problems).join('\n'));
  const requested = (iso: string, over: Partial<MessagingEvent> = {}) =>
    evaluateMessagingTriggers(r.triggers, event({ type: 'conversation_requested', now: Date.parse(iso), message: null, ...over }, { tags: ['messaging'] }), staffed);

  it('imports as one conversation_requested trigger', () => {
    expect(r.envelope).toBe('single');
    expect(r.triggers).toHaveLength(1);
    expect(r.triggers[0].event).toBe('conversation_requested');
  });

  it('outside business hours: sends the closed message, asks for an email, tags the ticket', () => {
    const out = requested('2026-03-09T23:30:00Z'); // Mon 19:30 EDT
    expect(out.firings).toHaveLength(1);
    expect(out.firings[0].actions.map(({ type, afterSeconds }) => ({ type, afterSeconds }))).toEqual([
      { type: 'send_message', afterSeconds: 0 },
      { type: 'request_email', afterSeconds: 0 },
      { type: 'add_tags', afterSeconds: 0 },
    ]);
    expect(out.firings[0].actions[0]).toMatchObject({ text: "We're closed now; we'll reply by email" });
    expect(out.tags).toEqual(['messaging', 'after_hours']);
    expect(requested('2026-03-14T15:00:00Z').firings).toHaveLength(1); // Saturday
    expect(requested('2026-12-25T16:00:00Z').firings).toHaveLength(1); // holiday
  });

  it('within business hours, on other events, or once the session ended: nothing', () => {
    expect(requested('2026-03-09T15:00:00Z').firings).toHaveLength(0);
    expect(requested('2026-03-09T23:30:00Z', { type: 'message_sent' }).firings).toHaveLength(0);
    expect(requested('2026-03-09T23:30:00Z', { sessionState: 'ended' })).toMatchObject({ firings: [], skipped: 'session_ended' });
  });
});
