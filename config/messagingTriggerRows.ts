/**
 * Stored messaging triggers (DOMAIN.md §4) and the one way they change, the counterpart of
 * `triggerRows.ts` for ticket triggers: {@link applyMessagingTriggerChanges} writes a set of new
 * versions (or deletions) as ONE global revision inside the caller's write transaction, gives each
 * changed trigger its next own revision, keeps every version for the history, and enforces
 * {@link MAX_ACTIVE_MESSAGING_TRIGGERS} on the resulting set.
 */
import { exportMessagingTrigger, type MessagingTrigger } from '../domain/messagingTriggers';
import type { Db, StoreContext } from './db';
import type { RevisionAction } from './revisions';
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

/**
 * Most active messaging triggers an account may have (**ours**, docs/DECISIONS.md 35). Every one
 * active for an event is compiled and tested on each messaging event of every conversation, so
 * the limit is far below ticket triggers' 7,000; the per-trigger size limit is the same 65,535 bytes.
 */
export const MAX_ACTIVE_MESSAGING_TRIGGERS = 1_000;

/** A row of the `messaging_triggers` table. */
export type MessagingTriggerRow = VersionedRow;

/** One change to write: `after` is the complete new trigger, or null to delete `before`. */
export type PendingMessagingChange = VersionedChange<MessagingTrigger, MessagingTriggerRow>;

/** The outcome of {@link applyMessagingTriggerChanges}. */
export type AppliedMessagingChanges = AppliedVersionedChanges<MessagingTrigger>;

/** What to record about the change set (`limitPath`: `$.messaging_triggers` for a list import). */
export interface MessagingChangeDescription extends VersionedChangeDescription {
  action: Extract<RevisionAction, `messaging_trigger_${string}`>;
}

/** The stored JSON text of a messaging trigger (export key order). */
export const serialiseMessaging = (t: MessagingTrigger): string => JSON.stringify(exportMessagingTrigger(t));

/** Parses a stored row back into a trigger (stored rows were validated when written). */
export const parseMessagingRow = (row: MessagingTriggerRow): MessagingTrigger => JSON.parse(row.json) as MessagingTrigger;

/** Messaging triggers' tables and wording, for the shared helpers of `versionedRows.ts`. */
const MESSAGING_TRIGGERS: VersionedKind<MessagingTrigger> = {
  table: 'messaging_triggers',
  versions: 'messaging_trigger_versions',
  idKind: 'messaging_trigger',
  noun: 'messaging trigger',
  limit: MAX_ACTIVE_MESSAGING_TRIGGERS,
  upsertSql: `INSERT INTO messaging_triggers (id, json, active, position, revision, changed_in) VALUES (@id, @json, @active, @position, @revision, @changed_in)
     ON CONFLICT (id) DO UPDATE SET json = excluded.json, active = excluded.active, position = excluded.position,
       revision = excluded.revision, changed_in = excluded.changed_in`,
  serialise: serialiseMessaging,
};

/** The row of messaging trigger `id`, if stored. */
export function loadMessagingRow(db: Db, id: string): MessagingTriggerRow | undefined {
  return loadVersionedRow(db, MESSAGING_TRIGGERS, id);
}

/**
 * The row of messaging trigger `id`.
 * @throws DomainError `not_found`.
 */
export function requireMessagingRow(db: Db, id: string): MessagingTriggerRow {
  return requireVersionedRow(db, MESSAGING_TRIGGERS, id);
}

/** Every stored messaging trigger row. */
export function loadAllMessagingRows(db: Db): MessagingTriggerRow[] {
  return loadAllVersionedRows(db, MESSAGING_TRIGGERS);
}

/** Highest position of a messaging trigger (0 when there is none). */
export function lastMessagingPosition(db: Db): number {
  return Number(db.prepare('SELECT max(position) FROM messaging_triggers').pluck().get() ?? 0);
}

/** Number of active messaging triggers stored now. */
export function activeMessagingCount(db: Db): number {
  return countActive(db, MESSAGING_TRIGGERS);
}

/** Ids compared as the engine does (domain/messagingTriggers/engine.ts): numeric ids by value, before text ids. */
function compareIds(a: string, b: string): number {
  if (a === b) return 0;
  const da = /^\d+$/.test(a);
  const db = /^\d+$/.test(b);
  if (da && db) return a.length - b.length || (a < b ? -1 : 1);
  if (da !== db) return da ? -1 : 1;
  return a < b ? -1 : 1;
}

/**
 * Messaging triggers in the engine's evaluation order (position, absent last; then id), the
 * inactive ones after the active ones in the same order.
 */
export function messagingEvaluationOrder<T extends { id: string; trigger: MessagingTrigger }>(items: readonly T[]): T[] {
  const rank = (x: T): [number, number] => [x.trigger.active === false ? 1 : 0, x.trigger.position ?? Number.POSITIVE_INFINITY];
  return [...items].sort((x, y) => {
    const [ax, px] = rank(x);
    const [ay, py] = rank(y);
    if (ax !== ay) return ax - ay;
    if (px !== py) return px < py ? -1 : 1;
    return compareIds(x.id, y.id);
  });
}

/**
 * Writes `changes` as one revision, inside the caller's write transaction (a throw rolls all of it
 * back); see {@link applyVersionedChanges}. A changed trigger's own revision is the last one it
 * ever had plus one (1 for a new id), written into its JSON.
 * @throws DomainError `invalid_input` when the result has more than {@link MAX_ACTIVE_MESSAGING_TRIGGERS} active messaging triggers.
 */
export function applyMessagingTriggerChanges(
  ctx: StoreContext,
  changes: readonly PendingMessagingChange[],
  description: MessagingChangeDescription,
): AppliedMessagingChanges {
  return applyVersionedChanges(ctx, MESSAGING_TRIGGERS, changes, description);
}
