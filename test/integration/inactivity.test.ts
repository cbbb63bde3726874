/**
 * Timers on the time-skipping server: inactivity (DOMAIN.md §5), the inactivity end with its
 * closing message (scenario S3), and closing solved tickets after N days (DOMAIN.md §2 step 6).
 */
import { randomUUID } from 'node:crypto';
import type { TestWorkflowEnvironment } from '@temporalio/testing';
import type { Worker } from '@temporalio/worker';
import type { ChannelDelivery } from '../../activities/channel';
import type { Message } from '../../domain/conversation';
import { DEFAULT_ACCOUNT_SETTINGS, applySettingsPatch } from '../../domain/settings';
import { conversationQuery, workflowIds, type ConversationView } from '../../workflows/definitions';
import { addParleySearchAttributes, createTimeSkippingEnv, createTimeSkippingWorker } from '../helpers/timeSkipping';

let env: TestWorkflowEnvironment;
let worker: Worker;
let running: Promise<void>;
const taskQueue = `ts-${randomUUID()}`;
const delivered: Message[] = [];

beforeAll(async () => {
  env = await createTimeSkippingEnv();
  await addParleySearchAttributes(env);
  const channel: ChannelDelivery = { async deliver(input) { delivered.push(input.message); } };
  worker = await createTimeSkippingWorker(env, { taskQueue, outboxPrefix: 'parley-ts-', channel });
  running = worker.run();
  const settings = applySettingsPatch(DEFAULT_ACCOUNT_SETTINGS, {
    inactivity_minutes: 10,
    end_session_when_inactive: true,
    inactivity_closing_message: 'This conversation has ended. Write again any time.',
    close_solved_after_days: 4,
  });
  await env.client.workflow.start('account', { workflowId: workflowIds.account(taskQueue), taskQueue, args: [{ settings }] });
});

afterAll(async () => {
  worker?.shutdown();
  await running;
  await env?.teardown();
});

async function startConversation(id: string) {
  return env.client.workflow.start('conversation', {
    workflowId: workflowIds.conversation(id),
    taskQueue,
    args: [{ conversationId: id, threadId: `thread-${id}`, first: { messageId: `${id}-m1`, text: 'hello', author: { id: 'u1' }, cause: { type: 'request', requestId: 'r' } } }],
  });
}

test('S3: inactivity ends the session after 10 minutes with one closing message; exactly one session end; no timer restarts', async () => {
  const handle = await startConversation('s3');
  await env.sleep('9 minutes');
  expect((await handle.query(conversationQuery)).session.state).toBe('active');
  await env.sleep('2 minutes');
  // With no ticket, the conversation is over once the session ends: the workflow completes.
  const view: ConversationView = await handle.result();
  expect(view.session.end).toMatchObject({ reason: 'inactivity', endedBy: { type: 'system' }, cause: { type: 'timer', name: 'inactivity' } });
  expect(view.events.filter((e) => e.type === 'session_ended')).toHaveLength(1);
  const closing = delivered.filter((m) => m.id === 's3:closing');
  expect(closing).toHaveLength(1);
  expect(closing[0].author).toEqual({ type: 'system' });
  expect(view.session.lastEndUserActivityAt).toBe(view.messages[0].at);
});

test('inactive session with a ticket: state inactive, then ended by inactivity; status unchanged; solved closes after 4 days', async () => {
  const handle = await startConversation('tk');
  await handle.executeUpdate('handOff', { args: [{ actor: { type: 'system' }, cause: { type: 'request', requestId: 'h' } }] });
  await env.sleep('11 minutes');
  const ended = await handle.query(conversationQuery);
  expect(ended.events.map((e) => e.type)).toEqual(expect.arrayContaining(['session_inactive', 'session_ended']));
  expect(ended.session.end?.reason).toBe('inactivity');
  expect(ended.ticket?.status).toBe('new');
  await handle.executeUpdate('updateTicket', { args: [{ actor: { type: 'agent', id: 'a' }, cause: { type: 'request', requestId: 's' }, changes: { status: 'solved' } }] });
  await env.sleep('3 days');
  expect((await handle.query(conversationQuery)).ticket?.status).toBe('solved');
  await env.sleep('1 day');
  const final: ConversationView = await handle.result();
  expect(final.ticket?.status).toBe('closed');
  expect(final.events.at(-1)).toMatchObject({ type: 'ticket_closed', actor: { type: 'system' }, cause: { type: 'timer', name: 'close_solved' } });
});
