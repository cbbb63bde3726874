/** Unit tests of the conversation rules (domain/conversation.ts), no Temporal involved. */
import * as rules from '../../domain/conversation';
import { DomainError } from '../../domain/errors';
import { DEFAULT_ACCOUNT_SETTINGS, applySettingsPatch } from '../../domain/settings';

const T0 = '2025-03-01T10:00:00.000Z';
const T1 = '2025-03-01T10:05:00.000Z';
const cause = { type: 'request', requestId: 'r' } as const;

function conversationWithTicket(email?: string): rules.ConversationState {
  const { state } = rules.startConversation(
    { conversationId: 'th-1', threadId: 'th' },
    { messageId: 'm1', text: 'hello', author: { id: 'u1', ...(email ? { email } : {}) }, cause },
    T0,
  );
  rules.handOff(state, { actor: { type: 'system' }, cause }, DEFAULT_ACCOUNT_SETTINGS, T0);
  rules.assign(state, 'amy', { type: 'routing', decision: 'x' }, T0);
  return state;
}

test('first message asks the AI agent for a turn; hand-off creates a new messaging ticket and a routing update', () => {
  const { state, effects } = rules.startConversation({ conversationId: 'c', threadId: 't' }, { messageId: 'm1', text: 'hi', author: { id: 'u' }, cause }, T0);
  expect(effects.map((e) => e.type)).toEqual(['ai_agent_turn']);
  const { ticket, created, effects: fx } = rules.handOff(state, { actor: { type: 'ai_agent' }, cause }, DEFAULT_ACCOUNT_SETTINGS, T0);
  expect(created).toBe(true);
  expect(ticket).toMatchObject({ status: 'new', via: 'messaging', routingChannel: 'messaging', groupId: 'support' });
  expect(fx.map((e) => e.type)).toEqual(['routing_update']);
  expect(rules.handOff(state, { actor: { type: 'ai_agent' }, cause }, DEFAULT_ACCOUNT_SETTINGS, T1).created).toBe(false);
});

test('assignment opens a new ticket', () => {
  expect(conversationWithTicket().ticket).toMatchObject({ status: 'open', assigneeId: 'amy' });
});

test('agent end with route-as-email on: routing channel email, status unchanged, routing update says session ended', () => {
  const state = conversationWithTicket('a@example.com');
  const settings = applySettingsPatch(DEFAULT_ACCOUNT_SETTINGS, { route_agent_ended_sessions_as_email: true });
  const r = rules.endSession(state, { actor: { type: 'agent', id: 'amy' }, reason: 'agent', cause }, settings, T1);
  expect(r.end).toMatchObject({ reason: 'agent', routingChannel: 'email', endedAt: T1 });
  expect(state.ticket).toMatchObject({ status: 'open', routingChannel: 'email', assigneeId: 'amy' });
  const routing = r.effects.find((e) => e.type === 'routing_update');
  expect(routing).toMatchObject({ ticket: { sessionState: 'ended', routingChannel: 'email' } });
  expect(r.effects.map((e) => e.type)).toEqual(['routing_update', 'send_csat', 'session_ended_notice']);
  expect(r.effects.some((e) => e.type === 'deliver_to_channel')).toBe(false);
});

test('route-as-email applies to agent ends only; the "set routing channel: email" request always switches', () => {
  const settings = applySettingsPatch(DEFAULT_ACCOUNT_SETTINGS, { route_agent_ended_sessions_as_email: true });
  const a = conversationWithTicket();
  rules.endSession(a, { actor: { type: 'system' }, reason: 'inactivity', cause }, settings, T1);
  expect(a.ticket?.routingChannel).toBe('messaging');
  const b = conversationWithTicket();
  rules.endSession(b, { actor: { type: 'trigger', id: '9' }, reason: 'trigger', cause, routingChannel: 'email' }, DEFAULT_ACCOUNT_SETTINGS, T1);
  expect(b.ticket?.routingChannel).toBe('email');
});

test('ending twice reports the first end and records nothing', () => {
  const state = conversationWithTicket();
  const first = rules.endSession(state, { actor: { type: 'agent', id: 'amy' }, reason: 'agent', cause }, DEFAULT_ACCOUNT_SETTINGS, T1);
  const events = state.events.length;
  const second = rules.endSession(state, { actor: { type: 'system' }, reason: 'inactivity', cause }, DEFAULT_ACCOUNT_SETTINGS, T1);
  expect(second).toEqual({ alreadyEnded: true, end: first.end, effects: [] });
  expect(state.events.length).toBe(events);
});

test('refused messages after the end; closed tickets refuse everything', () => {
  const state = conversationWithTicket();
  rules.endSession(state, { actor: { type: 'agent', id: 'amy' }, reason: 'agent', cause }, DEFAULT_ACCOUNT_SETTINGS, T1);
  expect(rules.receiveEndUserMessage(state, { messageId: 'm2', text: 'x', author: { id: 'u1' }, cause }, T1)).toBe('session_ended');
  rules.updateTicket(state, { status: 'closed' }, { type: 'system' }, cause, DEFAULT_ACCOUNT_SETTINGS, T1);
  expect(rules.receiveEndUserMessage(state, { messageId: 'm3', text: 'x', author: { id: 'u1' }, cause }, T1)).toBe('ticket_closed');
  expect(() => rules.agentReply(state, { agentId: 'amy', text: 'x', visibility: 'internal', messageId: 'n', cause }, T1)).toThrow(DomainError);
});

test('actor must fit the reason; settings gate agents and end users', () => {
  const state = conversationWithTicket();
  expect(() => rules.endSession(state, { actor: { type: 'system' }, reason: 'agent', cause }, DEFAULT_ACCOUNT_SETTINGS, T1)).toThrow(/needs an actor of type agent/);
  const off = applySettingsPatch(DEFAULT_ACCOUNT_SETTINGS, { agents_can_end_sessions: false });
  expect(() => rules.endSession(state, { actor: { type: 'agent', id: 'a' }, reason: 'agent', cause }, off, T1)).toThrow(/agents_can_end_sessions/);
  expect(() => rules.endSession(state, { actor: { type: 'end_user', id: 'u1' }, reason: 'end_user', cause }, DEFAULT_ACCOUNT_SETTINGS, T1)).toThrow(/end_users_can_end_sessions/);
  expect(state.session.state).toBe('active');
});

test('inactivity marks inactive; an end-user message reactivates; a no-op ticket update records nothing', () => {
  const state = conversationWithTicket();
  const fx = rules.markInactive(state, { type: 'timer', name: 'inactivity', firedAt: T1 }, T1);
  expect(state.session.state).toBe('inactive');
  expect(fx[0]).toMatchObject({ type: 'routing_update', ticket: { sessionState: 'inactive' } });
  const again = rules.receiveEndUserMessage(state, { messageId: 'm2', text: 'back', author: { id: 'u1' }, cause }, T1);
  expect(Array.isArray(again)).toBe(true);
  expect(state.session.state).toBe('active');
  const events = state.events.length;
  expect(rules.updateTicket(state, { status: 'open' }, { type: 'agent', id: 'amy' }, cause, DEFAULT_ACCOUNT_SETTINGS, T1).changed).toEqual([]);
  expect(state.events.length).toBe(events);
});

test('composer defaults follow the session and the requester email', () => {
  const withEmail = conversationWithTicket('a@b.c');
  const without = conversationWithTicket();
  expect(rules.composerFor(withEmail).defaultReplyMode).toBe('messaging');
  for (const s of [withEmail, without]) rules.endSession(s, { actor: { type: 'agent', id: 'amy' }, reason: 'agent', cause }, DEFAULT_ACCOUNT_SETTINGS, T1);
  expect(rules.composerFor(withEmail)).toEqual({ messagingEnabled: false, defaultReplyMode: 'public_reply_email', internalNotesEnabled: true });
  expect(rules.composerFor(without).defaultReplyMode).toBe('internal_note');
});

test('CSAT at most once per conversation: agent end sends, later solve does not', () => {
  const state = conversationWithTicket('a@b.c');
  const end = rules.endSession(state, { actor: { type: 'agent', id: 'amy' }, reason: 'agent', cause }, DEFAULT_ACCOUNT_SETTINGS, T1);
  expect(end.effects.filter((e) => e.type === 'send_csat')).toHaveLength(1);
  const solve = rules.updateTicket(state, { status: 'solved' }, { type: 'agent', id: 'amy' }, cause, DEFAULT_ACCOUNT_SETTINGS, T1);
  expect(solve.effects.filter((e) => e.type === 'send_csat')).toHaveLength(0);
});

test('an end-user reply reopens a pending or solved ticket (counts against capacity again); on-hold stays on hold', () => {
  for (const status of ['pending', 'solved', 'hold'] as const) {
    const state = conversationWithTicket();
    rules.updateTicket(state, { status }, { type: 'agent', id: 'amy' }, cause, DEFAULT_ACCOUNT_SETTINGS, T0);
    const fx = rules.receiveEndUserMessage(state, { messageId: `m-${status}`, text: 'still broken', author: { id: 'u1' }, cause }, T1);
    const expected = status === 'hold' ? 'hold' : 'open';
    expect(state.ticket?.status).toBe(expected);
    if (status !== 'hold') {
      expect(fx).toEqual([expect.objectContaining({ type: 'routing_update', ticket: expect.objectContaining({ status: 'open' }) })]);
      expect(state.events.at(-1)).toMatchObject({ type: 'ticket_updated', actor: { type: 'end_user', id: 'u1' }, data: { previous: { status } } });
    }
  }
});

test('size budget: a full conversation refuses end-user messages (the thread opens a new one) and agent messages (409)', () => {
  const state = conversationWithTicket();
  // Control characters take 6 bytes each in JSON: the budget is measured on the serialized state.
  for (const big of ['x'.repeat(15_000), '\u0001'.repeat(16_000), '"'.repeat(16_000)]) {
    const s = conversationWithTicket();
    let i = 0;
    while (rules.receiveEndUserMessage(s, { messageId: `b${'i'.repeat(100)}${i}`, text: big, author: { id: 'u1' }, cause }, T1) !== 'conversation_full') i++;
    expect(rules.utf8Bytes(JSON.stringify(s))).toBeLessThan(1_500_000);
    expect(s.sizeBytes).toBeLessThanOrEqual(rules.CONVERSATION_BUDGET.bytes);
  }
  const big = 'x'.repeat(15_000);
  while (rules.receiveEndUserMessage(state, { messageId: `m${state.messages.length}`, text: big, author: { id: 'u1' }, cause }, T1) !== 'conversation_full');
  expect(() => rules.agentReply(state, { agentId: 'amy', text: big, visibility: 'public', messageId: 'r', cause }, T1)).toThrow(/size budget/);
  expect(rules.utf8Bytes('é😀a')).toBe(2 + 4 + 1);
});

test('a later hand-off naming another group moves a still unassigned ticket; an assigned one stays', () => {
  const { state } = rules.startConversation({ conversationId: 'c', threadId: 't' }, { messageId: 'm1', text: 'agent please', author: { id: 'u' }, cause }, T0);
  rules.handOff(state, { actor: { type: 'ai_agent' }, cause }, DEFAULT_ACCOUNT_SETTINGS, T0);
  expect(state.ticket?.groupId).toBe('support');
  const moved = rules.handOff(state, { actor: { type: 'agent', id: 'brand' }, cause, groupId: 'brand' }, DEFAULT_ACCOUNT_SETTINGS, T1);
  expect(moved.created).toBe(false);
  expect(state.ticket?.groupId).toBe('brand');
  expect(moved.effects).toEqual([expect.objectContaining({ type: 'routing_update', ticket: expect.objectContaining({ groupId: 'brand' }) })]);
  rules.assign(state, 'amy', { type: 'routing', decision: 'x' }, T1);
  expect(rules.handOff(state, { actor: { type: 'system' }, cause, groupId: 'other' }, DEFAULT_ACCOUNT_SETTINGS, T1).effects).toEqual([]);
  expect(state.ticket?.groupId).toBe('brand');
});

test('many small messages: the message-count budget also keeps the serialized state far below 2 MB', () => {
  const state = conversationWithTicket();
  const id = (i: number) => `${'m'.repeat(120)}${i}`;
  let i = 0;
  while (rules.receiveEndUserMessage(state, { messageId: id(i), text: '"\u0001'.repeat(40), author: { id: 'u'.repeat(128) }, cause }, T1) !== 'conversation_full') i++;
  expect(rules.utf8Bytes(JSON.stringify(state))).toBeLessThan(1_500_000);
  expect(() => rules.updateTicket(state, { addTags: ['x'] }, { type: 'agent', id: 'a' }, cause, DEFAULT_ACCOUNT_SETTINGS, T1)).toThrow(/size budget/);
  expect(rules.updateTicket(state, { status: 'solved' }, { type: 'agent', id: 'a' }, cause, DEFAULT_ACCOUNT_SETTINGS, T1).changed).toEqual(['status']);
});

test('a ticket carries at most 200 tags', () => {
  const state = conversationWithTicket();
  const tags = Array.from({ length: 201 }, (_, i) => `t${i}`);
  expect(() => rules.updateTicket(state, { addTags: tags }, { type: 'agent', id: 'a' }, cause, DEFAULT_ACCOUNT_SETTINGS, T1)).toThrow(/at most 200 tags/);
});

test('closing a ticket ends a live session with it (reason from who closed it), once, without CSAT', () => {
  const byAgent = conversationWithTicket('a@example.com');
  const r = rules.updateTicket(byAgent, { status: 'closed' }, { type: 'agent', id: 'amy' }, cause, DEFAULT_ACCOUNT_SETTINGS, T1);
  expect(byAgent.session).toMatchObject({ state: 'ended', end: { reason: 'agent', endedBy: { type: 'agent', id: 'amy' } } });
  expect(byAgent.events.filter((e) => e.type === 'session_ended')).toHaveLength(1);
  expect(byAgent.events.map((e) => e.type).slice(-2)).toEqual(['session_ended', 'ticket_closed']);
  expect(r.effects.map((e) => e.type)).toEqual(['routing_update', 'routing_update', 'session_ended_notice', 'ticket_closed_notice']);
  expect(byAgent.csat.status).toBe('none');
  const byTimer = conversationWithTicket();
  rules.updateTicket(byTimer, { status: 'solved' }, { type: 'agent', id: 'amy' }, cause, DEFAULT_ACCOUNT_SETTINGS, T0);
  rules.markInactive(byTimer, { type: 'timer', name: 'inactivity', firedAt: T1 }, T1);
  rules.updateTicket(byTimer, { status: 'closed' }, { type: 'system' }, { type: 'timer', name: 'close_solved', firedAt: T1 }, DEFAULT_ACCOUNT_SETTINGS, T1);
  expect(byTimer.session.end).toMatchObject({ reason: 'inactivity', endedBy: { type: 'system' } });
  const ended = conversationWithTicket();
  rules.endSession(ended, { actor: { type: 'agent', id: 'amy' }, reason: 'agent', cause }, DEFAULT_ACCOUNT_SETTINGS, T0);
  rules.updateTicket(ended, { status: 'closed' }, { type: 'agent', id: 'amy' }, cause, DEFAULT_ACCOUNT_SETTINGS, T1);
  expect(ended.events.filter((e) => e.type === 'session_ended')).toHaveLength(1);
});
