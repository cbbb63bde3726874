/**
 * Stored ticket triggers and the one way they change: {@link applyTriggerChanges} writes a set of
 * new versions (or deletions) as ONE global revision inside the caller's write transaction, gives
 * each changed trigger its next own revision, keeps every version for the history, and enforces
 * the 7,000 active triggers limit on the resulting set (DOMAIN.md §4).
 */
import { DomainError } from '../domain/errors';
import { MAX_ACTIVE_TRIGGERS, exportTrigger, type Trigger } from '../domain/triggers';
import { noteIds, type Db, type StoreContext } from './db';
import { issuesError } from './problems';
import { commitRevision, currentRevision, type RevisionAction } from './revisions';

/** A row of the `triggers` table. */
export interface TriggerRow {
  id: string;
  json: string;
  active: number;
  category: string | null;
  position: number;
  revision: number;
  changed_in: number;
}

/** One change to write: `after` is the complete new trigger, or null to delete `before`. */
export interface PendingChange {
  id: string;
  before: TriggerRow | undefined;
  after: Trigger | null;
}

/** How many triggers a change set created, updated, deleted or left as they were. */
export interface ChangeCounts {
  created: number;
  updated: number;
  deleted: number;
  unchanged: number;
}

/** The outcome of {@link applyTriggerChanges}. */
export interface AppliedChanges extends ChangeCounts {
  /** The new global revision, or null when nothing actually changed (no revision is written then). */
  revision: number | null;
  /** The triggers as stored now (with their revision), by id, for every change that was not a deletion. */
  stored: Map<string, Trigger>;
}

/** What to record about the change set. */
export interface ChangeDescription {
  actor: string;
  action: RevisionAction;
  summary: (counts: ChangeCounts) => string;
  /** JSONPath to name when the active limit is exceeded (`$.triggers` for a list import). */
  limitPath?: string;
}

/** The store's key of a trigger id (numbers and their decimal text are the same trigger). */
export const idKey = (id: string | number): string => String(id);

/** The category a trigger sorts in (`String(category_id)`), null without one. */
export const categoryOf = (t: Trigger): string | null => (t.category_id === undefined || t.category_id === null ? null : String(t.category_id));

/** The stored JSON text of a trigger: Zendesk key order (exportTrigger). */
export const serialise = (t: Trigger): string => JSON.stringify(exportTrigger(t));

/** Parses a stored row back into a trigger (stored rows were validated when written). */
export const parseRow = (row: TriggerRow): Trigger => JSON.parse(row.json) as Trigger;

/** The row of trigger `id`, if stored. */
export function loadRow(db: Db, id: string): TriggerRow | undefined {
  return db.prepare('SELECT * FROM triggers WHERE id = ?').get(id) as TriggerRow | undefined;
}

/**
 * The row of trigger `id`.
 * @throws DomainError `not_found`.
 */
export function requireRow(db: Db, id: string): TriggerRow {
  const row = loadRow(db, id);
  if (!row) throw new DomainError('not_found', `trigger ${id} does not exist`);
  return row;
}

/** Every stored trigger row. */
export function loadAllRows(db: Db): TriggerRow[] {
  return db.prepare('SELECT * FROM triggers').all() as TriggerRow[];
}

/** Highest position in a category (0 when it has no trigger). */
export function lastPosition(db: Db, category: string | null): number {
  return Number(db.prepare('SELECT max(position) FROM triggers WHERE category IS ?').pluck().get(category) ?? 0);
}

/** Number of active triggers stored now. */
export function activeCount(db: Db): number {
  return Number(db.prepare('SELECT count(*) FROM triggers WHERE active = 1').pluck().get());
}

function lastTriggerRevision(db: Db, id: string): number {
  return Number(db.prepare('SELECT max(trigger_revision) FROM trigger_versions WHERE trigger_id = ?').pluck().get(id) ?? 0);
}

/**
 * Writes `changes` as one revision, inside the caller's write transaction (a throw rolls all of it
 * back). A change whose `after` equals the stored trigger (revision aside) is left out; when every
 * change is such, nothing is written and `revision` is null. A changed trigger's own revision is
 * the last one it ever had plus one (1 for a new id), written into its JSON.
 * @throws DomainError `invalid_input` when the result has more than {@link MAX_ACTIVE_TRIGGERS} active triggers.
 */
export function applyTriggerChanges(ctx: StoreContext, changes: readonly PendingChange[], description: ChangeDescription): AppliedChanges {
  const { db } = ctx;
  const counts: ChangeCounts = { created: 0, updated: 0, deleted: 0, unchanged: 0 };
  const stored = new Map<string, Trigger>();
  const effective = changes.filter((c) => {
    if (c.after === null) return c.before !== undefined;
    if (c.before && serialise({ ...c.after, revision: c.before.revision }) === c.before.json) {
      counts.unchanged++;
      stored.set(c.id, parseRow(c.before));
      return false;
    }
    return true;
  });
  if (effective.length === 0) return { ...counts, revision: null, stored };
  const revision = currentRevision(db) + 1;
  const upsert = db.prepare(
    `INSERT INTO triggers (id, json, active, category, position, revision, changed_in) VALUES (@id, @json, @active, @category, @position, @revision, @changed_in)
     ON CONFLICT (id) DO UPDATE SET json = excluded.json, active = excluded.active, category = excluded.category,
       position = excluded.position, revision = excluded.revision, changed_in = excluded.changed_in`,
  );
  const remove = db.prepare('DELETE FROM triggers WHERE id = ?');
  const version = db.prepare('INSERT INTO trigger_versions (trigger_id, revision, trigger_revision, json) VALUES (?, ?, ?, ?)');
  for (const c of effective) {
    const triggerRevision = (c.before ? c.before.revision : lastTriggerRevision(db, c.id)) + 1;
    if (c.after === null) {
      remove.run(c.id);
      version.run(c.id, revision, triggerRevision, null);
      counts.deleted++;
      continue;
    }
    const trigger: Trigger = { ...c.after, revision: triggerRevision };
    const json = serialise(trigger);
    upsert.run({
      id: c.id,
      json,
      active: trigger.active === false ? 0 : 1,
      category: categoryOf(trigger),
      position: trigger.position ?? 0,
      revision: triggerRevision,
      changed_in: revision,
    });
    version.run(c.id, revision, triggerRevision, json);
    stored.set(c.id, trigger);
    if (c.before) counts.updated++;
    else counts.created++;
  }
  const active = activeCount(db);
  if (active > MAX_ACTIVE_TRIGGERS) {
    throw issuesError('too many active triggers, nothing changed', [
      { path: description.limitPath ?? '$', message: `${active} active triggers; the limit is ${MAX_ACTIVE_TRIGGERS} per account` },
    ]);
  }
  noteIds(db, 'trigger', effective.map((c) => c.id));
  commitRevision(db, revision, { actor: description.actor, action: description.action, triggerIds: effective.map((c) => c.id), summary: description.summary(counts) }, ctx.now());
  return { ...counts, revision, stored };
}
