/**
 * The admin API (server/admin.ts) through Fastify `inject`, on an in-memory configuration store
 * (no Temporal): bearer token, 400 with JSON paths and allowed values, 404, import round trip,
 * history, schedules, webhook secrets, a 7,000-trigger import body, and messaging triggers.
 */
import { readFileSync } from 'node:fs';
import path from 'node:path';
import type { FastifyInstance } from 'fastify';
import type { ParleyClient } from '../../client/parleyClient';
import { openConfigStore, type ConfigStore } from '../../config/store';
import { buildServer } from '../../server/app';
import { loadTriggerFile, manyTriggers, simpleTrigger } from '../helpers/configFixtures';

const TOKEN = 'admin-token-for-tests-0123456789';
const auth = { authorization: `Bearer ${TOKEN}` };

let store: ConfigStore;
let app: FastifyInstance;
beforeEach(() => {
  store = openConfigStore(':memory:');
  // The admin routes never touch Temporal; the API token guards only the other routes.
  app = buildServer({ parley: {} as ParleyClient, config: store, adminToken: TOKEN, apiToken: 'another-token-for-agents' });
});
afterEach(async () => {
  await app.close();
  store.close();
});

const call = async (method: 'GET' | 'POST' | 'PUT' | 'DELETE', url: string, payload?: unknown, headers: Record<string, string> = auth) => {
  const res = await app.inject({ method, url, headers, ...(payload === undefined ? {} : { payload: payload as object }) });
  return { status: res.statusCode, body: res.body ? res.json() : null };
};

test('every admin route needs the admin bearer token (401 without, with a wrong one, or with the API token)', async () => {
  for (const headers of [{}, { authorization: 'Bearer nope' }, { authorization: 'Bearer another-token-for-agents' }] as Record<string, string>[]) {
    expect((await call('GET', '/admin/config', undefined, headers)).status).toBe(401);
    expect((await call('POST', '/admin/triggers/import', { triggers: [] }, headers)).status).toBe(401);
    expect((await call('GET', '/admin/messaging_triggers', undefined, headers)).status).toBe(401);
    expect((await call('POST', '/admin/messaging_triggers/import', { messaging_triggers: [] }, headers)).status).toBe(401);
  }
  expect(await call('GET', '/admin/config')).toEqual({
    status: 200,
    body: {
      revision: 0,
      triggers: { active: 0, total: 0 },
      messaging_triggers: { active: 0, total: 0 },
      schedules: 0,
      webhooks: 0,
      default_schedule_id: null,
      category_order: [],
    },
  });
  expect(() => buildServer({ parley: {} as ParleyClient, config: store })).toThrow(/adminToken/);
});

test('a bad trigger is a 400 naming the JSON path and the allowed operators; unknown ids are 404', async () => {
  const bad = { trigger: simpleTrigger('Escalate', { conditions: { all: [{ field: 'priority', operator: 'bigger_than', value: 'high' }] } }) };
  const r = await call('POST', '/admin/triggers', bad);
  expect(r.status).toBe(400);
  expect(r.body).toMatchObject({ error: 'invalid_input', issues: [{ path: '$.trigger.conditions.all[0].operator', title: 'Escalate' }] });
  expect(r.body.issues[0].message).toBe(
    'priority: unknown operator "bigger_than"; allowed: is, is_not, less_than, greater_than, changed, value, value_previous, not_changed, not_value, not_value_previous',
  );
  for (const [method, url] of [
    ['GET', '/admin/triggers/42'],
    ['PUT', '/admin/triggers/42'],
    ['DELETE', '/admin/triggers/42'],
    ['POST', '/admin/triggers/42/activate'],
    ['GET', '/admin/triggers/42/revisions'],
    ['GET', '/admin/schedules/42'],
    ['GET', '/admin/webhooks/42/signing_secret'],
    ['GET', '/admin/revisions/42'],
  ] as const) {
    const res = await call(method, url, method === 'PUT' ? { title: 'x' } : undefined);
    expect([url, res.status, res.body.error]).toEqual([url, 404, 'not_found']);
  }
  expect((await call('GET', '/admin/triggers?active=maybe')).body.issues[0]).toMatchObject({ path: '$.active', allowed: ['true', 'false'] });
  expect((await call('POST', '/admin/triggers/import?mode=merge', { triggers: [] })).status).toBe(400);
  expect((await call('POST', '/admin/triggers', simpleTrigger('x'), { ...auth, 'x-parley-actor': 'x'.repeat(200) })).status).toBe(400);
});

test('import → export round trip; a rejected import lists every problem and changes nothing', async () => {
  const file = loadTriggerFile('zendesk_legacy_default_triggers_pchhetri_script.json') as { triggers: Record<string, unknown>[] };
  const imported = await call('POST', '/admin/triggers/import', file, { ...auth, 'x-parley-actor': 'amy@example.com' });
  expect(imported).toMatchObject({ status: 200, body: { revision: 1, mode: 'append', total: 9, created: 9, active: 8, warnings: [] } });
  const exported = await call('GET', '/admin/triggers');
  expect(exported.body.count).toBe(9);
  // The file's triggers have no ids: the store adds id and revision, nothing else changes.
  const byTitle = new Map((exported.body.triggers as Record<string, unknown>[]).map(({ id, revision, ...t }) => [t.title, { t, added: [typeof id, revision] }]));
  for (const t of file.triggers) expect(byTitle.get(t.title)).toEqual({ t, added: ['number', 1] });
  expect((await call('GET', '/admin/triggers?active=false')).body.triggers.map((t: { title: string }) => t.title)).toEqual(['Auto-assign to first email responding agent']);

  const salto = await call('POST', '/admin/triggers/import?mode=replace', loadTriggerFile('salto_mybrand_triggers.json'));
  expect(salto.status).toBe(400);
  expect(salto.body.issues).toEqual([
    { path: '$.triggers[9].actions[0].field', title: 'Slack Ticket Trigger', message: 'notification_target: targets are deprecated; use notification_webhook' },
  ]);
  expect((await call('GET', '/admin/triggers')).body).toEqual(exported.body);
  const notTriggers = await call('POST', '/admin/triggers/import', loadTriggerFile('salto_mybrand_automations.json'));
  expect(notTriggers.body.issues[0].message).toMatch(/^not ticket triggers: automations/);

  const again = await call('POST', '/admin/triggers/import?mode=replace', exported.body);
  expect(again.body).toMatchObject({ revision: null, unchanged: 9 });
  expect((await call('GET', '/admin/revisions')).body).toEqual({
    revisions: [expect.objectContaining({ revision: 1, actor: 'amy@example.com', action: 'import', trigger_count: 9 })],
    next_before: null,
  });
});

test('create, patch, activate, reorder and delete, with the history of who did what', async () => {
  const created = await call('POST', '/admin/triggers', simpleTrigger('VIP'), { ...auth, 'x-parley-actor': 'amy' });
  expect(created).toMatchObject({ status: 201, body: { revision: 1, trigger: { id: 1, title: 'VIP', active: true, position: 1, revision: 1 } } });
  await call('POST', '/admin/triggers', { trigger: simpleTrigger('Second') });
  const patched = await call('PUT', '/admin/triggers/1', { trigger: { description: 'tag VIPs', revision: 1 } }, { ...auth, 'x-parley-actor': 'bob' });
  expect(patched.body).toMatchObject({ revision: 3, trigger: { description: 'tag VIPs', revision: 2 } });
  expect((await call('PUT', '/admin/triggers/1', { title: 'stale', revision: 1 })).status).toBe(409);
  expect((await call('POST', '/admin/triggers/1/deactivate')).body.trigger.active).toBe(false);
  expect((await call('PUT', '/admin/triggers/reorder', { trigger_ids: [2, '1'] })).body).toEqual({ revision: 5 });
  expect((await call('PUT', '/admin/triggers/reorder', { trigger_ids: [] })).body.issues[0].path).toBe('$.trigger_ids');
  expect((await call('PUT', '/admin/triggers/reorder', { trigger_ids: [7] })).body.issues).toEqual([{ path: '$.trigger_ids[0]', message: 'unknown trigger id 7' }]);
  expect(await call('DELETE', '/admin/triggers/1')).toEqual({ status: 200, body: { revision: 6 } });
  const history = (await call('GET', '/admin/triggers/1/revisions')).body.revisions;
  expect(history.map((h: { action: string; actor: string }) => [h.action, h.actor])).toEqual([
    ['delete', 'admin'],
    ['reorder', 'admin'],
    ['deactivate', 'admin'],
    ['update', 'bob'],
    ['create', 'amy'],
  ]);
  expect(history[3]).toMatchObject({ before: { revision: 1 }, after: { description: 'tag VIPs', revision: 2 } });
  const page = await call('GET', '/admin/revisions?limit=2');
  expect(page.body.revisions.map((r: { revision: number }) => r.revision)).toEqual([6, 5]);
  expect((await call('GET', `/admin/revisions?limit=2&before=${page.body.next_before}`)).body.revisions.map((r: { revision: number }) => r.revision)).toEqual([4, 3]);
  expect((await call('GET', '/admin/revisions/3')).body.changes[0]).toMatchObject({ trigger_id: '1', before: { revision: 1 }, after: { revision: 2 } });
  expect((await call('PUT', '/admin/trigger_categories', { category_ids: ['b', 'a'] })).body).toEqual({ revision: 7, category_ids: ['b', 'a'] });
  expect((await call('GET', '/admin/trigger_categories')).body).toEqual({ category_ids: ['b', 'a'] });
});

test('schedules and webhooks: CRUD, default, import; the secret only on create and its own endpoint', async () => {
  const schedule = { id: 'eu', name: 'EU', time_zone: 'Europe/Paris', weekly: { mon: [['08:00', '18:00']] } };
  expect(await call('POST', '/admin/schedules', schedule)).toEqual({ status: 201, body: { schedule, revision: 1 } });
  expect((await call('POST', '/admin/schedules', { ...schedule, id: 'x', weekly: { mon: [['18:00', '08:00']] } })).body.issues[0].path).toBe('$.weekly.mon[0][1]');
  const imported = await call('POST', '/admin/schedules/import', loadTriggerFile('salto_mybrand_schedules_slas.json'));
  expect(imported.body).toMatchObject({ created: 3, default_schedule_id: 'eu' });
  expect((await call('PUT', '/admin/schedules/1500001036042/default')).body).toEqual({ revision: 3, default_schedule_id: '1500001036042' });
  expect((await call('PUT', '/admin/schedules/eu', { schedule: { ...schedule, name: 'Europe' } })).body.schedule.name).toBe('Europe');
  expect((await call('DELETE', '/admin/schedules/eu')).status).toBe(200);
  expect((await call('GET', '/admin/schedules')).body.schedules).toHaveLength(3);

  const created = await call('POST', '/admin/webhooks', { name: 'CRM', endpoint: 'https://crm.example.com/in' });
  expect(created.status).toBe(201);
  const secret = created.body.webhook.signing_secret;
  expect((await call('GET', '/admin/webhooks')).body.webhooks).toEqual([expect.not.objectContaining({ signing_secret: expect.anything() })]);
  expect((await call('GET', '/admin/webhooks/1/signing_secret')).body).toEqual({ signing_secret: { algorithm: 'SHA256', secret } });
  expect((await call('PUT', '/admin/webhooks/1', { endpoint: 'javascript:alert(1)' })).body.issues[0].path).toBe('$.endpoint');
  expect((await call('PUT', '/admin/webhooks/1', { name: 'CRM 2' })).body.webhook).toMatchObject({ name: 'CRM 2' });
  expect(JSON.stringify((await call('GET', '/admin/revisions?limit=500')).body)).not.toContain(secret);
  expect((await call('DELETE', '/admin/webhooks/1')).status).toBe(200);
  expect((await call('GET', '/admin/config')).body).toMatchObject({ schedules: 3, webhooks: 0, default_schedule_id: '1500001036042' });
});

test('a 7,000-trigger import body (~7 MB, over the 2 MB default limit) is accepted in one request', async () => {
  const body = { triggers: manyTriggers(7000) };
  const r = await call('POST', '/admin/triggers/import', body);
  expect(r.body).toMatchObject({ revision: 1, created: 7000, active: 7000 });
  expect((await call('POST', '/admin/triggers', simpleTrigger('7,001st'))).body.issues).toEqual([{ path: '$', message: '7001 active triggers; the limit is 7000 per account' }]);
});

describe('messaging triggers', () => {
  const example = JSON.parse(readFileSync(path.resolve(__dirname, '../../examples/messaging-triggers/after-hours-message.json'), 'utf8')) as {
    messaging_trigger: Record<string, unknown>;
  };
  const greeting = (title: string, extra: Record<string, unknown> = {}): Record<string, unknown> => ({
    title,
    event: 'message_sent',
    conditions: { all: [{ field: 'current_tags', operator: 'includes', value: 'vip' }] },
    actions: [{ field: 'send_message', value: 'Hello' }],
    ...extra,
  });

  test('both all and any is a 400 naming the JSON path and the title; bad queries and bodies are 400; unknown ids are 404', async () => {
    const both = { messaging_trigger: greeting('Both', { conditions: { all: [{ field: 'current_tags', operator: 'includes', value: 'vip' }], any: [{ field: 'queue_size', operator: 'greater_than', value: 5 }] } }) };
    const r = await call('POST', '/admin/messaging_triggers', both);
    expect(r).toEqual({
      status: 400,
      body: expect.objectContaining({ error: 'invalid_input', issues: [{ path: '$.messaging_trigger.conditions', title: 'Both', message: 'conditions: use all or any, not both' }] }),
    });
    const op = await call('POST', '/admin/messaging_triggers', greeting('Op', { conditions: { all: [{ field: 'queue_size', operator: 'bigger_than', value: 5 }] } }));
    expect(op.body.issues).toEqual([
      { path: '$.conditions.all[0].operator', title: 'Op', message: 'queue_size: operator "bigger_than" is not allowed; allowed: is, less_than, greater_than' },
    ]);
    for (const [method, url] of [
      ['GET', '/admin/messaging_triggers/42'],
      ['PUT', '/admin/messaging_triggers/42'],
      ['DELETE', '/admin/messaging_triggers/42'],
      ['POST', '/admin/messaging_triggers/42/activate'],
      ['POST', '/admin/messaging_triggers/42/deactivate'],
      ['GET', '/admin/messaging_triggers/42/revisions'],
    ] as const) {
      const res = await call(method, url, method === 'PUT' ? { title: 'x' } : undefined);
      expect([url, res.status, res.body.error]).toEqual([url, 404, 'not_found']);
    }
    expect((await call('GET', '/admin/messaging_triggers?active=maybe')).body.issues[0]).toMatchObject({ path: '$.active', allowed: ['true', 'false'] });
    expect((await call('POST', '/admin/messaging_triggers/import?mode=merge', { messaging_triggers: [] })).body.issues[0]).toMatchObject({ path: '$.mode', allowed: ['append', 'replace'] });
    expect((await call('PUT', '/admin/messaging_triggers/reorder', { messaging_trigger_ids: [] })).body.issues[0].path).toBe('$.messaging_trigger_ids');
    expect((await call('GET', '/admin/revisions')).body.revisions).toEqual([]);
  });

  test('import → export round trip; a rejected import lists every problem and changes nothing; the summary counts them', async () => {
    const file = { messaging_triggers: [example.messaging_trigger, greeting('VIP hello'), greeting('Off', { active: false })] };
    const imported = await call('POST', '/admin/messaging_triggers/import', file, { ...auth, 'x-parley-actor': 'amy@example.com' });
    expect(imported).toEqual({ status: 200, body: { revision: 1, mode: 'append', total: 3, created: 3, updated: 0, unchanged: 0, deleted: 0, active: 2, warnings: [] } });
    const exported = await call('GET', '/admin/messaging_triggers');
    expect(exported.body.count).toBe(3);
    expect(exported.body.messaging_triggers.map((t: Record<string, unknown>) => [t.id, t.title, t.position, t.active, t.revision])).toEqual([
      [1, 'After hours: we reply by email', 1, true, 1],
      [2, 'VIP hello', 2, true, 1],
      [3, 'Off', 3, false, 1],
    ]);
    const { revision: _r, ...first } = exported.body.messaging_triggers[0];
    expect(first).toEqual(example.messaging_trigger);
    expect((await call('GET', '/admin/messaging_triggers?active=false')).body).toEqual({ messaging_triggers: [exported.body.messaging_triggers[2]], count: 1 });

    const rejected = await call('POST', '/admin/messaging_triggers/import?mode=replace', {
      messaging_triggers: [greeting('Fine'), greeting('Late', { event: 'ticket_solved' }), greeting('Long wait', { actions: [{ field: 'wait', value: 601 }] })],
    });
    expect(rejected.status).toBe(400);
    expect(rejected.body.message.split('\n')[0]).toBe('import rejected, nothing changed (2 of 3 messaging triggers have problems): 2 problems');
    expect(rejected.body.issues).toEqual([
      { path: '$.messaging_triggers[1].event', title: 'Late', message: 'unknown event "ticket_solved"; allowed: conversation_requested, message_sent, added_to_queue, assigned_from_queue' },
      { path: '$.messaging_triggers[2].actions[0].value', title: 'Long wait', message: 'wait: value 601 is not allowed; allowed: whole seconds 1–600' },
    ]);
    expect((await call('GET', '/admin/messaging_triggers')).body).toEqual(exported.body);
    const ticketFile = await call('POST', '/admin/messaging_triggers/import', { triggers: [simpleTrigger('t')] });
    expect(ticketFile.body.issues[0].message).toMatch(/^these are ticket triggers/);

    const again = await call('POST', '/admin/messaging_triggers/import?mode=replace', exported.body);
    expect(again.body).toMatchObject({ revision: null, unchanged: 3 });
    expect((await call('GET', '/admin/config')).body).toMatchObject({ revision: 1, triggers: { active: 0, total: 0 }, messaging_triggers: { active: 2, total: 3 } });
    expect((await call('GET', '/admin/revisions')).body.revisions).toEqual([
      expect.objectContaining({ revision: 1, actor: 'amy@example.com', action: 'messaging_trigger_import', trigger_count: 3 }),
    ]);
  });

  test('create, patch, activate, reorder and delete, with the history of who did what', async () => {
    const created = await call('POST', '/admin/messaging_triggers', greeting('VIP'), { ...auth, 'x-parley-actor': 'amy' });
    expect(created).toMatchObject({ status: 201, body: { revision: 1, warnings: [], messaging_trigger: { id: 1, title: 'VIP', active: true, position: 1, revision: 1 } } });
    expect((await call('POST', '/admin/messaging_triggers', { messaging_trigger: greeting('dup', { id: 1 }) })).status).toBe(409);
    await call('POST', '/admin/messaging_triggers', { messaging_trigger: greeting('Second') });
    expect((await call('GET', '/admin/messaging_triggers/1')).body).toEqual({ messaging_trigger: created.body.messaging_trigger });
    const patched = await call('PUT', '/admin/messaging_triggers/1', { messaging_trigger: { description: 'greet VIPs', revision: 1 } }, { ...auth, 'x-parley-actor': 'bob' });
    expect(patched.body).toMatchObject({ revision: 3, messaging_trigger: { description: 'greet VIPs', revision: 2 } });
    expect((await call('PUT', '/admin/messaging_triggers/1', { title: 'stale', revision: 1 })).status).toBe(409);
    expect((await call('POST', '/admin/messaging_triggers/1/deactivate')).body.messaging_trigger.active).toBe(false);
    expect((await call('POST', '/admin/messaging_triggers/1/activate')).body.messaging_trigger.active).toBe(true);
    expect((await call('PUT', '/admin/messaging_triggers/reorder', { messaging_trigger_ids: [2, '1'] })).body).toEqual({ revision: 6 });
    expect((await call('PUT', '/admin/messaging_triggers/reorder', { messaging_trigger_ids: [7] })).body.issues).toEqual([
      { path: '$.messaging_trigger_ids[0]', message: 'unknown messaging trigger id 7' },
    ]);
    expect((await call('GET', '/admin/messaging_triggers')).body.messaging_triggers.map((t: { title: string }) => t.title)).toEqual(['Second', 'VIP']);
    expect(await call('DELETE', '/admin/messaging_triggers/1')).toEqual({ status: 200, body: { revision: 7 } });
    const history = (await call('GET', '/admin/messaging_triggers/1/revisions')).body.revisions;
    expect(history.map((h: { action: string; actor: string }) => [h.action, h.actor])).toEqual([
      ['messaging_trigger_delete', 'admin'],
      ['messaging_trigger_reorder', 'admin'],
      ['messaging_trigger_activate', 'admin'],
      ['messaging_trigger_deactivate', 'admin'],
      ['messaging_trigger_update', 'bob'],
      ['messaging_trigger_create', 'amy'],
    ]);
    expect((await call('GET', '/admin/revisions/3')).body).toMatchObject({
      action: 'messaging_trigger_update',
      changes: [{ trigger_id: '1', before: { revision: 1 }, after: { description: 'greet VIPs', revision: 2 } }],
    });
    // Ticket triggers are a separate kind: their list and ids are untouched.
    expect((await call('GET', '/admin/triggers')).body).toEqual({ triggers: [], count: 0 });
    expect((await call('GET', '/admin/triggers/2')).status).toBe(404);
  });
});
