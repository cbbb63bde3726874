/**
 * Routing channel and capacity effects of ending a session (DOMAIN.md §3, §5), S1 and S9.
 */
import type { Actor } from '../../domain/vocabulary';
import { assigned, eventually, startHarness, type Harness } from '../helpers/parley';

let h: Harness;
let n = 0;
beforeAll(async () => {
  h = await startHarness();
});
afterAll(async () => h?.stop());

const request = { type: 'request', requestId: 'test' } as const;
const agent = (id: string): Actor => ({ type: 'agent', id });

async function newTicket(groupId: string): Promise<{ threadId: string; conversationId: string }> {
  n += 1;
  const threadId = `${h.prefix}-r${n}`;
  const r = await h.parley.ingestEndUserMessage(threadId, {
    message: { messageId: `${threadId}-m1`, text: 'help', author: { id: `${threadId}-user`, email: `${threadId}@example.com` }, cause: request },
  });
  await h.parley.handOffThread(threadId, { eventId: `${threadId}-h`, handOff: { actor: { type: 'system' }, cause: request, groupId } });
  return { threadId, conversationId: r.conversationId };
}

const useOf = async (agentId: string) => (await h.parley.getRouting()).agents.find((a) => a.id === agentId)?.use;

test('S9: freed messaging capacity goes to the waiting ticket at once; use never exceeds the limit', async () => {
  await h.parley.upsertAgent({ id: 'solo', status: 'online', groups: ['g-s9'], capacity: { messaging: 1, email: 5 } });
  const a = await newTicket('g-s9');
  await assigned(h, a.conversationId);
  const b = await newTicket('g-s9');
  const queued = await eventually(async () => (await h.parley.getRouting()).queue.find((t) => t.ticketId === b.conversationId));
  expect(queued.assigneeId).toBeNull();
  expect(await useOf('solo')).toEqual({ messaging: 1, email: 0 });
  const endedAt = Date.now();
  await h.parley.endSession(a.conversationId, { actor: agent('solo'), reason: 'agent', cause: request });
  const view = await assigned(h, b.conversationId);
  expect(view.ticket?.assigneeId).toBe('solo');
  expect(Date.now() - endedAt).toBeLessThan(10_000);
  expect(await useOf('solo')).toEqual({ messaging: 1, email: 0 });
  expect((await h.parley.getRouting()).peakUse.solo.messaging).toBe(1);
});

test('route_agent_ended_sessions_as_email off: routing channel stays messaging, ticket leaves every queue, messaging capacity released', async () => {
  await h.parley.patchSettings({ route_agent_ended_sessions_as_email: false });
  await h.parley.upsertAgent({ id: 'off-agent', status: 'online', groups: ['g-off'], capacity: { messaging: 2, email: 2 } });
  const t = await newTicket('g-off');
  await assigned(h, t.conversationId);
  expect(await useOf('off-agent')).toEqual({ messaging: 1, email: 0 });
  const r = await h.parley.endSession(t.conversationId, { actor: agent('off-agent'), reason: 'agent', cause: request });
  expect(r.end.routingChannel).toBe('messaging');
  await eventually(async () => (await useOf('off-agent'))?.messaging === 0);
  const routing = await h.parley.getRouting();
  expect(routing.queue.some((q) => q.ticketId === t.conversationId)).toBe(false);
  expect((await h.parley.getConversation(t.conversationId)).ticket).toMatchObject({ routingChannel: 'messaging', assigneeId: 'off-agent', via: 'messaging' });
});

test('route_agent_ended_sessions_as_email on: routing channel email, stays assigned, counts as one email ticket; visible to operators by search attributes', async () => {
  await h.parley.patchSettings({ route_agent_ended_sessions_as_email: true });
  try {
    await h.parley.upsertAgent({ id: 'on-agent', status: 'online', groups: ['g-on'], capacity: { messaging: 2, email: 2 } });
    const t = await newTicket('g-on');
    await assigned(h, t.conversationId);
    const r = await h.parley.endSession(t.conversationId, { actor: agent('on-agent'), reason: 'agent', cause: request });
    expect(r.end.routingChannel).toBe('email');
    await eventually(async () => {
      const use = await useOf('on-agent');
      return use?.messaging === 0 && use.email === 1;
    });
    const view = await h.parley.getConversation(t.conversationId);
    expect(view.ticket).toMatchObject({ routingChannel: 'email', assigneeId: 'on-agent', status: 'open', via: 'messaging' });
    const rows = await eventually(async () => {
      const found = await h.parley.listConversations('SessionEndedReason = "agent" AND RoutingChannel = "email"');
      return found.some((row) => row.conversationId === t.conversationId) ? found : null;
    });
    expect(rows.every((row) => row.searchAttributes.RoutingChannel === 'email')).toBe(true);
    // Only agent-ended sessions switch: an inactivity end keeps routing channel messaging.
    const u = await newTicket('g-on');
    const byTimer = await h.parley.endSession(u.conversationId, { actor: { type: 'system' }, reason: 'inactivity', cause: request });
    expect(byTimer.end.routingChannel).toBe('messaging');
  } finally {
    await h.parley.patchSettings({ route_agent_ended_sessions_as_email: false });
  }
});

test('S1: a stale widget message after the end opens a new conversation routed by current availability; the old ticket is unchanged', async () => {
  await h.parley.upsertAgent({ id: 's1-old', status: 'online', groups: ['g-s1'], capacity: { messaging: 3, email: 3 } });
  const t = await newTicket('g-s1');
  await assigned(h, t.conversationId);
  await h.parley.endSession(t.conversationId, { actor: agent('s1-old'), reason: 'agent', cause: request });
  await h.parley.setAgentStatus('s1-old', 'offline');
  await h.parley.upsertAgent({ id: 's1-new', status: 'online', groups: ['g-s1'], capacity: { messaging: 3, email: 3 } });
  const before = (await h.parley.getConversation(t.conversationId)).ticket;
  const late = await h.parley.ingestEndUserMessage(t.threadId, {
    message: { messageId: `${t.threadId}-still-there`, text: 'are you still there?', author: { id: `${t.threadId}-user` }, cause: request },
  });
  expect(late.status).toBe('accepted');
  expect(late.newConversation).toBe(true);
  expect(late.conversationId).not.toBe(t.conversationId);
  const old = await h.parley.getConversation(t.conversationId);
  expect(old.messages.some((m) => m.id === `${t.threadId}-still-there`)).toBe(false);
  expect(old.ticket).toMatchObject({ status: before?.status, assigneeId: 's1-old' });
  const fresh = await h.parley.getConversation(late.conversationId);
  expect(fresh.messages.map((m) => m.id)).toContain(`${t.threadId}-still-there`);
  await h.parley.handOffThread(t.threadId, { eventId: `${t.threadId}-h2`, handOff: { actor: { type: 'system' }, cause: request, groupId: 'g-s1' } });
  const routed = await assigned(h, late.conversationId);
  expect(routed.ticket?.assigneeId).toBe('s1-new');
  expect(routed.ticket?.id).not.toBe(t.conversationId);
});

test('route_agent_ended_sessions_as_email applies only to sessions ended after it was turned on', async () => {
  await h.parley.patchSettings({ route_agent_ended_sessions_as_email: false });
  await h.parley.upsertAgent({ id: 'switch-agent', status: 'online', groups: ['g-switch'], capacity: { messaging: 3, email: 3 } });
  const early = await newTicket('g-switch');
  const late = await newTicket('g-switch');
  await assigned(h, early.conversationId);
  await assigned(h, late.conversationId);
  await h.parley.endSession(early.conversationId, { actor: agent('switch-agent'), reason: 'agent', cause: request });
  await h.parley.patchSettings({ route_agent_ended_sessions_as_email: true });
  try {
    await h.parley.endSession(late.conversationId, { actor: agent('switch-agent'), reason: 'agent', cause: request });
    expect((await h.parley.getConversation(early.conversationId)).ticket?.routingChannel).toBe('messaging');
    expect((await h.parley.getConversation(late.conversationId)).ticket?.routingChannel).toBe('email');
    await eventually(async () => {
      const use = await useOf('switch-agent');
      return use?.messaging === 0 && use.email === 1;
    });
  } finally {
    await h.parley.patchSettings({ route_agent_ended_sessions_as_email: false });
  }
});
