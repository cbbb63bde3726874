/**
 * The ticket trigger engine (DOMAIN.md §4), pure and deterministic: no I/O, no clock reads (the
 * instant of the update and the business-hours function are passed in).
 *
 * Contract, for one ticket create/update:
 * - Nothing runs when the ticket was already closed before the update; the update that closes it
 *   runs triggers as usual.
 * - Active triggers are ordered by category, then `position`, then id, then their order in the
 *   list given (see {@link orderTriggers} for how category order is given).
 * - The loop: evaluate in order; when a trigger's conditions hold it fires (once per update at
 *   most) and runs its actions; if they changed the ticket, evaluation restarts from the top,
 *   skipping triggers that already fired. It stops after a pass in which nothing fires. So it ends
 *   after at most n + 1 passes for n triggers (S8).
 * - Conditions see the ticket as the update and earlier triggers left it; the `changed` family
 *   compares with the ticket before the update; comment conditions read only the update's own
 *   comment, never what triggers send (S14).
 * - Field actions change the returned ticket; side-effect actions (notifications, webhooks, CSAT,
 *   comments, session end, routing channel) come back as {@link TriggerEffect}s for the caller to
 *   run, each with its trigger as provenance (DOMAIN.md §9 rule 8). Only actions that changed
 *   something are logged; an action that changes nothing has no effect and no log entry.
 *
 * Performance (DOMAIN.md §4 allows 7,000 active triggers): the compiled, ordered set is prepared
 * once per triggers array ({@link prepareTriggerSet}) with an index of each trigger's "key"
 * condition — an ALL condition `current_tags includes ...` or `<field> is <value>` that the trigger
 * cannot fire without. Each pass evaluates, in order, only the triggers whose key the ticket
 * matches (and those without a key); skipping the others changes nothing, since their key
 * condition is false. After a restart, a trigger found not to hold earlier is evaluated again only
 * if a field its conditions read has changed since (the other inputs are fixed for the update).
 * Measured by `npm run bench:triggers`.
 */
import { DomainError } from '../errors';
import type { Cause } from '../vocabulary';
import { runAction, sameTagSet, sameValue, type RunState } from './actions';
import { ConditionMemo, type ConditionInputs, type ConditionTrace } from './conditions';
import type { ActionValue, Trigger } from './schema';
import { cloneTicket, type TriggerTicket } from './ticket';
import { candidatesOf, explainMatch, fieldBit, holds, prepareTriggerSet } from './triggerSet';
import type { FieldChange, TicketUpdate, TriggerEffect, TriggerSource } from './types';
import type { CompiledTrigger } from './validate';

export type { FieldChange, TicketUpdate, TriggerEffect, TriggerSource } from './types';
export { compile, orderTriggers, prepareTriggerSet, type PreparedTrigger, type PreparedTriggerSet } from './triggerSet';

/** What the engine needs from outside. */
export interface EvaluationContext {
  /**
   * Is instant `t` (ms since the epoch) within business hours of schedule `scheduleId`? `null` means
   * the account's default schedule. Provided by the schedules module (DOMAIN.md §6).
   */
  inBusinessHours: (scheduleId: string | null, t: number) => boolean;
  /**
   * Trigger category ids in category order (the `position` order of `GET /api/v2/trigger_categories`).
   * Categories not listed follow in ascending id order; triggers without a category come last.
   */
  categoryOrder?: readonly string[];
  /** Record every condition's value and result, for firing triggers and (in `unfired`) the others. */
  explain?: boolean;
}

/** An action that changed something (fields, or an effect). */
export interface LoggedAction {
  index: number;
  field: string;
  value: ActionValue;
  changes: FieldChange[];
  effect?: TriggerEffect;
}

/** One firing, in firing order. */
export interface FiringRecord extends TriggerSource {
  categoryId: string | null;
  position: number | null;
  /** 1-based pass in which it fired. */
  pass: number;
  /** The actions that changed something (none when every action was a no-op). */
  actions: LoggedAction[];
  /** With `explain`: every condition's value and result. */
  conditions?: ConditionTrace[];
}

/** Result of {@link evaluate}. */
export interface EvaluationResult {
  /** The ticket after all triggers (a new object; the input is not changed). */
  ticket: TriggerTicket;
  /** Net field changes made by triggers (final ticket vs `update.after`), in the view's field order. */
  changes: FieldChange[];
  effects: TriggerEffect[];
  log: FiringRecord[];
  /** Passes run (the last one fired nothing). 0 when skipped. */
  passes: number;
  /** Why nothing ran, if so. */
  skipped: 'ticket_closed' | null;
  /** With `explain`: active triggers that did not fire, with their conditions against the final ticket. */
  unfired?: (TriggerSource & { conditions: ConditionTrace[] })[];
}

/** The cause to record for a change or effect made by a trigger (vocabulary {@link Cause}). */
export function causeOf(source: TriggerSource): Extract<Cause, { type: 'trigger' }> {
  return {
    type: 'trigger',
    triggerId: source.triggerId ?? `title:${source.title}`,
    ...(source.revision === undefined ? {} : { revision: source.revision }),
  };
}

function sourceOf(t: CompiledTrigger): TriggerSource {
  return { triggerId: t.id, title: t.trigger.title, ...(t.trigger.revision === undefined ? {} : { revision: t.trigger.revision }) };
}

/**
 * Runs ticket triggers on one ticket create/update (DOMAIN.md §4; the contract is in this file's
 * header). Pure: `update.after` is not changed; the final ticket comes back in the result.
 * @param triggers triggers as imported (inactive ones are skipped); compiled once per object.
 * @throws DomainError `invalid_input` for an invalid trigger, or when `update_type` does not match
 *   `before` (Create exactly when `before` is null).
 */
export function evaluate(triggers: readonly Trigger[], update: TicketUpdate, context: EvaluationContext): EvaluationResult {
  if ((update.before === null) !== (update.update_type === 'Create')) {
    throw new DomainError('invalid_input', `update_type "${update.update_type}" does not match: Create exactly when there is no ticket before`);
  }
  const explain = context.explain === true;
  if (update.before?.status === 'closed') {
    return { ticket: cloneTicket(update.after), changes: [], effects: [], log: [], passes: 0, skipped: 'ticket_closed', ...(explain ? { unfired: [] } : {}) };
  }
  const set = prepareTriggerSet(triggers, context.categoryOrder);
  const state: RunState = { ticket: cloneTicket(update.after), update };
  const inputs: ConditionInputs = {
    before: update.before,
    comment: update.comment,
    updateType: update.update_type,
    now: update.now,
    currentUser: update.current_user ?? null,
    updateViaId: update.via_id ?? update.after.via_id,
    inBusinessHours: context.inBusinessHours,
  };
  const memo = new ConditionMemo();
  const n = set.ordered.length;
  const fired = new Uint8Array(n);
  const seen = new Uint8Array(n);
  // A trigger found not to hold in pass L (notHeldAt = L) still does not hold while no field it
  // reads has changed: changedSince[L] = fields changed by the restarts of passes L, L+1, ...
  const notHeldAt = new Int32Array(n);
  const changedSince: number[] = [0];
  const log: FiringRecord[] = [];
  const effects: TriggerEffect[] = [];
  let passes = 0;
  for (;;) {
    passes += 1;
    changedSince[passes] = 0;
    let firedThisPass = false;
    let restart = false;
    // The ticket changes only when a firing restarts the pass, so candidates hold for the whole pass.
    for (const k of candidatesOf(set, state.ticket, memo, seen)) {
      if (fired[k] === 1) continue;
      const p = set.ordered[k];
      if (notHeldAt[k] > 0 && (p.reads & changedSince[notHeldAt[k]]) === 0) continue;
      const t = p.t;
      const explained = explain ? explainMatch(t, state.ticket, inputs, memo) : null;
      if (!(explained ? explained.fired : holds(p, state.ticket, inputs, memo))) {
        notHeldAt[k] = passes;
        continue;
      }
      fired[k] = 1;
      firedThisPass = true;
      const source = sourceOf(t);
      const mode = t.actions.filter((a) => a.field === 'comment_mode_is_public').pop();
      const commentPublic = mode ? String(mode.value) === 'true' : true;
      const logged: LoggedAction[] = [];
      for (const a of t.actions) {
        const { changes, effect } = runAction(state, a, source, commentPublic);
        if (effect) effects.push(effect);
        if (changes.length > 0 || effect) logged.push({ index: a.index, field: a.field, value: a.value, changes, ...(effect ? { effect } : {}) });
      }
      log.push({
        ...source,
        categoryId: t.trigger.category_id === undefined || t.trigger.category_id === null ? null : String(t.trigger.category_id),
        position: t.trigger.position ?? null,
        pass: passes,
        actions: logged,
        ...(explained ? { conditions: explained.traces } : {}),
      });
      if (logged.some((l) => l.changes.length > 0)) {
        const changed = logged.reduce((m, l) => l.changes.reduce((b, c) => b | fieldBit(c.field), m), 0);
        for (let pass = 1; pass <= passes; pass++) changedSince[pass] |= changed;
        restart = true;
        break;
      }
    }
    if (!firedThisPass && !restart) break;
  }
  const result: EvaluationResult = { ticket: state.ticket, changes: netChanges(update.after, state.ticket), effects, log, passes, skipped: null };
  if (explain) {
    result.unfired = set.ordered
      .filter((_, k) => fired[k] === 0)
      .map(({ t }) => ({ ...sourceOf(t), conditions: explainMatch(t, state.ticket, inputs, memo).traces }));
  }
  return result;
}

/** Field-by-field difference between two trigger views (custom fields as `custom_fields_<id>`). */
export function netChanges(from: TriggerTicket, to: TriggerTicket): FieldChange[] {
  const out: FieldChange[] = [];
  for (const key of Object.keys(to) as (keyof TriggerTicket)[]) {
    if (key === 'custom_fields') continue;
    if (key === 'tags' ? !sameTagSet(from.tags, to.tags) : !sameValue(from[key], to[key])) out.push({ field: key, from: from[key], to: to[key] });
  }
  const ids = new Set([...Object.keys(from.custom_fields), ...Object.keys(to.custom_fields)]);
  for (const id of ids) {
    const a = from.custom_fields[id] ?? null;
    const b = to.custom_fields[id] ?? null;
    if (!sameValue(a, b)) out.push({ field: `custom_fields_${id}`, from: a, to: b });
  }
  return out;
}
