/**
 * Triggers applied to a conversation (domain/conversationTriggers.ts): the shipped recipes
 * (examples/triggers/recipes.json) end sessions through the same path as agents, with reason
 * `trigger` and provenance; field changes reach the ticket and routing; notifications, webhooks,
 * surveys and comments become effects with stable idempotency keys; no-op updates run nothing.
 */
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { evaluateWith } from '../../config/evaluate';
import type { ConfigSnapshot } from '../../config/types';
import * as rules from '../../domain/conversation';
import { applyTriggerRun, placeholdersOf, ticketUpdateOf, ticketViewOf, type TriggerRun } from '../../domain/conversationTriggers';
import { parseScheduleBook } from '../../domain/schedules';
import { DEFAULT_ACCOUNT_SETTINGS } from '../../domain/settings';
import { importTriggers, type Trigger, type TriggerTicket } from '../../domain/triggers';
import type { Actor } from '../../domain/vocabulary';

const root = path.resolve(__dirname, '../..');
const read = (p: string): unknown => JSON.parse(readFileSync(path.join(root, p), 'utf8'));
const recipes = (() => {
  const r = importTriggers(read('examples/triggers/recipes.json'));
  if (!r.ok) throw new Error('recipes do not import');
  return r.triggers;
})();
const schedules = parseScheduleBook(read('examples/schedules/business-hours.json'));

// Monday 2026-11-30: 10:00 Berlin is open, 20:00 Berlin is closed.
const OPEN = '2026-11-30T09:00:00.000Z';
const CLOSED = '2026-11-30T19:00:00.000Z';
const cause = { type: 'request', requestId: 'r' } as const;
const settings = { ...DEFAULT_ACCOUNT_SETTINGS, csat_on_session_end: false };

function snapshot(triggers: Trigger[], revision = 3): ConfigSnapshot {
  return { revision, triggers, categoryOrder: [], schedules, webhooks: [] };
}

function conversation(email?: string): rules.ConversationState {
  return rules.startConversation(
    { conversationId: 'c1', threadId: 'th1' },
    { messageId: 'm1', text: 'My order is late', author: { id: 'u1', name: 'Ann Lee', ...(email ? { email } : {}) }, cause },
    OPEN,
  ).state;
}

/** Runs `change` as a ticket update with triggers, as the workflow does; returns the run and effects. */
function update(
  state: rules.ConversationState,
  config: ConfigSnapshot,
  at: string,
  actor: Actor,
  change: () => unknown,
  comment: { public: boolean; text: string } | null = null,
): { run: TriggerRun | null; effects: rules.Effect[] } {
  const before: TriggerTicket | null = ticketViewOf(state);
  change();
  const u = ticketUpdateOf(state, before, { actor, comment }, Date.parse(at));
  if (!u) return { run: null, effects: [] };
  const r = evaluateWith(config, u);
  const run: TriggerRun = { revision: config.revision, triggerCount: config.triggers.length, messagingTriggerCount: 0, changes: r.changes, effects: r.effects, log: r.log, passes: r.passes, skipped: r.skipped };
  return { run, effects: applyTriggerRun(state, run, settings, at, state.events.length) };
}

const handOff = (state: rules.ConversationState) => () => rules.handOff(state, { actor: { type: 'ai_agent' }, cause }, settings, state.session.startedAt);

describe('recipe 2: messaging tickets created outside business hours', () => {
  test('outside hours: the session ends (reason trigger, trigger as cause), tags, a message, routing told; provenance recorded', () => {
    const state = conversation('ann@example.com');
    state.session.startedAt = CLOSED;
    const { run, effects } = update(state, snapshot(recipes), CLOSED, { type: 'ai_agent' }, handOff(state));
    expect(run!.log.map((f) => f.triggerId)).toEqual(['7002', '7033']);
    expect(state.session.state).toBe('ended');
    expect(state.session.end).toMatchObject({ reason: 'trigger', endedBy: { type: 'trigger', id: '7002' }, cause: { type: 'trigger', triggerId: '7002' } });
    expect(state.ticket!.tags).toEqual(['after_hours', 'session_ended', 'session_ended_by_trigger']);
    // End session + Set routing channel: email in one run: one end, recorded with the email channel.
    expect(state.ticket!.routingChannel).toBe('email');
    expect(state.session.end!.routingChannel).toBe('email');
    expect(state.events.filter((e) => e.type === 'session_ended')).toHaveLength(1);
    const fired = state.events.filter((e) => e.type === 'trigger_fired');
    expect(fired.map((e) => [e.data.triggerId, e.data.configRevision, e.actor])).toEqual([
      ['7002', 3, { type: 'trigger', id: '7002' }],
      ['7033', 3, { type: 'trigger', id: '7033' }],
    ]);
    // The message goes out through the messaging channel before the end; routing hears of the end.
    const kinds = effects.map((e) => e.type);
    expect(kinds).toContain('deliver_to_channel');
    expect(kinds).toContain('routing_update');
    expect(kinds).toContain('session_ended_notice');
    expect(kinds.indexOf('deliver_to_channel')).toBeLessThan(kinds.indexOf('session_ended_notice'));
    const routing = effects.filter((e) => e.type === 'routing_update').pop() as Extract<rules.Effect, { type: 'routing_update' }>;
    expect(routing.ticket).toMatchObject({ sessionState: 'ended', routingChannel: 'email', tags: ['after_hours', 'session_ended', 'session_ended_by_trigger'] });
  });

  test('inside business hours nothing fires; with no schedule configured the account counts as always open', () => {
    const inside = conversation();
    expect(update(inside, snapshot(recipes), OPEN, { type: 'ai_agent' }, handOff(inside)).run!.log).toEqual([]);
    const noSchedule = conversation();
    noSchedule.session.startedAt = CLOSED;
    const r = update(noSchedule, { ...snapshot(recipes), schedules: [] }, CLOSED, { type: 'ai_agent' }, handOff(noSchedule));
    expect(r.run!.log).toEqual([]);
    expect(noSchedule.session.state).toBe('active');
  });
});

describe('recipes 3 and 4 on an agent end', () => {
  test('the reporting tag and one survey by email; a later solve sends no second survey', () => {
    const state = conversation('ann@example.com');
    update(state, snapshot(recipes), OPEN, { type: 'ai_agent' }, handOff(state));
    rules.assign(state, 'amy', { type: 'routing', decision: 'test' }, OPEN);
    const agent: Actor = { type: 'agent', id: 'amy' };
    const end = update(state, snapshot(recipes), OPEN, agent, () => rules.endSession(state, { actor: agent, reason: 'agent', cause }, settings, OPEN));
    expect(end.run!.log.map((f) => f.triggerId)).toEqual(['7031', '7004']);
    expect(state.ticket!.tags).toEqual(['session_ended', 'session_ended_by_agent']);
    expect(end.effects.filter((e) => e.type === 'send_csat')).toEqual([
      { type: 'send_csat', idempotencyKey: 'csat:c1', to: 'ann@example.com', ticketId: 'c1', requesterName: 'Ann Lee' },
    ]);
    const solve = update(state, snapshot(recipes), OPEN, agent, () => rules.updateTicket(state, { status: 'solved' }, agent, cause, settings, OPEN));
    expect(solve.run!.log.map((f) => f.triggerId)).toEqual(['7004']);
    expect(solve.effects.filter((e) => e.type === 'send_csat')).toEqual([]);
    expect(state.events.filter((e) => e.type === 'csat_sent')).toHaveLength(1);
  });

  test('no requester email: the survey is skipped with the reason', () => {
    const state = conversation();
    update(state, snapshot(recipes), OPEN, { type: 'ai_agent' }, handOff(state));
    const agent: Actor = { type: 'agent', id: 'amy' };
    update(state, snapshot(recipes), OPEN, agent, () => rules.endSession(state, { actor: agent, reason: 'agent', cause }, settings, OPEN));
    expect(state.csat).toMatchObject({ status: 'skipped', reason: 'requester has no email address' });
  });
});

test('a no-op update runs no triggers (DOMAIN.md §9 rule 6); a comment alone does', () => {
  const state = conversation();
  update(state, snapshot(recipes), OPEN, { type: 'ai_agent' }, handOff(state));
  const agent: Actor = { type: 'agent', id: 'amy' };
  const before = ticketViewOf(state);
  expect(ticketUpdateOf(state, before, { actor: agent }, Date.parse(OPEN))).toBeNull();
  const withComment = ticketUpdateOf(state, before, { actor: agent, comment: { public: false, text: 'note' } }, Date.parse(OPEN));
  expect(withComment).toMatchObject({ update_type: 'Change', current_user: { id: 'amy', role: 'agent' }, comment: { public: false, text: 'note' } });
});

describe('actions', () => {
  const T = (id: number, actions: Trigger['actions'], all: NonNullable<Trigger['conditions']['all']> = [{ field: 'update_type', operator: 'is', value: 'Create' }]): Trigger => ({
    id,
    title: `t${id}`,
    conditions: { all, any: [] },
    actions,
  });

  test('field changes reach the ticket and routing; group null falls back to the default group', () => {
    const state = conversation();
    const trigger = T(1, [
      { field: 'priority', value: 'urgent' },
      { field: 'group_id', value: 'billing' },
      { field: 'type', value: 'incident' },
      { field: 'custom_fields_360001', value: 'gold' },
      { field: 'set_schedule', value: 'berlin-office' },
    ]);
    const { effects } = update(state, snapshot([trigger]), OPEN, { type: 'ai_agent' }, handOff(state));
    expect(state.ticket).toMatchObject({ priority: 'urgent', groupId: 'billing', type: 'incident', customFields: { '360001': 'gold' }, scheduleId: 'berlin-office' });
    expect(ticketViewOf(state)).toMatchObject({ priority: 'urgent', group_id: 'billing', type: 'incident', schedule_id: 'berlin-office', custom_fields: { '360001': 'gold' } });
    const routing = effects.filter((e) => e.type === 'routing_update');
    expect(routing).toHaveLength(1);
    expect((routing[0] as Extract<rules.Effect, { type: 'routing_update' }>).ticket).toMatchObject({ priority: 'urgent', groupId: 'billing' });
  });

  test('notifications: requester by email with placeholders kept for rendering; agents and groups skipped with a reason', () => {
    const state = conversation('ann@example.com');
    const trigger = T(2, [
      { field: 'notification_user', value: ['requester_id', 'Ticket {{ticket.id}}', 'Hi {{ticket.requester.name}}'] },
      { field: 'notification_user', value: ['assignee_id', 'New ticket', 'x'] },
      { field: 'notification_group', value: ['group_id', 'New ticket', 'x'] },
    ]);
    const { effects } = update(state, snapshot([trigger]), OPEN, { type: 'ai_agent' }, handOff(state));
    const sent = effects.filter((e) => e.type === 'send_notification');
    expect(sent).toEqual([
      expect.objectContaining({ to: 'ann@example.com', subject: 'Ticket {{ticket.id}}', body: 'Hi {{ticket.requester.name}}', idempotencyKey: expect.stringMatching(/^trigger:c1:\d+:2\/0$/), triggerId: '2' }),
    ]);
    expect((sent[0] as Extract<rules.Effect, { type: 'send_notification' }>).placeholders).toMatchObject({ ticket: { id: 'c1', requester: { name: 'Ann Lee', first_name: 'Ann' } } });
    expect(state.events.filter((e) => e.type === 'notification_skipped').map((e) => e.data.key)).toEqual(['2/1', '2/2']);
  });

  test('webhook: one effect with a key stable for the update; replaying the same run gives the same key', () => {
    const state = conversation();
    const trigger = T(3, [{ field: 'notification_webhook', value: ['wh1', '{"ticket":"{{ticket.id}}"}'] }]);
    const { effects } = update(state, snapshot([trigger]), OPEN, { type: 'ai_agent' }, handOff(state));
    const hook = effects.find((e) => e.type === 'call_webhook') as Extract<rules.Effect, { type: 'call_webhook' }>;
    expect(hook).toMatchObject({ webhookId: 'wh1', body: '{"ticket":"{{ticket.id}}"}', triggerId: '3' });
    const seq = Number(hook.idempotencyKey.split(':')[2]);
    expect(state.events[seq - 1].type).not.toBe('trigger_fired');
    expect(state.events[seq].type).toBe('trigger_fired');
  });

  test('set routing channel email on a live session ends it through the same path (reason trigger) with the channel email', () => {
    const state = conversation();
    const trigger = T(4, [{ field: 'routing_channel', value: 'email' }]);
    update(state, snapshot([trigger]), OPEN, { type: 'ai_agent' }, handOff(state));
    expect(state.session.end).toMatchObject({ reason: 'trigger', routingChannel: 'email' });
    expect(state.ticket!.routingChannel).toBe('email');
    expect(state.events.filter((e) => e.type === 'session_ended')).toHaveLength(1);
  });

  test('a trigger comment after the end goes by email when the requester has one, else as an internal note', () => {
    for (const email of ['ann@example.com', undefined]) {
      const state = conversation(email);
      update(state, snapshot([]), OPEN, { type: 'ai_agent' }, handOff(state));
      const agent: Actor = { type: 'agent', id: 'amy' };
      const trigger = T(5, [{ field: 'comment_value', value: 'We will follow up by email.' }], [{ field: 'messaging_session_state', operator: 'changed', value: null }]);
      const { effects } = update(state, snapshot([trigger]), OPEN, agent, () => rules.endSession(state, { actor: agent, reason: 'agent', cause }, settings, OPEN));
      const last = state.messages[state.messages.length - 1];
      expect(last).toMatchObject({ author: { type: 'trigger', id: '5' }, channel: email ? 'email' : 'internal', text: 'We will follow up by email.' });
      expect(effects.some((e) => e.type === 'send_email')).toBe(!!email);
    }
  });

  test('a trigger that closes the ticket records the close and tells the thread', () => {
    const state = conversation();
    const trigger = T(6, [{ field: 'status', value: 'closed' }]);
    const { effects } = update(state, snapshot([trigger]), OPEN, { type: 'ai_agent' }, handOff(state));
    expect(state.ticket!.status).toBe('closed');
    expect(state.events.some((e) => e.type === 'ticket_closed' && e.actor.type === 'trigger')).toBe(true);
    expect(effects.some((e) => e.type === 'ticket_closed_notice')).toBe(true);
  });
});

test('placeholders name the requester and the ticket as Zendesk does', () => {
  const state = conversation('ann@example.com');
  handOff(state)();
  rules.agentReply(state, { agentId: 'amy', text: 'Looking into it', visibility: 'public', messageId: 'r1', cause }, OPEN);
  rules.agentReply(state, { agentId: 'amy', text: 'secret note', visibility: 'internal', messageId: 'n1', cause }, OPEN);
  const ticket = placeholdersOf(state).ticket as Record<string, unknown>;
  expect(ticket.latest_comment).toBe('Looking into it');
  expect(ticket.comments_formatted).toBe(`amy, ${OPEN}\n\nLooking into it\n\nAnn Lee, ${OPEN}\n\nMy order is late`);
  expect(placeholdersOf(state)).toMatchObject({
    ticket: { id: 'c1', title: 'My order is late', status: 'new', requester: { name: 'Ann Lee', email: 'ann@example.com' }, via: 'Messaging' },
  });
});
