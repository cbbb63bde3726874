/**
 * Ending a messaging session: every effect of DOMAIN.md §3, against the run's dev server.
 */
import { ParleyError } from '../../client/errors';
import type { Actor } from '../../domain/vocabulary';
import { assigned, eventually, startHarness, type Harness } from '../helpers/parley';

let h: Harness;
let n = 0;
beforeAll(async () => {
  h = await startHarness();
});
afterAll(async () => h?.stop());

const request = { type: 'request', requestId: 'test' } as const;
const agentActor = (id: string): Actor => ({ type: 'agent', id });

/** A thread with one conversation handed off to agents; returns ids. */
async function handedOff(opts: { email?: string; groupId?: string } = {}): Promise<{ threadId: string; conversationId: string }> {
  n += 1;
  const threadId = `${h.prefix}-t${n}`;
  const r = await h.parley.ingestEndUserMessage(threadId, {
    message: { messageId: `${threadId}-m1`, text: 'My order never arrived', author: { id: `${threadId}-user`, ...(opts.email ? { email: opts.email } : {}) }, cause: request },
  });
  await h.parley.handOffThread(threadId, { eventId: `${threadId}-handoff`, handOff: { actor: { type: 'system' }, cause: request, ...(opts.groupId ? { groupId: opts.groupId } : {}) } });
  return { threadId, conversationId: r.conversationId };
}

async function expectCode(promise: Promise<unknown>, code: string): Promise<void> {
  await expect(promise).rejects.toBeInstanceOf(ParleyError);
  await promise.catch((err: ParleyError) => expect(err.code).toBe(code));
}

describe('ending a session (DOMAIN.md §3)', () => {
  beforeAll(async () => {
    await h.parley.upsertAgent({ id: 'amy', status: 'online', groups: ['support'], capacity: { messaging: 5, email: 5 } });
  });

  test('agent end: session ended with who/when/why, status unchanged, one session_ended event with actor and cause', async () => {
    const { conversationId } = await handedOff({ email: 'ann@example.com' });
    const before = await assigned(h, conversationId);
    expect(before.ticket?.status).toBe('open');
    const result = await h.parley.endSession(conversationId, { actor: agentActor('amy'), reason: 'agent', cause: { type: 'request', requestId: 'end-1' } });
    expect(result.alreadyEnded).toBe(false);
    expect(result.end).toMatchObject({ reason: 'agent', endedBy: { type: 'agent', id: 'amy' }, cause: { type: 'request', requestId: 'end-1' } });
    const view = await h.parley.getConversation(conversationId);
    expect(view.session.state).toBe('ended');
    expect(view.ticket?.status).toBe('open');
    const ended = view.events.filter((e) => e.type === 'session_ended');
    expect(ended).toHaveLength(1);
    expect(ended[0]).toMatchObject({ actor: { type: 'agent', id: 'amy' }, cause: { requestId: 'end-1' }, data: { reason: 'agent' } });
  });

  test('a second end changes nothing and reports the first end', async () => {
    const { conversationId } = await handedOff();
    await assigned(h, conversationId);
    const first = await h.parley.endSession(conversationId, { actor: agentActor('amy'), reason: 'agent', cause: request });
    const eventsAfterFirst = (await h.parley.getConversation(conversationId)).events.length;
    const second = await h.parley.endSession(conversationId, { actor: { type: 'system' }, reason: 'inactivity', cause: request });
    expect(second.alreadyEnded).toBe(true);
    expect(second.end).toEqual(first.end);
    expect((await h.parley.getConversation(conversationId)).events.length).toBe(eventsAfterFirst);
  });

  test('composer: public reply by email when the requester email is known, else internal note; messaging disabled', async () => {
    const withEmail = await handedOff({ email: 'bo@example.com' });
    const without = await handedOff();
    for (const c of [withEmail, without]) {
      await assigned(h, c.conversationId);
      expect((await h.parley.getConversation(c.conversationId)).composer).toEqual({ messagingEnabled: true, defaultReplyMode: 'messaging', internalNotesEnabled: true });
      await h.parley.endSession(c.conversationId, { actor: agentActor('amy'), reason: 'agent', cause: request });
    }
    expect((await h.parley.getConversation(withEmail.conversationId)).composer).toEqual({ messagingEnabled: false, defaultReplyMode: 'public_reply_email', internalNotesEnabled: true });
    expect((await h.parley.getConversation(without.conversationId)).composer).toEqual({ messagingEnabled: false, defaultReplyMode: 'internal_note', internalNotesEnabled: true });
    // Internal notes keep working; a public reply goes by email, or is refused without an email.
    const note = await h.parley.agentReply(without.conversationId, { agentId: 'amy', text: 'note', visibility: 'internal', messageId: `${without.conversationId}-note`, cause: request });
    expect(note.channel).toBe('internal');
    await expectCode(h.parley.agentReply(without.conversationId, { agentId: 'amy', text: 'hi', visibility: 'public', messageId: `${without.conversationId}-pub`, cause: request }), 'invalid_state');
    const mail = await h.parley.agentReply(withEmail.conversationId, { agentId: 'amy', text: 'Following up by email', visibility: 'public', messageId: `${withEmail.conversationId}-pub`, cause: request });
    expect(mail.channel).toBe('email');
    await eventually(async () => h.emails.find((e) => e.idempotencyKey === `email:${withEmail.conversationId}-pub`));
  });

  test('no message goes to the end user when the session ends', async () => {
    const { threadId, conversationId } = await handedOff();
    await assigned(h, conversationId);
    await new Promise((r) => setTimeout(r, 300));
    const deliveredBefore = h.channel.filter((d) => d.threadId === threadId).length;
    await h.parley.endSession(conversationId, { actor: agentActor('amy'), reason: 'agent', cause: request });
    await new Promise((r) => setTimeout(r, 500));
    expect(h.channel.filter((d) => d.threadId === threadId).length).toBe(deliveredBefore);
  });

  test('CSAT by email once when an agent ends the session; a later solve does not send it again (S4)', async () => {
    const { threadId, conversationId } = await handedOff({ email: 'cy@example.com' });
    await assigned(h, conversationId);
    await h.parley.endSession(conversationId, { actor: agentActor('amy'), reason: 'agent', cause: request });
    await eventually(async () => h.emails.find((e) => e.idempotencyKey === `csat:${conversationId}`));
    await h.parley.updateTicket(conversationId, { actor: agentActor('amy'), cause: request, changes: { status: 'solved' } });
    // The end user's "ok thanks" starts a new conversation with its own CSAT rules.
    const next = await h.parley.ingestEndUserMessage(threadId, { message: { messageId: `${threadId}-thanks`, text: 'ok thanks', author: { id: `${threadId}-user` }, cause: request } });
    expect(next.conversationId).not.toBe(conversationId);
    await new Promise((r) => setTimeout(r, 500));
    expect(h.emails.filter((e) => e.idempotencyKey === `csat:${conversationId}`)).toHaveLength(1);
    expect((await h.parley.getConversation(conversationId)).events.filter((e) => e.type === 'csat_sent')).toHaveLength(1);
  });

  test('CSAT skipped without a requester email, and the skip is recorded with its reason', async () => {
    const { conversationId } = await handedOff();
    await assigned(h, conversationId);
    await h.parley.endSession(conversationId, { actor: agentActor('amy'), reason: 'agent', cause: request });
    const view = await h.parley.getConversation(conversationId);
    expect(view.csat).toMatchObject({ status: 'skipped', reason: 'requester has no email address' });
    expect(view.events.some((e) => e.type === 'csat_skipped')).toBe(true);
  });

  test('closed ticket: replies are refused with ticket_closed; the close ended the session, and a later end reports that end', async () => {
    const { conversationId } = await handedOff();
    await assigned(h, conversationId);
    await h.parley.updateTicket(conversationId, { actor: agentActor('amy'), cause: request, changes: { status: 'closed' } });
    await h.client.workflow.getHandle(`conversation:${conversationId}`).result(); // the conversation is over
    await expectCode(h.parley.agentReply(conversationId, { agentId: 'amy', text: 'x', visibility: 'internal', messageId: `${conversationId}-late`, cause: request }), 'ticket_closed');
    const again = await h.parley.endSession(conversationId, { actor: agentActor('amy'), reason: 'agent', cause: request });
    expect(again).toMatchObject({ alreadyEnded: true, end: { reason: 'agent', endedBy: { type: 'agent', id: 'amy' } } });
    const view = await h.parley.getConversation(conversationId);
    expect(view.ticket?.status).toBe('closed');
    expect(view.session.state).toBe('ended');
  });

  test('ending again a session that ended before any hand-off reports the original end', async () => {
    n += 1;
    const threadId = `${h.prefix}-pre${n}`;
    const r = await h.parley.ingestEndUserMessage(threadId, { message: { messageId: `${threadId}-m1`, text: 'hi', author: { id: 'u' }, cause: request } });
    const first = await h.parley.endSession(r.conversationId, { actor: { type: 'system' }, reason: 'inactivity', cause: request });
    await h.client.workflow.getHandle(`conversation:${r.conversationId}`).result();
    const again = await h.parley.endSession(r.conversationId, { actor: agentActor('amy'), reason: 'agent', cause: request });
    expect(again).toEqual({ alreadyEnded: true, end: first.end });
  });

  test('unknown conversation → not_found', async () => {
    await expectCode(h.parley.getConversation(`${h.prefix}-nope-1`), 'not_found');
  });
});

describe('who may end a session (account settings)', () => {
  afterEach(async () => {
    await h.parley.patchSettings({ agents_can_end_sessions: true, end_users_can_end_sessions: false });
  });

  test('agents_can_end_sessions off → not_allowed, session stays active', async () => {
    const { conversationId } = await handedOff();
    await assigned(h, conversationId);
    await h.parley.patchSettings({ agents_can_end_sessions: false });
    await expectCode(h.parley.endSession(conversationId, { actor: agentActor('amy'), reason: 'agent', cause: request }), 'not_allowed');
    expect((await h.parley.getConversation(conversationId)).session.state).toBe('active');
  });

  test('end users may end only when end_users_can_end_sessions is on; reason end_user is recorded', async () => {
    const { threadId, conversationId } = await handedOff();
    const endUser: Actor = { type: 'end_user', id: `${threadId}-user` };
    await expectCode(h.parley.endSession(conversationId, { actor: endUser, reason: 'end_user', cause: request }), 'not_allowed');
    await h.parley.patchSettings({ end_users_can_end_sessions: true });
    const result = await h.parley.endSession(conversationId, { actor: endUser, reason: 'end_user', cause: request });
    expect(result.end.reason).toBe('end_user');
  });

  test('trigger and inactivity ends (API on their behalf) record their reason and cause', async () => {
    const a = await handedOff();
    const b = await handedOff();
    const byTrigger = await h.parley.endSession(a.conversationId, { actor: { type: 'trigger', id: '360001' }, reason: 'trigger', cause: { type: 'trigger', triggerId: '360001' } });
    expect(byTrigger.end).toMatchObject({ reason: 'trigger', endedBy: { type: 'trigger', id: '360001' }, cause: { triggerId: '360001' } });
    const byTimer = await h.parley.endSession(b.conversationId, { actor: { type: 'system' }, reason: 'inactivity', cause: { type: 'timer', name: 'inactivity', firedAt: new Date().toISOString() } });
    expect(byTimer.end).toMatchObject({ reason: 'inactivity', endedBy: { type: 'system' } });
  });
});

test('the AI agent stays silent once the session has ended (no reply queued before the end goes out after it)', async () => {
  n += 1;
  const threadId = `${h.prefix}-ai${n}`;
  const r = await h.parley.ingestEndUserMessage(threadId, { message: { messageId: `${threadId}-m1`, text: 'hello', author: { id: 'u' }, cause: request } });
  // End at once, racing the AI agent's first turn.
  await h.parley.endSession(r.conversationId, { actor: { type: 'system' }, reason: 'inactivity', cause: request });
  await new Promise((res) => setTimeout(res, 500));
  const view = await h.parley.getConversation(r.conversationId);
  const endSeq = view.events.find((e) => e.type === 'session_ended')?.seq ?? 0;
  expect(view.events.filter((e) => e.seq > endSeq && e.type === 'message_sent')).toEqual([]);
});
