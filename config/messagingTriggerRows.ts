/**
 * Stored messaging triggers (DOMAIN.md §4) and the one way they change, the counterpart of
 * `triggerRows.ts` for ticket triggers: {@link applyMessagingTriggerChanges} writes a set of new
 * versions (or deletions) as ONE global revision inside the caller's write transaction, gives each
 * changed trigger its next own revision, keeps every version for the history, and enforces
 * {@link MAX_ACTIVE_MESSAGING_TRIGGERS} on the resulting set.
 */
import { DomainError } from '../domain/errors';
import { exportMessagingTrigger, type MessagingTrigger } from '../domain/messagingTriggers';
import { noteIds, type Db, type StoreContext } from './db';
import { issuesError } from './problems';
import { commitRevision, currentRevision, type RevisionAction } from './revisions';
import type { ChangeCounts } from './triggerRows';

/**
 * Most active messaging triggers an account may have (**ours**, docs/DECISIONS.md 35). Every one
 * active for an event is compiled and tested on each messaging event of every conversation, so
 * the limit is far below ticket triggers' 7,000; the per-trigger size limit is the same 65,535 bytes.
 */
export const MAX_ACTIVE_MESSAGING_TRIGGERS = 1_000;

/** A row of the `messaging_triggers` table. */
export interface MessagingTriggerRow {
  id: string;
  json: string;
  active: number;
  position: number;
  revision: number;
  changed_in: number;
}

/** One change to write: `after` is the complete new trigger, or null to delete `before`. */
export interface PendingMessagingChange {
  id: string;
  before: MessagingTriggerRow | undefined;
  after: MessagingTrigger | null;
}

/** The outcome of {@link applyMessagingTriggerChanges}. */
export interface AppliedMessagingChanges extends ChangeCounts {
  /** The new global revision, or null when nothing actually changed (no revision is written then). */
  revision: number | null;
  /** The triggers as stored now (with their revision), by id, for every change that was not a deletion. */
  stored: Map<string, MessagingTrigger>;
}

/** What to record about the change set. */
export interface MessagingChangeDescription {
  actor: string;
  action: Extract<RevisionAction, `messaging_trigger_${string}`>;
  summary: (counts: ChangeCounts) => string;
  /** JSONPath to name when the active limit is exceeded (`$.messaging_triggers` for a list import). */
  limitPath?: string;
}

/** The stored JSON text of a messaging trigger (export key order). */
export const serialiseMessaging = (t: MessagingTrigger): string => JSON.stringify(exportMessagingTrigger(t));

/** Parses a stored row back into a trigger (stored rows were validated when written). */
export const parseMessagingRow = (row: MessagingTriggerRow): MessagingTrigger => JSON.parse(row.json) as MessagingTrigger;

/** The row of messaging trigger `id`, if stored. */
export function loadMessagingRow(db: Db, id: string): MessagingTriggerRow | undefined {
  return db.prepare('SELECT * FROM messaging_triggers WHERE id = ?').get(id) as MessagingTriggerRow | undefined;
}

/**
 * The row of messaging trigger `id`.
 * @throws DomainError `not_found`.
 */
export function requireMessagingRow(db: Db, id: string): MessagingTriggerRow {
  const row = loadMessagingRow(db, id);
  if (!row) throw new DomainError('not_found', `messaging trigger ${id} does not exist`);
  return row;
}

/** Every stored messaging trigger row. */
export function loadAllMessagingRows(db: Db): MessagingTriggerRow[] {
  return db.prepare('SELECT * FROM messaging_triggers').all() as MessagingTriggerRow[];
}

/** Highest position of a messaging trigger (0 when there is none). */
export function lastMessagingPosition(db: Db): number {
  return Number(db.prepare('SELECT max(position) FROM messaging_triggers').pluck().get() ?? 0);
}

/** Number of active messaging triggers stored now. */
export function activeMessagingCount(db: Db): number {
  return Number(db.prepare('SELECT count(*) FROM messaging_triggers WHERE active = 1').pluck().get());
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

function lastTriggerRevision(db: Db, id: string): number {
  return Number(db.prepare('SELECT max(trigger_revision) FROM messaging_trigger_versions WHERE trigger_id = ?').pluck().get(id) ?? 0);
}

/**
 * Writes `changes` as one revision, inside the caller's write transaction (a throw rolls all of it
 * back). A change whose `after` equals the stored trigger (revision aside) is left out; when every
 * change is such, nothing is written and `revision` is null. A changed trigger's own revision is
 * the last one it ever had plus one (1 for a new id), written into its JSON.
 * @throws DomainError `invalid_input` when the result has more than {@link MAX_ACTIVE_MESSAGING_TRIGGERS} active messaging triggers.
 */
export function applyMessagingTriggerChanges(
  ctx: StoreContext,
  changes: readonly PendingMessagingChange[],
  description: MessagingChangeDescription,
): AppliedMessagingChanges {
  const { db } = ctx;
  const counts: ChangeCounts = { created: 0, updated: 0, deleted: 0, unchanged: 0 };
  const stored = new Map<string, MessagingTrigger>();
  const effective = changes.filter((c) => {
    if (c.after === null) return c.before !== undefined;
    if (c.before && serialiseMessaging({ ...c.after, revision: c.before.revision }) === c.before.json) {
      counts.unchanged++;
      stored.set(c.id, parseMessagingRow(c.before));
      return false;
    }
    return true;
  });
  if (effective.length === 0) return { ...counts, revision: null, stored };
  const revision = currentRevision(db) + 1;
  const upsert = db.prepare(
    `INSERT INTO messaging_triggers (id, json, active, position, revision, changed_in) VALUES (@id, @json, @active, @position, @revision, @changed_in)
     ON CONFLICT (id) DO UPDATE SET json = excluded.json, active = excluded.active, position = excluded.position,
       revision = excluded.revision, changed_in = excluded.changed_in`,
  );
  const remove = db.prepare('DELETE FROM messaging_triggers WHERE id = ?');
  const version = db.prepare('INSERT INTO messaging_trigger_versions (trigger_id, revision, trigger_revision, json) VALUES (?, ?, ?, ?)');
  for (const c of effective) {
    const triggerRevision = (c.before ? c.before.revision : lastTriggerRevision(db, c.id)) + 1;
    if (c.after === null) {
      remove.run(c.id);
      version.run(c.id, revision, triggerRevision, null);
      counts.deleted++;
      continue;
    }
    const trigger: MessagingTrigger = { ...c.after, revision: triggerRevision };
    const json = serialiseMessaging(trigger);
    upsert.run({ id: c.id, json, active: trigger.active === false ? 0 : 1, position: trigger.position ?? 0, revision: triggerRevision, changed_in: revision });
    version.run(c.id, revision, triggerRevision, json);
    stored.set(c.id, trigger);
    if (c.before) counts.updated++;
    else counts.created++;
  }
  const active = activeMessagingCount(db);
  if (active > MAX_ACTIVE_MESSAGING_TRIGGERS) {
    throw issuesError('too many active messaging triggers, nothing changed', [
      { path: description.limitPath ?? '$', message: `${active} active messaging triggers; the limit is ${MAX_ACTIVE_MESSAGING_TRIGGERS} per account` },
    ]);
  }
  noteIds(db, 'messaging_trigger', effective.map((c) => c.id));
  commitRevision(db, revision, { actor: description.actor, action: description.action, triggerIds: effective.map((c) => c.id), summary: description.summary(counts) }, ctx.now());
  return { ...counts, revision, stored };
}
