/**
 * Business-hours schedules (DOMAIN.md §6) in the store: kept exactly as given (Zendesk `intervals`
 * form or the weekly form, validated by `domain/schedules`), so an export gives the same JSON back.
 * The default schedule is the one set with {@link setDefaultSchedule}, else the oldest; it comes
 * first in the snapshot. A schedule a trigger's `set_schedule` action names cannot be deleted.
 */
import { DomainError, type DomainIssue } from '../domain/errors';
import { ScheduleSchema } from '../domain/schedules';
import { getMeta, noteIds, peekNextId, setMeta, writeTransaction, type Db, type StoreContext } from './db';
import { issuesError, jsonPath } from './problems';
import { messagingTriggersReferencingSchedule, triggersReferencing } from './references';
import { commitRevision, currentRevision, type RevisionAction } from './revisions';

/** A schedule as given by the admin (and returned by the API), with its `id`. */
export type ScheduleDocument = Record<string, unknown> & { id: string | number };

interface ScheduleRow {
  id: string;
  seq: number;
  json: string;
}

/** Every schedule, the default first, then in creation order. */
export function scheduleRows(db: Db): ScheduleRow[] {
  const rows = db.prepare('SELECT id, seq, json FROM schedules ORDER BY seq').all() as ScheduleRow[];
  const preferred = getMeta(db, 'default_schedule_id');
  const i = rows.findIndex((r) => r.id === preferred);
  return i <= 0 ? rows : [rows[i], ...rows.slice(0, i), ...rows.slice(i + 1)];
}

const docOf = (row: ScheduleRow): ScheduleDocument => JSON.parse(row.json) as ScheduleDocument;

/** Every schedule as given, the default first; `default_schedule_id` null when there is none. */
export function listSchedules(db: Db): { schedules: ScheduleDocument[]; default_schedule_id: string | null } {
  const rows = scheduleRows(db);
  return { schedules: rows.map(docOf), default_schedule_id: rows[0]?.id ?? null };
}

/**
 * One schedule as given.
 * @throws DomainError `not_found`.
 */
export function getSchedule(db: Db, id: string): ScheduleDocument {
  const row = db.prepare('SELECT id, seq, json FROM schedules WHERE id = ?').get(id) as ScheduleRow | undefined;
  if (!row) throw new DomainError('not_found', `schedule ${id} does not exist`);
  return docOf(row);
}

const isObject = (v: unknown): v is Record<string, unknown> => typeof v === 'object' && v !== null && !Array.isArray(v);

/** A body is `{ "schedule": {...} }` (Zendesk's envelope) or the bare schedule; `base` is its JSONPath. */
function unwrap(body: unknown): { input: unknown; base: string } {
  if (isObject(body) && Object.keys(body).length === 1 && 'schedule' in body) return { input: body.schedule, base: '$.schedule' };
  return { input: body, base: '$' };
}

/** Validates one schedule input at JSONPath `base`; fills `id` from `assign` when absent. */
function checkSchedule(input: unknown, base: string, assign: () => number): { doc: ScheduleDocument | null; issues: DomainIssue[] } {
  if (!isObject(input)) return { doc: null, issues: [{ path: base, message: 'expected a schedule object' }] };
  const doc = { ...input, id: input.id ?? assign() } as ScheduleDocument;
  const parsed = ScheduleSchema.safeParse(doc);
  if (parsed.success) return { doc, issues: [] };
  return { doc: null, issues: parsed.error.issues.map((i) => ({ path: jsonPath(i.path, base), message: i.message })) };
}

function record(ctx: StoreContext, action: RevisionAction, actor: string, summary: string, detail: unknown): number {
  const revision = currentRevision(ctx.db) + 1;
  commitRevision(ctx.db, revision, { actor, action, triggerIds: [], summary, detail }, ctx.now());
  return revision;
}

const nextSeq = (db: Db): number => Number(db.prepare('SELECT coalesce(max(seq), 0) + 1 FROM schedules').pluck().get());

function upsert(db: Db, doc: ScheduleDocument): void {
  const id = String(doc.id);
  db.prepare('INSERT INTO schedules (id, seq, json) VALUES (?, ?, ?) ON CONFLICT (id) DO UPDATE SET json = excluded.json').run(id, nextSeq(db), JSON.stringify(doc));
  noteIds(db, 'schedule', [id]);
}

function refuseIfUsed(db: Db, id: string): void {
  const users = triggersReferencing(db, 'schedule', id);
  if (users.length > 0) throw new DomainError('invalid_state', `schedule ${id} is used by the set_schedule action of triggers ${users.join(', ')}; change them first`);
  const messaging = messagingTriggersReferencingSchedule(db, id);
  if (messaging.length > 0) {
    throw new DomainError('invalid_state', `schedule ${id} is used by the within_schedule condition of messaging triggers ${messaging.join(', ')}; change them first`);
  }
}

/**
 * Adds a schedule (Zendesk or weekly form, bare or in `{ "schedule": {...} }`). Without `id` the store assigns the next numeric id.
 * @throws DomainError `invalid_input` (every problem at its JSON path), `invalid_state` when the id exists.
 */
export function createSchedule(ctx: StoreContext, body: unknown, actor: string): { schedule: ScheduleDocument; revision: number } {
  const { input, base } = unwrap(body);
  return writeTransaction(ctx.db, () => {
    const { doc, issues } = checkSchedule(input, base, () => peekNextId(ctx.db, 'schedule'));
    if (!doc) throw issuesError('schedule rejected', issues);
    const id = String(doc.id);
    if (ctx.db.prepare('SELECT 1 FROM schedules WHERE id = ?').get(id)) throw new DomainError('invalid_state', `schedule ${id} exists; change it with PUT /admin/schedules/${id}`);
    upsert(ctx.db, doc);
    return { schedule: doc, revision: record(ctx, 'schedule_create', actor, `created schedule "${String(doc.name)}"`, { before: null, after: doc }) };
  });
}

/**
 * Replaces a schedule with the body (whole schedule, bare or enveloped; `id` absent or the same).
 * @throws DomainError `not_found`, `invalid_input` (every problem at its JSON path).
 */
export function updateSchedule(ctx: StoreContext, id: string, body: unknown, actor: string): { schedule: ScheduleDocument; revision: number | null } {
  const { input, base } = unwrap(body);
  return writeTransaction(ctx.db, () => {
    const before = getSchedule(ctx.db, id);
    if (isObject(input) && input.id !== undefined && String(input.id) !== id) {
      throw issuesError('schedule rejected', [{ path: `${base}.id`, message: `id ${JSON.stringify(input.id)} is not this schedule's id (${id}); ids cannot change` }]);
    }
    const { doc, issues } = checkSchedule(isObject(input) ? { ...input, id: before.id } : input, base, () => 0);
    if (!doc) throw issuesError('schedule rejected', issues);
    if (JSON.stringify(doc) === JSON.stringify(before)) return { schedule: before, revision: null };
    upsert(ctx.db, doc);
    return { schedule: doc, revision: record(ctx, 'schedule_update', actor, `updated schedule "${String(doc.name)}"`, { before, after: doc }) };
  });
}

/**
 * Deletes a schedule; when it was the default, the oldest remaining one becomes the default.
 * @throws DomainError `not_found`, `invalid_state` while a trigger's `set_schedule` (or a messaging trigger's `within_schedule`) names it.
 */
export function deleteSchedule(ctx: StoreContext, id: string, actor: string): { revision: number } {
  return writeTransaction(ctx.db, () => {
    const before = getSchedule(ctx.db, id);
    refuseIfUsed(ctx.db, id);
    ctx.db.prepare('DELETE FROM schedules WHERE id = ?').run(id);
    if (getMeta(ctx.db, 'default_schedule_id') === id) setMeta(ctx.db, 'default_schedule_id', null);
    return { revision: record(ctx, 'schedule_delete', actor, `deleted schedule "${String(before.name)}"`, { before, after: null }) };
  });
}

/**
 * Makes a schedule the account default (first in the snapshot, DOMAIN.md §6).
 * @throws DomainError `not_found`.
 */
export function setDefaultSchedule(ctx: StoreContext, id: string, actor: string): { revision: number | null } {
  return writeTransaction(ctx.db, () => {
    const doc = getSchedule(ctx.db, id);
    const before = scheduleRows(ctx.db)[0]?.id ?? null;
    setMeta(ctx.db, 'default_schedule_id', id);
    if (before === id) return { revision: null };
    return { revision: record(ctx, 'schedule_default', actor, `default schedule: "${String(doc.name)}"`, { before, after: id }) };
  });
}

/** What an accepted schedule import did. */
export interface ScheduleImportResult {
  revision: number | null;
  mode: 'append' | 'replace';
  total: number;
  created: number;
  updated: number;
  unchanged: number;
  deleted: number;
  default_schedule_id: string | null;
  /** Top-level keys that are not schedules (e.g. `sla_policies`), one line each. */
  warnings: string[];
}

/** The schedules of an import body, each with its JSONPath; Zendesk's per-schedule holidays map merged in. */
function importItems(json: unknown): { items: { input: unknown; base: string }[]; warnings: string[]; issues: DomainIssue[] } {
  if (Array.isArray(json)) return { items: json.map((input, i) => ({ input, base: `$[${i}]` })), warnings: [], issues: [] };
  if (!isObject(json)) return { items: [], warnings: [], issues: [{ path: '$', message: 'expected a list of schedules, {"schedules": [...]} or one schedule' }] };
  if ('schedule' in json) return { items: [{ input: json.schedule, base: '$.schedule' }], warnings: [], issues: [] };
  if (!('schedules' in json)) return { items: [{ input: json, base: '$' }], warnings: [], issues: [] };
  if (!Array.isArray(json.schedules)) return { items: [], warnings: [], issues: [{ path: '$.schedules', message: 'expected an array of schedules' }] };
  const holidays = isObject(json.holidays) ? json.holidays : {};
  const warnings = Object.keys(json)
    .filter((k) => k !== 'schedules' && k !== 'holidays')
    .map((k) => `$.${k}: ignored (not schedules)`);
  const items = json.schedules.map((input, i) => {
    const extra = isObject(input) && input.holidays === undefined ? holidays[String(input.id)] : undefined;
    const list = isObject(extra) ? extra.holidays : extra;
    return { input: Array.isArray(list) && isObject(input) ? { ...input, holidays: list } : input, base: `$.schedules[${i}]` };
  });
  return { items, warnings, issues: [] };
}

/**
 * Imports schedules: a list, Zendesk's `{ "schedules": [...] }` (with its `holidays` map by
 * schedule id, as the salto export has), `{ "schedule": {...} }` or one bare schedule. All or nothing.
 * `append` adds and replaces by id (the default stays); `replace` makes the file the whole set and
 * its first schedule the default.
 * @throws DomainError `invalid_input` with every problem at its JSON path; `invalid_state` when
 * `replace` would delete a schedule a trigger uses.
 */
export function importSchedules(ctx: StoreContext, json: unknown, mode: 'append' | 'replace', actor: string): ScheduleImportResult {
  const { items, warnings, issues } = importItems(json);
  return writeTransaction(ctx.db, () => {
    let next = peekNextId(ctx.db, 'schedule');
    const seen = new Map<string, string>();
    const docs: ScheduleDocument[] = [];
    for (const { input, base } of items) {
      const checked = checkSchedule(input, base, () => next++);
      issues.push(...checked.issues);
      if (!checked.doc) continue;
      const id = String(checked.doc.id);
      const first = seen.get(id);
      if (first) issues.push({ path: `${base}.id`, message: `duplicate schedule id "${id}" (first at ${first})` });
      else seen.set(id, base);
      docs.push(checked.doc);
    }
    if (issues.length > 0) throw issuesError('schedule import rejected, nothing changed', issues);
    const before = listSchedules(ctx.db).schedules;
    const existing = new Map(before.map((d) => [String(d.id), JSON.stringify(d)]));
    const counts = { created: 0, updated: 0, unchanged: 0, deleted: 0 };
    for (const doc of docs) {
      const old = existing.get(String(doc.id));
      if (old === JSON.stringify(doc)) counts.unchanged++;
      else counts[old === undefined ? 'created' : 'updated']++;
      upsert(ctx.db, doc);
    }
    if (mode === 'replace') {
      for (const id of existing.keys()) {
        if (seen.has(id)) continue;
        refuseIfUsed(ctx.db, id);
        ctx.db.prepare('DELETE FROM schedules WHERE id = ?').run(id);
        counts.deleted++;
      }
      if (docs.length > 0) setMeta(ctx.db, 'default_schedule_id', String(docs[0].id));
    }
    const after = listSchedules(ctx.db);
    const changed = JSON.stringify(before) !== JSON.stringify(after.schedules);
    const revision = changed
      ? record(ctx, 'schedule_import', actor, `schedule import (${mode}) of ${docs.length}: ${counts.created} created, ${counts.updated} updated, ${counts.deleted} deleted`, { before, after: after.schedules })
      : null;
    return { revision, mode, total: docs.length, ...counts, default_schedule_id: after.default_schedule_id, warnings };
  });
}
