/**
 * Ticket triggers end to end on the dev server (DOMAIN.md §4, §7): the shipped recipes run inside
 * conversations, end sessions through the agent's path with reason `trigger`, tag, send one CSAT,
 * call signed webhooks and render notification placeholders; every firing records the trigger and
 * the configuration revision used.
 */
import { createHmac } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { createServer, type IncomingHttpHeaders, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import path from 'node:path';
import { parseScheduleBook, type ScheduleBook } from '../../domain/schedules';
import { importTriggers, type Trigger } from '../../domain/triggers';
import type { Actor } from '../../domain/vocabulary';
import { buildServer } from '../../server/app';
import { TestConfig } from '../helpers/config';
import { assigned, eventually, startHarness, TEST_CSAT_SECRET, type Harness } from '../helpers/parley';

const root = path.resolve(__dirname, '../..');
const recipes = (() => {
  const r = importTriggers(JSON.parse(readFileSync(path.join(root, 'examples/triggers/recipes.json'), 'utf8')));
  if (!r.ok) throw new Error('recipes do not import');
  return r.triggers;
})();

const isoDay = (offsetDays: number): string => new Date(Date.now() + offsetDays * 86_400_000).toISOString().slice(0, 10);
/** Closed now: office hours every day, but today and the days around it are holidays. */
const closedNow: ScheduleBook = parseScheduleBook([
  {
    id: 'closed',
    name: 'Closed this week',
    time_zone: 'UTC',
    weekly: Object.fromEntries(['sun', 'mon', 'tue', 'wed', 'thu', 'fri', 'sat'].map((d) => [d, [['00:00', '24:00']]])),
    holidays: [{ name: 'Company retreat', start_date: isoDay(-2), end_date: isoDay(2) }],
  },
]);
const openNow: ScheduleBook = parseScheduleBook([
  { id: 'open', name: 'Always open', time_zone: 'UTC', weekly: Object.fromEntries(['sun', 'mon', 'tue', 'wed', 'thu', 'fri', 'sat'].map((d) => [d, [['00:00', '24:00']]])) },
]);

const config = new TestConfig();
let h: Harness;
let receiver: Server;
let hookUrl: string;
const hooks: { headers: IncomingHttpHeaders; body: string; url: string }[] = [];
let n = 0;

beforeAll(async () => {
  receiver = createServer((req, res) => {
    let body = '';
    req.on('data', (c: Buffer) => (body += c.toString('utf8')));
    req.on('end', () => {
      hooks.push({ headers: req.headers, body, url: req.url ?? '' });
      if (req.url === '/slow') return; // never answers: the sender's timeout ends it
      res.statusCode = req.url === '/gone' ? 410 : 200;
      res.end();
    });
  });
  await new Promise<void>((resolve) => receiver.listen(0, '127.0.0.1', resolve));
  hookUrl = `http://127.0.0.1:${(receiver.address() as AddressInfo).port}`;
  h = await startHarness({ config });
  await h.parley.upsertAgent({ id: 'amy', status: 'online', groups: ['support'], capacity: { messaging: 1, email: 5 } });
});
afterAll(async () => {
  await h?.stop();
  await new Promise<void>((resolve) => receiver.close(() => resolve()));
});

const request = { type: 'request', requestId: 'test' } as const;
const amy: Actor = { type: 'agent', id: 'amy' };

/** A new thread whose end user asks for a human (the AI agent hands off). */
async function askForHuman(email?: string): Promise<{ threadId: string; conversationId: string }> {
  n += 1;
  const threadId = `${h.prefix}-t${n}`;
  const r = await h.parley.ingestEndUserMessage(threadId, {
    message: { messageId: `${threadId}-m1`, text: 'I want to talk to a human', author: { id: `${threadId}-user`, name: 'Ann Lee', ...(email ? { email } : {}) }, cause: request },
  });
  return { threadId, conversationId: r.conversationId };
}

const withTicket = (conversationId: string) =>
  eventually(async () => {
    const v = await h.parley.getConversation(conversationId);
    return v.ticket && v.events.some((e) => e.type === 'ticket_created') ? v : null;
  });

let afterHoursConversation = '';
let agentEndedConversation = '';

test('recipe 2 outside business hours: the trigger ends the session on create, tags, says so, frees capacity; the next message opens a new ticket', async () => {
  const rev = config.set({ triggers: recipes, schedules: closedNow }).revision;
  const { threadId, conversationId } = await askForHuman('ann@example.com');
  afterHoursConversation = conversationId;
  const view = await eventually(async () => {
    const v = await h.parley.getConversation(conversationId);
    return v.session.state === 'ended' ? v : null;
  });
  expect(view.session.end).toMatchObject({ reason: 'trigger', endedBy: { type: 'trigger', id: '7002' }, cause: { type: 'trigger', triggerId: '7002' } });
  expect(view.ticket!.tags).toEqual(expect.arrayContaining(['after_hours', 'session_ended', 'session_ended_by_trigger']));
  const fired = view.events.filter((e) => e.type === 'trigger_fired');
  expect(fired.map((e) => e.data.triggerId)).toEqual(['7002', '7033']);
  expect(fired.every((e) => e.data.configRevision === rev)).toBe(true);
  expect(view.composer.defaultReplyMode).toBe('public_reply_email');
  expect(view.ticket!.routingChannel).toBe('email');
  expect(view.session.end!.routingChannel).toBe('email');
  // The trigger's message reached the end user through the messaging channel, once.
  await eventually(async () => h.channel.some((d) => d.message.id.startsWith(`trigger:${conversationId}:`)));
  expect(h.channel.filter((d) => d.message.id.startsWith(`trigger:${conversationId}:`))).toHaveLength(1);
  // No messaging capacity held by a ticket whose session ended.
  await eventually(async () => {
    const routing = await h.parley.getRouting();
    const agent = routing.agents.find((a) => a.id === 'amy');
    return agent?.use.messaging === 0 && !routing.queue.some((t) => t.ticketId === conversationId && t.sessionState !== 'ended');
  });
  // The end user's next message starts a new conversation and ticket.
  const next = await h.parley.ingestEndUserMessage(threadId, {
    message: { messageId: `${threadId}-m2`, text: 'hello again', author: { id: `${threadId}-user` }, cause: request },
  });
  expect(next.conversationId).not.toBe(conversationId);
});

test('inside business hours recipe 2 does nothing; an agent end gets the reporting tag and exactly one CSAT, even after solving', async () => {
  config.set({ triggers: recipes, schedules: openNow });
  const { conversationId } = await askForHuman('bob@example.com');
  agentEndedConversation = conversationId;
  await assigned(h, conversationId);
  await h.parley.endSession(conversationId, { actor: amy, reason: 'agent', cause: request });
  const view = await h.parley.getConversation(conversationId);
  expect(view.session.end?.reason).toBe('agent');
  expect(view.ticket!.tags).toEqual(expect.arrayContaining(['session_ended', 'session_ended_by_agent']));
  expect(view.ticket!.tags).not.toContain('after_hours');
  await h.parley.updateTicket(conversationId, { changes: { status: 'solved' }, actor: amy, cause: request });
  await eventually(async () => h.emails.some((m) => m.to === 'bob@example.com' && /rate the support/.test(m.subject)));
  await new Promise((r) => setTimeout(r, 300));
  expect(h.emails.filter((m) => m.to === 'bob@example.com' && /rate the support/.test(m.subject))).toHaveLength(1);
  const final = await h.parley.getConversation(conversationId);
  expect(final.events.filter((e) => e.type === 'csat_sent')).toHaveLength(1);
  expect(final.events.filter((e) => e.type === 'trigger_fired' && e.data.triggerId === '7004')).toHaveLength(2);
});

test('notifications render placeholders; webhooks are signed like Zendesk; a rejected webhook is recorded and changes nothing else', async () => {
  const trigger: Trigger = {
    id: 900,
    title: 'Tell the requester and the CRM',
    conditions: { all: [{ field: 'update_type', operator: 'is', value: 'Create' }], any: [] },
    actions: [
      { field: 'notification_user', value: ['requester_id', 'Ticket {{ticket.id}} received', 'Hello {{ticket.requester.first_name}}, we have your request "{{ticket.title}}".'] },
      { field: 'notification_webhook', value: ['crm', '{"ticket":"{{ticket.id}}","requester":"{{ticket.requester.name}}"}'] },
      { field: 'notification_webhook', value: ['gone', '{"ticket":"{{ticket.id}}"}'] },
    ],
  };
  config.set({
    triggers: [trigger],
    schedules: openNow,
    webhooks: [
      { id: 'crm', name: 'CRM', endpoint: `${hookUrl}/crm`, signingSecret: 'crm-secret' },
      { id: 'gone', name: 'Old CRM', endpoint: `${hookUrl}/gone`, signingSecret: 'x' },
    ],
  });
  const { conversationId } = await askForHuman('cy@example.com');
  const mail = await eventually(async () => h.emails.find((m) => m.to === 'cy@example.com'));
  expect(mail.subject).toBe(`Ticket ${conversationId} received`);
  expect(mail.text).toBe('Hello Ann, we have your request "I want to talk to a human".');
  const view = await eventually(async () => {
    const v = await h.parley.getConversation(conversationId);
    return v.events.some((e) => e.type === 'webhook_failed') && v.events.some((e) => e.type === 'webhook_sent') ? v : null;
  }, 30_000);
  const crm = hooks.filter((x) => x.url === '/crm' && x.body.includes(conversationId));
  expect(crm).toHaveLength(1);
  expect(JSON.parse(crm[0].body)).toEqual({ ticket: conversationId, requester: 'Ann Lee' });
  const ts = String(crm[0].headers['x-zendesk-webhook-signature-timestamp']);
  expect(crm[0].headers['x-zendesk-webhook-signature']).toBe(createHmac('sha256', 'crm-secret').update(ts + crm[0].body).digest('base64'));
  expect(view.events.find((e) => e.type === 'webhook_failed')!.data).toMatchObject({ webhookId: 'gone', reason: expect.stringContaining('HTTP 410') });
  expect(hooks.filter((x) => x.url === '/gone' && x.body.includes(conversationId))).toHaveLength(1);
  const reply = await h.parley.agentReply(conversationId, { agentId: 'amy', text: 'On it', visibility: 'public', messageId: `${conversationId}-r1`, cause: request });
  expect(reply.channel).toBe('messaging');
});

test('each update uses the configuration current at that update and records its revision', async () => {
  const tagOnReply = (tag: string, id: number): Trigger => ({
    id,
    title: `tag ${tag}`,
    conditions: { all: [{ field: 'comment_is_public', operator: 'is', value: 'true' }, { field: 'current_tags', operator: 'not_includes', value: tag }], any: [] },
    actions: [{ field: 'current_tags', value: tag }],
  });
  const first = config.set({ triggers: [tagOnReply('first', 1)], schedules: openNow, webhooks: [] }).revision;
  const { conversationId } = await askForHuman();
  await withTicket(conversationId);
  await h.parley.agentReply(conversationId, { agentId: 'amy', text: 'a', visibility: 'public', messageId: `${conversationId}-a`, cause: request });
  const second = config.set({ triggers: [tagOnReply('second', 2)] }).revision;
  await h.parley.agentReply(conversationId, { agentId: 'amy', text: 'b', visibility: 'public', messageId: `${conversationId}-b`, cause: request });
  const view = await h.parley.getConversation(conversationId);
  expect(view.ticket!.tags).toEqual(expect.arrayContaining(['first', 'second']));
  const fired = view.events.filter((e) => e.type === 'trigger_fired').map((e) => [e.data.triggerId, e.data.configRevision]);
  expect(fired).toEqual([
    ['1', first],
    ['2', second],
  ]);
  expect(view.lastTriggerUpdate).toMatchObject({ revision: second, update: { update_type: 'Change', comment: { public: true, text: 'b' } } });
});

test('recipe 3 report: ended sessions of this task queue by day and reason, from visibility', async () => {
  const from = Date.now() - 86_400_000;
  const to = Date.now() + 86_400_000;
  const report = await eventually(async () => {
    const r = await h.parley.endedSessionsReport(from, to, 'UTC');
    return r.totals.trigger >= 1 && r.totals.agent >= 1 ? r : null;
  });
  expect(report.days.length).toBeGreaterThanOrEqual(1);
  expect(report.days.reduce((n, d) => n + d.total, 0)).toBe(report.totals.total);
  // Only ended sessions are counted: every conversation of this file whose session ended.
  const ended = await h.parley.listConversations('SessionState = "ended"');
  expect(report.totals.total).toBe(ended.length);
});

describe('explain over HTTP', () => {
  const app = () => buildServer({ parley: h.parley, configReader: config });

  test('GET: the last update, every active trigger in order with conditions and results, and what was recorded', async () => {
    config.set({ triggers: recipes, schedules: closedNow });
    const res = await app().inject({ method: 'GET', url: `/conversations/${agentEndedConversation}/triggers/explain` });
    expect(res.statusCode).toBe(200);
    const body = res.json();
    expect(body.configChangedSince).toBe(true);
    expect(body.recorded.map((r: { triggerId: string }) => r.triggerId)).toEqual(['7004']);
    const e = body.explanation;
    expect(e.triggers.map((t: { triggerId: string }) => t.triggerId)).toEqual(['7002', '7031', '7032', '7033', '7034', '7004']);
    const csat = e.triggers.find((t: { triggerId: string }) => t.triggerId === '7004');
    expect(csat).toMatchObject({ fired: true, pass: 1 });
    expect(csat.conditions[0]).toMatchObject({ group: 'any', field: 'status', operator: 'value', value: 'solved', actual: 'solved', result: true });
    const afterHours = e.triggers.find((t: { triggerId: string }) => t.triggerId === '7002');
    expect(afterHours).toMatchObject({ fired: false, because: 'ALL condition "update_type is Create" fails: update_type is "Change"' });
    const fired = await app().inject({ method: 'GET', url: `/conversations/${agentEndedConversation}/triggers/explain?only=fired` });
    expect(fired.json().explanation.triggers.map((t: { triggerId: string }) => t.triggerId)).toEqual(['7004']);
    expect(fired.json().explanation.activeTriggers).toBe(6);
    expect((await app().inject({ method: 'GET', url: `/conversations/${agentEndedConversation}/triggers/explain?only=some` })).statusCode).toBe(400);
  });

  test('POST: a hypothetical update of the ticket as it is now; nothing runs', async () => {
    config.set({ triggers: recipes, schedules: closedNow });
    const before = await h.parley.getConversation(afterHoursConversation);
    const res = await app().inject({
      method: 'POST',
      url: `/conversations/${afterHoursConversation}/triggers/explain`,
      payload: { update_type: 'Create', set: { messaging_session_state: 'active', messaging_session_ended_reason: null }, at: new Date().toISOString() },
    });
    expect(res.statusCode).toBe(200);
    const fired = res.json().explanation.triggers.filter((t: { fired: boolean }) => t.fired).map((t: { triggerId: string }) => t.triggerId);
    expect(fired).toEqual(['7002', '7033']);
    expect((await h.parley.getConversation(afterHoursConversation)).events.length).toBe(before.events.length);
  });

  test('bad input is a 400 naming the path and the allowed values; no ticket yet is a 409', async () => {
    const bad = await app().inject({ method: 'POST', url: `/conversations/${afterHoursConversation}/triggers/explain`, payload: { set: { status: 'done' } } });
    expect(bad.statusCode).toBe(400);
    expect(bad.json().issues[0]).toMatchObject({ path: '$.set.status', allowed: ['new', 'open', 'pending', 'hold', 'solved', 'closed'] });
    n += 1;
    const threadId = `${h.prefix}-t${n}`;
    const r = await h.parley.ingestEndUserMessage(threadId, { message: { messageId: `${threadId}-m1`, text: 'hi', author: { id: 'u' }, cause: request } });
    const none = await app().inject({ method: 'GET', url: `/conversations/${r.conversationId}/triggers/explain` });
    expect(none.statusCode).toBe(409);
    expect(none.json().message).toMatch(/no ticket update yet/);
    const unknown = await app().inject({ method: 'GET', url: `/conversations/nope-1/triggers/explain` });
    expect(unknown.statusCode).toBe(404);
  });

  test('GET /reports/ended-sessions: counts by day and reason; an unknown zone is a 400', async () => {
    const ok = await app().inject({ method: 'GET', url: `/reports/ended-sessions?time_zone=Europe/Berlin` });
    expect(ok.statusCode).toBe(200);
    expect(ok.json().totals.trigger).toBeGreaterThanOrEqual(1);
    // A date range names whole local days, the `to` day included.
    const today = new Date().toISOString().slice(0, 10);
    const day = await app().inject({ method: 'GET', url: `/reports/ended-sessions?from=${today}&to=${today}&time_zone=UTC` });
    expect(day.statusCode).toBe(200);
    expect(day.json()).toMatchObject({ from: `${today}T00:00:00.000Z` });
    expect(Date.parse(day.json().to) - Date.parse(day.json().from)).toBe(86_400_000);
    expect(day.json().totals.total).toBe(ok.json().totals.total);
    const rails = await app().inject({ method: 'GET', url: `/reports/ended-sessions?time_zone=${encodeURIComponent('Eastern Time (US & Canada)')}` });
    expect(rails.statusCode).toBe(200);
    expect(rails.json().timeZone).toBe('America/New_York');
    const bad = await app().inject({ method: 'GET', url: `/reports/ended-sessions?time_zone=Mars/Olympus` });
    expect(bad.statusCode).toBe(400);
    expect(bad.json().message).toMatch(/unknown time zone/);
  });
});

test('a trigger set that cannot be evaluated is recorded as triggers_failed; the update itself stands and the conversation goes on', async () => {
  const broken = { id: 999, title: 'broken', conditions: { all: [{ field: 'stauts', operator: 'is', value: 'open' }], any: [] }, actions: [{ field: 'status', value: 'open' }] } as Trigger;
  config.set({ triggers: [broken], schedules: [] });
  const { conversationId } = await askForHuman();
  const view = await eventually(async () => {
    const v = await h.parley.getConversation(conversationId);
    return v.events.some((e) => e.type === 'triggers_failed') ? v : null;
  });
  expect(view.ticket).not.toBeNull();
  expect(view.events.find((e) => e.type === 'triggers_failed')!.data).toMatchObject({ kind: 'ticket', reason: expect.stringContaining('unknown condition field "stauts"') });
  config.set({ triggers: [] });
  const reply = await h.parley.agentReply(conversationId, { agentId: 'amy', text: 'hello', visibility: 'public', messageId: `${conversationId}-r`, cause: request });
  expect(reply.channel).toBe('messaging');
});

test('the CSAT survey links record the rating (signed per ticket); a bad rating is a ticket update that triggers see', async () => {
  const badRating: Trigger = {
    id: 950,
    title: 'Bad rating → follow up',
    conditions: { all: [{ field: 'satisfaction_score', operator: 'value', value: 'bad_with_comment' }], any: [] },
    actions: [{ field: 'current_tags', value: 'csat_bad' }, { field: 'priority', value: 'high' }],
  };
  config.set({ triggers: [badRating], schedules: [] });
  const mail = h.emails.find((m) => m.to === 'bob@example.com' && /rate the support/.test(m.subject))!;
  const links = [...mail.text.matchAll(/http:\/\/parley\.test(\/csat\/\S+)/g)].map((m) => m[1]);
  expect(links).toHaveLength(2);
  const app = buildServer({ parley: h.parley, csatSecret: TEST_CSAT_SECRET });
  const good = await app.inject({ method: 'GET', url: links[0] });
  expect(good.statusCode).toBe(200);
  expect(good.body).toContain('Thank you for your feedback');
  expect((await h.parley.getConversation(agentEndedConversation)).csat.rating).toMatchObject({ score: 'good' });
  const forged = await app.inject({ method: 'GET', url: links[1].replace(/token=[^&]+/, 'token=forged') });
  expect(forged.statusCode).toBe(403);
  const otherTicket = await app.inject({ method: 'GET', url: links[1].replace(encodeURIComponent(agentEndedConversation), encodeURIComponent(afterHoursConversation)) });
  expect(otherTicket.statusCode).toBe(403);
  const bad = await app.inject({ method: 'GET', url: `${links[1]}&comment=${encodeURIComponent('Nobody answered <b>for days</b>')}` });
  expect(bad.statusCode).toBe(200);
  expect(bad.body).toContain('bad_with_comment');
  expect(bad.body).not.toContain('<b>for days</b>');
  const view = await h.parley.getConversation(agentEndedConversation);
  expect(view.csat.rating).toMatchObject({ score: 'bad', comment: 'Nobody answered <b>for days</b>' });
  expect(view.ticket).toMatchObject({ priority: 'high' });
  expect(view.ticket!.tags).toContain('csat_bad');
  expect(view.events.filter((e) => e.type === 'satisfaction_rated').map((e) => e.data.score)).toEqual(['good', 'bad']);
  const badQuery = await app.inject({ method: 'GET', url: links[0].replace('score=good', 'score=meh') });
  expect(badQuery.statusCode).toBe(400);
  // Mail tools append tracking parameters: still a valid link.
  expect((await app.inject({ method: 'GET', url: `${links[0]}&utm_source=mail` })).statusCode).toBe(200);
  // A burst of answers on one ticket: never a 500 (429 busy, 409 once the rating may not change any more).
  const burst = await Promise.all(Array.from({ length: 40 }, (_, i) => app.inject({ method: 'GET', url: `${links[i % 2]}&comment=${i}` })));
  expect(burst.map((r) => r.statusCode).filter((code) => ![200, 409, 429].includes(code))).toEqual([]);
  // 18 changes were left: most of the 40 are refused (409 at the cap, or 429 while too many are in flight).
  expect(burst.filter((r) => r.statusCode === 409 || r.statusCode === 429).length).toBeGreaterThanOrEqual(20);
  expect((await h.parley.getConversation(agentEndedConversation)).events.filter((e) => e.type === 'satisfaction_rated').length).toBeLessThanOrEqual(20);
});

test('a webhook receiver that never answers does not delay the conversation\'s own messages', async () => {
  const trigger: Trigger = {
    id: 960,
    title: 'Tell a slow system',
    conditions: { all: [{ field: 'update_type', operator: 'is', value: 'Create' }], any: [] },
    actions: [{ field: 'notification_webhook', value: ['slow', '{"ticket":"{{ticket.id}}"}'] }],
  };
  config.set({ triggers: [trigger], schedules: [], webhooks: [{ id: 'slow', name: 'Slow', endpoint: `${hookUrl}/slow`, signingSecret: 's' }] });
  const { conversationId } = await askForHuman();
  await withTicket(conversationId);
  await eventually(async () => hooks.some((x) => x.url === '/slow' && x.body.includes(conversationId)));
  const started = Date.now();
  await h.parley.agentReply(conversationId, { agentId: 'amy', text: 'right away', visibility: 'public', messageId: `${conversationId}-fast`, cause: request });
  await eventually(async () => h.channel.some((d) => d.message.id === `${conversationId}-fast`), 5_000);
  expect(Date.now() - started).toBeLessThan(5_000);
  const view = await h.parley.getConversation(conversationId);
  expect(view.events.some((e) => e.type === 'webhook_sent' || e.type === 'webhook_failed')).toBe(false);
});

describe('trigger output stays within what a conversation can hold', () => {
  const big = (id: number, tag: string): Trigger => ({
    id,
    title: `Big comment ${id}`,
    conditions: { all: [{ field: 'current_tags', operator: 'includes', value: tag }], any: [] },
    actions: [{ field: 'comment_value', value: `${id}: ${'x'.repeat(60_000)}` }, { field: 'comment_mode_is_public', value: 'false' }],
  });

  test('40 triggers with 60 KB comments on one update: refused as a whole (triggers_failed), the hand-off stands', async () => {
    config.set({ triggers: Array.from({ length: 40 }, (_, i) => big(1000 + i, 'big40')), schedules: [], webhooks: [] });
    n += 1;
    const threadId = `${h.prefix}-t${n}`;
    const r = await h.parley.ingestEndUserMessage(threadId, { message: { messageId: `${threadId}-m1`, text: 'hi', author: { id: 'u' }, cause: request } });
    const ticket = await h.parley.handOffThread(threadId, { eventId: `${threadId}-h`, handOff: { actor: { type: 'system' }, cause: request, tags: ['big40'] } });
    expect(ticket.tags).toEqual(['big40']);
    const view = await h.parley.getConversation(r.conversationId);
    expect(view.events.find((e) => e.type === 'triggers_failed')!.data.reason).toMatch(/produced \d+ bytes .* at most 256000 bytes per update/);
    expect(view.messages.filter((m) => m.author.type === 'trigger')).toEqual([]);
  });

  test('3 such triggers on every reply: applied until the conversation reaches its size budget, then recorded as not applied; the conversation stays readable', async () => {
    config.set({ triggers: [big(2001, 'big3'), big(2002, 'big3'), big(2003, 'big3')], schedules: [], webhooks: [] });
    n += 1;
    const threadId = `${h.prefix}-t${n}`;
    const r = await h.parley.ingestEndUserMessage(threadId, { message: { messageId: `${threadId}-m1`, text: 'hi', author: { id: 'u' }, cause: request } });
    await h.parley.handOffThread(threadId, { eventId: `${threadId}-h`, handOff: { actor: { type: 'system' }, cause: request, tags: ['big3'] } });
    for (let i = 0; i < 8; i++) {
      await h.parley.agentReply(r.conversationId, { agentId: 'amy', text: `note ${i}`, visibility: 'internal', messageId: `${threadId}-n${i}`, cause: request });
    }
    const view = await h.parley.getConversation(r.conversationId);
    expect(view.events.some((e) => e.type === 'triggers_failed' && /size budget/.test(String(e.data.reason)))).toBe(true);
    expect(Buffer.byteLength(JSON.stringify(view))).toBeLessThan(1_600_000);
    const fired = view.events.filter((e) => e.type === 'trigger_fired');
    expect(fired.length).toBeGreaterThan(0);
    expect(String((fired[0].data.actions as { value: string }[])[0].value).length).toBeLessThanOrEqual(501);
    await h.parley.updateTicket(r.conversationId, { actor: amy, cause: request, changes: { status: 'closed' } });
    await h.client.workflow.getHandle(`conversation:${r.conversationId}`).result();
  });
});
