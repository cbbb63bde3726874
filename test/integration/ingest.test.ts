/**
 * Inbound traffic through the HTTP API: Sunshine webhook ingest, deduplication and serialization
 * per thread (DOMAIN.md §8, §9 rules 1, 2, 7), scenarios S2, S3 (echo part), S10, S11, S17, and the
 * API's error contract (400 with JSON path, 401, 404, 409).
 */
import { readFileSync } from 'node:fs';
import path from 'node:path';
import type { FastifyInstance } from 'fastify';
import { buildServer } from '../../server/app';
import { eventually, startHarness, type Harness } from '../helpers/parley';

const SECRET = 'test-webhook-secret';
const EXAMPLES = path.resolve(__dirname, '../../../shared/data/sunco-webhooks/openapi_examples');

let h: Harness;
let app: FastifyInstance;
let n = 0;
beforeAll(async () => {
  h = await startHarness();
  app = buildServer({ parley: h.parley, webhookSecret: SECRET });
  await h.parley.upsertAgent({ id: 'ina', status: 'online', groups: ['support'], capacity: { messaging: 50, email: 50 } });
});
afterAll(async () => {
  await app?.close();
  await h?.stop();
});

const example = (file: string): any => JSON.parse(readFileSync(path.join(EXAMPLES, file), 'utf8'));

/** A real `conversation:message` example body, re-addressed to a fresh thread/event/message. */
function messageEvent(threadId: string, eventId: string, messageId: string, content: object, authorType = 'user'): any {
  const body = example('conversationMessageEvent.json');
  const event = body.events[0];
  event.id = eventId;
  event.payload.conversation.id = threadId;
  event.payload.message.id = messageId;
  event.payload.message.content = content;
  event.payload.message.author.type = authorType;
  return body;
}

function passControl(threadId: string, eventId: string): any {
  const body = example('switchboardPassControlEvent.json');
  body.events[0].id = eventId;
  body.events[0].payload.conversation.id = threadId;
  return body;
}

const post = (payload: unknown, key = SECRET) =>
  app.inject({ method: 'POST', url: '/webhooks/sunshine', headers: { 'x-api-key': key }, payload: payload as object });

const fresh = (): string => `${h.prefix}-w${++n}`;

test('the official conversation:message example ingests: one thread, one conversation, one message', async () => {
  const threadId = fresh();
  const res = await post(messageEvent(threadId, `${threadId}-e1`, `${threadId}-m1`, { type: 'text', text: 'hello' }));
  expect(res.statusCode).toBe(200);
  const result = res.json().results[0];
  expect(result).toMatchObject({ outcome: 'accepted', newConversation: true });
  const view = await h.parley.getConversation(result.conversationId);
  expect(view.messages.filter((m) => m.direction === 'inbound').map((m) => m.text)).toEqual(['hello']);
  expect(view.requester.name).toBe('Steve Rogers');
});

test('S10: image then text 214 ms apart, first event delivered twice → one thread, one conversation, one ticket, two messages', async () => {
  const threadId = fresh();
  const image = messageEvent(threadId, `${threadId}-e1`, `${threadId}-img`, { type: 'image', mediaUrl: 'https://example.com/a.jpg' });
  const text = messageEvent(threadId, `${threadId}-e2`, `${threadId}-txt`, { type: 'text', text: 'see the photo' });
  const first = post(image);
  const again = post(image);
  await new Promise((r) => setTimeout(r, 214));
  const second = post(text);
  const responses = await Promise.all([first, again, second]);
  expect(responses.map((r) => r.statusCode)).toEqual([200, 200, 200]);
  const ids = new Set(responses.map((r) => r.json().results[0].conversationId));
  expect(ids.size).toBe(1);
  const [conversationId] = [...ids] as string[];
  const thread = await h.parley.getThread(threadId);
  expect(thread.seq).toBe(1);
  const handoffs = await Promise.all([post(passControl(threadId, `${threadId}-pc`)), post(passControl(threadId, `${threadId}-pc`))]);
  expect(handoffs.map((r) => r.json().results[0].outcome)).toEqual(['handed_off', 'handed_off']);
  const view = await h.parley.getConversation(conversationId);
  expect(view.messages.filter((m) => m.direction === 'inbound').map((m) => m.id)).toEqual([`${threadId}-img`, `${threadId}-txt`]);
  expect(view.events.filter((e) => e.type === 'ticket_created')).toHaveLength(1);
});

test('S17: the same event three times, the second while the first is in flight → one message, one ticket', async () => {
  const threadId = fresh();
  const body = messageEvent(threadId, `${threadId}-e1`, `${threadId}-m1`, { type: 'text', text: 'I need a human agent' });
  const [a, b] = await Promise.all([post(body), post(body)]);
  const c = await post(body);
  const outcomes = [a, b, c].map((r) => r.json().results[0]);
  expect(new Set(outcomes.map((o) => o.conversationId)).size).toBe(1);
  const thread = await h.parley.getThread(threadId);
  expect(thread.accepted).toBe(1);
  const conversationId = outcomes[0].conversationId;
  // The AI agent hands off on "human agent": exactly one ticket.
  const view = await eventually(async () => {
    const v = await h.parley.getConversation(conversationId);
    return v.ticket ? v : null;
  });
  expect(view.messages.filter((m) => m.direction === 'inbound')).toHaveLength(1);
  expect(view.events.filter((e) => e.type === 'ticket_created')).toHaveLength(1);
  expect(thread.seq).toBe(1);
});

test('S11: three messages within 2 s after the agent ended the session land in ONE new conversation, in order', async () => {
  const threadId = fresh();
  const r = await post(messageEvent(threadId, `${threadId}-e0`, `${threadId}-m0`, { type: 'text', text: 'hi' }));
  const conversationId = r.json().results[0].conversationId;
  await post(passControl(threadId, `${threadId}-pc`));
  await eventually(async () => (await h.parley.getConversation(conversationId)).ticket?.assigneeId);
  await h.parley.endSession(conversationId, { actor: { type: 'agent', id: 'ina' }, reason: 'agent', cause: { type: 'request', requestId: 's11' } });
  const sends: Array<Promise<any>> = [];
  for (let i = 1; i <= 3; i++) {
    sends.push(post(messageEvent(threadId, `${threadId}-e${i}`, `${threadId}-m${i}`, { type: 'text', text: `after end ${i}` })));
    await new Promise((res) => setTimeout(res, 150));
  }
  const results = (await Promise.all(sends)).map((res) => res.json().results[0]);
  const targets = new Set(results.map((x) => x.conversationId));
  expect(targets.size).toBe(1);
  const [next] = [...targets] as string[];
  expect(next).not.toBe(conversationId);
  const view = await h.parley.getConversation(next);
  expect(view.messages.filter((m) => m.direction === 'inbound').map((m) => m.id)).toEqual([`${threadId}-m1`, `${threadId}-m2`, `${threadId}-m3`]);
  expect((await h.parley.getConversation(conversationId)).messages.some((m) => m.id.startsWith(`${threadId}-m`) && m.id !== `${threadId}-m0`)).toBe(false);
});

test('S2: a message id never accepted, retried after an inactivity end, goes to a new conversation exactly once', async () => {
  const threadId = fresh();
  const r = await h.parley.ingestEndUserMessage(threadId, { message: { messageId: `${threadId}-m1`, text: 'hello', author: { id: 'u' }, cause: { type: 'request', requestId: 'x' } } });
  await h.parley.endSession(r.conversationId, { actor: { type: 'system' }, reason: 'inactivity', cause: { type: 'timer', name: 'inactivity', firedAt: new Date().toISOString() } });
  const retry = messageEvent(threadId, `${threadId}-retry-1`, 'm-17', { type: 'text', text: 'sent at 09:00' });
  const first = (await post(retry)).json().results[0];
  expect(first).toMatchObject({ outcome: 'accepted', newConversation: true });
  expect(first.conversationId).not.toBe(r.conversationId);
  const again = messageEvent(threadId, `${threadId}-retry-2`, 'm-17', { type: 'text', text: 'sent at 09:00' });
  const second = (await post(again)).json().results[0];
  expect(second).toMatchObject({ outcome: 'duplicate', conversationId: first.conversationId });
  const view = await h.parley.getConversation(first.conversationId);
  expect(view.messages.filter((m) => m.id === 'm-17')).toHaveLength(1);
  expect((await h.parley.getThread(threadId)).seq).toBe(2);
});

test('S3/S5: our own outbound messages echoed back by the webhook (author business) change nothing', async () => {
  const threadId = fresh();
  const r = await h.parley.ingestEndUserMessage(threadId, { message: { messageId: `${threadId}-m1`, text: 'hello', author: { id: 'u' }, cause: { type: 'request', requestId: 'x' } } });
  await eventually(async () => (await h.parley.getConversation(r.conversationId)).messages.some((m) => m.author.type === 'ai_agent'));
  await h.parley.endSession(r.conversationId, { actor: { type: 'system' }, reason: 'inactivity', cause: { type: 'timer', name: 'inactivity', firedAt: new Date().toISOString() } });
  const before = await h.parley.getConversation(r.conversationId);
  const echo = await post(messageEvent(threadId, `${threadId}-echo`, `${threadId}-closing`, { type: 'text', text: 'This conversation has ended.' }, 'business'));
  expect(echo.json().results[0]).toMatchObject({ outcome: 'ignored' });
  const after = await h.parley.getConversation(r.conversationId);
  expect(after.events).toEqual(before.events);
  expect((await h.parley.getThread(threadId)).seq).toBe(1);
});

test('ids that are also JavaScript property names are ordinary ids; message and event ids do not collide', async () => {
  const threadId = fresh();
  const ids = ['constructor', 'toString', '__proto__', 'hasOwnProperty'];
  for (const id of ids) {
    const res = await app.inject({ method: 'POST', url: `/threads/${threadId}/messages`, payload: { messageId: id, text: id, author: { id: 'u' } } });
    expect(res.json()).toMatchObject({ status: 'accepted', messageId: id });
  }
  // A webhook event whose id equals an earlier message id is a different thing.
  const res = await post(messageEvent(threadId, 'toString', `${threadId}-m9`, { type: 'text', text: 'event id = a message id' }));
  expect(res.json().results[0].outcome).toBe('accepted');
  const thread = await h.parley.getThread(threadId);
  expect(thread).toMatchObject({ accepted: 5, duplicates: 0 });
  const view = await h.parley.getConversation(res.json().results[0].conversationId);
  expect(view.messages.filter((m) => m.direction === 'inbound').map((m) => m.id)).toEqual([...ids, `${threadId}-m9`]);
});

test('the longest allowed thread id still gives reachable conversations; longer ids are a 400, not a 500', async () => {
  const threadId = `${h.prefix}-${'x'.repeat(119)}`;
  expect(threadId.length).toBe(128);
  const r = await app.inject({ method: 'POST', url: `/threads/${threadId}/messages`, payload: { messageId: `${'m'.repeat(128)}`, text: 'hi', author: { id: 'u' } } });
  expect(r.statusCode).toBe(200);
  const get = await app.inject({ method: 'GET', url: `/conversations/${r.json().conversationId}` });
  expect(get.statusCode).toBe(200);
  const tooLong = await app.inject({ method: 'POST', url: `/threads/${threadId}x/messages`, payload: { messageId: 'm', text: 'hi', author: { id: 'u' } } });
  expect(tooLong.statusCode).toBe(400);
  const webhook = await post(messageEvent('c'.repeat(1100), 'e'.repeat(3000), 'm', { type: 'text', text: 'x' }));
  expect(webhook.statusCode).toBe(400);
  expect(webhook.json().issues.map((i: { path: string }) => i.path)).toEqual(expect.arrayContaining(['$.events[0].id']));
});

describe('API errors', () => {
  test('malformed webhook → 400 naming the JSON path', async () => {
    const body = messageEvent(fresh(), 'e', 'm', { type: 'text', text: 'x' });
    delete body.events[0].payload.message.id;
    const res = await post(body);
    expect(res.statusCode).toBe(400);
    expect(res.json().issues[0].path).toBe('$.events[0].payload.message.id');
    const noEvents = await post({ app: { id: 'a' }, webhook: { id: 'w', version: 'v2' }, events: 'nope' });
    expect(noEvents.statusCode).toBe(400);
    expect(noEvents.json().issues[0].path).toBe('$.events');
    const notJson = await app.inject({ method: 'POST', url: '/webhooks/sunshine', headers: { 'x-api-key': SECRET, 'content-type': 'application/json' }, payload: '{oops' });
    expect(notJson.statusCode).toBe(400);
  });

  test('wrong X-API-Key → 401', async () => {
    const res = await post(messageEvent(fresh(), 'e', 'm', { type: 'text', text: 'x' }), 'wrong-secret-value');
    expect(res.statusCode).toBe(401);
  });

  test('bad values name the field and the allowed values', async () => {
    const res = await app.inject({ method: 'PUT', url: '/agents/zed/status', payload: { status: 'sleeping' } });
    expect(res.statusCode).toBe(400);
    expect(res.json().issues[0]).toMatchObject({ path: '$.status', allowed: ['online', 'away', 'transfers_only', 'offline'] });
    const settings = await app.inject({ method: 'PATCH', url: '/settings', payload: { route_agent_ended_sessions_as_emial: true } });
    expect(settings.statusCode).toBe(400);
    expect(settings.json().message).toMatch(/route_agent_ended_sessions_as_emial/);
  });

  test('unknown conversation → 404; closed ticket → 409 with the reason', async () => {
    expect((await app.inject({ method: 'GET', url: `/conversations/${fresh()}-1` })).statusCode).toBe(404);
    const threadId = fresh();
    const r = await h.parley.ingestEndUserMessage(threadId, { message: { messageId: `${threadId}-m1`, text: 'x', author: { id: 'u' }, cause: { type: 'request', requestId: 'x' } } });
    await app.inject({ method: 'POST', url: `/threads/${threadId}/handoff`, payload: {} });
    const closed = await app.inject({ method: 'PATCH', url: `/conversations/${r.conversationId}/ticket`, payload: { agentId: 'ina', status: 'closed' } });
    expect(closed.statusCode).toBe(200);
    const late = await app.inject({ method: 'POST', url: `/conversations/${r.conversationId}/replies`, payload: { agentId: 'ina', text: 'late', visibility: 'internal' } });
    expect(late.statusCode).toBe(409);
    expect(late.json()).toMatchObject({ error: 'ticket_closed' });
  });

  test('an invalid visibility query → 400, not 500', async () => {
    const res = await app.inject({ method: 'GET', url: `/conversations?query=${encodeURIComponent('NoSuchAttribute = "x"')}` });
    expect(res.statusCode).toBe(400);
    const syntax = await app.inject({ method: 'GET', url: `/conversations?query=${encodeURIComponent('TicketStatus = = ')}` });
    expect(syntax.statusCode).toBe(400);
  });

  test('end-session body: reason agent without agentId → 400 at $.agentId', async () => {
    const res = await app.inject({ method: 'POST', url: `/conversations/x-1/end-session`, payload: { reason: 'agent' } });
    expect(res.statusCode).toBe(400);
    expect(res.json().issues[0].path).toBe('$.agentId');
  });
});
