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
 */
import { DomainError } from '../errors';
import type { Cause } from '../vocabulary';
import { evaluateCondition, type ConditionInputs, type ConditionTrace, type CurrentUser, type UpdateComment } from './conditions';
import { formatProblems } from './import';
import type { ActionValue, Trigger } from './schema';
import { cloneTicket, type CustomFieldValue, type TriggerTicket } from './ticket';
import { compileTrigger, normaliseValue, type CompiledAction, type CompiledTrigger } from './validate';

/** One ticket create or update, as the triggers see it. */
export interface TicketUpdate {
  /** The ticket before the update; null on create. */
  before: TriggerTicket | null;
  /** The ticket after the update, before any trigger ran. */
  after: TriggerTicket;
  /** The update's comment, if any (public reply or internal note). */
  comment: UpdateComment | null;
  /** `Create` exactly when `before` is null. */
  update_type: 'Create' | 'Change';
  /** Instant of the update, ms since the Unix epoch (for business hours). */
  now: number;
  /** Who made the update (conditions `role`, `current_user`; action `assignee_id: current_user`); null for the system. */
  current_user?: CurrentUser | null;
  /** Channel (`via_id`) of this update, for `current_via_id`; default: the ticket's `via_id`. */
  via_id?: number;
}

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

/** Which trigger did something (DOMAIN.md §9 rule 8). */
export interface TriggerSource {
  /** Zendesk trigger id as a string; null for a trigger without id. */
  triggerId: string | null;
  title: string;
  revision?: number;
}

interface EffectBase {
  source: TriggerSource;
  /**
   * Stable key of the action inside this evaluation: `<trigger id or title>/<action index>`. Combine
   * it with the update's own id for an idempotency key.
   */
  key: string;
}

/** A side effect for the caller to run (through activities). Recipients are tokens as written (`requester_id`, an id...). */
export type TriggerEffect =
  | (EffectBase & { type: 'notify_user'; recipient: string; subject: string; body: string })
  | (EffectBase & { type: 'notify_group'; group: string; subject: string; body: string })
  | (EffectBase & { type: 'notify_webhook'; webhookId: string; body: string })
  | (EffectBase & { type: 'send_satisfaction_survey'; channel: 'email' | 'messaging' })
  | (EffectBase & { type: 'set_schedule'; scheduleId: string })
  | (EffectBase & { type: 'add_comment'; text: string; html: boolean; public: boolean })
  | (EffectBase & { type: 'end_session' })
  | (EffectBase & { type: 'set_routing_channel'; routingChannel: 'email'; endsSession: boolean });

/** One field an action changed. `field` is the ticket view's property (`tags`, `status`, `custom_fields_<id>`...). */
export interface FieldChange {
  field: string;
  from: unknown;
  to: unknown;
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

const compiledCache = new WeakMap<Trigger, CompiledTrigger>();

/**
 * Compiles a trigger (memoised per object). Triggers from {@link importTriggers} always compile.
 * @throws DomainError `invalid_input` listing every problem of an invalid trigger.
 */
export function compile(trigger: Trigger, index = 0): CompiledTrigger {
  const cached = compiledCache.get(trigger);
  if (cached) return cached;
  const { compiled, problems } = compileTrigger(trigger, `$[${index}]`, index);
  if (!compiled) throw new DomainError('invalid_input', `invalid trigger: ${formatProblems(problems).join('; ')}`);
  compiledCache.set(trigger, compiled);
  return compiled;
}

function compareIds(a: string, b: string): number {
  const da = /^\d+$/.test(a);
  const db = /^\d+$/.test(b);
  if (da && db) return a.length - b.length || (a < b ? -1 : a > b ? 1 : 0);
  if (da !== db) return da ? -1 : 1;
  return a < b ? -1 : a > b ? 1 : 0;
}

/**
 * Active triggers in evaluation order: category (listed categories in `categoryOrder` order, then
 * unlisted categories by ascending id — Zendesk gives ids in creation order —, then triggers without
 * a category), then `position` (absent last), then id (numeric), then the order given. Inactive
 * triggers (`active: false`) are left out.
 */
export function orderTriggers<T extends { trigger: Trigger }>(triggers: readonly T[], categoryOrder: readonly string[] = []): T[] {
  const rank = new Map(categoryOrder.map((id, i) => [id, i]));
  const keyed = triggers
    .map((t, i) => ({ t, i }))
    .filter(({ t }) => t.trigger.active !== false);
  const cat = (t: Trigger): string | null => (t.category_id === undefined || t.category_id === null ? null : String(t.category_id));
  keyed.sort((x, y) => {
    const a = x.t.trigger;
    const b = y.t.trigger;
    const ca = cat(a);
    const cb = cat(b);
    if (ca !== cb) {
      if (ca === null) return 1;
      if (cb === null) return -1;
      const ra = rank.get(ca);
      const rb = rank.get(cb);
      if (ra !== undefined || rb !== undefined) {
        if (ra === undefined) return 1;
        if (rb === undefined) return -1;
        if (ra !== rb) return ra - rb;
      } else {
        const c = compareIds(ca, cb);
        if (c !== 0) return c;
      }
    }
    const pa = a.position ?? Number.POSITIVE_INFINITY;
    const pb = b.position ?? Number.POSITIVE_INFINITY;
    if (pa !== pb) return pa < pb ? -1 : 1;
    const ia = a.id === undefined ? null : String(a.id);
    const ib = b.id === undefined ? null : String(b.id);
    if (ia !== ib) {
      if (ia === null) return 1;
      if (ib === null) return -1;
      const c = compareIds(ia, ib);
      if (c !== 0) return c;
    }
    return x.i - y.i;
  });
  return keyed.map(({ t }) => t);
}

const sameValue = (a: unknown, b: unknown): boolean => JSON.stringify(a) === JSON.stringify(b);

function tokens(value: ActionValue): string[] {
  const parts = Array.isArray(value) ? value.map(String) : typeof value === 'string' ? value.split(/\s+/) : [String(value)];
  return parts.map((t) => t.trim()).filter((t) => t !== '');
}

/** Adds, removes or replaces tags case-insensitively; returns the new list (order kept, first spelling wins). */
function nextTags(current: readonly string[], field: 'set_tags' | 'current_tags' | 'remove_tags', value: ActionValue): string[] {
  const given = tokens(value);
  const lower = (t: string): string => t.toLowerCase();
  if (field === 'remove_tags') {
    const drop = new Set(given.map(lower));
    return current.filter((t) => !drop.has(lower(t)));
  }
  const base = field === 'set_tags' ? [] : [...current];
  const seen = new Set(base.map(lower));
  for (const t of given) {
    if (!seen.has(lower(t))) {
      seen.add(lower(t));
      base.push(t);
    }
  }
  return base;
}

const sameTagSet = (a: readonly string[], b: readonly string[]): boolean => {
  const sa = new Set(a.map((t) => t.toLowerCase()));
  const sb = new Set(b.map((t) => t.toLowerCase()));
  return sa.size === sb.size && [...sa].every((t) => sb.has(t));
};

interface RunState {
  ticket: TriggerTicket;
  update: TicketUpdate;
}

function setField(state: RunState, field: string, to: unknown, changes: FieldChange[]): void {
  const t = state.ticket as unknown as Record<string, unknown>;
  if (field.startsWith('custom_fields_')) {
    const id = field.slice('custom_fields_'.length);
    const from = state.ticket.custom_fields[id] ?? null;
    if (sameValue(from, to)) return;
    state.ticket.custom_fields[id] = to as CustomFieldValue;
    changes.push({ field, from, to });
    return;
  }
  const from = t[field];
  if (sameValue(from, to)) return;
  t[field] = to;
  changes.push({ field, from, to });
}

/** Ends a live messaging session in the view (reason `trigger`); no-op when there is none or it has ended. */
function endSessionFields(state: RunState, changes: FieldChange[]): boolean {
  const s = state.ticket.messaging_session_state;
  if (s !== 'active' && s !== 'inactive') return false;
  setField(state, 'messaging_session_state', 'ended', changes);
  setField(state, 'messaging_session_ended_reason', 'trigger', changes);
  setField(state, 'messaging_session_inactive_reason', null, changes);
  return true;
}

function runAction(
  state: RunState,
  a: CompiledAction,
  source: TriggerSource,
  commentPublic: boolean,
): { changes: FieldChange[]; effect?: TriggerEffect } {
  const changes: FieldChange[] = [];
  const base: EffectBase = { source, key: `${source.triggerId ?? `title:${source.title}`}/${a.index}` };
  const v = a.value;
  const scalar = normaliseValue(Array.isArray(v) ? null : v);
  switch (a.field) {
    case 'status':
    case 'priority':
    case 'type':
    case 'brand_id':
    case 'ticket_form_id':
      setField(state, a.field, scalar, changes);
      return { changes };
    case 'group_id':
      setField(state, 'group_id', scalar, changes);
      return { changes };
    case 'assignee_id': {
      let to: string | null | undefined = scalar;
      if (scalar === 'current_user') to = state.update.current_user?.id;
      else if (scalar === 'requester_id') to = state.ticket.requester_id;
      if (to !== undefined) setField(state, 'assignee_id', to, changes);
      return { changes };
    }
    case 'set_tags':
    case 'current_tags':
    case 'remove_tags': {
      const next = nextTags(state.ticket.tags, a.field, v);
      if (!sameTagSet(next, state.ticket.tags)) {
        changes.push({ field: 'tags', from: [...state.ticket.tags], to: next });
        state.ticket.tags = next;
      }
      return { changes };
    }
    case 'set_schedule': {
      setField(state, 'schedule_id', scalar, changes);
      return changes.length > 0 ? { changes, effect: { ...base, type: 'set_schedule', scheduleId: String(scalar) } } : { changes };
    }
    case 'satisfaction_score': {
      if (state.ticket.satisfaction_score !== 'unoffered') return { changes };
      setField(state, 'satisfaction_score', 'offered', changes);
      const live = state.ticket.messaging_session_state === 'active' || state.ticket.messaging_session_state === 'inactive';
      return { changes, effect: { ...base, type: 'send_satisfaction_survey', channel: live ? 'messaging' : 'email' } };
    }
    case 'notification_user':
    case 'notification_group': {
      const [to, subject, body] = v as (string | number)[];
      return {
        changes,
        effect:
          a.field === 'notification_user'
            ? { ...base, type: 'notify_user', recipient: String(to), subject: String(subject), body: String(body) }
            : { ...base, type: 'notify_group', group: String(to), subject: String(subject), body: String(body) },
      };
    }
    case 'notification_webhook': {
      const [id, body] = v as (string | number)[];
      return { changes, effect: { ...base, type: 'notify_webhook', webhookId: String(id), body: String(body) } };
    }
    case 'comment_value':
    case 'comment_value_html': {
      const text = Array.isArray(v) ? String(v[1]) : String(v);
      return { changes, effect: { ...base, type: 'add_comment', text, html: a.field === 'comment_value_html', public: commentPublic } };
    }
    case 'comment_mode_is_public':
      return { changes };
    case 'messaging_session':
      return endSessionFields(state, changes) ? { changes, effect: { ...base, type: 'end_session' } } : { changes };
    case 'routing_channel': {
      setField(state, 'routing_channel', 'email', changes);
      const ended = endSessionFields(state, changes);
      return changes.length > 0 ? { changes, effect: { ...base, type: 'set_routing_channel', routingChannel: 'email', endsSession: ended } } : { changes };
    }
    default:
      // custom_fields_<id>
      setField(state, a.field, Array.isArray(v) ? v.map(String) : scalar, changes);
      return { changes };
  }
}

function sourceOf(t: CompiledTrigger): TriggerSource {
  return { triggerId: t.id, title: t.trigger.title, ...(t.trigger.revision === undefined ? {} : { revision: t.trigger.revision }) };
}

function matches(t: CompiledTrigger, ticket: TriggerTicket, inputs: ConditionInputs, explain: boolean): { fired: boolean; traces: ConditionTrace[] } {
  const traces: ConditionTrace[] = [];
  const check = (c: (typeof t.all)[number]): boolean => {
    const tr = evaluateCondition(c, ticket, inputs);
    if (explain) traces.push(tr);
    return tr.result;
  };
  if (explain) {
    const all = t.all.map(check);
    const any = t.any.map(check);
    return { fired: all.every(Boolean) && (any.length === 0 || any.some(Boolean)), traces };
  }
  const fired = t.all.every(check) && (t.any.length === 0 || t.any.some(check));
  return { fired, traces };
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
  const ordered = orderTriggers(
    triggers.map((t, i) => compile(t, i)),
    context.categoryOrder,
  );
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
  const fired = new Set<CompiledTrigger>();
  const log: FiringRecord[] = [];
  const effects: TriggerEffect[] = [];
  let passes = 0;
  for (;;) {
    passes += 1;
    let firedThisPass = false;
    let restart = false;
    for (const t of ordered) {
      if (fired.has(t)) continue;
      const { fired: hit, traces } = matches(t, state.ticket, inputs, explain);
      if (!hit) continue;
      fired.add(t);
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
        ...(explain ? { conditions: traces } : {}),
      });
      if (logged.some((l) => l.changes.length > 0)) {
        restart = true;
        break;
      }
    }
    if (!firedThisPass && !restart) break;
  }
  const result: EvaluationResult = { ticket: state.ticket, changes: netChanges(update.after, state.ticket), effects, log, passes, skipped: null };
  if (explain) {
    result.unfired = ordered
      .filter((t) => !fired.has(t))
      .map((t) => ({ ...sourceOf(t), conditions: matches(t, state.ticket, inputs, true).traces }));
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
