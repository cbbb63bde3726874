/**
 * Evaluation of one trigger condition against the ticket of an update (DOMAIN.md §4). Pure: the
 * current time and the business-hours function come from the caller.
 *
 * "Now" is the ticket as the update and the triggers that fired before left it; "before" is the
 * ticket before the update (null on create). The `changed` family compares the two, so a
 * first-time set counts as a change and a no-op update changes nothing (S8). Conditions on the
 * comment read the update's own comment only, never comments or notifications that triggers
 * produce (S14).
 */
import { PRIORITIES, TICKET_STATUSES } from '../vocabulary';
import type { TriggerTicket } from './ticket';
import type { CompiledCondition } from './validate';

/** The comment of an update, if it has one. */
export interface UpdateComment {
  /** Public reply (true) or internal note (false). */
  public: boolean;
  text: string;
}

/** The user who made the update; absent or null for system, API-less or rule updates. */
export interface CurrentUser {
  id: string;
  role: 'agent' | 'admin' | 'end_user';
}

/** What conditions may read besides the ticket. */
export interface ConditionInputs {
  before: TriggerTicket | null;
  comment: UpdateComment | null;
  updateType: 'Create' | 'Change';
  /** Instant of the update, ms since the Unix epoch. */
  now: number;
  currentUser: CurrentUser | null;
  /** Channel (`via_id`) of this update, for `current_via_id`. */
  updateViaId: number;
  /** Is instant `t` (ms) within business hours of schedule `scheduleId` (null = the account default)? */
  inBusinessHours: (scheduleId: string | null, t: number) => boolean;
}

/** One condition's outcome, for explain. */
export interface ConditionTrace {
  group: 'all' | 'any';
  index: number;
  field: string;
  operator: string;
  /** The value as written in the trigger. */
  value: unknown;
  /** What the condition read: the field now. */
  actual: unknown;
  /** For the `changed` family: the field before the update. */
  previous?: unknown;
  result: boolean;
}

type Scalar = string | null;

/** A field value as a comparable string, or null for "no value" (null, "", empty list). */
function scalar(v: unknown): Scalar {
  if (v === null || v === undefined) return null;
  if (Array.isArray(v)) return v.length === 0 ? null : [...v].map(String).sort().join(' ');
  const s = String(v);
  return s === '' ? null : s;
}

/** Raw value of a ticket property or custom field (`custom_fields_<id>`). */
export function ticketField(ticket: TriggerTicket, field: string): unknown {
  if (field.startsWith('custom_fields_')) return ticket.custom_fields[field.slice('custom_fields_'.length)] ?? null;
  if (field === 'current_tags') return ticket.tags;
  return (ticket as unknown as Record<string, unknown>)[field] ?? null;
}

const RANKS: Record<string, readonly string[]> = { status: TICKET_STATUSES, priority: PRIORITIES };

/** Words of a text, lower case (letters and digits, keeping inner apostrophes and hyphens). */
export function wordsOf(text: string): string[] {
  return text.toLowerCase().match(/[\p{L}\p{N}_]+(?:['’-][\p{L}\p{N}_]+)*/gu) ?? [];
}

/** Search terms of a word condition: `"quoted phrases"` and single words. */
function termsOf(value: string): string[][] {
  const terms: string[][] = [];
  for (const m of value.matchAll(/"([^"]+)"|(\S+)/g)) {
    const w = wordsOf(m[1] ?? m[2]);
    if (w.length > 0) terms.push(w);
  }
  return terms;
}

function hasTerm(words: readonly string[], term: readonly string[]): boolean {
  for (let i = 0; i + term.length <= words.length; i++) {
    if (term.every((w, j) => words[i + j] === w)) return true;
  }
  return false;
}

const tagSet = (tags: readonly string[]): Set<string> => new Set(tags.map((t) => t.toLowerCase()));

/** Resolves the special values `current_user`, `requester_id`, `assignee_id` against the ticket now. */
function resolveExpected(c: CompiledCondition, now: TriggerTicket, inputs: ConditionInputs): Scalar | undefined {
  const e = c.expected;
  if (c.spec.kind !== 'id' || e === null) return e;
  if (c.target === 'role') return e;
  if (e === 'current_user') return inputs.currentUser ? inputs.currentUser.id : undefined;
  if (e === 'requester_id' && c.target === 'assignee_id') return now.requester_id;
  if (e === 'assignee_id' && c.target === 'requester_id') return now.assignee_id;
  return e;
}

/**
 * Evaluates one compiled condition. `ticket` is the ticket now (as the update and earlier triggers
 * left it). Returns the result with what it read (for explain).
 */
export function evaluateCondition(c: CompiledCondition, ticket: TriggerTicket, inputs: ConditionInputs): ConditionTrace {
  const trace = (actual: unknown, result: boolean, previous?: unknown): ConditionTrace => ({
    group: c.group,
    index: c.index,
    field: c.field,
    operator: c.operator,
    value: c.value,
    actual,
    ...(previous === undefined ? {} : { previous }),
    result,
  });
  const op = c.operator;
  const expected = c.expected;
  switch (c.target) {
    case 'update_type':
      return trace(inputs.updateType, inputs.updateType === expected);
    case 'current_via_id': {
      const v = String(inputs.updateViaId);
      return trace(v, op === 'is' ? v === expected : v !== expected);
    }
    case 'comment_is_public': {
      const cm = inputs.comment;
      const actual = cm ? (cm.public ? 'public' : 'private') : null;
      const result =
        expected === 'true' || expected === 'requester_can_see_comment' ? !!cm && cm.public : expected === 'false' ? !!cm && !cm.public : cm !== null;
      return trace(actual, result);
    }
    case 'comment_includes_word':
    case 'subject_includes_word': {
      const text = c.target === 'comment_includes_word' ? (inputs.comment?.text ?? '') : ticket.subject;
      const value = expected ?? '';
      if (op === 'is' || op === 'is_not') {
        const contains = text.toLowerCase().includes(value.toLowerCase());
        return trace(text, op === 'is' ? contains : !contains);
      }
      const words = wordsOf(text);
      const any = termsOf(value).some((t) => hasTerm(words, t));
      return trace(text, op === 'includes' ? any : !any);
    }
    case 'ticket_is_public': {
      const v = ticket.is_public ? 'public' : 'private';
      return trace(v, v === expected);
    }
    case 'in_business_hours': {
      const inside = inputs.inBusinessHours(ticket.schedule_id, inputs.now);
      return trace(inside, String(inside) === expected);
    }
    case 'within_schedule': {
      const inside = expected !== null && inputs.inBusinessHours(expected, inputs.now);
      return trace(inside, inside);
    }
    case 'role': {
      const u = inputs.currentUser;
      const match =
        !!u && (expected === 'agent' ? u.role === 'agent' || u.role === 'admin' : expected === 'end_user' ? u.role === 'end_user' : u.id === expected);
      const actual = u ? { id: u.id, role: u.role } : null;
      return trace(actual, op === 'is' ? match : !match);
    }
    case 'current_tags': {
      const tags = tagSet(ticket.tags);
      const any = (expected ?? '').split(/\s+/).some((t) => t !== '' && tags.has(t.toLowerCase()));
      return trace([...ticket.tags], op === 'includes' ? any : !any);
    }
  }
  // Plain ticket properties and custom fields.
  const raw = ticketField(ticket, c.target);
  const actual = scalar(raw);
  const want = resolveExpected(c, ticket, inputs);
  const eq = (v: Scalar): boolean => want !== undefined && (c.target === 'recipient' ? v?.toLowerCase() === want?.toLowerCase() : v === want);
  const previousRaw = inputs.before ? ticketField(inputs.before, c.target) : null;
  const previous = scalar(previousRaw);
  const changed = previous !== actual;
  switch (op) {
    case 'is':
      return trace(raw, eq(actual));
    case 'is_not':
      return trace(raw, !eq(actual));
    case 'less_than':
    case 'greater_than': {
      let cmp: number | null = null;
      const ranks = RANKS[c.target];
      if (ranks) {
        const a = actual === null ? -1 : ranks.indexOf(actual);
        const b = want === null || want === undefined ? -1 : ranks.indexOf(want);
        if (a >= 0 && b >= 0) cmp = a - b;
      } else if (actual !== null && want !== null && want !== undefined) {
        cmp = Number(actual) - Number(want);
      }
      return trace(raw, cmp !== null && (op === 'less_than' ? cmp < 0 : cmp > 0));
    }
    case 'changed':
      return trace(raw, changed, previousRaw);
    case 'not_changed':
      return trace(raw, !changed, previousRaw);
    case 'value':
      return trace(raw, changed && eq(actual), previousRaw);
    case 'not_value':
      return trace(raw, !(changed && eq(actual)), previousRaw);
    case 'value_previous':
      return trace(raw, changed && eq(previous), previousRaw);
    case 'not_value_previous':
      return trace(raw, !(changed && eq(previous)), previousRaw);
    case 'present':
      return trace(raw, actual !== null);
    case 'not_present':
      return trace(raw, actual === null);
    case 'includes':
    case 'not_includes': {
      const members = Array.isArray(raw) ? raw.map(String) : actual === null ? [] : [actual];
      const hit = want !== undefined && want !== null && members.includes(want);
      return trace(raw, op === 'includes' ? hit : !hit);
    }
  }
}
