/**
 * Business hours on the time-skipping server (DOMAIN.md §6, §9 rule 5): `in_business_hours` is
 * evaluated at the instant of the update on the workflow clock — not the worker's wall clock — so
 * a hand-off just before closing stays in messaging and one just after is ended by recipe 2.
 */
import { randomUUID } from 'node:crypto';
import { readFileSync } from 'node:fs';
import path from 'node:path';
import type { TestWorkflowEnvironment } from '@temporalio/testing';
import type { Worker } from '@temporalio/worker';
import { parseScheduleBook } from '../../domain/schedules';
import { DEFAULT_ACCOUNT_SETTINGS, applySettingsPatch } from '../../domain/settings';
import { importTriggers } from '../../domain/triggers';
import { conversationQuery, handOffUpdate, workflowIds } from '../../workflows/definitions';
import { TestConfig } from '../helpers/config';
import { addParleySearchAttributes, createTimeSkippingEnv, createTimeSkippingWorker } from '../helpers/timeSkipping';

const recipes = (() => {
  const r = importTriggers(JSON.parse(readFileSync(path.resolve(__dirname, '../../examples/triggers/recipes.json'), 'utf8')));
  if (!r.ok) throw new Error('recipes do not import');
  return r.triggers;
})();

let env: TestWorkflowEnvironment;
let worker: Worker;
let running: Promise<void>;
const taskQueue = `bh-${randomUUID()}`;
const config = new TestConfig();

beforeAll(async () => {
  env = await createTimeSkippingEnv();
  await addParleySearchAttributes(env);
  worker = await createTimeSkippingWorker(env, { taskQueue, outboxPrefix: 'parley-bh-', config });
  running = worker.run();
  const settings = applySettingsPatch(DEFAULT_ACCOUNT_SETTINGS, { inactivity_minutes: 60, close_solved_after_days: 4 });
  await env.client.workflow.start('account', { workflowId: workflowIds.account(taskQueue), taskQueue, args: [{ settings }] });
});

afterAll(async () => {
  worker?.shutdown();
  await running;
  await env?.teardown();
});

const request = { type: 'request', requestId: 'r' } as const;

async function startConversation(id: string) {
  return env.client.workflow.start('conversation', {
    workflowId: workflowIds.conversation(id),
    taskQueue,
    args: [{ conversationId: id, threadId: `thread-${id}`, first: { messageId: `${id}-m1`, text: 'hello', author: { id: 'u1' }, cause: request } }],
  });
}

test('a hand-off 20 s before closing stays live; one 5 s after closing (on the workflow clock) is ended by recipe 2', async () => {
  const now = await env.currentTimeMs();
  // A fixed-offset zone where it is around noon now, so today's interval never crosses midnight.
  const offset = Math.max(-12, Math.min(14, 12 - new Date(now).getUTCHours()));
  const zone = offset === 0 ? 'Etc/GMT' : offset > 0 ? `Etc/GMT-${offset}` : `Etc/GMT+${-offset}`;
  const localMsOfDay = (((now + offset * 3_600_000) % 86_400_000) + 86_400_000) % 86_400_000;
  const closingMinute = Math.floor(localMsOfDay / 60_000) + 15;
  const closeAt = now - localMsOfDay + closingMinute * 60_000;
  const hhmm = `${String(Math.floor(closingMinute / 60)).padStart(2, '0')}:${String(closingMinute % 60).padStart(2, '0')}`;
  const days = Object.fromEntries(['sun', 'mon', 'tue', 'wed', 'thu', 'fri', 'sat'].map((d) => [d, [['00:00', hhmm]]]));
  config.set({ triggers: recipes, schedules: parseScheduleBook([{ id: 'office', name: 'Office', time_zone: zone, weekly: days }]) });

  const before = await startConversation(`bh-before-${randomUUID()}`);
  const after = await startConversation(`bh-after-${randomUUID()}`);
  await env.sleep(closeAt - 20_000 - (await env.currentTimeMs()));
  await before.executeUpdate(handOffUpdate, { args: [{ actor: { type: 'system' }, cause: request }] });
  const inside = await before.query(conversationQuery);
  expect(inside.session.state).toBe('active');
  expect(inside.lastTriggerUpdate!.update.now).toBeLessThan(closeAt);
  expect(inside.events.filter((e) => e.type === 'trigger_fired')).toEqual([]);

  await env.sleep(closeAt + 5_000 - (await env.currentTimeMs()));
  // The worker's wall clock is still about 15 minutes earlier; the workflow clock is past closing.
  expect(Date.now()).toBeLessThan(closeAt);
  await after.executeUpdate(handOffUpdate, { args: [{ actor: { type: 'system' }, cause: request }] });
  const outside = await after.query(conversationQuery);
  expect(outside.lastTriggerUpdate!.update.now).toBeGreaterThanOrEqual(closeAt);
  expect(outside.session.end).toMatchObject({ reason: 'trigger', endedBy: { type: 'trigger', id: '7002' } });
  expect(outside.ticket!.tags).toEqual(expect.arrayContaining(['after_hours', 'session_ended_by_trigger']));
});
