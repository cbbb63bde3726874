/**
 * The read side: {@link SnapshotCache} answers `snapshot()` from memory while the global revision
 * is unchanged (one indexed read of `meta.revision` per call, which also sees commits made by
 * another process on the same file), and rebuilds only what changed otherwise: trigger rows
 * changed since the cached revision are parsed again, every other trigger keeps its (frozen)
 * object, so the engine's per-object compile cache stays warm. Messaging triggers likewise, and
 * their array is the same object across revisions that did not change a messaging trigger (the
 * messaging engine compiles and orders once per array object).
 */
import type { Statement } from 'better-sqlite3';
import type { MessagingTrigger } from '../domain/messagingTriggers';
import { parseSchedule, type Schedule } from '../domain/schedules';
import { orderTriggers, type Trigger } from '../domain/triggers';
import { readTransaction, type Db } from './db';
import { messagingEvaluationOrder } from './messagingTriggerRows';
import { currentRevision } from './revisions';
import { scheduleRows } from './schedulesRepo';
import { categoryOrder } from './triggersRepo';
import type { ConfigSnapshot } from './types';
import { webhookConfigs } from './webhooksRepo';

function deepFreeze<T>(value: T): T {
  if (typeof value === 'object' && value !== null && !Object.isFrozen(value)) {
    for (const v of Object.values(value)) deepFreeze(v);
    Object.freeze(value);
  }
  return value;
}

/** A stored trigger with its id key (`String(id)`, computed once: number-to-text is not free). */
interface Keyed {
  id: string;
  trigger: Trigger;
}

/**
 * Stored triggers in evaluation order (`orderTriggers`: category order, then position, then id),
 * the inactive ones after the active ones in the same order.
 */
export function evaluationOrder<T extends { trigger: Trigger }>(triggers: readonly T[], categories: readonly string[]): T[] {
  const active = triggers.filter((k) => k.trigger.active !== false);
  const inactive = triggers.filter((k) => k.trigger.active === false).map((k) => ({ trigger: { ...k.trigger, active: true }, stored: k }));
  return [...orderTriggers(active, categories), ...orderTriggers(inactive, categories).map((x) => x.stored)];
}

/** Builds and caches {@link ConfigSnapshot}s of one database connection. */
export class SnapshotCache {
  private current: ConfigSnapshot | undefined;
  private readonly triggers = new Map<string, Trigger>();
  /** Trigger ids in the order of the last snapshot. */
  private order: string[] = [];
  private readonly schedules = new Map<string, Schedule>();
  private readonly revisionOf: Statement<[], number>;
  private readonly changedSince: Statement<[number], { id: string; json: string }>;
  private readonly deletedSince: Statement<[number], string>;
  private readonly messaging = new Map<string, MessagingTrigger>();
  /** Messaging triggers in evaluation order, kept (same object) until one of them changes. */
  private messagingList: readonly MessagingTrigger[] = Object.freeze([]);
  private readonly messagingChangedSince: Statement<[number], { id: string; json: string }>;
  private readonly messagingDeletedSince: Statement<[number], string>;

  constructor(private readonly db: Db) {
    this.revisionOf = db.prepare("SELECT value FROM meta WHERE key = 'revision'").pluck() as Statement<[], number>;
    this.changedSince = db.prepare('SELECT id, json FROM triggers WHERE changed_in > ?');
    this.deletedSince = db.prepare('SELECT trigger_id FROM trigger_versions WHERE revision > ? AND json IS NULL').pluck() as Statement<[number], string>;
    this.messagingChangedSince = db.prepare('SELECT id, json FROM messaging_triggers WHERE changed_in > ?');
    this.messagingDeletedSince = db
      .prepare('SELECT trigger_id FROM messaging_trigger_versions WHERE revision > ? AND json IS NULL')
      .pluck() as Statement<[number], string>;
  }

  /** The snapshot of the current revision: the same object while the revision is unchanged. */
  get(): ConfigSnapshot {
    if (this.current && this.current.revision === this.revisionOf.get()) return this.current;
    this.current = readTransaction(this.db, () => this.build(this.current?.revision ?? 0));
    return this.current;
  }

  /** A stored trigger of the current snapshot by id (`String(id)`). */
  trigger(id: string): Trigger | undefined {
    this.get();
    return this.triggers.get(id);
  }

  /** A stored messaging trigger of the current snapshot by id (`String(id)`). */
  messagingTrigger(id: string): MessagingTrigger | undefined {
    this.get();
    return this.messaging.get(id);
  }

  /** Messaging triggers in evaluation order; a new array only when one changed since `since`. */
  private messagingTriggers(since: number): readonly MessagingTrigger[] {
    const deleted = this.messagingDeletedSince.all(since);
    const changed = this.messagingChangedSince.all(since);
    if (deleted.length === 0 && changed.length === 0) return this.messagingList;
    for (const id of deleted) this.messaging.delete(id);
    for (const row of changed) this.messaging.set(row.id, deepFreeze(JSON.parse(row.json) as MessagingTrigger));
    const ordered = messagingEvaluationOrder([...this.messaging].map(([id, trigger]) => ({ id, trigger })));
    this.messagingList = Object.freeze(ordered.map((k) => k.trigger));
    return this.messagingList;
  }

  private build(since: number): ConfigSnapshot {
    const revision = currentRevision(this.db);
    for (const id of this.deletedSince.all(since)) this.triggers.delete(id);
    for (const row of this.changedSince.all(since)) this.triggers.set(row.id, deepFreeze(JSON.parse(row.json) as Trigger));
    const categories = categoryOrder(this.db);
    const rows = scheduleRows(this.db);
    const schedules = rows.map((r) => {
      const cached = this.schedules.get(r.json) ?? deepFreeze(parseSchedule(JSON.parse(r.json)));
      return [r.json, cached] as const;
    });
    this.schedules.clear();
    for (const [json, s] of schedules) this.schedules.set(json, s);
    // Fed in the previous order (new triggers last), the sort has little left to do.
    const listed = new Set<string>();
    const inOrder: Keyed[] = [];
    const add = (id: string): void => {
      const trigger = this.triggers.get(id);
      if (trigger && !listed.has(id)) {
        listed.add(id);
        inOrder.push({ id, trigger });
      }
    };
    for (const id of this.order) add(id);
    for (const id of this.triggers.keys()) add(id);
    const ordered = evaluationOrder(inOrder, categories);
    this.order = ordered.map((k) => k.id);
    return deepFreeze({
      revision,
      triggers: ordered.map((k) => k.trigger),
      categoryOrder: categories,
      schedules: schedules.map(([, s]) => s),
      webhooks: webhookConfigs(this.db),
      messagingTriggers: this.messagingTriggers(since),
    });
  }
}
