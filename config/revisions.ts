/**
 * Configuration revisions: the global revision number (one per accepted change; a whole import is
 * one) and the history of who changed what and when, with the before/after JSON of each trigger.
 */
import { DomainError } from '../domain/errors';
import { getMeta, setMeta, type Db } from './db';

/**
 * What a change did. Ticket-trigger actions name the trigger operation; the others are prefixed by
 * their kind (`messaging_trigger_…` for messaging triggers, whose ids are then in `trigger_ids`).
 */
export type RevisionAction =
  | 'create'
  | 'update'
  | 'delete'
  | 'activate'
  | 'deactivate'
  | 'reorder'
  | 'import'
  | 'category_order'
  | 'messaging_trigger_create'
  | 'messaging_trigger_update'
  | 'messaging_trigger_delete'
  | 'messaging_trigger_activate'
  | 'messaging_trigger_deactivate'
  | 'messaging_trigger_reorder'
  | 'messaging_trigger_import'
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
  /**
   * Ids of the triggers the change touched (first 100), and how many there were: messaging
   * triggers for `messaging_trigger_*` actions, ticket triggers otherwise.
   */
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
  /** Before/after of every trigger it changed (messaging triggers for `messaging_trigger_*` actions). */
  changes: TriggerChange[];
  /** Before/after of a schedule, webhook (secrets redacted) or the category order. */
  detail: unknown;
}

/** One step in a trigger's history (`GET /admin/triggers/:id/revisions`, `GET /admin/messaging_triggers/:id/revisions`). */
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

/** Which kind of trigger: each keeps its versions in its own table (ids of the two kinds are separate). */
export type TriggerKind = 'ticket' | 'messaging';

const VERSIONS: Record<TriggerKind, string> = { ticket: 'trigger_versions', messaging: 'messaging_trigger_versions' };

/** The kind of trigger a revision's `trigger_ids` and `changes` are about. */
const kindOf = (action: RevisionAction): TriggerKind => (action.startsWith('messaging_trigger_') ? 'messaging' : 'ticket');

/** The version of a trigger just before global revision `revision` (null: it did not exist). */
function versionBefore(db: Db, kind: TriggerKind, triggerId: string, revision: number): unknown {
  const json = db
    .prepare(`SELECT json FROM ${VERSIONS[kind]} WHERE trigger_id = ? AND revision < ? ORDER BY revision DESC LIMIT 1`)
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
  const kind = kindOf(row.action);
  const versions = db
    .prepare(`SELECT trigger_id, trigger_revision, json FROM ${VERSIONS[kind]} WHERE revision = ? ORDER BY rowid`)
    .all(revision) as { trigger_id: string; trigger_revision: number; json: string | null }[];
  const changes = versions.map((v) => ({
    trigger_id: v.trigger_id,
    trigger_revision: v.trigger_revision,
    before: versionBefore(db, kind, v.trigger_id, revision),
    after: parseJson(v.json),
  }));
  return { ...recordOf(row), changes, detail: parseJson(row.detail) };
}

/**
 * Every change of one trigger (of `kind`), newest first, with its JSON before and after (the
 * history stays after the trigger is deleted).
 * @throws DomainError `not_found` when no trigger of that kind ever had this id.
 */
export function triggerHistory(db: Db, triggerId: string, kind: TriggerKind = 'ticket'): TriggerHistoryEntry[] {
  const rows = db
    .prepare(
      `SELECT v.revision, v.trigger_revision, v.json, r.at, r.actor, r.action, r.summary
       FROM ${VERSIONS[kind]} v JOIN revisions r ON r.revision = v.revision
       WHERE v.trigger_id = ? ORDER BY v.revision`,
    )
    .all(triggerId) as { revision: number; trigger_revision: number; json: string | null; at: string; actor: string; action: RevisionAction; summary: string }[];
  if (rows.length === 0) throw new DomainError('not_found', `${kind === 'messaging' ? 'messaging trigger' : 'trigger'} ${triggerId} does not exist and never did`);
  let before: unknown = null;
  const entries = rows.map((r) => {
    const after = parseJson(r.json);
    const entry = { revision: r.revision, trigger_revision: r.trigger_revision, at: r.at, actor: r.actor, action: r.action, summary: r.summary, before, after };
    before = after;
    return entry;
  });
  return entries.reverse();
}
