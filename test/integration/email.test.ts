/**
 * Email on a ticket after the session ended (DOMAIN.md §3, §9 rule 2): scenario S12 (an
 * out-of-office auto-reply is recorded but changes nothing) and S13 (our own trigger notification
 * coming back is never ingested as a customer message); a real requester reply reopens and runs
 * triggers once.
 */
import type { Trigger } from '../../domain/triggers';
import type { Actor } from '../../domain/vocabulary';
import { buildServer } from '../../server/app';
import { TestConfig } from '../helpers/config';
import { assigned, eventually, startHarness, type Harness } from '../helpers/parley';

const config = new TestConfig();
let h: Harness;
let n = 0;
const request = { type: 'request', requestId: 'test' } as const;
const amy: Actor = { type: 'agent', id: 'amy' };

const notifyOnStatus = (id: number): Trigger => ({
  id,
  title: `Notify requester on status change ${id}`,
  conditions: { all: [{ field: 'status', operator: 'changed' }, { field: 'update_type', operator: 'is', value: 'Change' }], any: [] },
  actions: [{ field: 'notification_user', value: ['requester_id', `[{{ticket.id}}] status ${id}`, 'Your ticket is now {{ticket.status}}.'] }],
});
const tagOnReply: Trigger = {
  id: 3,
  title: 'Tag email replies',
  conditions: { all: [{ field: 'comment_is_public', operator: 'is', value: 'true' }, { field: 'current_via_id', operator: 'is', value: 4 }], any: [] },
  actions: [{ field: 'current_tags', value: 'replied_by_email' }],
};

beforeAll(async () => {
  h = await startHarness({ config });
  await h.parley.upsertAgent({ id: 'amy', status: 'online', groups: ['support'], capacity: { messaging: 5, email: 5 } });
  await h.parley.patchSettings({ route_agent_ended_sessions_as_email: true, csat_on_session_end: false });
  config.set({ triggers: [notifyOnStatus(1), notifyOnStatus(2), tagOnReply] });
});
afterAll(async () => h?.stop());

/** A ticket whose session an agent ended (routed as email), now pending. */
async function pendingEmailTicket(): Promise<string> {
  n += 1;
  const threadId = `${h.prefix}-t${n}`;
  const r = await h.parley.ingestEndUserMessage(threadId, {
    message: { messageId: `${threadId}-m1`, text: 'Where is my parcel?', author: { id: `${threadId}-u`, email: `${threadId}@example.com` }, cause: request },
  });
  await h.parley.handOffThread(threadId, { eventId: `${threadId}-h`, handOff: { actor: { type: 'system' }, cause: request } });
  await assigned(h, r.conversationId);
  await h.parley.endSession(r.conversationId, { actor: amy, reason: 'agent', cause: request });
  await h.parley.updateTicket(r.conversationId, { changes: { status: 'pending' }, actor: amy, cause: request });
  return r.conversationId;
}

test('S12: an out-of-office auto-reply is recorded; status stays pending, same assignee, no routing change, no triggers', async () => {
  const id = await pendingEmailTicket();
  const before = await h.parley.getConversation(id);
  expect(before.ticket).toMatchObject({ status: 'pending', routingChannel: 'email', assigneeId: 'amy' });
  const routingBefore = (await h.parley.getRouting()).agents.find((a) => a.id === 'amy')!.use;
  const r = await h.parley.receiveEmail(id, {
    messageId: `<ooo-${id}@mail.example.com>`,
    from: before.requester.email!,
    subject: 'Out of office',
    text: 'I am away until Monday.',
    headers: { 'Auto-Submitted': 'auto-replied' },
    cause: request,
  });
  expect(r.outcome).toBe('auto_reply');
  const after = await h.parley.getConversation(id);
  expect(after.ticket).toMatchObject({ status: 'pending', assigneeId: 'amy', routingChannel: 'email' });
  expect(after.messages.length).toBe(before.messages.length);
  expect(after.events.filter((e) => e.type === 'email_auto_reply')).toHaveLength(1);
  expect(after.events.filter((e) => e.type === 'trigger_fired').length).toBe(before.events.filter((e) => e.type === 'trigger_fired').length);
  expect((await h.parley.getRouting()).agents.find((a) => a.id === 'amy')!.use).toEqual(routingBefore);
  // Precedence: auto_reply and X-Autoreply are auto-replies too.
  for (const headers of [{ Precedence: 'auto_reply' }, { 'X-Autoreply': 'yes' }] as Record<string, string>[]) {
    const again = await h.parley.receiveEmail(id, { messageId: `<${JSON.stringify(headers)}-${id}>`, from: before.requester.email!, text: 'away', headers, cause: request });
    expect(again.outcome).toBe('auto_reply');
  }
  expect((await h.parley.getConversation(id)).ticket!.status).toBe('pending');
});

test('S13: two triggers email the requester; the notification coming back is ignored; a real reply reopens once and runs triggers', async () => {
  const id = await pendingEmailTicket();
  const notices = await eventually(async () => {
    const mails = h.emails.filter((m) => m.subject.startsWith(`[${id}] status`) && m.text === 'Your ticket is now pending.');
    return mails.length === 2 ? mails : null;
  });
  expect(notices.map((m) => m.subject).sort()).toEqual([`[${id}] status 1`, `[${id}] status 2`]);
  const view = await h.parley.getConversation(id);
  const bounced = await h.parley.receiveEmail(id, {
    messageId: '<bounce-1@mail.example.com>',
    from: view.requester.email!,
    subject: `Re: ${notices[0].subject}`,
    text: notices[0].text,
    headers: { 'X-Parley-Idempotency-Key': notices[0].idempotencyKey },
    cause: request,
  });
  expect(bounced.outcome).toBe('own_message');
  const ownId = await h.parley.receiveEmail(id, { messageId: '<trigger_x-1234@parley.local>', from: view.requester.email!, text: 'loop', cause: request });
  expect(ownId.outcome).toBe('own_message');
  const afterBounce = await h.parley.getConversation(id);
  expect(afterBounce.ticket!.status).toBe('pending');
  expect(afterBounce.messages.length).toBe(view.messages.length);
  expect(afterBounce.events.filter((e) => e.type === 'email_ignored')).toHaveLength(2);

  const reply = { messageId: `<reply-${id}@mail.example.com>`, from: view.requester.email!, subject: 'Re: your ticket', text: 'Still nothing arrived.', cause: request };
  expect((await h.parley.receiveEmail(id, reply)).outcome).toBe('requester_reply');
  expect((await h.parley.receiveEmail(id, reply)).outcome).toBe('requester_reply');
  const reopened = await h.parley.getConversation(id);
  expect(reopened.ticket!.status).toBe('open');
  expect(reopened.ticket!.tags).toContain('replied_by_email');
  expect(reopened.messages.filter((m) => m.channel === 'email' && m.direction === 'inbound')).toHaveLength(1);
  // Status changes: assignment (new → open), pending, the reopen (pending → open): 3 firings each.
  const fired = reopened.events.filter((e) => e.type === 'trigger_fired').map((e) => e.data.triggerId);
  expect(fired.filter((t) => t === '1')).toHaveLength(3);
  expect(fired.filter((t) => t === '2')).toHaveLength(3);
  expect(fired.filter((t) => t === '3')).toHaveLength(1);
});

test('bad input: a sender that is not an email is a 400-class error; no ticket yet is refused', async () => {
  n += 1;
  const threadId = `${h.prefix}-t${n}`;
  const r = await h.parley.ingestEndUserMessage(threadId, { message: { messageId: `${threadId}-m1`, text: 'hi', author: { id: 'u' }, cause: request } });
  await expect(h.parley.receiveEmail(r.conversationId, { messageId: '<x@y.z>', from: 'a@b.co', text: 'x', cause: request })).rejects.toMatchObject({ code: 'invalid_state' });
  const app = buildServer({ parley: h.parley });
  const bad = await app.inject({ method: 'POST', url: `/conversations/${r.conversationId}/emails`, payload: { messageId: '<x@y.z>', from: 'not-an-address', text: 'x' } });
  expect(bad.statusCode).toBe(400);
  expect(bad.json().issues[0].path).toBe('$.from');
  const noTicket = await app.inject({ method: 'POST', url: `/conversations/${r.conversationId}/emails`, payload: { messageId: '<x@y.z>', from: 'a@b.co', text: 'x' } });
  expect(noTicket.statusCode).toBe(409);
});
