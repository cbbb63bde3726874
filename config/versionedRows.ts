/**
 * What ticket triggers (`triggerRows.ts`) and messaging triggers (`messagingTriggerRows.ts`) share
 * in the store: a table of current rows, a table keeping every version, and the one way they
 * change ({@link applyVersionedChanges}: ONE global revision inside the caller's write
 * transaction, each changed item's next own revision, the active limit checked on the result).
 * Parameterised by a {@link VersionedKind}, whose table names are fixed literals.
 */
import { DomainError } from '../domain/errors';
import { noteIds, type Db, type IdKind, type StoreContext } from './db';
import { issuesError } from './problems';
import { commitRevision, currentRevision, type RevisionAction } from './revisions';

/** How many triggers a change set created, updated, deleted or left as they were. */
export interface ChangeCounts {
  created: number;
  updated: number;
  deleted: number;
  unchanged: number;
}

/** The columns every versioned row has. */
export interface VersionedRow {
  id: string;
  json: string;
  active: number;
  position: number;
  revision: number;
  changed_in: number;
}

/** The fields of a stored item that the store reads or sets. */
export interface VersionedItem {
  active?: boolean;
  position?: number;
  revision?: number;
}

/** One kind of versioned item: its tables, wording, active limit and how it is written. */
export interface VersionedKind<T extends VersionedItem> {
  table: 'triggers' | 'messaging_triggers';
  versions: 'trigger_versions' | 'messaging_trigger_versions';
  idKind: IdKind;
  /** Singular, in messages: `trigger`, `messaging trigger` (the plural adds an `s`). */
  noun: string;
  /** Most active items an account may have. */
  limit: number;
  /** The upsert of one row, with named parameters for every column. */
  upsertSql: string;
  /** The stored JSON text of an item. */
  serialise: (t: T) => string;
  /** Column values beyond the shared ones (`category` for ticket triggers). */
  extraColumns?: (t: T) => Record<string, unknown>;
}

/** One change to write: `after` is the complete new item, or null to delete `before`. */
export interface VersionedChange<T, R extends VersionedRow> {
  id: string;
  before: R | undefined;
  after: T | null;
}

/** What to record about the change set. */
export interface VersionedChangeDescription {
  actor: string;
  action: RevisionAction;
  summary: (counts: ChangeCounts) => string;
  /** JSONPath to name when the active limit is exceeded (`$.triggers`, `$.messaging_triggers` for a list import). */
  limitPath?: string;
}

/** The outcome of {@link applyVersionedChanges}. */
export interface AppliedVersionedChanges<T> extends ChangeCounts {
  /** The new global revision, or null when nothing actually changed (no revision is written then). */
  revision: number | null;
  /** The items as stored now (with their revision), by id, for every change that was not a deletion. */
  stored: Map<string, T>;
}

/** The row of `id` in `kind`'s table, if stored. */
export function loadVersionedRow<R extends VersionedRow>(db: Db, kind: VersionedKind<never>, id: string): R | undefined {
  return db.prepare(`SELECT * FROM ${kind.table} WHERE id = ?`).get(id) as R | undefined;
}

/**
 * The row of `id` in `kind`'s table.
 * @throws DomainError `not_found`.
 */
export function requireVersionedRow<R extends VersionedRow>(db: Db, kind: VersionedKind<never>, id: string): R {
  const row = loadVersionedRow<R>(db, kind, id);
  if (!row) throw new DomainError('not_found', `${kind.noun} ${id} does not exist`);
  return row;
}

/** Every row of `kind`'s table. */
export function loadAllVersionedRows<R extends VersionedRow>(db: Db, kind: VersionedKind<never>): R[] {
  return db.prepare(`SELECT * FROM ${kind.table}`).all() as R[];
}

/** Number of active rows in `kind`'s table. */
export function countActive(db: Db, kind: VersionedKind<never>): number {
  return Number(db.prepare(`SELECT count(*) FROM ${kind.table} WHERE active = 1`).pluck().get());
}

function lastOwnRevision(db: Db, kind: VersionedKind<never>, id: string): number {
  return Number(db.prepare(`SELECT max(trigger_revision) FROM ${kind.versions} WHERE trigger_id = ?`).pluck().get(id) ?? 0);
}

/**
 * Writes `changes` as one revision, inside the caller's write transaction (a throw rolls all of it
 * back). A change whose `after` equals the stored item (revision aside) is left out; when every
 * change is such, nothing is written and `revision` is null. A changed item's own revision is
 * the last one it ever had plus one (1 for a new id), written into its JSON.
 * @throws DomainError `invalid_input` when the result has more than `kind.limit` active items.
 */
export function applyVersionedChanges<T extends VersionedItem, R extends VersionedRow>(
  ctx: StoreContext,
  kind: VersionedKind<T>,
  changes: readonly VersionedChange<T, R>[],
  description: VersionedChangeDescription,
): AppliedVersionedChanges<T> {
  const { db } = ctx;
  const counts: ChangeCounts = { created: 0, updated: 0, deleted: 0, unchanged: 0 };
  const stored = new Map<string, T>();
  const effective = changes.filter((c) => {
    if (c.after === null) return c.before !== undefined;
    if (c.before && kind.serialise({ ...c.after, revision: c.before.revision }) === c.before.json) {
      counts.unchanged++;
      stored.set(c.id, JSON.parse(c.before.json) as T);
      return false;
    }
    return true;
  });
  if (effective.length === 0) return { ...counts, revision: null, stored };
  const revision = currentRevision(db) + 1;
  const upsert = db.prepare(kind.upsertSql);
  const remove = db.prepare(`DELETE FROM ${kind.table} WHERE id = ?`);
  const version = db.prepare(`INSERT INTO ${kind.versions} (trigger_id, revision, trigger_revision, json) VALUES (?, ?, ?, ?)`);
  for (const c of effective) {
    const ownRevision = (c.before ? c.before.revision : lastOwnRevision(db, kind, c.id)) + 1;
    if (c.after === null) {
      remove.run(c.id);
      version.run(c.id, revision, ownRevision, null);
      counts.deleted++;
      continue;
    }
    const item: T = { ...c.after, revision: ownRevision };
    const json = kind.serialise(item);
    upsert.run({
      id: c.id,
      json,
      active: item.active === false ? 0 : 1,
      ...kind.extraColumns?.(item),
      position: item.position ?? 0,
      revision: ownRevision,
      changed_in: revision,
    });
    version.run(c.id, revision, ownRevision, json);
    stored.set(c.id, item);
    if (c.before) counts.updated++;
    else counts.created++;
  }
  const active = countActive(db, kind);
  if (active > kind.limit) {
    throw issuesError(`too many active ${kind.noun}s, nothing changed`, [
      { path: description.limitPath ?? '$', message: `${active} active ${kind.noun}s; the limit is ${kind.limit} per account` },
    ]);
  }
  noteIds(db, kind.idKind, effective.map((c) => c.id));
  commitRevision(db, revision, { actor: description.actor, action: description.action, triggerIds: effective.map((c) => c.id), summary: description.summary(counts) }, ctx.now());
  return { ...counts, revision, stored };
}
