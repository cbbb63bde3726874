/**
 * Messaging-trigger changes (DOMAIN.md §4), as `triggersRepo.ts` and `triggerImport.ts` are for
 * ticket triggers: create, update, delete, activate/deactivate, reorder and the all-or-nothing
 * import. Every body goes through `importMessagingTriggers` of domain/messagingTriggers (title,
 * JSON path, allowed values); every accepted change is one revision (`messagingTriggerRows.ts`).
 * Messaging triggers have no categories: the order is position, then id.
 */
import { DomainError } from '../domain/errors';
import { importMessagingTriggers, type MessagingTrigger } from '../domain/messagingTriggers';
import { formatProblems } from '../domain/triggers';
import { peekNextId, writeTransaction, type StoreContext } from './db';
import { importResult, planImportChanges, type ImportMode, type ImportResult } from './importPlan';
import {
  activeMessagingCount,
  applyMessagingTriggerChanges,
  lastMessagingPosition,
  loadAllMessagingRows,
  loadMessagingRow,
  parseMessagingRow,
  requireMessagingRow,
  type PendingMessagingChange,
} from './messagingTriggerRows';
import { issuesError, triggerProblemsError } from './problems';
import { unknownMessagingReferences } from './references';
import { idKey } from './triggerRows';

/** The result of a one-trigger change. */
export interface MessagingTriggerWrite {
  /** The trigger as stored now. */
  trigger: MessagingTrigger;
  /** The new global revision, or null when the body changed nothing. */
  revision: number | null;
  /** Ignored keys and unknown schedules, one line each. */
  warnings: string[];
}

/**
 * What an accepted messaging-trigger import did; `active` counts messaging triggers, `warnings` are
 * ignored keys and `within_schedule` conditions naming a schedule that is not configured.
 */
export type MessagingTriggerImportResult = ImportResult;

const isObject = (v: unknown): v is Record<string, unknown> => typeof v === 'object' && v !== null && !Array.isArray(v);

/** A body is `{ "messaging_trigger": {...} }` or the bare trigger object. */
function unwrap(body: unknown): { candidate: unknown; enveloped: boolean } {
  if (isObject(body) && Object.keys(body).length === 1 && 'messaging_trigger' in body) return { candidate: body.messaging_trigger, enveloped: true };
  return { candidate: body, enveloped: false };
}

/** Refuses a list, or ticket triggers, where one messaging trigger is expected. */
function refuseOtherShapes(body: unknown): void {
  if (!isObject(body)) return;
  if ('messaging_triggers' in body) {
    throw issuesError('messaging trigger rejected', [{ path: '$.messaging_triggers', message: 'one trigger per request; import a list with POST /admin/messaging_triggers/import' }]);
  }
  const ticket = Object.keys(body).length === 1 && ('trigger' in body || 'triggers' in body);
  if (ticket) throw issuesError('messaging trigger rejected', [{ path: '$', message: 'these are ticket triggers ({"trigger"} / {"triggers"}): use /admin/triggers' }]);
}

/**
 * Validates one messaging trigger exactly as the import does; problem paths point into the body as
 * given (`$.messaging_trigger.…` for an enveloped body, `$.…` for a bare one).
 * @throws DomainError `invalid_input` with every problem.
 */
function validateOne(candidate: unknown, enveloped: boolean): { trigger: MessagingTrigger; warnings: string[] } {
  const rebase = <P extends { path: string }>(p: P): P => (enveloped ? p : { ...p, path: p.path.replace(/^\$\.messaging_trigger/, '$') });
  const result = importMessagingTriggers({ messaging_trigger: candidate });
  if (!result.ok) throw triggerProblemsError('messaging trigger rejected', result.problems.map(rebase));
  return { trigger: result.triggers[0], warnings: formatProblems(result.warnings.map(rebase)) };
}

/**
 * Creates a messaging trigger from a bare or `{ "messaging_trigger": {...} }` body. Without `id`
 * the store assigns the next numeric id (never reused); without `position` it goes last; without
 * `active` it is active.
 * @throws DomainError `invalid_input` (every problem), `invalid_state` when the id exists.
 */
export function createMessagingTrigger(ctx: StoreContext, body: unknown, actor: string): MessagingTriggerWrite {
  refuseOtherShapes(body);
  const { candidate, enveloped } = unwrap(body);
  const { trigger, warnings } = validateOne(candidate, enveloped);
  return writeTransaction(ctx.db, () => {
    const id = trigger.id ?? peekNextId(ctx.db, 'messaging_trigger');
    const key = idKey(id);
    if (loadMessagingRow(ctx.db, key)) throw new DomainError('invalid_state', `messaging trigger ${key} exists; change it with PUT /admin/messaging_triggers/${key}`);
    const after: MessagingTrigger = { ...trigger, id, active: trigger.active ?? true, position: trigger.position ?? lastMessagingPosition(ctx.db) + 1 };
    const applied = applyMessagingTriggerChanges(ctx, [{ id: key, before: undefined, after }], {
      actor,
      action: 'messaging_trigger_create',
      summary: () => `created messaging trigger "${after.title}"`,
    });
    const stored = applied.stored.get(key) as MessagingTrigger;
    return { trigger: stored, revision: applied.revision, warnings: [...warnings, ...unknownMessagingReferences(ctx.db, [stored])] };
  });
}

type UpdateAction = 'update' | 'activate' | 'deactivate';

/**
 * Changes a messaging trigger: the body (bare or `{ "messaging_trigger": {...} }`) gives the keys
 * to replace (`title`, `active`, `position`, `description`, `event`, `conditions`, `actions`; a
 * given `conditions` replaces both groups). The result is validated as a whole. A `revision` in the
 * body is a precondition: it must be the trigger's current revision.
 * @throws DomainError `not_found`, `invalid_input` (every problem), `invalid_state` (stale revision).
 */
export function updateMessagingTrigger(ctx: StoreContext, id: string, body: unknown, actor: string, action: UpdateAction = 'update'): MessagingTriggerWrite {
  const { candidate, enveloped } = unwrap(body);
  const base = enveloped ? '$.messaging_trigger' : '$';
  if (!isObject(candidate)) throw issuesError('messaging trigger rejected', [{ path: base, message: 'expected an object with the messaging trigger keys to change' }]);
  return writeTransaction(ctx.db, () => {
    const row = requireMessagingRow(ctx.db, id);
    const { id: givenId, revision: givenRevision, ...patch } = candidate;
    if (givenRevision !== undefined && givenRevision !== row.revision) {
      throw new DomainError('invalid_state', `messaging trigger ${id} is at revision ${row.revision}, not ${String(givenRevision)}: it changed since it was read`);
    }
    if (givenId !== undefined && (typeof givenId === 'string' || typeof givenId === 'number' ? idKey(givenId) : null) !== id) {
      throw issuesError('messaging trigger rejected', [
        { path: `${base}.id`, message: `id ${JSON.stringify(givenId)} is not this messaging trigger's id (${id}); ids cannot change` },
      ]);
    }
    const current = parseMessagingRow(row);
    const merged: Record<string, unknown> = { ...current, ...patch };
    const { trigger, warnings } = validateOne(merged, enveloped);
    const changedKeys = Object.keys(patch).filter((k) => JSON.stringify((current as Record<string, unknown>)[k]) !== JSON.stringify(merged[k]));
    const applied = applyMessagingTriggerChanges(ctx, [{ id, before: row, after: trigger }], {
      actor,
      action: `messaging_trigger_${action}`,
      summary: () => `${action === 'update' ? 'updated' : `${action}d`} messaging trigger "${trigger.title}"${action === 'update' ? `: ${changedKeys.join(', ')}` : ''}`,
    });
    const stored = applied.stored.get(id) as MessagingTrigger;
    return { trigger: stored, revision: applied.revision, warnings: [...warnings, ...unknownMessagingReferences(ctx.db, [stored])] };
  });
}

/**
 * Deletes a messaging trigger (its history stays; its id is never assigned again).
 * @throws DomainError `not_found`.
 */
export function deleteMessagingTrigger(ctx: StoreContext, id: string, actor: string): { revision: number } {
  return writeTransaction(ctx.db, () => {
    const row = requireMessagingRow(ctx.db, id);
    const applied = applyMessagingTriggerChanges(ctx, [{ id, before: row, after: null }], {
      actor,
      action: 'messaging_trigger_delete',
      summary: () => `deleted messaging trigger "${parseMessagingRow(row).title}"`,
    });
    return { revision: applied.revision as number };
  });
}

/**
 * Gives the listed messaging triggers positions 1..n in the order given (others keep theirs), all or nothing.
 * @throws DomainError `invalid_input` naming every unknown or repeated id by its path in `messaging_trigger_ids`.
 */
export function reorderMessagingTriggers(ctx: StoreContext, ids: readonly (string | number)[], actor: string): { revision: number | null } {
  return writeTransaction(ctx.db, () => {
    const seen = new Map<string, number>();
    const issues: { path: string; message: string }[] = [];
    const changes: PendingMessagingChange[] = [];
    ids.forEach((raw, i) => {
      const id = idKey(raw);
      const path = `$.messaging_trigger_ids[${i}]`;
      const first = seen.get(id);
      if (first !== undefined) return issues.push({ path, message: `messaging trigger ${id} is listed twice (first at $.messaging_trigger_ids[${first}])` });
      seen.set(id, i);
      const row = loadMessagingRow(ctx.db, id);
      if (!row) return issues.push({ path, message: `unknown messaging trigger id ${id}` });
      changes.push({ id, before: row, after: { ...parseMessagingRow(row), position: changes.length + 1 } });
    });
    if (issues.length > 0) throw issuesError('reorder rejected, nothing changed', issues);
    const applied = applyMessagingTriggerChanges(ctx, changes, {
      actor,
      action: 'messaging_trigger_reorder',
      summary: (c) => `reordered ${ids.length} messaging triggers (${c.updated} moved)`,
    });
    return { revision: applied.revision };
  });
}

/**
 * Imports parsed JSON (a bare messaging trigger, `{ "messaging_trigger": {...} }` or
 * `{ "messaging_triggers": [...] }`), all or nothing in one transaction: a file with a single bad
 * trigger, or a result over the active limit, changes nothing. `append` adds the file's triggers
 * and updates those whose id exists; `replace` makes the file the whole set (the others are
 * deleted). Ids: kept as written; triggers without one get the next numeric ids in file order.
 * Positions: a trigger without one keeps its stored position when its id exists, else goes after
 * every position of the resulting set. `active` absent means active.
 * @throws DomainError `invalid_input` listing every problem (title, JSON path, reason with the
 * allowed values), or naming ticket triggers as such; nothing is stored then.
 */
export function importMessagingTriggerFile(ctx: StoreContext, json: unknown, mode: ImportMode, actor: string): MessagingTriggerImportResult {
  const parsed = importMessagingTriggers(json);
  if (!parsed.ok) {
    const what = parsed.total === 0 ? 'import rejected, nothing changed' : `import rejected, nothing changed (${parsed.rejected.length} of ${parsed.total} messaging triggers have problems)`;
    throw triggerProblemsError(what, parsed.problems);
  }
  const limitPath = parsed.envelope === 'list' ? '$.messaging_triggers' : '$';
  return writeTransaction(ctx.db, () => {
    const rows = loadAllMessagingRows(ctx.db);
    const changes = planImportChanges({ db: ctx.db, idKind: 'messaging_trigger', rows }, parsed.triggers, mode);
    const applied = applyMessagingTriggerChanges(ctx, changes, {
      actor,
      action: 'messaging_trigger_import',
      limitPath,
      summary: (c) => `messaging trigger import (${mode}) of ${parsed.triggers.length}: ${c.created} created, ${c.updated} updated, ${c.deleted} deleted, ${c.unchanged} unchanged`,
    });
    const warnings = [...formatProblems(parsed.warnings), ...unknownMessagingReferences(ctx.db, applied.stored.values())];
    return importResult(mode, parsed.triggers.length, applied, activeMessagingCount(ctx.db), warnings);
  });
}
