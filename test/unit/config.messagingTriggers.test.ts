/**
 * Messaging triggers in the configuration store (config/messagingTriggersRepo.ts): create, update,
 * delete, activate/deactivate and reorder, each one revision with actor, action and the trigger's
 * JSON before and after; all-or-nothing imports (append/replace); the shipped example; the
 * 1,000 active limit and the 65,535-byte size limit; `snapshot().messagingTriggers` (same array
 * while unchanged, what the messaging engine evaluates); durability and a version 1 file.
 */
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { performance } from 'node:perf_hooks';
import Database from 'better-sqlite3';
import { MAX_ACTIVE_MESSAGING_TRIGGERS, openConfigStore, type ConfigStore } from '../../config/store';
import { DomainError } from '../../domain/errors';
import { evaluateMessagingTriggers, type MessagingEvent } from '../../domain/messagingTriggers';
import { simpleTrigger, tempDir } from '../helpers/configFixtures';

const EXAMPLE = JSON.parse(readFileSync(path.resolve(__dirname, '../../examples/messaging-triggers/after-hours-message.json'), 'utf8')) as {
  messaging_trigger: Record<string, unknown>;
};

/** A minimal valid messaging trigger body. */
const greeting = (title: string, extra: Record<string, unknown> = {}): Record<string, unknown> => ({
  title,
  event: 'message_sent',
  conditions: { all: [{ field: 'current_tags', operator: 'includes', value: 'vip' }] },
  actions: [{ field: 'send_message', value: 'Hello' }],
  ...extra,
});

const stores: ConfigStore[] = [];
let clock: number;
const open = (file = ':memory:'): ConfigStore => {
  const s = openConfigStore(file, { now: () => new Date((clock += 1000)) });
  stores.push(s);
  return s;
};
let store: ConfigStore;
beforeEach(() => {
  clock = Date.parse('2026-01-05T10:00:00Z');
  store = open();
});
afterEach(() => {
  for (const s of stores.splice(0)) s.close();
});

/** The DomainError `fn` throws. */
function errorOf(fn: () => unknown): DomainError {
  try {
    fn();
  } catch (err) {
    if (err instanceof DomainError) return err;
    throw err;
  }
  throw new Error('expected a DomainError');
}

describe('create', () => {
  test('assigns increasing numeric ids, last position, active, revision 1; records who and what', () => {
    const a = store.createMessagingTrigger(greeting('A'), 'amy');
    const b = store.createMessagingTrigger({ messaging_trigger: greeting('B') }, 'bob');
    expect([a.trigger.id, b.trigger.id]).toEqual([1, 2]);
    expect([a.trigger.position, b.trigger.position]).toEqual([1, 2]);
    expect(a.trigger).toMatchObject({ active: true, revision: 1 });
    expect([a.revision, b.revision]).toEqual([1, 2]);
    expect(store.revisions()).toEqual([
      { revision: 2, at: '2026-01-05T10:00:02.000Z', actor: 'bob', action: 'messaging_trigger_create', trigger_ids: ['2'], trigger_count: 1, summary: 'created messaging trigger "B"' },
      expect.objectContaining({ revision: 1, actor: 'amy', action: 'messaging_trigger_create', trigger_ids: ['1'] }),
    ]);
    expect(store.revisionDetail(1).changes).toEqual([{ trigger_id: '1', trigger_revision: 1, before: null, after: { ...a.trigger } }]);
  });

  test('ids are their own: ticket trigger 1 and messaging trigger 1 are different things', () => {
    store.createTrigger(simpleTrigger('ticket'), 'amy');
    const m = store.createMessagingTrigger(greeting('messaging'), 'amy');
    expect(m).toMatchObject({ revision: 2, trigger: { id: 1 } });
    expect(store.getTrigger('1').title).toBe('ticket');
    expect(store.getMessagingTrigger('1').title).toBe('messaging');
    expect(store.revisionDetail(2).changes).toEqual([expect.objectContaining({ trigger_id: '1', after: expect.objectContaining({ title: 'messaging' }) })]);
    expect(store.revisionDetail(1).changes).toEqual([expect.objectContaining({ trigger_id: '1', after: expect.objectContaining({ title: 'ticket' }) })]);
    expect(store.triggerRevisions('1')).toHaveLength(1);
    expect(store.messagingTriggerRevisions('1')).toHaveLength(1);
  });

  test('a given id is kept; assigned ids continue above it and are never reused after a delete; an existing id is refused', () => {
    store.createMessagingTrigger(greeting('Z', { id: 500 }), 'amy');
    expect(store.createMessagingTrigger(greeting('next'), 'amy').trigger.id).toBe(501);
    store.deleteMessagingTrigger('501', 'amy');
    expect(store.createMessagingTrigger(greeting('after delete'), 'amy').trigger.id).toBe(502);
    expect(errorOf(() => store.createMessagingTrigger(greeting('again', { id: '500' }), 'amy'))).toMatchObject({ code: 'invalid_state' });
  });

  test('both all and any is refused with title and JSON path (into the body as given); nothing is stored', () => {
    const both = greeting('Both', { conditions: { all: [{ field: 'current_tags', operator: 'includes', value: 'vip' }], any: [{ field: 'agent_status', operator: 'is', value: 'online' }] } });
    const e = errorOf(() => store.createMessagingTrigger(both, 'amy'));
    expect(e.code).toBe('invalid_input');
    expect(e.issues).toEqual([{ path: '$.conditions', title: 'Both', message: 'conditions: use all or any, not both' }]);
    expect(e.message).toContain('"Both" $.conditions: conditions: use all or any, not both');
    expect(errorOf(() => store.createMessagingTrigger({ messaging_trigger: both }, 'amy')).issues?.[0].path).toBe('$.messaging_trigger.conditions');
    expect(errorOf(() => store.createMessagingTrigger({ messaging_triggers: [both] }, 'amy')).issues?.[0].path).toBe('$.messaging_triggers');
    expect(errorOf(() => store.createMessagingTrigger({ trigger: simpleTrigger('ticket') }, 'amy')).issues?.[0].message).toMatch(/ticket triggers/);
    const badEvent = errorOf(() => store.createMessagingTrigger(greeting('Ev', { event: 'ticket_created' }), 'amy'));
    expect(badEvent.issues).toEqual([
      { path: '$.event', title: 'Ev', message: 'unknown event "ticket_created"; allowed: conversation_requested, message_sent, added_to_queue, assigned_from_queue' },
    ]);
    expect(store.revision()).toBe(0);
    expect(store.snapshot().messagingTriggers).toEqual([]);
  });

  test('a trigger over 65,535 bytes is refused', () => {
    const big = greeting('Big', { description: 'x'.repeat(66_000) });
    expect(errorOf(() => store.createMessagingTrigger(big, 'amy')).issues?.[0]).toMatchObject({ path: '$', message: expect.stringMatching(/the limit is 65535 bytes/) });
  });
});

describe('update, activate, delete, reorder', () => {
  test('a partial patch changes the named keys, bumps the trigger revision and records before/after', () => {
    const { trigger } = store.createMessagingTrigger(greeting('A'), 'amy');
    const r = store.updateMessagingTrigger('1', { title: 'A2', actions: [{ field: 'add_tags', value: 'greeted' }] }, 'bob');
    expect(r.trigger).toMatchObject({ id: 1, title: 'A2', revision: 2, position: 1, conditions: trigger.conditions, actions: [{ field: 'add_tags', value: 'greeted' }] });
    expect(r.revision).toBe(2);
    const [latest, first] = store.messagingTriggerRevisions('1');
    expect(latest).toMatchObject({
      revision: 2,
      trigger_revision: 2,
      actor: 'bob',
      action: 'messaging_trigger_update',
      summary: 'updated messaging trigger "A2": title, actions',
      before: trigger,
      after: r.trigger,
    });
    expect(first).toMatchObject({ revision: 1, trigger_revision: 1, action: 'messaging_trigger_create', before: null, after: trigger });
    expect(store.revisionDetail(2).changes).toEqual([{ trigger_id: '1', trigger_revision: 2, before: trigger, after: r.trigger }]);
  });

  test('problems point into the body; unknown id → not_found; stale revision → invalid_state; changed id → invalid_input; no change → no revision', () => {
    store.createMessagingTrigger(greeting('A'), 'amy');
    const e = errorOf(() => store.updateMessagingTrigger('1', { messaging_trigger: { actions: [{ field: 'wait', value: 99_999 }] } }, 'bob'));
    expect(e.issues).toEqual([{ path: '$.messaging_trigger.actions[0].value', title: 'A', message: 'wait: value 99999 is not allowed; allowed: whole seconds 1–600' }]);
    expect(errorOf(() => store.updateMessagingTrigger('9', { title: 'x' }, 'bob')).code).toBe('not_found');
    expect(errorOf(() => store.updateMessagingTrigger('1', { title: 'x', revision: 7 }, 'bob')).code).toBe('invalid_state');
    expect(errorOf(() => store.updateMessagingTrigger('1', { id: 2 }, 'bob')).issues?.[0].path).toBe('$.id');
    expect(store.updateMessagingTrigger('1', { title: 'A', revision: 1 }, 'bob').revision).toBeNull();
    expect(store.revision()).toBe(1);
  });

  test('activate/deactivate are their own actions; repeating one changes nothing; inactive ones come last', () => {
    store.createMessagingTrigger(greeting('A'), 'amy');
    store.createMessagingTrigger(greeting('B'), 'amy');
    expect(store.setMessagingTriggerActive('1', false, 'bob')).toMatchObject({ revision: 3, trigger: { active: false, revision: 2 } });
    expect(store.setMessagingTriggerActive('1', false, 'bob').revision).toBeNull();
    expect(store.snapshot().messagingTriggers?.map((t) => t.title)).toEqual(['B', 'A']);
    expect(store.listMessagingTriggers(false).map((t) => t.title)).toEqual(['A']);
    expect(store.setMessagingTriggerActive('1', true, 'cy').trigger).toMatchObject({ active: true, revision: 3 });
    expect(store.revisions(3).map((r) => [r.revision, r.action, r.actor, r.summary])).toEqual([
      [4, 'messaging_trigger_activate', 'cy', 'activated messaging trigger "A"'],
      [3, 'messaging_trigger_deactivate', 'bob', 'deactivated messaging trigger "A"'],
      [2, 'messaging_trigger_create', 'amy', 'created messaging trigger "B"'],
    ]);
  });

  test('delete removes the trigger and keeps its history; the id used again continues its revision numbers', () => {
    const { trigger } = store.createMessagingTrigger(greeting('A', { id: 4 }), 'amy');
    expect(store.deleteMessagingTrigger('4', 'bob')).toEqual({ revision: 2 });
    expect(errorOf(() => store.getMessagingTrigger('4')).code).toBe('not_found');
    expect(errorOf(() => store.deleteMessagingTrigger('4', 'bob')).code).toBe('not_found');
    expect(store.messagingTriggerRevisions('4')[0]).toMatchObject({ action: 'messaging_trigger_delete', actor: 'bob', before: trigger, after: null });
    expect(store.createMessagingTrigger(greeting('A again', { id: 4 }), 'amy').trigger.revision).toBe(3);
    expect(errorOf(() => store.messagingTriggerRevisions('5')).code).toBe('not_found');
  });

  test('reorder: positions 1..n as one revision; unknown or repeated ids reject the whole reorder', () => {
    for (const t of ['A', 'B', 'C']) store.createMessagingTrigger(greeting(t), 'amy');
    const e = errorOf(() => store.reorderMessagingTriggers(['3', '9', '3'], 'bob'));
    expect(e.issues).toEqual([
      { path: '$.messaging_trigger_ids[1]', message: 'unknown messaging trigger id 9' },
      { path: '$.messaging_trigger_ids[2]', message: 'messaging trigger 3 is listed twice (first at $.messaging_trigger_ids[0])' },
    ]);
    expect(store.revision()).toBe(3);
    expect(store.reorderMessagingTriggers(['3', 1, '2'], 'bob')).toEqual({ revision: 4 });
    expect(store.snapshot().messagingTriggers?.map((t) => [t.title, t.position])).toEqual([
      ['C', 1],
      ['A', 2],
      ['B', 3],
    ]);
    expect(store.revisions(1)[0]).toMatchObject({ action: 'messaging_trigger_reorder', trigger_ids: ['3', '1', '2'], summary: 'reordered 3 messaging triggers (3 moved)' });
  });
});

describe('import', () => {
  const good = [greeting('One', { id: 1 }), greeting('Two', { id: 2 })];
  const bad = greeting('Broken', { id: 3, actions: [{ field: 'set_schedule', value: '1' }] });

  test.each(['append', 'replace'] as const)('%s: a file with one bad trigger changes nothing and names the problem', (mode) => {
    store.importMessagingTriggers({ messaging_triggers: [greeting('Kept', { id: 9 })] }, 'append', 'amy');
    const before = store.exportMessagingTriggers();
    const e = errorOf(() => store.importMessagingTriggers({ messaging_triggers: [...good, bad] }, mode, 'bob'));
    expect(e.code).toBe('invalid_input');
    expect(e.message.split('\n')[0]).toBe('import rejected, nothing changed (1 of 3 messaging triggers have problems): 1 problem');
    expect(e.issues).toEqual([{ path: '$.messaging_triggers[2].actions[0].field', title: 'Broken', message: expect.stringMatching(/^"set_schedule" is a ticket-trigger action/) }]);
    expect(store.exportMessagingTriggers()).toEqual(before);
    expect(store.revision()).toBe(1);
  });

  test('append adds and updates by id; replace makes the file the whole set; an identical import changes nothing', () => {
    store.importMessagingTriggers({ messaging_triggers: [greeting('Old', { id: 9 }), greeting('One v1', { id: 1 })] }, 'append', 'amy');
    const appended = store.importMessagingTriggers({ messaging_triggers: [...good, greeting('no id')] }, 'append', 'bob');
    expect(appended).toMatchObject({ revision: 2, mode: 'append', total: 3, created: 2, updated: 1, unchanged: 0, deleted: 0, active: 4, warnings: [] });
    // One v1 kept its position (2); Two and "no id" go after every position of the set; "no id" gets 10.
    expect(store.snapshot().messagingTriggers?.map((t) => [t.id, t.title, t.position])).toEqual([
      [9, 'Old', 1],
      [1, 'One', 2],
      [2, 'Two', 3],
      [10, 'no id', 4],
    ]);
    expect(store.revisions(1)[0]).toMatchObject({ actor: 'bob', action: 'messaging_trigger_import', trigger_count: 3 });
    const replaced = store.importMessagingTriggers({ messaging_triggers: good }, 'replace', 'cy');
    expect(replaced).toMatchObject({ revision: 3, created: 0, updated: 0, unchanged: 2, deleted: 2, active: 2 });
    expect(store.revisionDetail(3).changes.map((c) => [c.trigger_id, c.after === null])).toEqual([
      ['9', true],
      ['10', true],
    ]);
    const exported = store.exportMessagingTriggers();
    expect(exported.count).toBe(2);
    expect(store.importMessagingTriggers(exported, 'replace', 'cy')).toMatchObject({ revision: null, unchanged: 2 });
    expect(store.revision()).toBe(3);
  });

  test('the shipped example imports; ticket trigger files are named as such', () => {
    const r = store.importMessagingTriggers(EXAMPLE, 'append', 'amy');
    expect(r).toMatchObject({ revision: 1, total: 1, created: 1, active: 1, warnings: [] });
    const { revision: _r, ...stored } = store.getMessagingTrigger('1');
    expect(stored).toEqual(EXAMPLE.messaging_trigger);
    const ticket = errorOf(() => store.importMessagingTriggers({ triggers: [simpleTrigger('t')] }, 'append', 'amy'));
    expect(ticket.message.split('\n')[0]).toBe('import rejected, nothing changed: 1 problem');
    expect(ticket.issues?.[0].message).toMatch(/^these are ticket triggers/);
  });

  test('a within_schedule naming an unknown schedule is stored with a warning; a schedule in use cannot be deleted', () => {
    const t = greeting('In hours', { event: 'conversation_requested', conditions: { all: [{ field: 'within_schedule', operator: 'is', value: 'eu' }] } });
    expect(store.importMessagingTriggers({ messaging_triggers: [t] }, 'append', 'amy').warnings).toEqual([
      '"In hours" (messaging trigger 1): within_schedule names schedule "eu", which is not configured',
    ]);
    store.createSchedule({ id: 'eu', name: 'EU', time_zone: 'Europe/Paris', weekly: { mon: [['08:00', '18:00']] } }, 'amy');
    expect(errorOf(() => store.deleteSchedule('eu', 'amy'))).toMatchObject({ code: 'invalid_state', message: expect.stringMatching(/within_schedule condition of messaging triggers 1/) });
    expect(errorOf(() => store.importSchedules([], 'replace', 'amy')).code).toBe('invalid_state');
    store.deleteMessagingTrigger('1', 'amy');
    expect(store.deleteSchedule('eu', 'amy').revision).toBe(4);
  });

  test(`${MAX_ACTIVE_MESSAGING_TRIGGERS} active messaging triggers are accepted, the next one is refused; nothing changes`, () => {
    const many = Array.from({ length: MAX_ACTIVE_MESSAGING_TRIGGERS }, (_, i) => greeting(`T${i}`, { id: i + 1, position: i + 1 }));
    const started = performance.now();
    const r = store.importMessagingTriggers({ messaging_triggers: [...many, greeting('spare', { active: false })] }, 'append', 'amy');
    const importMs = performance.now() - started;
    expect(r).toMatchObject({ created: 1001, active: 1000 });
    const e = errorOf(() => store.setMessagingTriggerActive('1001', true, 'bob'));
    expect(e.issues).toEqual([{ path: '$', message: '1001 active messaging triggers; the limit is 1000 per account' }]);
    expect(errorOf(() => store.importMessagingTriggers({ messaging_triggers: [greeting('one more')] }, 'append', 'bob')).issues?.[0].path).toBe('$.messaging_triggers');
    expect(store.summary().messaging_triggers).toEqual({ active: 1000, total: 1001 });
    expect(store.revision()).toBe(1);
    const s0 = performance.now();
    const snapshot = store.snapshot();
    const evaluated = evaluateMessagingTriggers(snapshot.messagingTriggers ?? [], messageSent(['vip']), noRouting);
    const evalMs = performance.now() - s0;
    expect(evaluated.firings).toHaveLength(1000);
    console.log(`[config store] ${MAX_ACTIVE_MESSAGING_TRIGGERS} messaging triggers: import ${importMs.toFixed(0)} ms; first evaluation over the snapshot (compile + run) ${evalMs.toFixed(0)} ms`);
  });
});

const noRouting = { onlineAgents: () => 0, queueSize: () => 0 };
const messageSent = (tags: string[]): MessagingEvent => ({
  type: 'message_sent',
  now: Date.parse('2026-03-09T15:00:00Z'),
  sessionState: 'active',
  ticket: { id: 't1', status: 'open', tags, groupId: null, brandId: null, scheduleId: null },
  message: { text: 'hi' },
});

describe('snapshot', () => {
  test('the same array while unchanged, also across revisions that change no messaging trigger; a change gives a new array, unchanged triggers keep their objects', () => {
    const empty = store.snapshot().messagingTriggers;
    expect(empty).toEqual([]);
    store.createTrigger(simpleTrigger('ticket'), 'amy');
    expect(store.snapshot().messagingTriggers).toBe(empty);
    store.importMessagingTriggers({ messaging_triggers: [greeting('A'), greeting('B')] }, 'append', 'amy');
    const first = store.snapshot().messagingTriggers;
    expect(first?.map((t) => [t.id, t.title, t.position, t.active, t.revision])).toEqual([
      [1, 'A', 1, true, 1],
      [2, 'B', 2, true, 1],
    ]);
    expect(store.snapshot().messagingTriggers).toBe(first);
    expect(Object.isFrozen(first) && Object.isFrozen(first?.[0])).toBe(true);
    store.createSchedule({ id: 'eu', name: 'EU', time_zone: 'Europe/Paris', weekly: { mon: [['08:00', '18:00']] } }, 'amy');
    expect(store.snapshot().revision).toBe(3);
    expect(store.snapshot().messagingTriggers).toBe(first);
    store.updateMessagingTrigger('2', { title: 'B2' }, 'bob');
    const second = store.snapshot().messagingTriggers;
    expect(second).not.toBe(first);
    expect(second?.[0]).toBe(first?.[0]);
    expect(second?.[1]).toMatchObject({ title: 'B2', revision: 2 });
    store.deleteMessagingTrigger('1', 'bob');
    expect(store.snapshot().messagingTriggers?.map((t) => t.title)).toEqual(['B2']);
  });

  test('what the snapshot holds is what the messaging engine evaluates: the example fires outside business hours', () => {
    store.createSchedule({ id: 'eu', name: 'EU', time_zone: 'Europe/Paris', weekly: { mon: [['08:00', '18:00']] } }, 'amy');
    store.importMessagingTriggers(EXAMPLE, 'append', 'amy');
    const snapshot = store.snapshot();
    const requested = (iso: string): MessagingEvent => ({
      type: 'conversation_requested',
      now: Date.parse(iso),
      sessionState: 'active',
      ticket: { id: 't1', status: 'new', tags: [], groupId: null, brandId: null, scheduleId: null },
    });
    // Monday 2026-03-09 20:00 in Paris: closed.
    const closed = evaluateMessagingTriggers(snapshot.messagingTriggers ?? [], requested('2026-03-09T19:00:00Z'), { schedules: snapshot.schedules, ...noRouting });
    expect(closed.firings).toEqual([
      expect.objectContaining({
        triggerId: '1',
        title: 'After hours: we reply by email',
        revision: 1,
        position: 1,
        actions: [
          expect.objectContaining({ type: 'send_message', text: "We're closed now; we'll reply by email", afterSeconds: 0 }),
          expect.objectContaining({ type: 'request_email', prompt: 'Which email address should we reply to?' }),
          expect.objectContaining({ type: 'add_tags', tags: ['after_hours'] }),
        ],
      }),
    ]);
    expect(closed.tags).toEqual(['after_hours']);
    // Monday 10:00 in Paris: open, nothing fires.
    expect(evaluateMessagingTriggers(snapshot.messagingTriggers ?? [], requested('2026-03-09T09:00:00Z'), { schedules: snapshot.schedules, ...noRouting }).firings).toEqual([]);
  });

  test('durable across close/reopen; another store on the same file sees changes; a version 1 file gains the tables', () => {
    const file = path.join(tempDir(), 'config.sqlite');
    const a = open(file);
    a.importMessagingTriggers(EXAMPLE, 'append', 'amy');
    const b = open(file);
    expect(b.snapshot().messagingTriggers?.map((t) => t.title)).toEqual(['After hours: we reply by email']);
    a.setMessagingTriggerActive('1', false, 'amy');
    expect(b.summary().messaging_triggers).toEqual({ active: 0, total: 1 });
    for (const s of stores.splice(1)) s.close();

    // A file written before messaging triggers existed (schema version 1).
    const old = path.join(tempDir(), 'v1.sqlite');
    open(old).createTrigger(simpleTrigger('kept'), 'amy');
    for (const s of stores.splice(1)) s.close();
    const raw = new Database(old);
    raw.exec('DROP TABLE messaging_triggers; DROP TABLE messaging_trigger_versions');
    raw.pragma('user_version = 1');
    raw.close();
    const upgraded = open(old);
    expect(upgraded.snapshot()).toMatchObject({ revision: 1, messagingTriggers: [] });
    expect(upgraded.importMessagingTriggers(EXAMPLE, 'append', 'amy').revision).toBe(2);
    expect(upgraded.listTriggers().map((t) => t.title)).toEqual(['kept']);
  });
});
