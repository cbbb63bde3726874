/**
 * Trigger imports into the configuration store: all-or-nothing in one transaction (append and
 * replace), every real Zendesk file, export round trips, 7,000 active triggers and the 7,001st,
 * durability across close/reopen, and the snapshot cache (same object while unchanged, also
 * across two store instances on one file). Prints the measured figures.
 */
import { statSync } from 'node:fs';
import path from 'node:path';
import { performance } from 'node:perf_hooks';
import { openConfigStore, type ConfigStore } from '../../config/store';
import { DomainError } from '../../domain/errors';
import { MAX_ACTIVE_TRIGGERS, exportTrigger, importTriggers } from '../../domain/triggers';
import { loadTriggerFile, manyTriggers, simpleTrigger, tempDir, triggerFiles } from '../helpers/configFixtures';

const stores: ConfigStore[] = [];
const open = (file = ':memory:'): ConfigStore => {
  const s = openConfigStore(file);
  stores.push(s);
  return s;
};
afterEach(() => {
  for (const s of stores.splice(0)) s.close();
});

function errorOf(fn: () => unknown): DomainError {
  try {
    fn();
  } catch (err) {
    if (err instanceof DomainError) return err;
    throw err;
  }
  throw new Error('expected a DomainError');
}

/** Export without the keys the store adds (revision; id/active/position when the input had none). */
const withoutRevision = (list: Record<string, unknown>): unknown[] =>
  (list.triggers as Record<string, unknown>[]).map(({ revision: _r, ...t }) => t);

describe('all or nothing', () => {
  const good = [simpleTrigger('One', { id: 1 }), simpleTrigger('Two', { id: 2 })];
  const bad = simpleTrigger('Broken', { id: 3, actions: [{ field: 'notification_target', value: ['1', 'x'] }] });

  test.each(['append', 'replace'] as const)('%s: a file with one bad trigger changes nothing and names the problem', (mode) => {
    const store = open();
    store.importTriggers({ triggers: [simpleTrigger('Kept', { id: 9 })] }, 'append', 'amy');
    const before = store.exportTriggers();
    const e = errorOf(() => store.importTriggers({ triggers: [...good, bad] }, mode, 'bob'));
    expect(e.code).toBe('invalid_input');
    expect(e.message.split('\n')[0]).toBe('import rejected, nothing changed (1 of 3 triggers have problems): 1 problem');
    expect(e.issues).toEqual([
      { path: '$.triggers[2].actions[0].field', title: 'Broken', message: 'notification_target: targets are deprecated; use notification_webhook' },
    ]);
    expect(store.exportTriggers()).toEqual(before);
    expect(store.revision()).toBe(1);
  });

  test('replace: the file becomes the whole set; append: adds and updates by id; an identical import changes nothing', () => {
    const store = open();
    store.importTriggers({ triggers: [simpleTrigger('Old', { id: 9 }), simpleTrigger('One v1', { id: 1 })] }, 'append', 'amy');
    const appended = store.importTriggers({ triggers: good }, 'append', 'bob');
    expect(appended).toMatchObject({ revision: 2, created: 1, updated: 1, unchanged: 0, deleted: 0, active: 3 });
    expect(store.importTriggers({ triggers: good }, 'append', 'bob')).toMatchObject({ revision: null, unchanged: 2 });
    const replaced = store.importTriggers({ triggers: good }, 'replace', 'cy');
    expect(replaced).toMatchObject({ revision: 3, created: 0, updated: 0, unchanged: 2, deleted: 1, active: 2 });
    expect(store.listTriggers().map((t) => t.title)).toEqual(['One', 'Two']);
    expect(store.revisionDetail(3)).toMatchObject({ action: 'import', actor: 'cy', summary: 'import (replace) of 2: 0 created, 0 updated, 1 deleted, 2 unchanged' });
    expect(store.revisionDetail(3).changes).toEqual([{ trigger_id: '9', trigger_revision: 2, before: expect.objectContaining({ title: 'Old' }), after: null }]);
  });

  test('the active limit is checked on the resulting set: append over the limit is refused, replace of the same size is not', () => {
    const store = open();
    store.importTriggers({ triggers: manyTriggers(MAX_ACTIVE_TRIGGERS) }, 'append', 'amy');
    const more = { triggers: [simpleTrigger('Extra', { id: 1 })] };
    expect(errorOf(() => store.importTriggers(more, 'append', 'bob')).issues).toEqual([{ path: '$.triggers', message: '7001 active triggers; the limit is 7000 per account' }]);
    expect(store.summary().triggers.total).toBe(MAX_ACTIVE_TRIGGERS);
    expect(store.importTriggers(more, 'replace', 'bob')).toMatchObject({ created: 1, deleted: MAX_ACTIVE_TRIGGERS, active: 1 });
  });
});

describe.each(triggerFiles())('real file %s through the store', (file) => {
  const json = loadTriggerFile(file);
  const expected = importTriggers(json);

  test(expected.ok ? 'is stored whole and exports back' : 'is rejected and stores nothing', () => {
    const store = open();
    store.createTrigger(simpleTrigger('Already there', { id: 'local-1' }), 'amy');
    if (!expected.ok) {
      expect(errorOf(() => store.importTriggers(json, 'append', 'bob')).issues?.map((i) => i.path)).toEqual(expected.problems.map((p) => p.path));
      expect(store.revision()).toBe(1);
      expect(store.summary().triggers.total).toBe(1);
      return;
    }
    const result = store.importTriggers(json, 'replace', 'bob');
    expect(result).toMatchObject({ revision: 2, total: expected.triggers.length, created: expected.triggers.length, deleted: 1 });
    const stored = store.exportTriggers();
    expect(stored.count).toBe(expected.triggers.length);
    // Round trip: each trigger comes back as imported, plus the keys the store fills in.
    const byTitle = new Map((stored.triggers as Record<string, unknown>[]).map((t) => [t.title, t]));
    for (const t of expected.triggers) {
      const { revision, id, active, position, ...rest } = byTitle.get(t.title) as Record<string, unknown>;
      expect(rest).toEqual(Object.fromEntries(Object.entries(exportTrigger(t)).filter(([k]) => !['id', 'active', 'position'].includes(k))));
      expect(revision).toBe(1);
      expect([id, active, position]).toEqual([t.id ?? expect.any(Number), t.active ?? true, t.position ?? expect.any(Number)]);
    }
    // Re-importing the export changes nothing.
    expect(store.importTriggers(stored, 'replace', 'cy')).toMatchObject({ revision: null, unchanged: expected.triggers.length });
  });
});

test('export → import into another store → the same export (modulo revisions)', () => {
  const a = open();
  a.importTriggers(loadTriggerFile('zendesk_legacy_default_triggers_pchhetri_script.json'), 'append', 'amy');
  a.updateTrigger('3', { title: 'Renamed' }, 'amy');
  const b = open();
  b.importTriggers(a.exportTriggers(), 'append', 'bob');
  expect(withoutRevision(b.exportTriggers())).toEqual(withoutRevision(a.exportTriggers()));
});

test('7,000 active triggers import in one go; the 7,001st is refused; durable across close and reopen', () => {
  const file = path.join(tempDir(), 'config.sqlite');
  const store = open(file);
  const triggers = manyTriggers(MAX_ACTIVE_TRIGGERS + 1);
  const bytes = Buffer.byteLength(JSON.stringify({ triggers }));

  expect(errorOf(() => store.importTriggers({ triggers }, 'append', 'amy')).issues).toEqual([
    { path: '$.triggers', title: null, message: '7001 active triggers; the limit is 7000 per account' },
  ]);
  expect(store.revision()).toBe(0);

  let t0 = performance.now();
  const result = store.importTriggers({ triggers: triggers.slice(0, MAX_ACTIVE_TRIGGERS) }, 'append', 'amy');
  const importMs = performance.now() - t0;
  expect(result).toMatchObject({ revision: 1, created: 7000, active: 7000 });

  t0 = performance.now();
  const first = store.snapshot();
  const firstMs = performance.now() - t0;
  expect(first.triggers).toHaveLength(7000);

  const calls = 20_000;
  t0 = performance.now();
  for (let i = 0; i < calls; i++) store.snapshot();
  const unchangedUs = ((performance.now() - t0) * 1000) / calls;

  const changedMs: number[] = [];
  let changed = first;
  for (let i = 1; i <= 5; i++) {
    store.updateTrigger('1500000000005', { title: `changed ${i}` }, 'bob');
    t0 = performance.now();
    changed = store.snapshot();
    changedMs.push(performance.now() - t0);
  }
  changedMs.sort((a, b) => a - b);
  expect(changed).not.toBe(first);
  expect(changed.revision).toBe(6);
  const kept = first.triggers.find((t) => t.id === 1_500_000_000_006);
  expect(changed.triggers.find((t) => t.id === 1_500_000_000_006)).toBe(kept);

  const exported = store.exportTriggers();
  store.close();
  stores.splice(stores.indexOf(store), 1);
  expect(statSync(file).mode & 0o777).toBe(0o600);
  const reopened = open(file);
  expect(reopened.revision()).toBe(6);
  expect(reopened.exportTriggers()).toEqual(exported);
  expect(reopened.snapshot().revision).toBe(6);

  process.stdout.write(
    `\n[config store] 7,000 triggers (${(bytes / 1e6).toFixed(1)} MB JSON): import ${importMs.toFixed(0)} ms; ` +
      `first snapshot ${firstMs.toFixed(0)} ms; snapshot() unchanged ${unchangedUs.toFixed(1)} µs/call; ` +
      `after one change median ${changedMs[2].toFixed(1)} ms (max ${changedMs[4].toFixed(1)} ms)\n`,
  );
  expect(unchangedUs).toBeLessThan(100);
});

describe('snapshot cache', () => {
  test('the same object (and triggers array) while unchanged; a new one after a change; unchanged triggers keep their objects', () => {
    const store = open();
    const empty = store.snapshot();
    expect(empty).toEqual({ revision: 0, triggers: [], categoryOrder: [], schedules: [], webhooks: [], messagingTriggers: [] });
    store.importTriggers(loadTriggerFile('mattermost_testaccount_triggers.json'), 'append', 'amy');
    const s1 = store.snapshot();
    expect(s1).not.toBe(empty);
    expect(store.snapshot()).toBe(s1);
    expect(store.snapshot().triggers).toBe(s1.triggers);
    expect(Object.isFrozen(s1.triggers[0])).toBe(true);
    const [changedOne, keptOne] = s1.triggers;
    store.updateTrigger(String(changedOne.id), { title: 'x' }, 'bob');
    const s2 = store.snapshot();
    expect(s2).not.toBe(s1);
    expect(s2.revision).toBe(2);
    expect(s2.triggers.find((t) => t.id === keptOne.id)).toBe(keptOne);
    expect(s2.triggers.find((t) => t.id === changedOne.id)).toMatchObject({ title: 'x', revision: 2 });
  });

  test('a change made through a second store on the same file (another process) is seen', () => {
    const file = path.join(tempDir(), 'config.sqlite');
    const reader = open(file);
    const writer = open(file);
    const s0 = reader.snapshot();
    writer.createTrigger(simpleTrigger('From elsewhere'), 'cli');
    const s1 = reader.snapshot();
    expect(s1).not.toBe(s0);
    expect(s1.triggers.map((t) => t.title)).toEqual(['From elsewhere']);
    expect(reader.snapshot()).toBe(s1);
    writer.deleteTrigger('1', 'cli');
    expect(reader.snapshot().triggers).toEqual([]);
    expect(reader.createTrigger(simpleTrigger('Second'), 'amy').trigger.id).toBe(2);
  });
});
