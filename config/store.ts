/**
 * The configuration store (issue 3, part 6): ticket triggers and messaging triggers with their
 * revision history, business-hours schedules, webhooks and the trigger category order, durable in one SQLite file
 * (`<PARLEY_DATA_DIR>/config.sqlite`). Too big for workflow state (7,000 triggers of up to 65 KB
 * against Temporal's 2 MB payload limit), so workflows read it through activities via
 * {@link ConfigReader}. Every accepted change is one global revision with who, when and what;
 * every write is all-or-nothing. Writers: the admin API (`server/admin.ts`) and the CLI through it.
 */
import { exportMessagingTrigger, type MessagingTrigger } from '../domain/messagingTriggers';
import { exportTriggers, type Trigger } from '../domain/triggers';
import { DomainError } from '../domain/errors';
import { openDatabase, type Db, type StoreContext } from './db';
import * as messaging from './messagingTriggersRepo';
import { currentRevision, getRevision, listRevisions, triggerHistory, type RevisionDetail, type RevisionRecord, type TriggerHistoryEntry } from './revisions';
import * as schedules from './schedulesRepo';
import { SnapshotCache } from './snapshot';
import { importTriggerFile, type ImportMode, type TriggerImportResult } from './triggerImport';
import * as triggers from './triggersRepo';
import type { ConfigReader, ConfigSnapshot } from './types';
import * as webhooks from './webhooksRepo';

export { MAX_ACTIVE_MESSAGING_TRIGGERS } from './messagingTriggerRows';

/** Options of {@link openConfigStore}. */
export interface ConfigStoreOptions {
  /** Clock stamping revisions (tests pass a fixed one). Default: the system clock. */
  now?: () => Date;
}

/** Counts for `GET /admin/config`. */
export interface ConfigSummary {
  revision: number;
  triggers: { active: number; total: number };
  messaging_triggers: { active: number; total: number };
  schedules: number;
  webhooks: number;
  default_schedule_id: string | null;
  category_order: string[];
}

/**
 * Reads and writes the configuration. Read with {@link snapshot} (cached per revision); write with
 * the methods below, each naming the `actor` who makes the change (recorded in the revision).
 * Errors are {@link DomainError}s: `invalid_input` (with every problem's JSON path), `not_found`,
 * `invalid_state` (exists already, in use, stale revision).
 */
export class ConfigStore implements ConfigReader {
  private readonly ctx: StoreContext;
  private readonly cache: SnapshotCache;

  constructor(
    /** Path of the SQLite file (`:memory:` for a private in-memory store). */
    readonly file: string,
    db: Db,
    options: ConfigStoreOptions = {},
  ) {
    this.ctx = { db, now: options.now ?? (() => new Date()) };
    this.cache = new SnapshotCache(db);
  }

  /** The configuration at the current revision; the same object (and triggers array) until something changes, here or in another process. */
  snapshot(): ConfigSnapshot {
    return this.cache.get();
  }

  /** Counts of what is configured, and the current revision. */
  summary(): ConfigSummary {
    const s = this.snapshot();
    const counts = (list: readonly { active?: boolean }[]): { active: number; total: number } => ({ active: list.filter((t) => t.active !== false).length, total: list.length });
    return {
      revision: s.revision,
      triggers: counts(s.triggers),
      messaging_triggers: counts(s.messagingTriggers ?? []),
      schedules: s.schedules.length,
      webhooks: s.webhooks.length,
      default_schedule_id: s.schedules[0]?.id ?? null,
      category_order: [...s.categoryOrder],
    };
  }

  // ---------------------------------------------------------------- triggers

  /** Stored triggers in evaluation order (inactive ones last); `active` filters. */
  listTriggers(active?: boolean): Trigger[] {
    return this.snapshot().triggers.filter((t) => active === undefined || (t.active !== false) === active);
  }

  /** `{ "triggers": [...], "count": n }` in Zendesk's shape and evaluation order (`active` filters). */
  exportTriggers(active?: boolean): Record<string, unknown> {
    return exportTriggers(this.listTriggers(active));
  }

  /**
   * One stored trigger.
   * @throws DomainError `not_found`.
   */
  getTrigger(id: string): Trigger {
    const t = this.cache.trigger(id);
    if (!t) throw new DomainError('not_found', `trigger ${id} does not exist`);
    return t;
  }

  /** See {@link triggers.createTrigger}. */
  createTrigger(body: unknown, actor: string): triggers.TriggerWrite {
    return triggers.createTrigger(this.ctx, body, actor);
  }

  /** See {@link triggers.updateTrigger}. */
  updateTrigger(id: string, body: unknown, actor: string): triggers.TriggerWrite {
    return triggers.updateTrigger(this.ctx, id, body, actor);
  }

  /** Sets `active` (action `activate`/`deactivate`; no revision when it already was). */
  setTriggerActive(id: string, active: boolean, actor: string): triggers.TriggerWrite {
    return triggers.updateTrigger(this.ctx, id, { active }, actor, active ? 'activate' : 'deactivate');
  }

  /** See {@link triggers.deleteTrigger}. */
  deleteTrigger(id: string, actor: string): { revision: number } {
    return triggers.deleteTrigger(this.ctx, id, actor);
  }

  /** See {@link triggers.reorderTriggers}. */
  reorderTriggers(ids: readonly (string | number)[], actor: string): { revision: number | null } {
    return triggers.reorderTriggers(this.ctx, ids, actor);
  }

  /** See {@link importTriggerFile}. */
  importTriggers(json: unknown, mode: ImportMode, actor: string): TriggerImportResult {
    return importTriggerFile(this.ctx, json, mode, actor);
  }

  /** See {@link triggers.setCategoryOrder}. */
  setCategoryOrder(ids: readonly string[], actor: string): { revision: number | null; category_ids: string[] } {
    return triggers.setCategoryOrder(this.ctx, ids, actor);
  }

  // ---------------------------------------------------------------- messaging triggers

  /** Stored messaging triggers in evaluation order (inactive ones last); `active` filters. */
  listMessagingTriggers(active?: boolean): MessagingTrigger[] {
    return (this.snapshot().messagingTriggers ?? []).filter((t) => active === undefined || (t.active !== false) === active);
  }

  /** `{ "messaging_triggers": [...], "count": n }` in evaluation order (`active` filters); imports back as it is. */
  exportMessagingTriggers(active?: boolean): { messaging_triggers: Record<string, unknown>[]; count: number } {
    const list = this.listMessagingTriggers(active);
    return { messaging_triggers: list.map(exportMessagingTrigger), count: list.length };
  }

  /**
   * One stored messaging trigger.
   * @throws DomainError `not_found`.
   */
  getMessagingTrigger(id: string): MessagingTrigger {
    const t = this.cache.messagingTrigger(id);
    if (!t) throw new DomainError('not_found', `messaging trigger ${id} does not exist`);
    return t;
  }

  /** See {@link messaging.createMessagingTrigger}. */
  createMessagingTrigger(body: unknown, actor: string): messaging.MessagingTriggerWrite {
    return messaging.createMessagingTrigger(this.ctx, body, actor);
  }

  /** See {@link messaging.updateMessagingTrigger}. */
  updateMessagingTrigger(id: string, body: unknown, actor: string): messaging.MessagingTriggerWrite {
    return messaging.updateMessagingTrigger(this.ctx, id, body, actor);
  }

  /** Sets `active` (action `messaging_trigger_activate`/`…_deactivate`; no revision when it already was). */
  setMessagingTriggerActive(id: string, active: boolean, actor: string): messaging.MessagingTriggerWrite {
    return messaging.updateMessagingTrigger(this.ctx, id, { active }, actor, active ? 'activate' : 'deactivate');
  }

  /** See {@link messaging.deleteMessagingTrigger}. */
  deleteMessagingTrigger(id: string, actor: string): { revision: number } {
    return messaging.deleteMessagingTrigger(this.ctx, id, actor);
  }

  /** See {@link messaging.reorderMessagingTriggers}. */
  reorderMessagingTriggers(ids: readonly (string | number)[], actor: string): { revision: number | null } {
    return messaging.reorderMessagingTriggers(this.ctx, ids, actor);
  }

  /** See {@link messaging.importMessagingTriggerFile}. */
  importMessagingTriggers(json: unknown, mode: ImportMode, actor: string): messaging.MessagingTriggerImportResult {
    return messaging.importMessagingTriggerFile(this.ctx, json, mode, actor);
  }

  /** A messaging trigger's history, newest first. @throws DomainError `not_found` when the id never existed. */
  messagingTriggerRevisions(id: string): TriggerHistoryEntry[] {
    return triggerHistory(this.ctx.db, id, 'messaging');
  }

  // ---------------------------------------------------------------- history

  /** The current global revision (0 for an empty store). */
  revision(): number {
    return currentRevision(this.ctx.db);
  }

  /** Revisions newest first: `limit` of them, older than `before` when given. */
  revisions(limit = 50, before?: number): RevisionRecord[] {
    return listRevisions(this.ctx.db, limit, before);
  }

  /** One revision with the before/after JSON of what it changed. @throws DomainError `not_found`. */
  revisionDetail(revision: number): RevisionDetail {
    return getRevision(this.ctx.db, revision);
  }

  /** A trigger's history, newest first. @throws DomainError `not_found` when the id never existed. */
  triggerRevisions(id: string): TriggerHistoryEntry[] {
    return triggerHistory(this.ctx.db, id);
  }

  // ---------------------------------------------------------------- schedules

  /** Schedules as given, the default first. */
  listSchedules(): ReturnType<typeof schedules.listSchedules> {
    return schedules.listSchedules(this.ctx.db);
  }

  /** One schedule as given. @throws DomainError `not_found`. */
  getSchedule(id: string): schedules.ScheduleDocument {
    return schedules.getSchedule(this.ctx.db, id);
  }

  /** See {@link schedules.createSchedule}. */
  createSchedule(body: unknown, actor: string): ReturnType<typeof schedules.createSchedule> {
    return schedules.createSchedule(this.ctx, body, actor);
  }

  /** See {@link schedules.updateSchedule}. */
  updateSchedule(id: string, body: unknown, actor: string): ReturnType<typeof schedules.updateSchedule> {
    return schedules.updateSchedule(this.ctx, id, body, actor);
  }

  /** See {@link schedules.deleteSchedule}. */
  deleteSchedule(id: string, actor: string): { revision: number } {
    return schedules.deleteSchedule(this.ctx, id, actor);
  }

  /** See {@link schedules.setDefaultSchedule}. */
  setDefaultSchedule(id: string, actor: string): { revision: number | null } {
    return schedules.setDefaultSchedule(this.ctx, id, actor);
  }

  /** See {@link schedules.importSchedules}. */
  importSchedules(json: unknown, mode: ImportMode, actor: string): schedules.ScheduleImportResult {
    return schedules.importSchedules(this.ctx, json, mode, actor);
  }

  // ---------------------------------------------------------------- webhooks

  /** Webhooks without their secrets. */
  listWebhooks(): webhooks.WebhookView[] {
    return webhooks.listWebhooks(this.ctx.db);
  }

  /** One webhook without its secret. @throws DomainError `not_found`. */
  getWebhook(id: string): webhooks.WebhookView {
    return webhooks.getWebhook(this.ctx.db, id);
  }

  /** A webhook's signing secret. @throws DomainError `not_found`. */
  webhookSecret(id: string): string {
    return webhooks.webhookSecret(this.ctx.db, id);
  }

  /** See {@link webhooks.createWebhook}. */
  createWebhook(body: unknown, actor: string): ReturnType<typeof webhooks.createWebhook> {
    return webhooks.createWebhook(this.ctx, body, actor);
  }

  /** See {@link webhooks.updateWebhook}. */
  updateWebhook(id: string, body: unknown, actor: string): ReturnType<typeof webhooks.updateWebhook> {
    return webhooks.updateWebhook(this.ctx, id, body, actor);
  }

  /** See {@link webhooks.deleteWebhook}. */
  deleteWebhook(id: string, actor: string): { revision: number } {
    return webhooks.deleteWebhook(this.ctx, id, actor);
  }

  /** Closes the file (the store is unusable afterwards). */
  close(): void {
    this.ctx.db.close();
  }
}

/**
 * Opens (creating when absent) the store in `file`: `<PARLEY_DATA_DIR>/config.sqlite` for
 * `npm start`, `:memory:` or a temporary file in tests. An empty store needs no setup: no
 * triggers, no schedules (always open), no webhooks, revision 0.
 */
export function openConfigStore(file: string, options: ConfigStoreOptions = {}): ConfigStore {
  return new ConfigStore(file, openDatabase(file), options);
}
