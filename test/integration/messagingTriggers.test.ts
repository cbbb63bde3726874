/**
 * Messaging triggers inside conversations (DOMAIN.md §4): the four events, messages, email
 * request (and the typed address captured), tags as ticket updates that ticket triggers see,
 * waits on durable timers, routing-based conditions, and nothing once the session has ended.
 */
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { importMessagingTriggers, type MessagingTrigger } from '../../domain/messagingTriggers';
import { parseScheduleBook } from '../../domain/schedules';
import type { Trigger } from '../../domain/triggers';
import type { Actor } from '../../domain/vocabulary';
import { TestConfig } from '../helpers/config';
import { assigned, eventually, startHarness, type Harness } from '../helpers/parley';

const root = path.resolve(__dirname, '../..');
const afterHours = (() => {
  const r = importMessagingTriggers(JSON.parse(readFileSync(path.join(root, 'examples/messaging-triggers/after-hours-message.json'), 'utf8')));
  if (!r.ok) throw new Error('example does not import');
  return r.triggers;
})();
const isoDay = (offsetDays: number): string => new Date(Date.now() + offsetDays * 86_400_000).toISOString().slice(0, 10);
const allWeek = Object.fromEntries(['sun', 'mon', 'tue', 'wed', 'thu', 'fri', 'sat'].map((d) => [d, [['00:00', '24:00']]]));
const closedNow = parseScheduleBook([{ id: 'closed', name: 'Closed', time_zone: 'UTC', weekly: allWeek, holidays: [{ name: 'Retreat', start_date: isoDay(-2), end_date: isoDay(2) }] }]);
const openNow = parseScheduleBook([{ id: 'open', name: 'Open', time_zone: 'UTC', weekly: allWeek }]);

const config = new TestConfig();
let h: Harness;
let n = 0;
beforeAll(async () => {
  h = await startHarness({ config });
});
afterAll(async () => h?.stop());

const request = { type: 'request', requestId: 'test' } as const;
const amy: Actor = { type: 'agent', id: 'amy' };

async function handedOff(): Promise<{ threadId: string; conversationId: string; user: string }> {
  n += 1;
  const threadId = `${h.prefix}-t${n}`;
  const user = `${threadId}-user`;
  const r = await h.parley.ingestEndUserMessage(threadId, { message: { messageId: `${threadId}-m1`, text: 'hello', author: { id: user }, cause: request } });
  await h.parley.handOffThread(threadId, { eventId: `${threadId}-h`, handOff: { actor: { type: 'system' }, cause: request } });
  return { threadId, conversationId: r.conversationId, user };
}
const delivered = (conversationId: string): string[] => h.channel.filter((d) => d.message.id.startsWith(`mtrigger:${conversationId}:`)).map((d) => d.message.text);

test('after-hours example on conversation_requested: message, email request, tag; the typed address becomes the requester email', async () => {
  config.set({ messagingTriggers: afterHours, schedules: closedNow, triggers: [] });
  const { threadId, conversationId, user } = await handedOff();
  const view = await h.parley.getConversation(conversationId);
  expect(view.ticket!.tags).toContain('after_hours');
  const fired = view.events.filter((e) => e.type === 'messaging_trigger_fired');
  expect(fired.map((e) => [e.data.triggerId, e.data.event])).toEqual([['1', 'conversation_requested']]);
  expect(view.events.some((e) => e.type === 'email_requested')).toBe(true);
  await eventually(async () => delivered(conversationId).length === 2);
  expect(delivered(conversationId)).toEqual(["We're closed now; we'll reply by email", 'Which email address should we reply to?']);
  await h.parley.ingestEndUserMessage(threadId, { message: { messageId: `${threadId}-m2`, text: ' ann@example.com ', author: { id: user }, cause: request } });
  const after = await h.parley.getConversation(conversationId);
  expect(after.requester.email).toBe('ann@example.com');
  expect(after.events.filter((e) => e.type === 'requester_email_captured')).toHaveLength(1);
});

test('inside business hours the example does not fire', async () => {
  config.set({ messagingTriggers: afterHours, schedules: openNow });
  const { conversationId } = await handedOff();
  const view = await h.parley.getConversation(conversationId);
  expect(view.events.filter((e) => e.type === 'messaging_trigger_fired')).toEqual([]);
  expect(view.ticket!.tags).not.toContain('after_hours');
});

test('a messaging trigger tag is a ticket update that ticket triggers see (recipe 1: surge → routing channel email)', async () => {
  const surge: MessagingTrigger = {
    id: 20,
    title: 'Surge: queue too long',
    event: 'added_to_queue',
    conditions: { all: [{ field: 'queue_size', operator: 'less_than', value: 1000 }] },
    actions: [
      { field: 'send_message', value: 'We are very busy; we will answer by email.' },
      { field: 'add_tags', value: 'surge' },
    ],
  };
  const toEmail: Trigger = {
    id: 21,
    title: 'Surge tickets go by email',
    conditions: { all: [{ field: 'current_tags', operator: 'includes', value: 'surge' }, { field: 'routing_channel', operator: 'is', value: 'messaging' }], any: [] },
    actions: [{ field: 'routing_channel', value: 'email' }],
  };
  config.set({ messagingTriggers: [surge], triggers: [toEmail], schedules: [] });
  const { conversationId } = await handedOff();
  const view = await h.parley.getConversation(conversationId);
  expect(view.ticket!.tags).toContain('surge');
  expect(view.ticket!.routingChannel).toBe('email');
  expect(view.session.end).toMatchObject({ reason: 'trigger', endedBy: { type: 'trigger', id: '21' } });
  const order = view.events.filter((e) => ['messaging_trigger_fired', 'trigger_fired', 'session_ended'].includes(e.type)).map((e) => e.type);
  expect(order).toEqual(['messaging_trigger_fired', 'trigger_fired', 'session_ended']);
  await eventually(async () => delivered(conversationId).length === 1);
});

test('assigned_from_queue and message_sent fire; a wait delays the next action; nothing runs after the session ended', async () => {
  const assignedMsg: MessagingTrigger = {
    id: 30,
    title: 'Tell the end user an agent joined',
    event: 'assigned_from_queue',
    conditions: { all: [] },
    actions: [{ field: 'send_message', value: 'An agent has joined.' }],
  };
  const slow: MessagingTrigger = {
    id: 31,
    title: 'Nudge after a message',
    event: 'message_sent',
    conditions: { any: [{ field: 'message_text_includes_word', operator: 'includes', value: 'refund' }] },
    actions: [
      { field: 'wait', value: 1 },
      { field: 'send_message', value: 'Refunds take 5 days.' },
    ],
  };
  config.set({ messagingTriggers: [assignedMsg, slow], triggers: [], schedules: [] });
  await h.parley.upsertAgent({ id: 'amy', status: 'online', groups: ['support'], capacity: { messaging: 5, email: 5 } });
  const first = await handedOff();
  await assigned(h, first.conversationId);
  await eventually(async () => delivered(first.conversationId).includes('An agent has joined.'));
  await h.parley.ingestEndUserMessage(first.threadId, { message: { messageId: `${first.threadId}-m2`, text: 'I want a refund', author: { id: first.user }, cause: request } });
  const afterMessage = await h.parley.getConversation(first.conversationId);
  expect(afterMessage.events.filter((e) => e.type === 'messaging_trigger_fired').map((e) => e.data.event)).toEqual(['assigned_from_queue', 'message_sent']);
  expect(delivered(first.conversationId)).not.toContain('Refunds take 5 days.');
  await eventually(async () => delivered(first.conversationId).includes('Refunds take 5 days.'), 10_000);

  // The session ends during the wait: the delayed action never runs, and later events fire nothing.
  const second = await handedOff();
  await assigned(h, second.conversationId);
  await h.parley.ingestEndUserMessage(second.threadId, { message: { messageId: `${second.threadId}-m2`, text: 'refund please', author: { id: second.user }, cause: request } });
  await h.parley.endSession(second.conversationId, { actor: amy, reason: 'agent', cause: request });
  await new Promise((r) => setTimeout(r, 1_800));
  expect(delivered(second.conversationId)).not.toContain('Refunds take 5 days.');
  const ended = await h.parley.getConversation(second.conversationId);
  expect(ended.session.state).toBe('ended');
});

test('a messaging trigger added while a conversation runs applies from its next event (no stale "none configured")', async () => {
  config.set({ messagingTriggers: [], triggers: [], schedules: [] });
  const { threadId, conversationId, user } = await handedOff();
  const late: MessagingTrigger = { id: 40, title: 'late', event: 'message_sent', conditions: { all: [] }, actions: [{ field: 'add_tags', value: 'late_rule' }] };
  config.set({ messagingTriggers: [late] });
  await h.parley.ingestEndUserMessage(threadId, { message: { messageId: `${threadId}-m9`, text: 'anyone?', author: { id: user }, cause: request } });
  const view = await h.parley.getConversation(conversationId);
  expect(view.ticket!.tags).toContain('late_rule');
});
