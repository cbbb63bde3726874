/**
 * Importing a Zendesk trigger file into the store (any envelope `importTriggers` accepts), all or
 * nothing in one SQLite transaction: a file with a single bad trigger, or a result over the active
 * limit, changes nothing. `append` (default) adds the file's triggers and updates those whose id
 * exists; `replace` makes the file the whole set (the others are deleted).
 */
import { formatProblems, importTriggers, type Trigger } from '../domain/triggers';
import { numericId, peekNextId, writeTransaction, type StoreContext } from './db';
import { triggerProblemsError } from './problems';
import { unknownReferences } from './references';
import { activeCount, applyTriggerChanges, categoryOf, idKey, loadAllRows, type PendingChange } from './triggerRows';

/** `append`: add and update by id; `replace`: the file becomes the whole set of triggers. */
export type ImportMode = 'append' | 'replace';

/** What an accepted import did. */
export interface TriggerImportResult {
  /** The new global revision, or null when the file changed nothing. */
  revision: number | null;
  mode: ImportMode;
  /** Triggers in the file. */
  total: number;
  created: number;
  updated: number;
  unchanged: number;
  /** Triggers removed (replace mode only). */
  deleted: number;
  /** Active triggers stored after the import. */
  active: number;
  /** Ignored keys, and actions naming a webhook or schedule that is not configured; one line each. */
  warnings: string[];
}

/**
 * Imports parsed JSON (a bare trigger, `{ "trigger": {...} }` or a `{ "triggers": [...] }` page).
 * Ids: kept as written; triggers without one get the next numeric ids in file order. Positions:
 * a trigger without one keeps its stored position when its id exists, else goes last in its
 * category (after every position of the resulting set). `active` absent means active.
 * @throws DomainError `invalid_input` listing every problem (title, JSON path, reason with the allowed
 * values), or naming what the file is when it holds another Zendesk resource; nothing is stored then.
 */
export function importTriggerFile(ctx: StoreContext, json: unknown, mode: ImportMode, actor: string): TriggerImportResult {
  const parsed = importTriggers(json);
  if (!parsed.ok) {
    const what = parsed.kind === 'not_triggers' ? 'not a trigger file' : `import rejected, nothing changed (${parsed.rejected.length} of ${parsed.total} triggers have problems)`;
    throw triggerProblemsError(what, parsed.problems);
  }
  const limitPath = parsed.envelope === 'list' ? '$.triggers' : '$';
  return writeTransaction(ctx.db, () => {
    const rows = new Map(loadAllRows(ctx.db).map((r) => [r.id, r]));
    const fileIds = new Set(parsed.triggers.flatMap((t) => (t.id === undefined ? [] : [idKey(t.id)])));
    let nextId = Math.max(peekNextId(ctx.db, 'trigger'), ...[...fileIds].map((id) => (numericId(id) ?? 0) + 1));
    const lastPos = new Map<string | null, number>();
    const note = (category: string | null, position: number): void => {
      lastPos.set(category, Math.max(lastPos.get(category) ?? 0, position));
    };
    if (mode === 'append') for (const row of rows.values()) if (!fileIds.has(row.id)) note(row.category, row.position);
    const planned = parsed.triggers.map((t) => {
      const id = t.id ?? nextId++;
      const before = rows.get(idKey(id));
      const position = t.position ?? before?.position;
      if (position !== undefined) note(categoryOf(t), position);
      return { t, id, before, position };
    });
    const changes: PendingChange[] = planned.map(({ t, id, before, position }) => {
      const pos = position ?? (lastPos.get(categoryOf(t)) ?? 0) + 1;
      if (position === undefined) note(categoryOf(t), pos);
      const after: Trigger = { ...t, id, active: t.active ?? true, position: pos };
      return { id: idKey(id), before, after };
    });
    if (mode === 'replace') for (const row of rows.values()) if (!fileIds.has(row.id)) changes.push({ id: row.id, before: row, after: null });
    const applied = applyTriggerChanges(ctx, changes, {
      actor,
      action: 'import',
      limitPath,
      summary: (c) => `import (${mode}) of ${parsed.triggers.length}: ${c.created} created, ${c.updated} updated, ${c.deleted} deleted, ${c.unchanged} unchanged`,
    });
    return {
      revision: applied.revision,
      mode,
      total: parsed.triggers.length,
      created: applied.created,
      updated: applied.updated,
      unchanged: applied.unchanged,
      deleted: applied.deleted,
      active: activeCount(ctx.db),
      warnings: [...formatProblems(parsed.warnings), ...unknownReferences(ctx.db, applied.stored.values())],
    };
  });
}

