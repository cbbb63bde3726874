/**
 * The configuration store's trigger operations (config/store.ts): create, update, delete,
 * activate/deactivate, reorder and category order, each one revision with actor, action and the
 * trigger's JSON before and after; every rejection changes nothing.
 */
import { openConfigStore, type ConfigStore } from '../../config/store';
import { DomainError } from '../../domain/errors';
import { MAX_ACTIVE_TRIGGERS } from '../../domain/triggers';
import { manyTriggers, simpleTrigger } from '../helpers/configFixtures';

let store: ConfigStore;
let clock: number;
beforeEach(() => {
  clock = Date.parse('2026-01-05T10:00:00Z');
  store = openConfigStore(':memory:', { now: () => new Date((clock += 1000)) });
});
afterEach(() => store.close());

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
  test('assigns increasing numeric ids, last position in its category, active, revision 1; records who and what', () => {
    const a = store.createTrigger(simpleTrigger('A'), 'amy');
    const b = store.createTrigger({ trigger: simpleTrigger('B', { category_id: '7' }) }, 'bob');
    const c = store.createTrigger(simpleTrigger('C'), 'amy');
    expect([a.trigger.id, b.trigger.id, c.trigger.id]).toEqual([1, 2, 3]);
    expect([a.trigger.position, b.trigger.position, c.trigger.position]).toEqual([1, 1, 2]);
    expect(a.trigger).toMatchObject({ active: true, revision: 1 });
    expect([a.revision, b.revision, c.revision]).toEqual([1, 2, 3]);
    expect(store.revisions()).toEqual([
      { revision: 3, at: '2026-01-05T10:00:03.000Z', actor: 'amy', action: 'create', trigger_ids: ['3'], trigger_count: 1, summary: 'created "C"' },
      expect.objectContaining({ revision: 2, actor: 'bob', action: 'create', trigger_ids: ['2'] }),
      expect.objectContaining({ revision: 1, actor: 'amy', action: 'create', trigger_ids: ['1'] }),
    ]);
    expect(store.revisionDetail(1).changes).toEqual([{ trigger_id: '1', trigger_revision: 1, before: null, after: { ...a.trigger } }]);
  });

  test('a given id is kept; assigned ids continue above it; an existing id is refused (409)', () => {
    store.createTrigger(simpleTrigger('Z', { id: 500 }), 'amy');
    expect(store.createTrigger(simpleTrigger('next'), 'amy').trigger.id).toBe(501);
    expect(errorOf(() => store.createTrigger(simpleTrigger('again', { id: '500' }), 'amy'))).toMatchObject({ code: 'invalid_state' });
  });

  test('a bad trigger is refused with title, JSON path and the allowed operators; nothing is stored', () => {
    const bad = simpleTrigger('Bad', { conditions: { all: [{ field: 'status', operator: 'equals', value: 'open' }] } });
    const e = errorOf(() => store.createTrigger(bad, 'amy'));
    expect(e.code).toBe('invalid_input');
    expect(e.issues).toEqual([
      {
        path: '$.conditions.all[0].operator',
        title: 'Bad',
        message: 'status: unknown operator "equals"; allowed: is, is_not, less_than, greater_than, changed, value, value_previous, not_changed, not_value, not_value_previous',
      },
    ]);
    expect(e.message).toContain('"Bad" $.conditions.all[0].operator: status: unknown operator "equals"');
    expect(errorOf(() => store.createTrigger({ trigger: bad }, 'amy')).issues?.[0].path).toBe('$.trigger.conditions.all[0].operator');
    expect(errorOf(() => store.createTrigger({ triggers: [bad] }, 'amy')).issues?.[0].path).toBe('$.triggers');
    expect(store.revision()).toBe(0);
    expect(store.snapshot().triggers).toEqual([]);
  });
});

describe('update', () => {
  test('a partial patch changes the named keys, bumps the trigger revision and records before/after', () => {
    const { trigger } = store.createTrigger(simpleTrigger('A'), 'amy');
    const r = store.updateTrigger('1', { title: 'A2', actions: [{ field: 'priority', value: 'urgent' }] }, 'bob');
    expect(r.trigger).toMatchObject({ id: 1, title: 'A2', revision: 2, position: 1, conditions: trigger.conditions, actions: [{ field: 'priority', value: 'urgent' }] });
    expect(r.revision).toBe(2);
    const [latest, first] = store.triggerRevisions('1');
    expect(latest).toMatchObject({ revision: 2, trigger_revision: 2, actor: 'bob', action: 'update', summary: 'updated "A2": title, actions', before: trigger, after: r.trigger });
    expect(first).toMatchObject({ revision: 1, trigger_revision: 1, action: 'create', before: null, after: trigger });
  });

  test('a full replace ({trigger}) is validated as a whole; problems point into the body; nothing changes', () => {
    store.createTrigger(simpleTrigger('A'), 'amy');
    const e = errorOf(() => store.updateTrigger('1', { trigger: { actions: [{ field: 'status', value: 'new' }] } }, 'bob'));
    expect(e.issues).toEqual([{ path: '$.trigger.actions[0].value', title: 'A', message: 'status: value "new" is not allowed; allowed: open, pending, hold, solved, closed' }]);
    expect(store.getTrigger('1')).toMatchObject({ revision: 1, actions: [{ field: 'priority', value: 'high' }] });
    expect(store.revision()).toBe(1);
  });

  test('unknown id → not_found; a stale revision → invalid_state; a changed id → invalid_input; no change → no revision', () => {
    store.createTrigger(simpleTrigger('A'), 'amy');
    expect(errorOf(() => store.updateTrigger('9', { title: 'x' }, 'bob')).code).toBe('not_found');
    expect(errorOf(() => store.updateTrigger('1', { title: 'x', revision: 7 }, 'bob')).code).toBe('invalid_state');
    expect(errorOf(() => store.updateTrigger('1', { id: 2 }, 'bob')).issues?.[0].path).toBe('$.id');
    expect(store.updateTrigger('1', { title: 'A', revision: 1 }, 'bob').revision).toBeNull();
    expect(store.revision()).toBe(1);
  });

  test('moving to another category without a position puts it last there', () => {
    store.createTrigger(simpleTrigger('A', { category_id: 'x' }), 'amy');
    store.createTrigger(simpleTrigger('B', { category_id: 'y' }), 'amy');
    store.createTrigger(simpleTrigger('C', { category_id: 'y' }), 'amy');
    expect(store.updateTrigger('1', { category_id: 'y' }, 'amy').trigger.position).toBe(3);
  });
});

test('activate/deactivate are their own actions; repeating one changes nothing', () => {
  store.createTrigger(simpleTrigger('A'), 'amy');
  expect(store.setTriggerActive('1', false, 'bob')).toMatchObject({ revision: 2, trigger: { active: false, revision: 2 } });
  expect(store.setTriggerActive('1', false, 'bob').revision).toBeNull();
  expect(store.setTriggerActive('1', true, 'cy').trigger).toMatchObject({ active: true, revision: 3 });
  expect(store.revisions().map((r) => [r.revision, r.action, r.actor, r.summary])).toEqual([
    [3, 'activate', 'cy', 'activated "A"'],
    [2, 'deactivate', 'bob', 'deactivated "A"'],
    [1, 'create', 'amy', 'created "A"'],
  ]);
  expect(store.listTriggers(false)).toEqual([]);
});

test('delete removes the trigger, keeps its history; the id used again continues its revision numbers', () => {
  const { trigger } = store.createTrigger(simpleTrigger('A', { id: 4 }), 'amy');
  expect(store.deleteTrigger('4', 'bob')).toEqual({ revision: 2 });
  expect(errorOf(() => store.getTrigger('4')).code).toBe('not_found');
  expect(errorOf(() => store.deleteTrigger('4', 'bob')).code).toBe('not_found');
  expect(store.triggerRevisions('4')[0]).toMatchObject({ action: 'delete', actor: 'bob', before: trigger, after: null });
  expect(store.createTrigger(simpleTrigger('A again', { id: 4 }), 'amy').trigger.revision).toBe(3);
  expect(errorOf(() => store.triggerRevisions('5')).code).toBe('not_found');
});

describe('reorder', () => {
  beforeEach(() => {
    for (const t of ['A', 'B', 'C']) store.createTrigger(simpleTrigger(t), 'amy');
  });

  test('the listed ids get positions 1..n in that order, as one revision; the snapshot follows', () => {
    expect(store.reorderTriggers(['3', 1, '2'], 'bob')).toEqual({ revision: 4 });
    expect(store.snapshot().triggers.map((t) => [t.title, t.position])).toEqual([
      ['C', 1],
      ['A', 2],
      ['B', 3],
    ]);
    expect(store.revisions(1)[0]).toMatchObject({ action: 'reorder', actor: 'bob', trigger_ids: ['3', '1', '2'], summary: 'reordered 3 triggers (3 moved)' });
  });

  test('unknown or repeated ids reject the whole reorder', () => {
    const e = errorOf(() => store.reorderTriggers(['3', '9', '3'], 'bob'));
    expect(e.issues).toEqual([
      { path: '$.trigger_ids[1]', message: 'unknown trigger id 9' },
      { path: '$.trigger_ids[2]', message: 'trigger 3 is listed twice (first at $.trigger_ids[0])' },
    ]);
    expect(store.snapshot().triggers.map((t) => t.title)).toEqual(['A', 'B', 'C']);
    expect(store.revision()).toBe(3);
  });
});

test('category order decides the evaluation order of the snapshot; inactive triggers come last', () => {
  store.createTrigger(simpleTrigger('in 20', { category_id: '20' }), 'amy');
  store.createTrigger(simpleTrigger('in 10', { category_id: '10' }), 'amy');
  store.createTrigger(simpleTrigger('off', { category_id: '10', active: false }), 'amy');
  expect(store.snapshot().triggers.map((t) => t.title)).toEqual(['in 10', 'in 20', 'off']);
  expect(store.setCategoryOrder(['20', '10'], 'bob')).toEqual({ revision: 4, category_ids: ['20', '10'] });
  expect(store.snapshot()).toMatchObject({ categoryOrder: ['20', '10'] });
  expect(store.snapshot().triggers.map((t) => t.title)).toEqual(['in 20', 'in 10', 'off']);
  expect(store.revisionDetail(4)).toMatchObject({ action: 'category_order', detail: { before: [], after: ['20', '10'] } });
  expect(errorOf(() => store.setCategoryOrder(['1', '1'], 'bob')).issues).toEqual([{ path: '$.category_ids[1]', message: 'category 1 is listed twice' }]);
});

test('activating the 7,001st active trigger is refused; nothing changes', () => {
  store.importTriggers({ triggers: [...manyTriggers(MAX_ACTIVE_TRIGGERS), simpleTrigger('spare', { active: false })] }, 'append', 'amy');
  const spare = store.listTriggers(false)[0];
  const e = errorOf(() => store.setTriggerActive(String(spare.id), true, 'bob'));
  expect(e.issues).toEqual([{ path: '$', message: '7001 active triggers; the limit is 7000 per account' }]);
  expect(errorOf(() => store.createTrigger(simpleTrigger('one more'), 'bob')).code).toBe('invalid_input');
  expect(store.summary().triggers).toEqual({ active: 7000, total: 7001 });
  expect(store.revision()).toBe(1);
});
