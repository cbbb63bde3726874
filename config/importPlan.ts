/**
 * What the ticket-trigger import (`triggerImport.ts`) and the messaging-trigger import
 * (`messagingTriggersRepo.ts`) share once a file has validated: turning its triggers into the
 * changes to write (ids, positions, deletions in `replace` mode) and the result they report.
 */
import { numericId, peekNextId, type Db, type IdKind } from './db';
import { idKey } from './triggerRows';
import type { AppliedVersionedChanges, VersionedChange, VersionedRow } from './versionedRows';

/** `append`: add and update by id; `replace`: the file becomes the whole set of triggers. */
export type ImportMode = 'append' | 'replace';

/** What an accepted import did. */
export interface ImportResult {
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
  /** Active triggers (of the imported kind) stored after the import. */
  active: number;
  /** Ignored keys, and references to a webhook or schedule that is not configured; one line each. */
  warnings: string[];
}

/** The fields of an imported trigger the plan reads or sets. */
interface ImportedTrigger {
  id?: string | number;
  active?: boolean;
  position?: number;
}

/** Where {@link planImportChanges} plans into. */
export interface ImportTarget<T, R> {
  db: Db;
  idKind: IdKind;
  /** Every stored row of the kind. */
  rows: readonly R[];
  /** The category a trigger sorts in (positions count per category); omit when there are none. */
  categoryOf?: (t: T) => string | null;
  /** The category of a stored row, likewise. */
  rowCategory?: (r: R) => string | null;
}

/**
 * The changes an import of `triggers` makes. Ids: kept as written; triggers without one get the
 * next numeric ids in file order (after the ids the file names). Positions: a trigger without one
 * keeps its stored position when its id exists, else goes last in its category (after every
 * position of the resulting set). `active` absent means active. In `replace` mode every stored
 * trigger the file does not name is deleted.
 */
export function planImportChanges<T extends ImportedTrigger, R extends VersionedRow>(
  target: ImportTarget<T, R>,
  triggers: readonly T[],
  mode: ImportMode,
): VersionedChange<T, R>[] {
  const categoryOf = target.categoryOf ?? (() => null);
  const rowCategory = target.rowCategory ?? (() => null);
  const rows = new Map(target.rows.map((r) => [r.id, r]));
  const fileIds = new Set(triggers.flatMap((t) => (t.id === undefined ? [] : [idKey(t.id)])));
  let nextId = Math.max(peekNextId(target.db, target.idKind), ...[...fileIds].map((id) => (numericId(id) ?? 0) + 1));
  const lastPos = new Map<string | null, number>();
  const note = (category: string | null, position: number): void => {
    lastPos.set(category, Math.max(lastPos.get(category) ?? 0, position));
  };
  if (mode === 'append') for (const row of rows.values()) if (!fileIds.has(row.id)) note(rowCategory(row), row.position);
  const planned = triggers.map((t) => {
    const id = t.id ?? nextId++;
    const before = rows.get(idKey(id));
    const position = t.position ?? before?.position;
    if (position !== undefined) note(categoryOf(t), position);
    return { t, id, before, position };
  });
  const changes: VersionedChange<T, R>[] = planned.map(({ t, id, before, position }) => {
    const pos = position ?? (lastPos.get(categoryOf(t)) ?? 0) + 1;
    if (position === undefined) note(categoryOf(t), pos);
    const after: T = { ...t, id, active: t.active ?? true, position: pos };
    return { id: idKey(id), before, after };
  });
  if (mode === 'replace') for (const row of rows.values()) if (!fileIds.has(row.id)) changes.push({ id: row.id, before: row, after: null });
  return changes;
}

/** The {@link ImportResult} of an applied import of `total` triggers. */
export function importResult(mode: ImportMode, total: number, applied: AppliedVersionedChanges<unknown>, active: number, warnings: string[]): ImportResult {
  return {
    revision: applied.revision,
    mode,
    total,
    created: applied.created,
    updated: applied.updated,
    unchanged: applied.unchanged,
    deleted: applied.deleted,
    active,
    warnings,
  };
}
