/**
 * The whole path with the real SQLite configuration store: an admin imports the shipped recipes
 * and a schedule through the admin API; conversations evaluate against the revision current at each
 * update and record it; deactivating a trigger takes effect on the next update; explain reads the
 * same store.
 */
import { mkdtempSync, readFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { openConfigStore, type ConfigStore } from '../../config/store';
import { buildServer } from '../../server/app';
import { eventually, startHarness, type Harness } from '../helpers/parley';

const root = path.resolve(__dirname, '../..');
const TOKEN = 'test-admin-token-123';
let store: ConfigStore;
let h: Harness;
let app: ReturnType<typeof buildServer>;
const request = { type: 'request', requestId: 'test' } as const;

beforeAll(async () => {
  store = openConfigStore(path.join(mkdtempSync(path.join(os.tmpdir(), 'parley-cfg-')), 'config.sqlite'));
  h = await startHarness({ config: store });
  app = buildServer({ parley: h.parley, config: store, adminToken: TOKEN });
});
afterAll(async () => {
  await h?.stop();
  store?.close();
});

const admin = (method: 'GET' | 'POST' | 'PUT', url: string, payload?: unknown) =>
  app.inject({
    method,
    url,
    headers: { authorization: `Bearer ${TOKEN}`, 'x-parley-actor': 'test-admin', ...(payload === undefined ? {} : { 'content-type': 'application/json' }) },
    ...(payload === undefined ? {} : { payload: payload as object }),
  });

const isoDay = (offsetDays: number): string => new Date(Date.now() + offsetDays * 86_400_000).toISOString().slice(0, 10);

async function conversationAskingForHuman(n: number): Promise<string> {
  const threadId = `${h.prefix}-cfg${n}`;
  const r = await h.parley.ingestEndUserMessage(threadId, { message: { messageId: `${threadId}-m1`, text: 'talk to a human please', author: { id: `${threadId}-u` }, cause: request } });
  await eventually(async () => (await h.parley.getConversation(r.conversationId)).ticket);
  return r.conversationId;
}

test('recipes imported through the admin API run in conversations at the revision current at each update', async () => {
  const imported = await admin('POST', '/admin/triggers/import', readFileSync(path.join(root, 'examples/triggers/recipes.json'), 'utf8'));
  expect(imported.statusCode).toBe(200);
  const allWeek = Object.fromEntries(['sun', 'mon', 'tue', 'wed', 'thu', 'fri', 'sat'].map((d) => [d, [['00:00', '24:00']]]));
  const schedule = await admin('POST', '/admin/schedules', { id: 'closed', name: 'Closed this week', time_zone: 'UTC', weekly: allWeek, holidays: [{ name: 'Retreat', start_date: isoDay(-2), end_date: isoDay(2) }] });
  expect(schedule.statusCode).toBe(201);
  const rev = store.snapshot().revision;

  const first = await conversationAskingForHuman(1);
  const ended = await eventually(async () => {
    const v = await h.parley.getConversation(first);
    return v.session.end ? v : null;
  });
  expect(ended.session.end).toMatchObject({ reason: 'trigger', endedBy: { type: 'trigger', id: '7002' } });
  const fired = ended.events.filter((e) => e.type === 'trigger_fired');
  expect(fired.map((e) => [e.data.triggerId, e.data.configRevision, e.data.triggerRevision])).toEqual([
    ['7002', rev, 1],
    ['7033', rev, 1],
  ]);

  // The admin switches recipe 2 off: the next conversation's create runs at the new revision.
  expect((await admin('POST', '/admin/triggers/7002/deactivate')).statusCode).toBe(200);
  const revisions = (await admin('GET', '/admin/triggers/7002/revisions')).json().revisions as { actor: string; action: string }[];
  expect(revisions.map((r) => [r.action, r.actor])).toContainEqual(['deactivate', 'test-admin']);
  const second = await conversationAskingForHuman(2);
  const live = await h.parley.getConversation(second);
  expect(live.session.state).toBe('active');
  expect(live.lastTriggerUpdate!.revision).toBe(store.snapshot().revision);
  expect(live.lastTriggerUpdate!.revision).toBeGreaterThan(rev);

  // Explain reads the same store: recipe 2 is no longer among the active triggers.
  const explained = await app.inject({ method: 'GET', url: `/conversations/${second}/triggers/explain` });
  expect(explained.statusCode).toBe(200);
  expect(explained.json().explanation.triggers.map((t: { triggerId: string }) => t.triggerId)).not.toContain('7002');
  expect(explained.json().explanation.inactiveTriggers).toBe(1);
});
