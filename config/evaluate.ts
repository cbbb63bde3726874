/**
 * Ticket triggers evaluated against one configuration snapshot (DOMAIN.md §4, §6): the business-
 * hours function the engine needs, the evaluation the conversation's activity runs, and explain —
 * every active trigger in evaluation order with each condition's value and result and what fired.
 * Pure: no clock, no I/O (the snapshot and the update carry everything).
 */
import { DomainError } from '../domain/errors';
import { isWithin, scheduleFor } from '../domain/schedules';
import {
  evaluate,
  netChanges,
  orderTriggers,
  type ConditionTrace,
  type EvaluationContext,
  type EvaluationResult,
  type FieldChange,
  type LoggedAction,
  type TicketUpdate,
  TriggerTicketSchema,
  type Trigger,
  type TriggerEffect,
  type TriggerTicket,
} from '../domain/triggers';
import type { ConfigSnapshot } from './types';

/**
 * Business hours as triggers see them (DOMAIN.md §6): the ticket's schedule, else the default (the
 * first). With no schedule configured at all, every instant counts as business hours — the
 * account is always open (**ours**, docs/DECISIONS.md).
 */
export function businessHoursOf(snapshot: ConfigSnapshot): EvaluationContext['inBusinessHours'] {
  return (scheduleId, t) => {
    const schedule = scheduleFor(snapshot.schedules, scheduleId) ?? scheduleFor(snapshot.schedules);
    return schedule ? isWithin(schedule, t) : true;
  };
}

/** Runs the engine on `update` against `snapshot` (with `explain`: every condition traced). */
export function evaluateWith(snapshot: ConfigSnapshot, update: TicketUpdate, explain = false): EvaluationResult {
  return evaluate(snapshot.triggers, update, {
    inBusinessHours: businessHoursOf(snapshot),
    categoryOrder: snapshot.categoryOrder,
    explain,
  });
}

/** One active trigger in an explanation, in evaluation order. */
export interface ExplainedTrigger {
  /** 1-based place in evaluation order (category, then position). */
  order: number;
  triggerId: string | null;
  title: string;
  categoryId: string | null;
  position: number | null;
  /** The trigger's own revision in the store, when known. */
  revision: number | null;
  fired: boolean;
  /** Pass in which it fired (1-based), or null. */
  pass: number | null;
  /**
   * Each condition with what it read and its result. For a trigger that fired: as it was when it
   * fired; for one that did not: against the ticket after every trigger ran.
   */
  conditions: ConditionTrace[];
  /** Why it did not fire, in words (the failing ALL conditions, or "no ANY condition held"). */
  because: string | null;
  /** Actions that changed something (fired triggers only). */
  actions: LoggedAction[];
}

/** Explain output for one update (`GET/POST /conversations/:id/triggers/explain`). */
export interface Explanation {
  configRevision: number;
  updateType: TicketUpdate['update_type'];
  /** Instant of the update (ISO-8601). */
  at: string;
  comment: TicketUpdate['comment'];
  currentUser: TicketUpdate['current_user'] | null;
  /** What the update itself changed (before → after), before any trigger ran. */
  updateChanges: FieldChange[];
  /** `ticket_closed` when nothing ran because the ticket was closed before the update. */
  skipped: EvaluationResult['skipped'];
  passes: number;
  activeTriggers: number;
  inactiveTriggers: number;
  triggers: ExplainedTrigger[];
  /** Net field changes made by triggers, and the side effects they asked for, in order. */
  changes: FieldChange[];
  effects: TriggerEffect[];
}

function because(conditions: readonly ConditionTrace[]): string {
  const failedAll = conditions.filter((c) => c.group === 'all' && !c.result);
  const any = conditions.filter((c) => c.group === 'any');
  const parts = failedAll.map((c) => `ALL condition "${`${c.field} ${c.operator} ${String(c.value ?? '')}`.trimEnd()}" fails: ${c.field} is ${JSON.stringify(c.actual ?? null)}`);
  if (any.length > 0 && !any.some((c) => c.result)) parts.push('no ANY condition holds');
  return parts.join('; ') || 'conditions hold now, but only after the last pass (it fires on the next update)';
}

/**
 * Explains `update` against `snapshot`: every active trigger in evaluation order, each condition's
 * value and result, what fired in which pass and what it changed, and the net result. Pure; runs
 * nothing. Inactive triggers are counted, not listed.
 */
export function explainUpdate(snapshot: ConfigSnapshot, update: TicketUpdate): Explanation {
  const r = evaluateWith(snapshot, update, true);
  const active = orderTriggers(snapshot.triggers.map((trigger) => ({ trigger })), snapshot.categoryOrder);
  const fired = new Map(r.log.map((f) => [f.triggerId ?? `title:${f.title}`, f]));
  const unfired = new Map((r.unfired ?? []).map((u) => [u.triggerId ?? `title:${u.title}`, u]));
  const key = (t: Trigger): string => (t.id === undefined ? `title:${t.title}` : String(t.id));
  const triggers: ExplainedTrigger[] = active.map(({ trigger }, i) => {
    const f = fired.get(key(trigger));
    const u = unfired.get(key(trigger));
    const conditions = f?.conditions ?? u?.conditions ?? [];
    return {
      order: i + 1,
      triggerId: trigger.id === undefined ? null : String(trigger.id),
      title: trigger.title,
      categoryId: trigger.category_id === undefined || trigger.category_id === null ? null : String(trigger.category_id),
      position: trigger.position ?? null,
      revision: trigger.revision ?? null,
      fired: !!f,
      pass: f?.pass ?? null,
      conditions,
      because: f || r.skipped ? null : because(conditions),
      actions: f?.actions ?? [],
    };
  });
  return {
    configRevision: snapshot.revision,
    updateType: update.update_type,
    at: new Date(update.now).toISOString(),
    comment: update.comment,
    currentUser: update.current_user ?? null,
    updateChanges: update.before ? netChanges(update.before, update.after) : [],
    skipped: r.skipped,
    passes: r.passes,
    activeTriggers: active.length,
    inactiveTriggers: snapshot.triggers.length - active.length,
    triggers,
    changes: r.changes,
    effects: r.effects,
  };
}

/** A hypothetical update for explain: changes to the ticket as it is now, and/or a comment. */
export interface HypotheticalUpdate {
  /** `Create` explains the ticket as if it were being created now with these values. Default `Change`. */
  updateType?: TicketUpdate['update_type'];
  /** Trigger-view fields to set (`status`, `priority`, `group_id`, `messaging_session_state`...). */
  set?: Partial<Omit<TriggerTicket, 'id' | 'tags' | 'custom_fields'>>;
  addTags?: string[];
  removeTags?: string[];
  customFields?: TriggerTicket['custom_fields'];
  comment?: TicketUpdate['comment'];
  currentUser?: TicketUpdate['current_user'];
  /** Instant of the update, ms since the epoch. */
  now: number;
}

/**
 * Builds the engine input for a hypothetical update of `current` (the ticket's trigger view now).
 * @throws DomainError `invalid_input` when the resulting ticket is not a valid trigger view (the
 *   message names the field and the allowed values).
 */
export function hypotheticalUpdate(current: TriggerTicket, h: HypotheticalUpdate): TicketUpdate {
  const lower = new Set((h.removeTags ?? []).map((t) => t.toLowerCase()));
  const tags = current.tags.filter((t) => !lower.has(t.toLowerCase()));
  for (const t of h.addTags ?? []) if (!tags.some((x) => x.toLowerCase() === t.toLowerCase())) tags.push(t);
  const parsed = TriggerTicketSchema.safeParse({ ...current, ...h.set, tags, custom_fields: { ...current.custom_fields, ...h.customFields } });
  if (!parsed.success) {
    const problems = parsed.error.issues.map((i) => `set.${i.path.join('.')}: ${i.message}`).join('; ');
    throw new DomainError('invalid_input', `hypothetical update: ${problems}`);
  }
  const create = h.updateType === 'Create';
  return {
    before: create ? null : current,
    after: parsed.data,
    comment: h.comment ?? null,
    update_type: create ? 'Create' : 'Change',
    now: h.now,
    current_user: h.currentUser ?? null,
  };
}
