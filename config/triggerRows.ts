/**
 * Stored ticket triggers and the one way they change: {@link applyTriggerChanges} writes a set of
 * new versions (or deletions) as ONE global revision inside the caller's write transaction, gives
 * each changed trigger its next own revision, keeps every version for the history, and enforces
 * the 7,000 active triggers limit on the resulting set (DOMAIN.md §4).
 */
import { MAX_ACTIVE_TRIGGERS, exportTrigger, type Trigger } from '../domain/triggers';
import type { Db, StoreContext } from './db';
import {
  applyVersionedChanges,
  countActive,
  loadAllVersionedRows,
  loadVersionedRow,
  requireVersionedRow,
  type AppliedVersionedChanges,
  type VersionedChange,
  type VersionedChangeDescription,
  type VersionedKind,
  type VersionedRow,
} from './versionedRows';

export type { ChangeCounts } from './versionedRows';

/** A row of the `triggers` table. */
export interface TriggerRow extends VersionedRow {
  category: string | null;
}

/** One change to write: `after` is the complete new trigger, or null to delete `before`. */
export type PendingChange = VersionedChange<Trigger, TriggerRow>;

/** The outcome of {@link applyTriggerChanges}. */
export type AppliedChanges = AppliedVersionedChanges<Trigger>;

/** What to record about the change set (`limitPath`: `$.triggers` for a list import). */
export type ChangeDescription = VersionedChangeDescription;

/** The store's key of a trigger id (numbers and their decimal text are the same trigger). */
export const idKey = (id: string | number): string => String(id);

/** The category a trigger sorts in (`String(category_id)`), null without one. */
export const categoryOf = (t: Trigger): string | null => (t.category_id === undefined || t.category_id === null ? null : String(t.category_id));

/** The stored JSON text of a trigger: Zendesk key order (exportTrigger). */
export const serialise = (t: Trigger): string => JSON.stringify(exportTrigger(t));

/** Parses a stored row back into a trigger (stored rows were validated when written). */
export const parseRow = (row: TriggerRow): Trigger => JSON.parse(row.json) as Trigger;

/** Ticket triggers' tables and wording, for the shared helpers of `versionedRows.ts`. */
const TICKET_TRIGGERS: VersionedKind<Trigger> = {
  table: 'triggers',
  versions: 'trigger_versions',
  idKind: 'trigger',
  noun: 'trigger',
  limit: MAX_ACTIVE_TRIGGERS,
  upsertSql: `INSERT INTO triggers (id, json, active, category, position, revision, changed_in) VALUES (@id, @json, @active, @category, @position, @revision, @changed_in)
     ON CONFLICT (id) DO UPDATE SET json = excluded.json, active = excluded.active, category = excluded.category,
       position = excluded.position, revision = excluded.revision, changed_in = excluded.changed_in`,
  serialise,
  extraColumns: (t) => ({ category: categoryOf(t) }),
};

/** The row of trigger `id`, if stored. */
export function loadRow(db: Db, id: string): TriggerRow | undefined {
  return loadVersionedRow<TriggerRow>(db, TICKET_TRIGGERS, id);
}

/**
 * The row of trigger `id`.
 * @throws DomainError `not_found`.
 */
export function requireRow(db: Db, id: string): TriggerRow {
  return requireVersionedRow<TriggerRow>(db, TICKET_TRIGGERS, id);
}

/** Every stored trigger row. */
export function loadAllRows(db: Db): TriggerRow[] {
  return loadAllVersionedRows<TriggerRow>(db, TICKET_TRIGGERS);
}

/** Highest position in a category (0 when it has no trigger). */
export function lastPosition(db: Db, category: string | null): number {
  return Number(db.prepare('SELECT max(position) FROM triggers WHERE category IS ?').pluck().get(category) ?? 0);
}

/** Number of active triggers stored now. */
export function activeCount(db: Db): number {
  return countActive(db, TICKET_TRIGGERS);
}

/**
 * Writes `changes` as one revision, inside the caller's write transaction (a throw rolls all of it
 * back); see {@link applyVersionedChanges}. A changed trigger's own revision is the last one it
 * ever had plus one (1 for a new id), written into its JSON.
 * @throws DomainError `invalid_input` when the result has more than {@link MAX_ACTIVE_TRIGGERS} active triggers.
 */
export function applyTriggerChanges(ctx: StoreContext, changes: readonly PendingChange[], description: ChangeDescription): AppliedChanges {
  return applyVersionedChanges(ctx, TICKET_TRIGGERS, changes, description);
}
