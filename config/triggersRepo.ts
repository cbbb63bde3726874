/**
 * One-trigger changes (create, update, delete, activate/deactivate), the reorder and the category
 * order. Every body goes through the import validation of `domain/triggers` (title, JSON path,
 * allowed values); every change is one revision (`triggerRows.ts`).
 */
import { DomainError } from '../domain/errors';
import { importTriggers, formatProblems, type Trigger } from '../domain/triggers';
import { getMeta, peekNextId, setMeta, writeTransaction, type Db, type StoreContext } from './db';
import { issuesError, triggerProblemsError } from './problems';
import { commitRevision, currentRevision } from './revisions';
import {
  applyTriggerChanges,
  categoryOf,
  idKey,
  lastPosition,
  loadRow,
  parseRow,
  requireRow,
  type PendingChange,
} from './triggerRows';

/** The result of a one-trigger change. */
export interface TriggerWrite {
  /** The trigger as stored now. */
  trigger: Trigger;
  /** The new global revision, or null when the body changed nothing. */
  revision: number | null;
  /** Ignored keys, one line each (`"title" $.path: ignored: ...`). */
  warnings: string[];
}

const isObject = (v: unknown): v is Record<string, unknown> => typeof v === 'object' && v !== null && !Array.isArray(v);

/** A body is `{ "trigger": {...} }` (Zendesk's envelope) or the bare trigger object. */
function unwrap(body: unknown): { candidate: unknown; enveloped: boolean } {
  if (isObject(body) && Object.keys(body).length === 1 && 'trigger' in body) return { candidate: body.trigger, enveloped: true };
  return { candidate: body, enveloped: false };
}

/**
 * Validates one trigger exactly as the import does; problem paths point into the body as given
 * (`$.trigger.…` for an enveloped body, `$.…` for a bare one).
 * @throws DomainError `invalid_input` with every problem.
 */
function validateOne(candidate: unknown, enveloped: boolean): { trigger: Trigger; warnings: string[] } {
  const rebase = <P extends { path: string }>(p: P): P => (enveloped ? p : { ...p, path: p.path.replace(/^\$\.trigger/, '$') });
  const result = importTriggers({ trigger: candidate });
  if (!result.ok) throw triggerProblemsError('trigger rejected', result.problems.map(rebase));
  return { trigger: result.triggers[0], warnings: formatProblems(result.warnings.map(rebase)) };
}

/**
 * Creates a trigger from a bare or `{ "trigger": {...} }` body. Without `id` the store assigns the
 * next numeric id; without `position` it goes last in its category; without `active` it is active.
 * @throws DomainError `invalid_input` (every problem), `invalid_state` when the id exists.
 */
export function createTrigger(ctx: StoreContext, body: unknown, actor: string): TriggerWrite {
  if (isObject(body) && 'triggers' in body) {
    throw issuesError('trigger rejected', [{ path: '$.triggers', message: 'one trigger per request; import a list with POST /admin/triggers/import' }]);
  }
  const { candidate, enveloped } = unwrap(body);
  const { trigger, warnings } = validateOne(candidate, enveloped);
  return writeTransaction(ctx.db, () => {
    const id = trigger.id ?? peekNextId(ctx.db, 'trigger');
    const key = idKey(id);
    if (loadRow(ctx.db, key)) throw new DomainError('invalid_state', `trigger ${key} exists; change it with PUT /admin/triggers/${key}`);
    const after: Trigger = {
      ...trigger,
      id,
      active: trigger.active ?? true,
      position: trigger.position ?? lastPosition(ctx.db, categoryOf(trigger)) + 1,
    };
    const applied = applyTriggerChanges(ctx, [{ id: key, before: undefined, after }], { actor, action: 'create', summary: () => `created "${after.title}"` });
    return { trigger: applied.stored.get(key) as Trigger, revision: applied.revision, warnings };
  });
}

/**
 * Changes a trigger: the body (bare or `{ "trigger": {...} }`) gives the keys to replace
 * (`title`, `active`, `position`, `category_id`, `description`, `conditions`, `actions`...; a given
 * `conditions` replaces both groups). The result is validated as a whole. A `revision` in the body
 * is a precondition: it must be the trigger's current revision. Moving to another category without
 * a `position` puts it last there.
 * @throws DomainError `not_found`, `invalid_input` (every problem), `invalid_state` (stale revision).
 */
export function updateTrigger(ctx: StoreContext, id: string, body: unknown, actor: string, action: 'update' | 'activate' | 'deactivate' = 'update'): TriggerWrite {
  const { candidate, enveloped } = unwrap(body);
  const base = enveloped ? '$.trigger' : '$';
  if (!isObject(candidate)) throw issuesError('trigger rejected', [{ path: base, message: 'expected an object with the trigger keys to change' }]);
  return writeTransaction(ctx.db, () => {
    const row = requireRow(ctx.db, id);
    const { id: givenId, revision: givenRevision, ...patch } = candidate;
    if (givenRevision !== undefined && givenRevision !== row.revision) {
      throw new DomainError('invalid_state', `trigger ${id} is at revision ${row.revision}, not ${String(givenRevision)}: it changed since it was read`);
    }
    if (givenId !== undefined && (typeof givenId === 'string' || typeof givenId === 'number' ? idKey(givenId) : null) !== id) {
      throw issuesError('trigger rejected', [{ path: `${base}.id`, message: `id ${JSON.stringify(givenId)} is not this trigger's id (${id}); ids cannot change` }]);
    }
    const current = parseRow(row);
    const merged: Record<string, unknown> = { ...current, ...patch };
    if (!('position' in patch) && 'category_id' in patch && categoryOf(merged as Trigger) !== row.category) {
      merged.position = lastPosition(ctx.db, categoryOf(merged as Trigger)) + 1;
    }
    const { trigger, warnings } = validateOne(merged, enveloped);
    const changedKeys = Object.keys(patch).filter((k) => JSON.stringify((current as Record<string, unknown>)[k]) !== JSON.stringify(merged[k]));
    const applied = applyTriggerChanges(ctx, [{ id, before: row, after: trigger }], {
      actor,
      action,
      summary: () => `${action === 'update' ? 'updated' : `${action}d`} "${trigger.title}"${action === 'update' ? `: ${changedKeys.join(', ')}` : ''}`,
    });
    return { trigger: applied.stored.get(id) as Trigger, revision: applied.revision, warnings };
  });
}

/**
 * Deletes a trigger (its history stays).
 * @throws DomainError `not_found`.
 */
export function deleteTrigger(ctx: StoreContext, id: string, actor: string): { revision: number } {
  return writeTransaction(ctx.db, () => {
    const row = requireRow(ctx.db, id);
    const applied = applyTriggerChanges(ctx, [{ id, before: row, after: null }], { actor, action: 'delete', summary: () => `deleted "${parseRow(row).title}"` });
    return { revision: applied.revision as number };
  });
}

/**
 * Gives the listed triggers positions 1..n in the order given (others keep theirs), all or nothing.
 * @throws DomainError `invalid_input` naming every unknown or repeated id by its path in `trigger_ids`.
 */
export function reorderTriggers(ctx: StoreContext, ids: readonly (string | number)[], actor: string): { revision: number | null } {
  return writeTransaction(ctx.db, () => {
    const seen = new Map<string, number>();
    const issues: { path: string; message: string }[] = [];
    const changes: PendingChange[] = [];
    ids.forEach((raw, i) => {
      const id = idKey(raw);
      const first = seen.get(id);
      if (first !== undefined) return issues.push({ path: `$.trigger_ids[${i}]`, message: `trigger ${id} is listed twice (first at $.trigger_ids[${first}])` });
      seen.set(id, i);
      const row = loadRow(ctx.db, id);
      if (!row) return issues.push({ path: `$.trigger_ids[${i}]`, message: `unknown trigger id ${id}` });
      changes.push({ id, before: row, after: { ...parseRow(row), position: changes.length + 1 } });
    });
    if (issues.length > 0) throw issuesError('reorder rejected, nothing changed', issues);
    const applied = applyTriggerChanges(ctx, changes, { actor, action: 'reorder', summary: (c) => `reordered ${ids.length} triggers (${c.updated} moved)` });
    return { revision: applied.revision };
  });
}

/** The category order: category ids, first evaluated first (empty: by ascending id). */
export function categoryOrder(db: Db): string[] {
  return JSON.parse(String(getMeta(db, 'category_order') ?? '[]')) as string[];
}

/**
 * Sets the order in which trigger categories are evaluated.
 * @throws DomainError `invalid_input` for a repeated id.
 */
export function setCategoryOrder(ctx: StoreContext, ids: readonly string[], actor: string): { revision: number | null; category_ids: string[] } {
  const first = new Map<string, number>();
  const issues = ids.flatMap((id, i) => {
    if (first.has(id)) return [{ path: `$.category_ids[${i}]`, message: `category ${id} is listed twice` }];
    first.set(id, i);
    return [];
  });
  if (issues.length > 0) throw issuesError('category order rejected', issues);
  return writeTransaction(ctx.db, () => {
    const before = categoryOrder(ctx.db);
    const after = [...ids];
    if (JSON.stringify(before) === JSON.stringify(after)) return { revision: null, category_ids: after };
    const revision = currentRevision(ctx.db) + 1;
    setMeta(ctx.db, 'category_order', JSON.stringify(after));
    commitRevision(ctx.db, revision, { actor, action: 'category_order', triggerIds: [], summary: `category order: ${after.join(', ') || '(by id)'}`, detail: { before, after } }, ctx.now());
    return { revision, category_ids: after };
  });
}
