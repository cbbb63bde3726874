/**
 * The ticket trigger engine (domain/triggers/engine.ts): every operator and condition field, every
 * action, the loop (S8), rules seeing earlier rules' changes but never their messages (S14),
 * ordering, at-most-once, closed tickets, DOMAIN.md §7 recipes 2–4 as trigger JSON, and a
 * termination property.
 */
import fc from 'fast-check';
import { startConversation, handOff, endSession } from '../../domain/conversation';
import { DomainError } from '../../domain/errors';
import { DEFAULT_ACCOUNT_SETTINGS } from '../../domain/settings';
import {
  CONDITION_FIELDS,
  OPERATORS,
  VIA_MESSAGING,
  causeOf,
  evaluate,
  importTriggers,
  orderTriggers,
  triggerTicket,
  type Condition,
  type EvaluationContext,
  type TicketUpdate,
  type Trigger,
  type TriggerTicket,
  type TriggerTicketInput,
} from '../../domain/triggers';
import { ticketViewOf } from '../../domain/conversationTriggers';

const NOW = Date.parse('2025-03-03T10:00:00Z');
const always = (inside: boolean): EvaluationContext => ({ inBusinessHours: () => inside });
const ctx = always(true);

/** Imports trigger JSON the way the product will (so every test trigger is valid Zendesk JSON). */
function load(...raw: Record<string, unknown>[]): Trigger[] {
  const r = importTriggers({ triggers: raw });
  if (!r.ok) throw new Error(JSON.stringify(r.kind === 'triggers' ? r.problems : r.resources, null, 2));
  return r.triggers;
}

let nextId = 1000;
function trig(title: string, all: Condition[], actions: { field: string; value: unknown }[], extra: Record<string, unknown> = {}): Record<string, unknown> {
  nextId += 1;
  return { id: nextId, title, active: true, conditions: { all, any: [] }, actions, ...extra };
}

const base: TriggerTicketInput = { id: 't1', status: 'open', priority: 'normal', requester_id: 'req-1', group_id: 'support', subject: 'Refund for my order' };
const tk = (over: Partial<TriggerTicketInput> = {}): TriggerTicket => triggerTicket({ ...base, ...over });

function change(before: Partial<TriggerTicketInput>, after: Partial<TriggerTicketInput>, over: Partial<TicketUpdate> = {}): TicketUpdate {
  return { before: tk(before), after: tk({ ...before, ...after }), comment: null, update_type: 'Change', now: NOW, ...over };
}
function create(after: Partial<TriggerTicketInput>, over: Partial<TicketUpdate> = {}): TicketUpdate {
  return { before: null, after: tk({ status: 'new', ...after }), comment: null, update_type: 'Create', now: NOW, ...over };
}

// ---------------------------------------------------------------------------------------------
// Every operator and every condition field, one condition at a time.
// ---------------------------------------------------------------------------------------------

interface Case {
  name: string;
  cond: Condition;
  update: TicketUpdate;
  expected: boolean;
  context?: EvaluationContext;
}

const agent = { id: 'amy', role: 'agent' as const };
const C = (field: string, operator: string, value?: Condition['value']): Condition => (value === undefined ? { field, operator } : { field, operator, value });

const CASES: Case[] = [
  // status: ordered field with the whole changed family
  { name: 'status is open', cond: C('status', 'is', 'open'), update: change({}, {}), expected: true },
  { name: 'status is_not open', cond: C('status', 'is_not', 'open'), update: change({}, {}), expected: false },
  { name: 'status less_than solved (open)', cond: C('status', 'less_than', 'solved'), update: change({}, {}), expected: true },
  { name: 'status greater_than pending (open)', cond: C('status', 'greater_than', 'pending'), update: change({}, {}), expected: false },
  { name: 'status changed open→solved', cond: C('status', 'changed'), update: change({}, { status: 'solved' }), expected: true },
  { name: 'status changed on a no-op update (S8)', cond: C('status', 'changed'), update: change({}, {}), expected: false },
  { name: 'status changed on create (first-time set)', cond: C('status', 'changed'), update: create({}), expected: true },
  { name: 'status value solved (changed to)', cond: C('status', 'value', 'solved'), update: change({}, { status: 'solved' }), expected: true },
  { name: 'status value solved, already solved (no change)', cond: C('status', 'value', 'solved'), update: change({ status: 'solved' }, {}), expected: false },
  { name: 'status value_previous solved (reopened)', cond: C('status', 'value_previous', 'solved'), update: change({ status: 'solved' }, { status: 'open' }), expected: true },
  { name: 'status not_changed', cond: C('status', 'not_changed'), update: change({}, { priority: 'high' }), expected: true },
  { name: 'status not_value solved', cond: C('status', 'not_value', 'solved'), update: change({}, { status: 'pending' }), expected: true },
  { name: 'status not_value solved, it was', cond: C('status', 'not_value', 'solved'), update: change({}, { status: 'solved' }), expected: false },
  { name: 'status not_value_previous solved', cond: C('status', 'not_value_previous', 'solved'), update: change({ status: 'solved' }, { status: 'open' }), expected: false },
  { name: 'status not_value_previous solved, from pending', cond: C('status', 'not_value_previous', 'solved'), update: change({ status: 'pending' }, { status: 'open' }), expected: true },
  // priority: ordered, nullable
  { name: 'priority greater_than normal (urgent)', cond: C('priority', 'greater_than', 'normal'), update: change({}, { priority: 'urgent' }), expected: true },
  { name: 'priority less_than normal (none)', cond: C('priority', 'less_than', 'normal'), update: change({}, { priority: null }), expected: false },
  { name: 'priority is "" (none)', cond: C('priority', 'is', ''), update: change({}, { priority: null }), expected: true },
  // type, group, assignee, requester, organization, brand, form
  { name: 'type value incident', cond: C('type', 'value', 'incident'), update: change({}, { type: 'incident' }), expected: true },
  { name: 'group_id changed (first set on create)', cond: C('group_id', 'changed', ''), update: create({ group_id: 'billing' }), expected: true },
  { name: 'group_id changed: null on create is no change', cond: C('group_id', 'changed', ''), update: create({ group_id: null }), expected: false },
  { name: 'group_id is_not "" (has a group)', cond: C('group_id', 'is_not', ''), update: change({}, {}), expected: true },
  { name: 'assignee_id is "" (unassigned)', cond: C('assignee_id', 'is', ''), update: change({}, {}), expected: true },
  { name: 'assignee_id is current_user', cond: C('assignee_id', 'is', 'current_user'), update: change({}, { assignee_id: 'amy' }, { current_user: agent }), expected: true },
  { name: 'assignee_id is_not current_user (system update)', cond: C('assignee_id', 'is_not', 'current_user'), update: change({}, { assignee_id: 'amy' }), expected: true },
  { name: 'assignee_id is requester_id', cond: C('assignee_id', 'is', 'requester_id'), update: change({}, { assignee_id: 'req-1' }), expected: true },
  { name: 'assignee_id value_previous amy', cond: C('assignee_id', 'value_previous', 'amy'), update: change({ assignee_id: 'amy' }, { assignee_id: 'bob' }), expected: true },
  { name: 'requester_id is assignee_id', cond: C('requester_id', 'is', 'assignee_id'), update: change({}, { assignee_id: 'req-1' }), expected: true },
  { name: 'organization_id is 17', cond: C('organization_id', 'is', 17), update: change({}, { organization_id: '17' }), expected: true },
  { name: 'brand_id is_not 9', cond: C('brand_id', 'is_not', '9'), update: change({}, { brand_id: '9' }), expected: false },
  { name: 'ticket_form_id changed', cond: C('ticket_form_id', 'changed'), update: change({ ticket_form_id: '1' }, { ticket_form_id: '2' }), expected: true },
  // tags
  { name: 'current_tags includes one of several', cond: C('current_tags', 'includes', 'gold vip'), update: change({}, { tags: ['VIP'] }), expected: true },
  { name: 'current_tags not_includes none of several', cond: C('current_tags', 'not_includes', 'gold vip'), update: change({}, { tags: ['vip'] }), expected: false },
  // channels
  { name: 'via_id is 0 (web form; numeric value as Zendesk wrote it)', cond: C('via_id', 'is', 0), update: change({ via_id: 0 }, {}), expected: true },
  { name: 'via_id is_not 4', cond: C('via_id', 'is_not', '4'), update: change({}, {}), expected: true },
  { name: 'channel is messaging (alias)', cond: C('channel', 'is', 'messaging'), update: change({}, {}), expected: true },
  { name: 'channel is_not messaging on an email ticket', cond: C('channel', 'is_not', 'messaging'), update: change({ via_id: 4 }, {}), expected: true },
  { name: 'current_via_id is 4 (this update came by email)', cond: C('current_via_id', 'is', '4'), update: change({}, {}, { via_id: 4 }), expected: true },
  { name: 'current_via_id is_not 4 (defaults to the ticket channel)', cond: C('current_via_id', 'is_not', '4'), update: change({}, {}), expected: true },
  { name: 'recipient is (case-insensitive)', cond: C('recipient', 'is', 'support@example.com'), update: change({ recipient: 'Support@Example.com' }, {}), expected: true },
  // update type
  { name: 'update_type is Create', cond: C('update_type', 'is', 'Create'), update: create({}), expected: true },
  { name: 'update_type is Change', cond: C('update_type', 'is', 'Change'), update: create({}), expected: false },
  // comments
  { name: 'comment_is_public true', cond: C('comment_is_public', 'is', true), update: change({}, {}, { comment: { public: true, text: 'hi' } }), expected: true },
  { name: 'comment_is_public false (internal note)', cond: C('comment_is_public', 'is', 'false'), update: change({}, {}, { comment: { public: false, text: 'note' } }), expected: true },
  { name: 'comment_is_public not_relevant without comment', cond: C('comment_is_public', 'is', 'not_relevant'), update: change({}, {}), expected: false },
  {
    name: 'comment_is_public requester_can_see_comment on a note',
    cond: C('comment_is_public', 'is', 'requester_can_see_comment'),
    update: change({}, {}, { comment: { public: false, text: 'note' } }),
    expected: false,
  },
  { name: 'comment_includes_word includes a word', cond: C('comment_includes_word', 'includes', 'cancel refund'), update: change({}, {}, { comment: { public: true, text: 'I want a Refund!' } }), expected: true },
  { name: 'comment_includes_word whole words only', cond: C('comment_includes_word', 'includes', 'fund'), update: change({}, {}, { comment: { public: true, text: 'refund' } }), expected: false },
  { name: 'comment_includes_word quoted phrase', cond: C('comment_includes_word', 'includes', '"money back"'), update: change({}, {}, { comment: { public: true, text: 'I want my Money back.' } }), expected: true },
  { name: 'comment_includes_word not_includes', cond: C('comment_includes_word', 'not_includes', 'refund'), update: change({}, {}, { comment: { public: true, text: 'thanks' } }), expected: true },
  { name: 'comment_includes_word is (contains string)', cond: C('comment_includes_word', 'is', 'order #12'), update: change({}, {}, { comment: { public: true, text: 'about ORDER #123' } }), expected: true },
  { name: 'comment_includes_word is_not (no comment)', cond: C('comment_includes_word', 'is_not', 'x'), update: change({}, {}), expected: true },
  { name: 'subject_includes_word includes', cond: C('subject_includes_word', 'includes', 'refund'), update: change({}, {}), expected: true },
  { name: 'ticket_is_public is private', cond: C('ticket_is_public', 'is', 'private'), update: change({}, { is_public: false }), expected: true },
  // business hours and schedules
  { name: 'in_business_hours false, outside hours', cond: C('in_business_hours', 'is', 'false'), update: create({}), context: always(false), expected: true },
  { name: 'in_business_hours true, inside hours', cond: C('in_business_hours', 'is', 'true'), update: create({}), context: always(true), expected: true },
  {
    name: 'in_business_hours reads the ticket schedule at the update instant',
    cond: C('in_business_hours', 'is', 'true'),
    update: create({ schedule_id: 'berlin' }),
    context: { inBusinessHours: (s, t) => s === 'berlin' && t === NOW },
    expected: true,
  },
  {
    name: 'within_schedule is <id> asks that schedule',
    cond: C('within_schedule', 'is', 'la'),
    update: create({ schedule_id: 'berlin' }),
    context: { inBusinessHours: (s) => s === 'la' },
    expected: true,
  },
  { name: 'schedule_id is berlin', cond: C('schedule_id', 'is', 'berlin'), update: change({ schedule_id: 'berlin' }, {}), expected: true },
  // counters, CSAT, current user
  { name: 'reopens greater_than 1', cond: C('reopens', 'greater_than', '1'), update: change({}, { reopens: 2 }), expected: true },
  { name: 'replies less_than 3', cond: C('replies', 'less_than', 3), update: change({}, { replies: 3 }), expected: false },
  { name: 'replies is 0', cond: C('replies', 'is', '0'), update: change({}, {}), expected: true },
  { name: 'satisfaction_score value good', cond: C('satisfaction_score', 'value', 'good'), update: change({ satisfaction_score: 'offered' }, { satisfaction_score: 'good' }), expected: true },
  { name: 'role is agent (admins are agents)', cond: C('role', 'is', 'agent'), update: change({}, {}, { current_user: { id: 'ann', role: 'admin' } }), expected: true },
  { name: 'role is_not end_user (system update)', cond: C('role', 'is_not', 'end_user'), update: change({}, {}), expected: true },
  { name: 'role is <user id>', cond: C('role', 'is', 'amy'), update: change({}, {}, { current_user: agent }), expected: true },
  // custom fields
  { name: 'custom field present', cond: C('custom_fields_123', 'present'), update: change({}, { custom_fields: { '123': 'gold' } }), expected: true },
  { name: 'custom field not_present', cond: C('custom_fields_123', 'not_present', ''), update: change({}, { custom_fields: { '123': '' } }), expected: true },
  { name: 'custom field includes (multi-select)', cond: C('custom_fields_55', 'includes', 'component_a'), update: change({}, { custom_fields: { '55': ['component_a', 'component_b'] } }), expected: true },
  { name: 'custom field not_includes (drop-down)', cond: C('custom_fields_56', 'not_includes', 'free'), update: change({}, { custom_fields: { '56': 'free' } }), expected: false },
  { name: 'custom checkbox is true', cond: C('custom_fields_57', 'is', 'true'), update: change({}, { custom_fields: { '57': true } }), expected: true },
  { name: 'custom field changed (multi-select order does not matter)', cond: C('custom_fields_55', 'changed'), update: change({ custom_fields: { '55': ['a', 'b'] } }, { custom_fields: { '55': ['b', 'a'] } }), expected: false },
  // messaging fields (ours)
  { name: 'routing_channel value email', cond: C('routing_channel', 'value', 'email'), update: change({}, { routing_channel: 'email' }), expected: true },
  { name: 'messaging_session_state is inactive', cond: C('messaging_session_state', 'is', 'inactive'), update: change({}, { messaging_session_state: 'inactive' }), expected: true },
  { name: 'messaging_session_state not_present (no session)', cond: C('messaging_session_state', 'not_present'), update: change({ messaging_session_state: null }, {}), expected: true },
  {
    name: 'messaging_session_ended_reason value agent',
    cond: C('messaging_session_ended_reason', 'value', 'agent'),
    update: change({}, { messaging_session_state: 'ended', messaging_session_ended_reason: 'agent' }),
    expected: true,
  },
  { name: 'messaging_session_ended_reason not_present', cond: C('messaging_session_ended_reason', 'not_present'), update: change({}, {}), expected: true },
  {
    name: 'messaging_session_inactive_reason changed',
    cond: C('messaging_session_inactive_reason', 'changed'),
    update: change({}, { messaging_session_state: 'inactive', messaging_session_inactive_reason: 'end_user_inactivity' }),
    expected: true,
  },
];

describe('conditions: every operator and every field', () => {
  test.each(CASES.map((c) => [c.name, c] as const))('%s', (_name, c) => {
    const triggers = load(trig('probe', [c.cond], [{ field: 'current_tags', value: 'probe_fired' }]));
    const r = evaluate(triggers, c.update, c.context ?? ctx);
    expect(r.log.length === 1).toBe(c.expected);
  });

  test('the table covers every operator and every condition field of the catalogue', () => {
    const ops = new Set(CASES.map((c) => c.cond.operator));
    const fields = new Set(CASES.map((c) => c.cond.field));
    expect(OPERATORS.filter((o) => !ops.has(o))).toEqual([]);
    expect(Object.keys(CONDITION_FIELDS).filter((f) => !fields.has(f))).toEqual([]);
    expect([...fields].some((f) => f.startsWith('custom_fields_'))).toBe(true);
  });

  test('ALL and ANY: every ALL condition and at least one ANY condition; empty ANY is true', () => {
    const both = load({
      id: 1,
      title: 'all+any',
      conditions: { all: [C('status', 'is', 'open')], any: [C('priority', 'is', 'urgent'), C('current_tags', 'includes', 'vip')] },
      actions: [{ field: 'current_tags', value: 'hit' }],
    });
    expect(evaluate(both, change({}, { tags: ['vip'] }), ctx).log).toHaveLength(1);
    expect(evaluate(both, change({}, {}), ctx).log).toHaveLength(0);
    expect(evaluate(both, change({}, { status: 'pending', tags: ['vip'] }), ctx).log).toHaveLength(0);
    const anyOnly = load({ id: 2, title: 'any only', conditions: { any: [C('status', 'is', 'open')] }, actions: [{ field: 'current_tags', value: 'hit' }] });
    expect(evaluate(anyOnly, change({}, {}), ctx).log).toHaveLength(1);
  });

  test('explain: each condition\'s value and result, for fired and unfired triggers', () => {
    const triggers = load(
      trig('fires', [C('status', 'value', 'solved'), C('current_tags', 'not_includes', 'x')], [{ field: 'current_tags', value: 'done' }]),
      trig('does not', [C('priority', 'is', 'urgent')], [{ field: 'current_tags', value: 'no' }]),
    );
    const r = evaluate(triggers, change({}, { status: 'solved' }), { ...ctx, explain: true });
    expect(r.log[0].conditions).toEqual([
      { group: 'all', index: 0, field: 'status', operator: 'value', value: 'solved', actual: 'solved', previous: 'open', result: true },
      { group: 'all', index: 1, field: 'current_tags', operator: 'not_includes', value: 'x', actual: [], result: true },
    ]);
    expect(r.unfired).toEqual([
      expect.objectContaining({ title: 'does not', conditions: [expect.objectContaining({ field: 'priority', actual: 'normal', result: false })] }),
    ]);
  });
});

// ---------------------------------------------------------------------------------------------
// Actions
// ---------------------------------------------------------------------------------------------

describe('actions', () => {
  test('field actions: status, type, priority, group, assignee (id, current_user, "" unassigns), brand, form, custom field', () => {
    const [t] = load(
      trig('set fields', [C('update_type', 'is', 'Change')], [
        { field: 'status', value: 'pending' },
        { field: 'type', value: 'incident' },
        { field: 'priority', value: 'high' },
        { field: 'group_id', value: 'billing' },
        { field: 'assignee_id', value: 'current_user' },
        { field: 'brand_id', value: 9 },
        { field: 'ticket_form_id', value: '12' },
        { field: 'custom_fields_77', value: 'gold' },
      ]),
    );
    const r = evaluate([t], change({}, {}, { current_user: agent }), ctx);
    expect(r.ticket).toMatchObject({ status: 'pending', type: 'incident', priority: 'high', group_id: 'billing', assignee_id: 'amy', brand_id: '9', ticket_form_id: '12', custom_fields: { '77': 'gold' } });
    expect(r.changes.map((c) => c.field)).toEqual(['status', 'type', 'priority', 'group_id', 'assignee_id', 'brand_id', 'ticket_form_id', 'custom_fields_77']);
    const unassign = load(trig('unassign', [C('assignee_id', 'is', 'amy')], [{ field: 'assignee_id', value: '' }, { field: 'group_id', value: '__NULL__' }]));
    const u = evaluate(unassign, change({ assignee_id: 'amy' }, {}), ctx);
    expect(u.ticket).toMatchObject({ assignee_id: null, group_id: null });
    const toRequester = load(trig('assign requester', [C('status', 'is', 'open')], [{ field: 'assignee_id', value: 'requester_id' }]));
    expect(evaluate(toRequester, change({}, {}), ctx).ticket.assignee_id).toBe('req-1');
    const noUser = evaluate(load(trig('me', [C('status', 'is', 'open')], [{ field: 'assignee_id', value: 'current_user' }])), change({}, {}), ctx);
    expect(noUser.ticket.assignee_id).toBeNull();
    expect(noUser.log[0].actions).toEqual([]);
  });

  test('tags: set_tags replaces, current_tags adds, remove_tags removes (case-insensitive, space-separated)', () => {
    const add = load(trig('add', [C('status', 'is', 'open')], [{ field: 'current_tags', value: 'b  c' }]));
    expect(evaluate(add, change({}, { tags: ['a', 'B'] }), ctx).ticket.tags).toEqual(['a', 'B', 'c']);
    const remove = load(trig('remove', [C('status', 'is', 'open')], [{ field: 'remove_tags', value: 'A c' }]));
    expect(evaluate(remove, change({}, { tags: ['a', 'b', 'c'] }), ctx).ticket.tags).toEqual(['b']);
    const set = load(trig('set', [C('status', 'is', 'open')], [{ field: 'set_tags', value: 'x y' }]));
    const r = evaluate(set, change({}, { tags: ['a'] }), ctx);
    expect(r.ticket.tags).toEqual(['x', 'y']);
    expect(r.log[0].actions).toEqual([{ index: 0, field: 'set_tags', value: 'x y', changes: [{ field: 'tags', from: ['a'], to: ['x', 'y'] }] }]);
  });

  test('side effects come back as effects with provenance: notifications, webhook, CSAT, schedule, comment', () => {
    const [t] = load(
      trig(
        'all effects',
        [C('status', 'is', 'open')],
        [
          { field: 'notification_user', value: ['requester_id', 'Re: {{ticket.title}}', 'Body'] },
          { field: 'notification_group', value: ['group_id', 'New ticket', 'Body'] },
          { field: 'notification_webhook', value: ['01GWEBHOOK', '{"id": "{{ticket.id}}"}'] },
          { field: 'satisfaction_score', value: 'offered_to_requester' },
          { field: 'set_schedule', value: 'berlin' },
          { field: 'comment_value', value: 'Internal: checked' },
          { field: 'comment_mode_is_public', value: 'false' },
          { field: 'comment_value_html', value: ['channel:all', '<p>Hi</p>'] },
        ],
        { revision: 3 },
      ),
    );
    const r = evaluate([t], change({}, {}), ctx);
    const source = { triggerId: String(t.id), title: 'all effects', revision: 3 };
    expect(r.effects).toEqual([
      { type: 'notify_user', recipient: 'requester_id', subject: 'Re: {{ticket.title}}', body: 'Body', source, key: `${t.id}/0` },
      { type: 'notify_group', group: 'group_id', subject: 'New ticket', body: 'Body', source, key: `${t.id}/1` },
      { type: 'notify_webhook', webhookId: '01GWEBHOOK', body: '{"id": "{{ticket.id}}"}', source, key: `${t.id}/2` },
      { type: 'send_satisfaction_survey', channel: 'messaging', source, key: `${t.id}/3` },
      { type: 'set_schedule', scheduleId: 'berlin', source, key: `${t.id}/4` },
      { type: 'add_comment', text: 'Internal: checked', html: false, public: false, source, key: `${t.id}/5` },
      { type: 'add_comment', text: '<p>Hi</p>', html: true, public: false, source, key: `${t.id}/7` },
    ]);
    expect(r.ticket).toMatchObject({ satisfaction_score: 'offered', schedule_id: 'berlin' });
    expect(r.log[0].actions.map((a) => a.field)).not.toContain('comment_mode_is_public');
    expect(causeOf(source)).toEqual({ type: 'trigger', triggerId: String(t.id), revision: 3 });
  });

  test('messaging_session end_session and routing_channel email (ours) end a live session once; no-ops are not logged', () => {
    const end = load(trig('end', [C('channel', 'is', 'messaging')], [{ field: 'messaging_session', value: 'end_session' }]));
    const r = evaluate(end, change({}, {}), ctx);
    expect(r.ticket).toMatchObject({ messaging_session_state: 'ended', messaging_session_ended_reason: 'trigger', routing_channel: 'messaging' });
    expect(r.effects.map((e) => e.type)).toEqual(['end_session']);
    const already = evaluate(end, change({ messaging_session_state: 'ended', messaging_session_ended_reason: 'agent' }, {}), ctx);
    expect(already.effects).toEqual([]);
    expect(already.log[0].actions).toEqual([]);
    const email = load(trig('email', [C('channel', 'is', 'messaging')], [{ field: 'routing_channel', value: 'email' }]));
    const e = evaluate(email, change({}, {}), ctx);
    expect(e.ticket).toMatchObject({ routing_channel: 'email', messaging_session_state: 'ended', messaging_session_ended_reason: 'trigger' });
    expect(e.effects).toEqual([expect.objectContaining({ type: 'set_routing_channel', routingChannel: 'email', endsSession: true })]);
    const endedAlready = evaluate(email, change({ messaging_session_state: 'ended', messaging_session_ended_reason: 'agent' }, {}), ctx);
    expect(endedAlready.effects).toEqual([expect.objectContaining({ type: 'set_routing_channel', endsSession: false })]);
  });

  test('only actions that changed something are logged; setting a field to its value changes nothing', () => {
    const t = load(trig('noop', [C('status', 'is', 'open')], [{ field: 'status', value: 'open' }, { field: 'priority', value: 'high' }]));
    const r = evaluate(t, change({}, {}), ctx);
    expect(r.log[0].actions).toEqual([{ index: 1, field: 'priority', value: 'high', changes: [{ field: 'priority', from: 'normal', to: 'high' }] }]);
  });

  test('the caller\'s ticket objects are never changed', () => {
    const t = load(trig('tag', [C('status', 'is', 'open')], [{ field: 'current_tags', value: 'x' }, { field: 'custom_fields_1', value: 'v' }]));
    const u = change({}, {});
    const snapshot = JSON.stringify(u);
    evaluate(t, u, ctx);
    expect(JSON.stringify(u)).toBe(snapshot);
  });
});

// ---------------------------------------------------------------------------------------------
// The loop, ordering, at-most-once, closed tickets
// ---------------------------------------------------------------------------------------------

describe('S8 — trigger loops and no-op updates', () => {
  const A = { id: 101, title: 'A: vip → priority_queue', active: true, position: 1, conditions: { all: [C('current_tags', 'includes', 'vip')], any: [] }, actions: [{ field: 'current_tags', value: 'priority_queue' }] };
  const B = {
    id: 102,
    title: 'B: priority_queue → urgent + vip',
    active: true,
    position: 2,
    conditions: { all: [C('current_tags', 'includes', 'priority_queue')], any: [] },
    actions: [
      { field: 'priority', value: 'urgent' },
      { field: 'current_tags', value: 'vip' },
    ],
  };

  test('S8: one update adds vip; A and B fire once each, the loop ends, the log names each trigger id', () => {
    const r = evaluate(load(A, B), change({}, { tags: ['vip'] }), ctx);
    expect(r.log.map((f) => [f.triggerId, f.pass])).toEqual([
      ['101', 1],
      ['102', 2],
    ]);
    expect(r.passes).toBe(3);
    expect(r.ticket).toMatchObject({ tags: ['vip', 'priority_queue'], priority: 'urgent' });
    // B's "add vip" changed nothing, so only its priority action is logged.
    expect(r.log[1].actions.map((a) => a.field)).toEqual(['priority']);
    expect(r.changes).toEqual([
      { field: 'priority', from: 'normal', to: 'urgent' },
      { field: 'tags', from: ['vip'], to: ['vip', 'priority_queue'] },
    ]);
  });

  test('S8: an update that changes nothing fires no "changed" condition', () => {
    const fields = ['status', 'priority', 'group_id', 'assignee_id', 'type', 'routing_channel', 'messaging_session_state', 'custom_fields_9'];
    const triggers = load(
      ...fields.flatMap((f) => [
        trig(`${f} changed`, [C(f, 'changed')], [{ field: 'current_tags', value: `${f}_changed` }]),
        trig(`${f} changed to`, [C(f, 'value', f === 'status' ? 'open' : f === 'priority' ? 'normal' : f === 'routing_channel' ? 'messaging' : f === 'messaging_session_state' ? 'active' : f === 'type' ? 'task' : 'x')], [
          { field: 'current_tags', value: `${f}_value` },
        ]),
      ]),
    );
    const same = { assignee_id: 'amy', type: 'task' as const, custom_fields: { '9': 'x' }, tags: ['a'] };
    const r = evaluate(triggers, change(same, {}, { comment: { public: true, text: 'just a comment' } }), ctx);
    expect(r.log).toEqual([]);
    expect(r.passes).toBe(1);
  });
});

describe('S14 — rules see earlier rules\' ticket changes, never their messages', () => {
  const A = trig('A: web form ticket received', [C('update_type', 'is', 'Create'), C('via_id', 'is', '0')], [
    { field: 'notification_user', value: ['requester_id', 'Ticket received', 'We got your request.'] },
  ]);
  const B = trig('B: please use the form', [C('update_type', 'is', 'Create'), C('via_id', 'is', '4')], [
    { field: 'notification_user', value: ['requester_id', 'Please use the form', 'Use the web form next time.'] },
  ]);

  test('S14: a web-form ticket is created: only A fires; A\'s email is not seen as an email update', () => {
    const r = evaluate(load(A, B), create({ via_id: 0 }), ctx);
    expect(r.log.map((f) => f.title)).toEqual(['A: web form ticket received']);
    expect(r.effects).toEqual([expect.objectContaining({ type: 'notify_user', subject: 'Ticket received' })]);
  });

  test('S14: comment conditions read the update\'s own comment, not comments triggers add; field changes are seen', () => {
    const adds = trig('adds a public comment and a tag', [C('update_type', 'is', 'Create')], [
      { field: 'comment_value', value: 'Please use the form' },
      { field: 'current_tags', value: 'auto_replied' },
    ]);
    const readsComment = trig('reads comment', [C('comment_includes_word', 'includes', 'form')], [{ field: 'current_tags', value: 'saw_comment' }]);
    const readsPublic = trig('reads comment mode', [C('comment_is_public', 'is', 'true')], [{ field: 'current_tags', value: 'saw_public' }]);
    const readsTag = trig('reads tag', [C('current_tags', 'includes', 'auto_replied')], [{ field: 'current_tags', value: 'saw_tag' }]);
    const r = evaluate(load(adds, readsComment, readsPublic, readsTag), create({ via_id: 0 }), ctx);
    expect(r.log.map((f) => f.title)).toEqual(['adds a public comment and a tag', 'reads tag']);
    expect(r.ticket.tags).toEqual(['auto_replied', 'saw_tag']);
  });
});

describe('ordering by category, then position', () => {
  const tagger = (id: number, title: string, extra: Record<string, unknown>) =>
    ({ id, title, active: true, conditions: { all: [C('status', 'is', 'open')] }, actions: [{ field: 'current_tags', value: `t${id}` }], ...extra });

  test('categories in categoryOrder, then unlisted categories by id, then no category; position within; inactive skipped', () => {
    const triggers = load(
      tagger(1, 'no category', { position: 0 }),
      tagger(2, 'cat 300 pos 1', { category_id: '300', position: 1 }),
      tagger(3, 'cat 100 pos 2', { category_id: '100', position: 2 }),
      tagger(4, 'cat 100 pos 1', { category_id: '100', position: 1 }),
      tagger(5, 'cat 200 pos 0', { category_id: '200', position: 0 }),
      tagger(6, 'cat 100 inactive', { category_id: '100', position: 0, active: false }),
      tagger(7, 'cat 100 no position', { category_id: '100' }),
      tagger(8, 'cat 20 pos 5 (unlisted, smaller id)', { category_id: '20', position: 5 }),
    );
    const r = evaluate(triggers, change({}, {}), { ...ctx, categoryOrder: ['200', '100'] });
    expect(r.log.map((f) => f.triggerId)).toEqual(['5', '4', '3', '7', '8', '2', '1']);
    expect(orderTriggers(triggers.map((trigger) => ({ trigger }))).map((t) => t.trigger.id)).toEqual([8, 4, 3, 7, 5, 2, 1]);
  });

  test('equal positions fall back to id, then to list order', () => {
    const triggers = load(tagger(20, 'b', { position: 1 }), tagger(3, 'a', { position: 1 }));
    expect(evaluate(triggers, change({}, {}), ctx).log.map((f) => f.triggerId)).toEqual(['3', '20']);
  });

  test('a later trigger sees an earlier trigger\'s change; an earlier one sees a later one\'s after the restart', () => {
    const first = { id: 1, title: 'first: urgent → tag', position: 1, conditions: { all: [C('priority', 'is', 'urgent')] }, actions: [{ field: 'current_tags', value: 'urgent_seen' }] };
    const second = { id: 2, title: 'second: vip → urgent', position: 2, conditions: { all: [C('current_tags', 'includes', 'vip')] }, actions: [{ field: 'priority', value: 'urgent' }] };
    const r = evaluate(load(first, second), change({}, { tags: ['vip'] }), ctx);
    expect(r.log.map((f) => [f.triggerId, f.pass])).toEqual([
      ['2', 1],
      ['1', 2],
    ]);
  });
});

describe('at most once per update', () => {
  test('two triggers that undo each other fire once each and stop', () => {
    const ping = trig('ping', [C('current_tags', 'includes', 'a')], [{ field: 'remove_tags', value: 'a' }, { field: 'current_tags', value: 'b' }]);
    const pong = trig('pong', [C('current_tags', 'includes', 'b')], [{ field: 'remove_tags', value: 'b' }, { field: 'current_tags', value: 'a' }]);
    const r = evaluate(load(ping, pong), change({}, { tags: ['a'] }), ctx);
    expect(r.log.map((f) => f.title)).toEqual(['ping', 'pong']);
    expect(r.ticket.tags).toEqual(['a']);
    expect(r.changes).toEqual([]);
  });

  test('a trigger whose actions change nothing still counts as fired and does not restart the pass', () => {
    const notify = trig('notify', [C('status', 'is', 'open')], [{ field: 'notification_user', value: ['requester_id', 's', 'b'] }]);
    const r = evaluate(load(notify), change({}, {}), ctx);
    expect(r.log).toHaveLength(1);
    expect(r.effects).toHaveLength(1);
    expect(r.passes).toBe(2);
  });
});

describe('closed tickets', () => {
  const tagger = trig('tag any update', [C('update_type', 'is', 'Change')], [{ field: 'current_tags', value: 'seen' }]);
  const onClose = trig('on close', [C('status', 'value', 'closed')], [{ field: 'notification_user', value: ['requester_id', 'Closed', 'Bye'] }]);

  test('no trigger runs on a ticket that was closed before the update', () => {
    const r = evaluate(load(tagger, onClose), change({ status: 'closed' }, { tags: ['x'] }), ctx);
    expect(r).toMatchObject({ skipped: 'ticket_closed', log: [], effects: [], passes: 0 });
    expect(r.ticket.tags).toEqual(['x']);
  });

  test('the update that closes the ticket runs triggers', () => {
    const r = evaluate(load(tagger, onClose), change({ status: 'solved' }, { status: 'closed' }), ctx);
    expect(r.log.map((f) => f.title)).toEqual(['tag any update', 'on close']);
  });

  test('a trigger that closes the ticket does not stop later triggers of the same update', () => {
    const closer = trig('closer', [C('current_tags', 'includes', 'spam')], [{ field: 'status', value: 'closed' }]);
    const r = evaluate(load(closer, onClose), change({}, { tags: ['spam'] }), ctx);
    expect(r.log.map((f) => f.title)).toEqual(['closer', 'on close']);
    expect(r.ticket.status).toBe('closed');
  });
});

describe('input checks', () => {
  test('update_type must match before (Create exactly when before is null)', () => {
    const t = load(trig('x', [C('status', 'is', 'open')], [{ field: 'current_tags', value: 'x' }]));
    expect(() => evaluate(t, { ...change({}, {}), update_type: 'Create' }, ctx)).toThrow(DomainError);
  });

  test('a trigger that did not come through import is checked before it runs', () => {
    const bad = { title: 'bad', conditions: { all: [C('stauts', 'is', 'open')] }, actions: [{ field: 'status', value: 'open' }] } as Trigger;
    expect(() => evaluate([bad], change({}, {}), ctx)).toThrow(/unknown condition field "stauts"/);
  });
});

// ---------------------------------------------------------------------------------------------
// DOMAIN.md §7 recipes 2–4, as trigger JSON an admin would import.
// ---------------------------------------------------------------------------------------------

const RECIPE_2 = {
  id: 7002,
  title: 'Messaging tickets created outside business hours',
  active: true,
  position: 1,
  conditions: {
    all: [
      { field: 'update_type', operator: 'is', value: 'Create' },
      { field: 'channel', operator: 'is', value: 'messaging' },
      { field: 'in_business_hours', operator: 'is', value: 'false' },
    ],
    any: [],
  },
  actions: [
    { field: 'messaging_session', value: 'end_session' },
    { field: 'current_tags', value: 'after_hours' },
  ],
};
const RECIPE_3 = {
  id: 7003,
  title: 'Tag ended messaging sessions',
  active: true,
  position: 2,
  conditions: {
    all: [
      { field: 'channel', operator: 'is', value: 'messaging' },
      { field: 'messaging_session_ended_reason', operator: 'changed', value: null },
    ],
    any: [],
  },
  actions: [{ field: 'current_tags', value: 'session_ended' }],
};
const RECIPE_4 = {
  id: 7004,
  title: 'CSAT when the session ends or the ticket is solved',
  active: true,
  position: 3,
  conditions: {
    all: [],
    any: [
      { field: 'status', operator: 'value', value: 'solved' },
      { field: 'messaging_session_ended_reason', operator: 'value', value: 'agent' },
    ],
  },
  actions: [{ field: 'satisfaction_score', value: 'offered_to_requester' }],
};

describe('DOMAIN.md §7 recipes as trigger JSON', () => {
  const recipes = load(RECIPE_2, RECIPE_3, RECIPE_4);

  test('recipe 2: a messaging ticket created outside business hours → End session + tag (and recipe 3 tags the end)', () => {
    const r = evaluate(recipes, create({ status: 'new' }), always(false));
    expect(r.log.map((f) => [f.triggerId, f.pass])).toEqual([
      ['7002', 1],
      ['7003', 2],
    ]);
    expect(r.ticket).toMatchObject({ messaging_session_state: 'ended', messaging_session_ended_reason: 'trigger', tags: ['after_hours', 'session_ended'] });
    expect(r.effects).toEqual([{ type: 'end_session', source: { triggerId: '7002', title: RECIPE_2.title }, key: '7002/0' }]);
    expect(evaluate(recipes, create({ status: 'new' }), always(true)).log).toEqual([]);
    expect(evaluate(recipes, create({ status: 'new', via_id: 4 }), always(false)).log).toEqual([]);
  });

  test('recipe 2 variant: + Set routing channel email', () => {
    const variant = load({ ...RECIPE_2, actions: [{ field: 'routing_channel', value: 'email' }, { field: 'current_tags', value: 'after_hours' }] });
    const r = evaluate(variant, create({ status: 'new' }), always(false));
    expect(r.ticket).toMatchObject({ routing_channel: 'email', messaging_session_state: 'ended' });
    expect(r.effects).toEqual([expect.objectContaining({ type: 'set_routing_channel', endsSession: true })]);
  });

  test('recipe 3: ended reason changed → tag, for every reason; not on later updates', () => {
    for (const reason of ['agent', 'end_user', 'inactivity'] as const) {
      const r = evaluate(recipes, change({}, { messaging_session_state: 'ended', messaging_session_ended_reason: reason }), ctx);
      expect(r.ticket.tags).toContain('session_ended');
    }
    const later = evaluate(recipes, change({ messaging_session_state: 'ended', messaging_session_ended_reason: 'agent', satisfaction_score: 'offered' }, { priority: 'high' }), ctx);
    expect(later.log).toEqual([]);
  });

  test('recipe 4: CSAT on ANY [status changed to solved, ended reason changed to agent], by email once the session ended', () => {
    const byAgent = evaluate(recipes, change({}, { messaging_session_state: 'ended', messaging_session_ended_reason: 'agent' }), ctx);
    expect(byAgent.effects).toEqual([expect.objectContaining({ type: 'send_satisfaction_survey', channel: 'email', source: expect.objectContaining({ triggerId: '7004' }) })]);
    expect(byAgent.ticket.satisfaction_score).toBe('offered');
    const solved = evaluate(recipes, change({}, { status: 'solved' }), ctx);
    expect(solved.effects.map((e) => e.type)).toEqual(['send_satisfaction_survey']);
    const byInactivity = evaluate(recipes, change({}, { messaging_session_state: 'ended', messaging_session_ended_reason: 'inactivity' }), ctx);
    expect(byInactivity.effects).toEqual([]);
    // At most one survey: once offered, solving later sends nothing (DOMAIN.md §9 rule 4).
    const again = evaluate(recipes, change({ satisfaction_score: 'offered', messaging_session_state: 'ended', messaging_session_ended_reason: 'agent' }, { status: 'solved' }), ctx);
    expect(again.log.map((f) => f.triggerId)).toEqual(['7004']);
    expect(again.effects).toEqual([]);
  });
});

test('ticketViewOf: the trigger view of a conversation before and after an agent ends the session', () => {
  const cause = { type: 'request', requestId: 'r' } as const;
  const { state } = startConversation({ conversationId: 'c1', threadId: 'th' }, { messageId: 'm1', text: 'hi', author: { id: 'u1' }, cause }, '2025-03-03T10:00:00.000Z');
  expect(ticketViewOf(state)).toBeNull();
  handOff(state, { actor: { type: 'ai_agent' }, cause, tags: ['vip'] }, DEFAULT_ACCOUNT_SETTINGS, '2025-03-03T10:00:01.000Z');
  const before = ticketViewOf(state, { schedule_id: 'berlin' });
  expect(before).toMatchObject({ id: 'c1', status: 'new', via_id: VIA_MESSAGING, routing_channel: 'messaging', messaging_session_state: 'active', tags: ['vip'], requester_id: 'u1', schedule_id: 'berlin' });
  state.ticket!.assigneeId = 'amy';
  endSession(state, { actor: { type: 'agent', id: 'amy' }, reason: 'agent', cause }, DEFAULT_ACCOUNT_SETTINGS, '2025-03-03T10:05:00.000Z');
  const after = ticketViewOf(state)!;
  expect(after).toMatchObject({ messaging_session_state: 'ended', messaging_session_ended_reason: 'agent', satisfaction_score: 'unoffered', is_public: true });
  const r = evaluate(load(RECIPE_3, RECIPE_4), { before, after, comment: null, update_type: 'Change', now: NOW, current_user: agent }, ctx);
  expect(r.log.map((f) => f.triggerId)).toEqual(['7003', '7004']);
  expect(r.effects.map((e) => e.type)).toEqual(['send_satisfaction_survey']);
});

test('ticketViewOf: a survey the conversation already sent shows as offered, so recipe 4 sends no second one', () => {
  const cause = { type: 'request', requestId: 'r' } as const;
  const { state } = startConversation(
    { conversationId: 'c2', threadId: 'th' },
    { messageId: 'm1', text: 'hi', author: { id: 'u1', email: 'u1@example.com' }, cause },
    '2025-03-03T10:00:00.000Z',
  );
  handOff(state, { actor: { type: 'ai_agent' }, cause }, DEFAULT_ACCOUNT_SETTINGS, '2025-03-03T10:00:01.000Z');
  const before = ticketViewOf(state);
  state.ticket!.assigneeId = 'amy';
  endSession(state, { actor: { type: 'agent', id: 'amy' }, reason: 'agent', cause }, DEFAULT_ACCOUNT_SETTINGS, '2025-03-03T10:05:00.000Z');
  const after = ticketViewOf(state)!;
  expect(after.satisfaction_score).toBe('offered');
  const r = evaluate(load(RECIPE_4), { before, after, comment: null, update_type: 'Change', now: NOW, current_user: agent }, ctx);
  expect(r.log.map((f) => f.triggerId)).toEqual(['7004']);
  expect(r.effects).toEqual([]);
});

// ---------------------------------------------------------------------------------------------
// Termination property
// ---------------------------------------------------------------------------------------------

const TAGS = ['a', 'b', 'c', 'd', 'e', 'f'];

test('property: any set of ≤ 20 random tag triggers terminates, each firing at most once, ending at a fixpoint', () => {
  const triggerArb = fc.record({
    cond: fc.constantFrom('includes', 'not_includes'),
    when: fc.constantFrom(...TAGS),
    action: fc.constantFrom('current_tags', 'current_tags', 'remove_tags'),
    tag: fc.constantFrom(...TAGS),
    position: fc.integer({ min: 0, max: 5 }),
  });
  fc.assert(
    fc.property(fc.array(triggerArb, { maxLength: 20 }), fc.subarray(TAGS), fc.boolean(), (specs, initial, created) => {
      const triggers = load(
        ...specs.map((s, i) => ({
          id: i + 1,
          title: `T${i + 1}`,
          position: s.position,
          conditions: { all: [C('current_tags', s.cond, s.when)] },
          actions: [{ field: s.action, value: s.tag }],
        })),
      );
      const update = created ? create({ tags: initial }) : change({}, { tags: initial });
      const r = evaluate(triggers, update, { ...ctx, explain: true });
      const ids = r.log.map((f) => f.triggerId);
      expect(new Set(ids).size).toBe(ids.length);
      expect(r.passes).toBeLessThanOrEqual(specs.length + 1);
      // Every trigger that did not fire is false on the final ticket: the last pass fired nothing.
      expect(r.unfired!.every((u) => u.conditions.some((c) => !c.result))).toBe(true);
    }),
    { numRuns: 300 },
  );
});
