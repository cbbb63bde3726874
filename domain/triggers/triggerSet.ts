/**
 * The prepared trigger set (DOMAIN.md §4): triggers compiled (memoised per object), put in
 * evaluation order, and indexed by their key condition; and matching one prepared trigger against
 * a ticket. The index and how the engine uses it are described in `engine.ts`'s header.
 */
import { DomainError } from '../errors';
import {
  ConditionMemo,
  evaluateCondition,
  prepareCondition,
  scalarOf,
  testCondition,
  ticketField,
  type ConditionInputs,
  type ConditionTrace,
  type PreparedCondition,
} from './conditions';
import { formatProblems } from './import';
import type { Trigger } from './schema';
import { TriggerTicketSchema, type TriggerTicket } from './ticket';
import { compileTrigger, type CompiledTrigger } from './validate';

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
export function fieldBit(field: string): number {
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
export function candidatesOf(set: PreparedTriggerSet, ticket: TriggerTicket, memo: ConditionMemo, seen: Uint8Array): number[] {
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
export function holds(p: PreparedTrigger, ticket: TriggerTicket, inputs: ConditionInputs, memo: ConditionMemo): boolean {
  for (const c of p.all) if (!testCondition(c, ticket, inputs, memo)) return false;
  if (p.any.length === 0) return true;
  for (const c of p.any) if (testCondition(c, ticket, inputs, memo)) return true;
  return false;
}

/** Every condition's trace (no short-circuit) and the result, for explain. */
export function explainMatch(t: CompiledTrigger, ticket: TriggerTicket, inputs: ConditionInputs, memo: ConditionMemo): { fired: boolean; traces: ConditionTrace[] } {
  const all = t.all.map((c) => evaluateCondition(c, ticket, inputs, memo));
  const any = t.any.map((c) => evaluateCondition(c, ticket, inputs, memo));
  return { fired: all.every((x) => x.result) && (any.length === 0 || any.some((x) => x.result)), traces: [...all, ...any] };
}
