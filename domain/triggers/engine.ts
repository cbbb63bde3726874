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
import {
  ConditionMemo,
  evaluateCondition,
  prepareCondition,
  scalarOf,
  testCondition,
  ticketField,
  type ConditionInputs,
  type ConditionTrace,
  type CurrentUser,
  type PreparedCondition,
  type UpdateComment,
} from './conditions';
import { formatProblems } from './import';
import type { ActionValue, Trigger } from './schema';
import { cloneTicket, TriggerTicketSchema, type CustomFieldValue, type TriggerTicket } from './ticket';
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

const sameValue = (a: unknown, b: unknown): boolean => a === b || JSON.stringify(a) === JSON.stringify(b);

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

/** A compiled trigger with its prepared conditions and its place in evaluation order. */
export interface PreparedTrigger {
  t: CompiledTrigger;
  all: PreparedCondition[];
  any: PreparedCondition[];
  /** Bits ({@link fieldBit}) of the ticket fields its conditions read. */
  reads: number;
}

/** One bit per ticket-view field (custom fields share one); fields sharing a bit only cost re-evaluations. */
const FIELD_BITS = new Map(Object.keys(TriggerTicketSchema.shape).map((k, i) => [k, 1 << i % 31]));

/** The bit of a field as conditions read it and actions change it (`custom_fields_<id>` → `custom_fields`); unknown: every bit. */
function fieldBit(field: string): number {
  return FIELD_BITS.get(field.startsWith('custom_fields_') ? 'custom_fields' : field) ?? -1;
}

const readsOf = (conditions: readonly PreparedCondition[]): number => conditions.reduce((m, c) => c.reads.reduce((b, f) => b | fieldBit(f), m), 0);

/**
 * Triggers ready to evaluate: compiled, active ones in order, and the index of their key
 * conditions (positions in `ordered`, ascending).
 */
export interface PreparedTriggerSet {
  ordered: readonly PreparedTrigger[];
  /** Triggers without a key condition (always evaluated). */
  always: number[];
  /** Lower-case tag → triggers whose key is `current_tags includes` that tag. */
  byTag: Map<string, number[]>;
  /** Field → value (null = no value) → triggers whose key is `<field> is <value>`. */
  byField: Map<string, Map<string | null, number[]>>;
}

/** Fields whose `is` conditions can be keys: plain properties compared exactly (not `recipient`). */
const KEY_FIELDS = new Set([
  'status',
  'type',
  'priority',
  'group_id',
  'assignee_id',
  'requester_id',
  'organization_id',
  'brand_id',
  'ticket_form_id',
  'via_id',
  'routing_channel',
  'schedule_id',
  'satisfaction_score',
  'messaging_session_state',
  'messaging_session_ended_reason',
  'messaging_session_inactive_reason',
]);
/** Values that stand for something else at evaluation time (current user, requester, assignee). */
const TOKENS = new Set(['current_user', 'requester_id', 'assignee_id']);

function addTo<K>(map: Map<K, number[]>, key: K, position: number): void {
  const list = map.get(key);
  if (list) list.push(position);
  else map.set(key, [position]);
}

function indexTrigger(set: PreparedTriggerSet, p: PreparedTrigger, position: number): void {
  let field: PreparedCondition | null = null;
  for (const c of p.all) {
    if (c.c.target === 'current_tags' && c.c.operator === 'includes' && c.tags.length > 0) {
      for (const tag of c.tags) addTo(set.byTag, tag, position);
      return;
    }
    const token = c.c.spec.kind === 'id' && c.c.expected !== null && TOKENS.has(c.c.expected);
    if (!field && c.c.operator === 'is' && KEY_FIELDS.has(c.c.target) && !token) field = c;
  }
  if (!field) {
    set.always.push(position);
    return;
  }
  let byValue = set.byField.get(field.c.target);
  if (!byValue) set.byField.set(field.c.target, (byValue = new Map()));
  addTo(byValue, field.c.expected, position);
}

function sameItems(a: readonly Trigger[], b: readonly Trigger[]): boolean {
  if (a.length !== b.length) return false;
  for (let i = 0; i < a.length; i++) if (a[i] !== b[i]) return false;
  return true;
}

const preparedSets = new WeakMap<readonly Trigger[], { items: readonly Trigger[]; categories: string; set: PreparedTriggerSet }>();

/**
 * The triggers compiled, ordered ({@link orderTriggers}) and indexed, memoised per array: a later
 * call with the same array (same elements, same category order) reuses the work. Triggers are
 * treated as immutable (as {@link compile} does).
 * @throws DomainError `invalid_input` for an invalid trigger.
 */
export function prepareTriggerSet(triggers: readonly Trigger[], categoryOrder: readonly string[] = []): PreparedTriggerSet {
  const categories = JSON.stringify(categoryOrder);
  const cached = preparedSets.get(triggers);
  if (cached && cached.categories === categories && sameItems(cached.items, triggers)) return cached.set;
  const ordered = orderTriggers(
    triggers.map((t, i) => compile(t, i)),
    categoryOrder,
  ).map((t) => {
    const all = t.all.map(prepareCondition);
    const any = t.any.map(prepareCondition);
    return { t, all, any, reads: readsOf(all) | readsOf(any) };
  });
  const set: PreparedTriggerSet = { ordered, always: [], byTag: new Map(), byField: new Map() };
  ordered.forEach((p, i) => indexTrigger(set, p, i));
  preparedSets.set(triggers, { items: [...triggers], categories, set });
  return set;
}

const ascending = (a: number, b: number): number => a - b;

/**
 * Positions of the triggers that may fire on `ticket`, ascending: those without a key, and those
 * whose key it matches. `seen` (all 0, one slot per trigger) is used and left all 0.
 */
function candidatesOf(set: PreparedTriggerSet, ticket: TriggerTicket, memo: ConditionMemo, seen: Uint8Array): number[] {
  const out = set.always.slice();
  if (set.byTag.size > 0) {
    // A trigger is under each tag of its key condition; the ticket may have several of them.
    for (const tag of memo.tags(ticket.tags)) {
      const list = set.byTag.get(tag);
      if (!list) continue;
      for (const k of list) {
        if (seen[k] === 0) {
          seen[k] = 1;
          out.push(k);
        }
      }
    }
    for (const k of out) seen[k] = 0;
  }
  for (const [field, byValue] of set.byField) {
    const list = byValue.get(scalarOf(ticketField(ticket, field)));
    if (list) for (const k of list) out.push(k);
  }
  return out.sort(ascending);
}

/** ALL: every condition holds; ANY: at least one (none = true). Short-circuits; allocates nothing. */
function holds(p: PreparedTrigger, ticket: TriggerTicket, inputs: ConditionInputs, memo: ConditionMemo): boolean {
  for (const c of p.all) if (!testCondition(c, ticket, inputs, memo)) return false;
  if (p.any.length === 0) return true;
  for (const c of p.any) if (testCondition(c, ticket, inputs, memo)) return true;
  return false;
}

/** Every condition's trace (no short-circuit) and the result, for explain. */
function explainMatch(t: CompiledTrigger, ticket: TriggerTicket, inputs: ConditionInputs, memo: ConditionMemo): { fired: boolean; traces: ConditionTrace[] } {
  const all = t.all.map((c) => evaluateCondition(c, ticket, inputs, memo));
  const any = t.any.map((c) => evaluateCondition(c, ticket, inputs, memo));
  return { fired: all.every((x) => x.result) && (any.length === 0 || any.some((x) => x.result)), traces: [...all, ...any] };
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
