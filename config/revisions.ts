/**
 * Configuration revisions: the global revision number (one per accepted change; a whole import is
 * one) and the history of who changed what and when, with the before/after JSON of each trigger.
 */
import { DomainError } from '../domain/errors';
import { getMeta, setMeta, type Db } from './db';

/** What a change did. Trigger actions name the trigger operation; the others are prefixed by their kind. */
export type RevisionAction =
  | 'create'
  | 'update'
  | 'delete'
  | 'activate'
  | 'deactivate'
  | 'reorder'
  | 'import'
  | 'category_order'
  | 'schedule_create'
  | 'schedule_update'
  | 'schedule_delete'
  | 'schedule_default'
  | 'schedule_import'
  | 'webhook_create'
  | 'webhook_update'
  | 'webhook_delete';

/** One accepted change, as listed (`GET /admin/revisions`). */
export interface RevisionRecord {
  revision: number;
  /** ISO 8601 instant (UTC) of the commit. */
  at: string;
  /** Who: `X-Parley-Actor` of the admin request, `cli:<user>` from the CLI, or `admin`. */
  actor: string;
  action: RevisionAction;
  /** Ids of the triggers the change touched (first 100), and how many there were. */
  trigger_ids: string[];
  trigger_count: number;
  /** One line in words, e.g. `import (replace): 3 created, 1 updated, 0 deleted`. */
  summary: string;
}

/** One trigger's state before and after a change (null: did not exist / deleted). */
export interface TriggerChange {
  trigger_id: string;
  /** The trigger's own revision after the change. */
  trigger_revision: number;
  before: unknown;
  after: unknown;
}

/** A revision with everything it changed (`GET /admin/revisions/:revision`). */
export interface RevisionDetail extends RevisionRecord {
  /** Before/after of every trigger it changed. */
  changes: TriggerChange[];
  /** Before/after of a schedule, webhook (secrets redacted) or the category order. */
  detail: unknown;
}

/** One step in a trigger's history (`GET /admin/triggers/:id/revisions`). */
export interface TriggerHistoryEntry extends Omit<RevisionRecord, 'trigger_ids' | 'trigger_count'> {
  trigger_revision: number;
  before: unknown;
  after: unknown;
}

/** What the writer says about a change when it commits it. */
export interface RevisionInput {
  actor: string;
  action: RevisionAction;
  triggerIds: readonly string[];
  summary: string;
  /** JSON-serialisable before/after of a non-trigger change. */
  detail?: unknown;
}

const LISTED_IDS = 100;

/** The current global revision (0 for an empty store). */
export function currentRevision(db: Db): number {
  return Number(getMeta(db, 'revision') ?? 0);
}

/**
 * Records revision `revision` (which must be `currentRevision + 1`, computed inside the same
 * write transaction) and makes it the current one.
 * @throws DomainError `invalid_input` when the actor is empty.
 */
export function commitRevision(db: Db, revision: number, input: RevisionInput, at: Date): void {
  if (input.actor.trim() === '') throw new DomainError('invalid_input', 'actor: say who makes the change');
  db.prepare('INSERT INTO revisions (revision, at, actor, action, trigger_ids, summary, detail) VALUES (?, ?, ?, ?, ?, ?, ?)').run(
    revision,
    at.toISOString(),
    input.actor,
    input.action,
    JSON.stringify(input.triggerIds),
    input.summary,
    input.detail === undefined ? null : JSON.stringify(input.detail),
  );
  setMeta(db, 'revision', revision);
}

interface RevisionRow {
  revision: number;
  at: string;
  actor: string;
  action: RevisionAction;
  trigger_ids: string;
  summary: string;
  detail: string | null;
}

const recordOf = (row: RevisionRow): RevisionRecord => {
  const ids = JSON.parse(row.trigger_ids) as string[];
  return {
    revision: row.revision,
    at: row.at,
    actor: row.actor,
    action: row.action,
    trigger_ids: ids.slice(0, LISTED_IDS),
    trigger_count: ids.length,
    summary: row.summary,
  };
};

/** Revisions newest first, `limit` of them, older than `before` when given. */
export function listRevisions(db: Db, limit: number, before?: number): RevisionRecord[] {
  const rows = db
    .prepare('SELECT * FROM revisions WHERE revision < ? ORDER BY revision DESC LIMIT ?')
    .all(before ?? Number.MAX_SAFE_INTEGER, limit) as RevisionRow[];
  return rows.map(recordOf);
}

const parseJson = (text: string | null): unknown => (text === null ? null : JSON.parse(text));

/** The version of a trigger just before global revision `revision` (null: it did not exist). */
function versionBefore(db: Db, triggerId: string, revision: number): unknown {
  const json = db
    .prepare('SELECT json FROM trigger_versions WHERE trigger_id = ? AND revision < ? ORDER BY revision DESC LIMIT 1')
    .pluck()
    .get(triggerId, revision) as string | null | undefined;
  return parseJson(json ?? null);
}

/**
 * One revision with the before/after JSON of everything it changed.
 * @throws DomainError `not_found` for a revision that does not exist.
 */
export function getRevision(db: Db, revision: number): RevisionDetail {
  const row = db.prepare('SELECT * FROM revisions WHERE revision = ?').get(revision) as RevisionRow | undefined;
  if (!row) throw new DomainError('not_found', `revision ${revision} does not exist (current: ${currentRevision(db)})`);
  const versions = db
    .prepare('SELECT trigger_id, trigger_revision, json FROM trigger_versions WHERE revision = ? ORDER BY rowid')
    .all(revision) as { trigger_id: string; trigger_revision: number; json: string | null }[];
  const changes = versions.map((v) => ({
    trigger_id: v.trigger_id,
    trigger_revision: v.trigger_revision,
    before: versionBefore(db, v.trigger_id, revision),
    after: parseJson(v.json),
  }));
  return { ...recordOf(row), changes, detail: parseJson(row.detail) };
}

/**
 * Every change of one trigger, newest first, with its JSON before and after (the history stays
 * after the trigger is deleted).
 * @throws DomainError `not_found` when no trigger ever had this id.
 */
export function triggerHistory(db: Db, triggerId: string): TriggerHistoryEntry[] {
  const rows = db
    .prepare(
      `SELECT v.revision, v.trigger_revision, v.json, r.at, r.actor, r.action, r.summary
       FROM trigger_versions v JOIN revisions r ON r.revision = v.revision
       WHERE v.trigger_id = ? ORDER BY v.revision`,
    )
    .all(triggerId) as { revision: number; trigger_revision: number; json: string | null; at: string; actor: string; action: RevisionAction; summary: string }[];
  if (rows.length === 0) throw new DomainError('not_found', `trigger ${triggerId} does not exist and never did`);
  let before: unknown = null;
  const entries = rows.map((r) => {
    const after = parseJson(r.json);
    const entry = { revision: r.revision, trigger_revision: r.trigger_revision, at: r.at, actor: r.actor, action: r.action, summary: r.summary, before, after };
    before = after;
    return entry;
  });
  return entries.reverse();
}
