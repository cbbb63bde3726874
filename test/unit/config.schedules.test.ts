/**
 * Schedules and webhooks in the configuration store: CRUD with revisions, the default schedule
 * first in the snapshot, Zendesk imports (with the salto export's holidays map), secrets kept out
 * of lists and history, and nothing a trigger uses can be deleted. Also the admin token file.
 */
import { statSync } from 'node:fs';
import { adminTokenFile, loadOrCreateAdminToken, readAdminToken } from '../../config/adminToken';
import { openConfigStore, type ConfigStore } from '../../config/store';
import { DomainError } from '../../domain/errors';
import { isWithin } from '../../domain/schedules';
import { loadTriggerFile, simpleTrigger, tempDir } from '../helpers/configFixtures';

let store: ConfigStore;
beforeEach(() => {
  store = openConfigStore(':memory:');
});
afterEach(() => store.close());

function errorOf(fn: () => unknown): DomainError {
  try {
    fn();
  } catch (err) {
    if (err instanceof DomainError) return err;
    throw err;
  }
  throw new Error('expected a DomainError');
}

const berlin = { name: 'Berlin office', time_zone: 'Europe/Berlin', weekly: { mon: [['09:00', '17:00']], tue: [['09:00', '17:00']] } };
const zendesk = { id: 77, name: 'Zendesk form', time_zone: 'Pacific Time (US & Canada)', intervals: [{ start_time: 1980, end_time: 2460 }] };

describe('schedules', () => {
  test('create keeps the input as given (id assigned when absent); the first is the default until another is set', () => {
    const a = store.createSchedule(berlin, 'amy');
    expect(a).toEqual({ schedule: { ...berlin, id: 1 }, revision: 1 });
    store.createSchedule({ schedule: zendesk }, 'amy');
    expect(store.listSchedules()).toEqual({ schedules: [{ ...berlin, id: 1 }, zendesk], default_schedule_id: '1' });
    expect(store.snapshot().schedules.map((s) => s.id)).toEqual(['1', '77']);
    expect(store.setDefaultSchedule('77', 'bob')).toEqual({ revision: 3 });
    expect(store.setDefaultSchedule('77', 'bob')).toEqual({ revision: null });
    expect(store.snapshot().schedules.map((s) => [s.id, s.timeZone])).toEqual([
      ['77', 'America/Los_Angeles'],
      ['1', 'Europe/Berlin'],
    ]);
    expect(isWithin(store.snapshot().schedules[1], Date.parse('2026-01-05T09:30:00Z'))).toBe(true);
    expect(store.revisions().map((r) => [r.action, r.actor])).toEqual([
      ['schedule_default', 'bob'],
      ['schedule_create', 'amy'],
      ['schedule_create', 'amy'],
    ]);
  });

  test('bad schedules are refused with JSON paths; unknown ids 404; existing ids 409', () => {
    const e = errorOf(() => store.createSchedule({ ...berlin, weekly: { mon: [['17:00', '09:00']] }, time_zone: 'Mars/Olympus' }, 'amy'));
    expect(e.code).toBe('invalid_input');
    expect(e.issues?.map((i) => i.path)).toEqual(['$.time_zone', '$.weekly.mon[0][1]']);
    expect(errorOf(() => store.createSchedule({ schedule: { ...zendesk, intervals: [] } }, 'amy')).issues?.[0].path).toBe('$.schedule.intervals');
    expect(errorOf(() => store.getSchedule('9')).code).toBe('not_found');
    store.createSchedule(zendesk, 'amy');
    expect(errorOf(() => store.createSchedule(zendesk, 'amy')).code).toBe('invalid_state');
    expect(store.revision()).toBe(1);
  });

  test('update replaces the whole schedule; delete moves the default to the oldest remaining', () => {
    store.createSchedule(zendesk, 'amy');
    store.createSchedule(berlin, 'amy');
    const { id: _id, ...renamed } = { ...zendesk, name: 'Renamed' };
    expect(store.updateSchedule('77', renamed, 'bob')).toEqual({ schedule: { ...zendesk, name: 'Renamed' }, revision: 3 });
    expect(store.updateSchedule('77', renamed, 'bob').revision).toBeNull();
    expect(errorOf(() => store.updateSchedule('77', { ...zendesk, id: 78 }, 'bob')).issues?.[0].path).toBe('$.id');
    expect(store.revisionDetail(3).detail).toEqual({ before: zendesk, after: { ...zendesk, name: 'Renamed' } });
    store.deleteSchedule('77', 'bob');
    expect(store.listSchedules().default_schedule_id).toBe('78');
  });

  test('the salto export imports with its holidays map; replace makes the file the set and its first the default', () => {
    const salto = loadTriggerFile('salto_mybrand_schedules_slas.json');
    store.createSchedule(berlin, 'amy');
    const r = store.importSchedules(salto, 'append', 'amy');
    expect(r).toMatchObject({ revision: 2, created: 3, default_schedule_id: '1' });
    expect(r.warnings).toEqual(['$._source: ignored (not schedules)', '$.sla_policies: ignored (not schedules)', '$.sla_policy_definitions: ignored (not schedules)']);
    expect(store.getSchedule('1900000004365').holidays).toEqual([{ id: 4416453812631, name: 'Holiday1', start_date: '2021-12-19', end_date: '2021-12-20' }]);
    expect(store.importSchedules(salto, 'append', 'amy').revision).toBeNull();
    expect(store.importSchedules(salto, 'replace', 'amy')).toMatchObject({ revision: 3, deleted: 1, default_schedule_id: '1900000004365' });
    const bad = store.revision();
    const e = errorOf(() => store.importSchedules([zendesk, { ...zendesk, name: 'dup' }, 'x'], 'replace', 'bob'));
    expect(e.issues).toEqual([
      { path: '$[1].id', message: 'duplicate schedule id "77" (first at $[0])' },
      { path: '$[2]', message: 'expected a schedule object' },
    ]);
    expect(store.revision()).toBe(bad);
  });

  test('a schedule a trigger sets cannot be deleted', () => {
    store.createSchedule(zendesk, 'amy');
    store.createTrigger(simpleTrigger('Night shift', { actions: [{ field: 'set_schedule', value: '77' }] }), 'amy');
    expect(errorOf(() => store.deleteSchedule('77', 'bob'))).toMatchObject({ code: 'invalid_state', message: expect.stringContaining('triggers 1') });
    expect(errorOf(() => store.importSchedules([berlin], 'replace', 'bob')).code).toBe('invalid_state');
  });
});

describe('webhooks', () => {
  test('create generates the secret and shows it once; lists, history and updates never carry it', () => {
    const { webhook, revision } = store.createWebhook({ name: 'CRM', endpoint: 'https://crm.example.com/hook' }, 'amy');
    expect(revision).toBe(1);
    expect(webhook).toMatchObject({ id: '1', name: 'CRM', endpoint: 'https://crm.example.com/hook', signing_secret: expect.stringMatching(/^[\w-]{43}$/) });
    expect(store.webhookSecret('1')).toBe(webhook.signing_secret);
    expect(store.listWebhooks()[0]).not.toHaveProperty('signing_secret');
    const updated = store.updateWebhook('1', { signing_secret: 'a-new-secret-of-enough-length' }, 'bob');
    expect(updated.webhook).not.toHaveProperty('signing_secret');
    expect(store.revisionDetail(2)).toMatchObject({ summary: 'updated webhook "CRM" (new signing secret)', detail: { signing_secret_changed: true } });
    expect(JSON.stringify(store.revisionDetail(1))).not.toContain(webhook.signing_secret);
    expect(store.snapshot().webhooks).toEqual([{ id: '1', name: 'CRM', endpoint: 'https://crm.example.com/hook', signingSecret: 'a-new-secret-of-enough-length' }]);
  });

  test('bad bodies name the JSON path; unknown ids 404; a webhook a trigger uses cannot be deleted', () => {
    expect(errorOf(() => store.createWebhook({ name: '', endpoint: 'ftp://x', extra: 1 }, 'amy')).issues?.map((i) => i.path).sort()).toEqual(['$', '$.endpoint', '$.name']);
    expect(errorOf(() => store.updateWebhook('5', { name: 'x' }, 'amy')).code).toBe('not_found');
    store.createWebhook({ id: 'crm', name: 'CRM', endpoint: 'http://localhost:9000/hook' }, 'amy');
    store.createTrigger(simpleTrigger('Tell CRM', { actions: [{ field: 'notification_webhook', value: ['crm', '{"ticket": "{{ticket.id}}"}'] }] }), 'amy');
    expect(errorOf(() => store.deleteWebhook('crm', 'bob')).code).toBe('invalid_state');
    store.deleteTrigger('1', 'bob');
    expect(store.deleteWebhook('crm', 'bob')).toEqual({ revision: 4 });
  });

  test('an import naming an unknown webhook is stored with a warning', () => {
    const r = store.importTriggers(loadTriggerFile('ringcentral_zendesk_addin_trigger.json'), 'append', 'amy');
    expect(r.warnings).toEqual(['"Send webhook to RingCentral bot" (trigger 1): notification_webhook names webhook "<webhook_id>", which is not configured']);
  });
});

describe('admin token', () => {
  test('created once with mode 0600, reused on later starts; the environment wins', () => {
    const dir = tempDir();
    expect(readAdminToken(dir)).toBeUndefined();
    const created = loadOrCreateAdminToken(dir);
    expect(created).toMatchObject({ source: 'created', file: adminTokenFile(dir), token: expect.stringMatching(/^[\w-]{43}$/) });
    expect(statSync(adminTokenFile(dir)).mode & 0o777).toBe(0o600);
    expect(loadOrCreateAdminToken(dir)).toEqual({ ...created, source: 'file' });
    expect(readAdminToken(dir)).toBe(created.token);
    expect(loadOrCreateAdminToken(dir, 'from-the-environment-123')).toEqual({ token: 'from-the-environment-123', source: 'env' });
  });
});
