/**
 * Evaluation of one trigger condition against the ticket of an update (DOMAIN.md §4). Pure: the
 * current time and the business-hours function come from the caller.
 *
 * "Now" is the ticket as the update and the triggers that fired before left it; "before" is the
 * ticket before the update (null on create). The `changed` family compares the two, so a
 * first-time set counts as a change and a no-op update changes nothing (S8). Conditions on the
 * comment read the update's own comment only, never comments or notifications that triggers
 * produce (S14).
 *
 * Performance (7,000 triggers per update): values derived from a condition alone (its tags, search
 * terms) are prepared once per condition ({@link prepareCondition}); values derived from the update
 * alone (the ticket's tag set, the comment's words, business hours per schedule) are computed once
 * per update ({@link ConditionMemo}); {@link testCondition} allocates nothing.
 */
import { PRIORITIES, TICKET_STATUSES } from '../vocabulary';
import type { TriggerTicket } from './ticket';
import type { Operator } from './catalog';
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
export function scalarOf(v: unknown): Scalar {
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
    let all = true;
    for (let j = 0; j < term.length; j++) {
      if (words[i + j] !== term[j]) {
        all = false;
        break;
      }
    }
    if (all) return true;
  }
  return false;
}

/** The words of a text, in order and as a set (single-word terms are a set lookup). */
interface Words {
  list: string[];
  set: Set<string>;
}

function wordsIn(text: string): Words {
  const list = wordsOf(text);
  return { list, set: new Set(list) };
}

/** Does the text contain the term (one word, or a phrase of consecutive words)? */
function hasTermIn(words: Words, term: readonly string[]): boolean {
  return term.length === 1 ? words.set.has(term[0]) : hasTerm(words.list, term);
}

/**
 * The ticket-view fields a condition's result depends on (`tags` for tags, `custom_fields` for any
 * custom field); conditions on the update alone read none. Id conditions also depend on the
 * requester and assignee (the special values `requester_id`, `assignee_id`).
 */
function fieldsReadBy(c: CompiledCondition): string[] {
  switch (c.target) {
    case 'update_type':
    case 'current_via_id':
    case 'comment_is_public':
    case 'comment_includes_word':
    case 'role':
    case 'within_schedule':
      return [];
    case 'subject_includes_word':
      return ['subject'];
    case 'ticket_is_public':
      return ['is_public'];
    case 'in_business_hours':
      return ['schedule_id'];
    case 'current_tags':
      return ['tags'];
  }
  const field = c.target.startsWith('custom_fields_') ? 'custom_fields' : c.target;
  return c.spec.kind === 'id' ? [field, 'requester_id', 'assignee_id'] : [field];
}

/** What a condition needs besides the ticket, derived from the condition alone (computed once). */
export interface PreparedCondition {
  c: CompiledCondition;
  /** Copies of `c.target`, `c.operator`, `c.expected` and "its value is an id", kept here so an evaluation reads one object. */
  target: string;
  operator: Operator;
  expected: string | null;
  idKind: boolean;
  /** Ticket-view fields the result depends on (see {@link fieldsReadBy}). */
  reads: readonly string[];
  /** `current_tags`: the tags of the value, lower case, without empty ones. */
  tags: readonly string[];
  /** Word conditions with includes/not_includes: the search terms. */
  terms: readonly (readonly string[])[];
  /** Ordered fields (status, priority): rank of the expected value, -1 when it has none. */
  rank: number;
}

const preparedCache = new WeakMap<CompiledCondition, PreparedCondition>();

/** The prepared form of a compiled condition (memoised per condition object). */
export function prepareCondition(c: CompiledCondition): PreparedCondition {
  let p = preparedCache.get(c);
  if (!p) {
    const e = c.expected ?? '';
    const ranks = RANKS[c.target];
    p = {
      c,
      target: c.target,
      operator: c.operator,
      expected: c.expected,
      idKind: c.spec.kind === 'id',
      reads: fieldsReadBy(c),
      tags: c.target === 'current_tags' ? e.split(/\s+/).filter((t) => t !== '').map((t) => t.toLowerCase()) : [],
      terms: (c.target === 'comment_includes_word' || c.target === 'subject_includes_word') && (c.operator === 'includes' || c.operator === 'not_includes') ? termsOf(e) : [],
      rank: ranks && c.expected !== null ? ranks.indexOf(c.expected) : -1,
    };
    preparedCache.set(c, p);
  }
  return p;
}

/**
 * Values derived from one update, computed at most once while its triggers run: the lower-case
 * tag set of the current tags (recomputed when an action replaced the tag list), the words of the
 * comment and subject, and business hours per schedule (`inBusinessHours` is a pure function of
 * schedule and instant, and the instant is the update's).
 */
export class ConditionMemo {
  private tagsSource: readonly string[] | null = null;
  private tagSet = new Set<string>();
  private commentWords: Words | null = null;
  private subjectText: string | null = null;
  private subjectWords: Words = { list: [], set: new Set() };
  private readonly hours = new Map<string | null, boolean>();

  /** The ticket's tags, lower case. */
  tags(tags: readonly string[]): Set<string> {
    if (tags !== this.tagsSource) {
      this.tagsSource = tags;
      this.tagSet = new Set(tags.map((t) => t.toLowerCase()));
    }
    return this.tagSet;
  }

  /** Words of the update's comment (none without comment). */
  comment(inputs: ConditionInputs): Words {
    if (this.commentWords === null) this.commentWords = wordsIn(inputs.comment?.text ?? '');
    return this.commentWords;
  }

  /** Words of the subject. */
  subject(text: string): Words {
    if (text !== this.subjectText) {
      this.subjectText = text;
      this.subjectWords = wordsIn(text);
    }
    return this.subjectWords;
  }

  /** Is the update's instant within business hours of `scheduleId`? */
  inBusinessHours(inputs: ConditionInputs, scheduleId: string | null): boolean {
    let v = this.hours.get(scheduleId);
    if (v === undefined) {
      v = inputs.inBusinessHours(scheduleId, inputs.now);
      this.hours.set(scheduleId, v);
    }
    return v;
  }
}

/** Where {@link testCondition} records what it read, for explain. */
interface Reading {
  actual: unknown;
  previous?: unknown;
}

/** Resolves the special values `current_user`, `requester_id`, `assignee_id` against the ticket now. */
function resolveExpected(p: PreparedCondition, now: TriggerTicket, inputs: ConditionInputs): Scalar | undefined {
  const e = p.expected;
  if (!p.idKind || e === null) return e;
  if (p.target === 'role') return e;
  if (e === 'current_user') return inputs.currentUser ? inputs.currentUser.id : undefined;
  if (e === 'requester_id' && p.target === 'assignee_id') return now.requester_id;
  if (e === 'assignee_id' && p.target === 'requester_id') return now.assignee_id;
  return e;
}

function equalTo(target: string, v: Scalar, want: Scalar | undefined): boolean {
  if (want === undefined) return false;
  return target === 'recipient' ? v?.toLowerCase() === want?.toLowerCase() : v === want;
}

/** Conditions on the update, the comment, business hours, the current user and tags. */
function testSpecial(p: PreparedCondition, ticket: TriggerTicket, inputs: ConditionInputs, memo: ConditionMemo, reading: Reading | null): boolean | undefined {
  const op = p.operator;
  const expected = p.expected;
  switch (p.target) {
    case 'update_type':
      if (reading) reading.actual = inputs.updateType;
      return inputs.updateType === expected;
    case 'current_via_id': {
      const v = String(inputs.updateViaId);
      if (reading) reading.actual = v;
      return op === 'is' ? v === expected : v !== expected;
    }
    case 'comment_is_public': {
      const cm = inputs.comment;
      if (reading) reading.actual = cm ? (cm.public ? 'public' : 'private') : null;
      return expected === 'true' || expected === 'requester_can_see_comment' ? !!cm && cm.public : expected === 'false' ? !!cm && !cm.public : cm !== null;
    }
    case 'comment_includes_word':
    case 'subject_includes_word': {
      const isComment = p.target === 'comment_includes_word';
      const text = isComment ? (inputs.comment?.text ?? '') : ticket.subject;
      if (reading) reading.actual = text;
      if (op === 'is' || op === 'is_not') {
        const contains = text.toLowerCase().includes((expected ?? '').toLowerCase());
        return op === 'is' ? contains : !contains;
      }
      const words = isComment ? memo.comment(inputs) : memo.subject(text);
      let any = false;
      for (const t of p.terms) {
        if (hasTermIn(words, t)) {
          any = true;
          break;
        }
      }
      return op === 'includes' ? any : !any;
    }
    case 'ticket_is_public': {
      const v = ticket.is_public ? 'public' : 'private';
      if (reading) reading.actual = v;
      return v === expected;
    }
    case 'in_business_hours': {
      const inside = memo.inBusinessHours(inputs, ticket.schedule_id);
      if (reading) reading.actual = inside;
      return String(inside) === expected;
    }
    case 'within_schedule': {
      const inside = expected !== null && memo.inBusinessHours(inputs, expected);
      if (reading) reading.actual = inside;
      return inside;
    }
    case 'role': {
      const u = inputs.currentUser;
      const match =
        !!u && (expected === 'agent' ? u.role === 'agent' || u.role === 'admin' : expected === 'end_user' ? u.role === 'end_user' : u.id === expected);
      if (reading) reading.actual = u ? { id: u.id, role: u.role } : null;
      return op === 'is' ? match : !match;
    }
    case 'current_tags': {
      const tags = memo.tags(ticket.tags);
      let any = false;
      for (const t of p.tags) {
        if (tags.has(t)) {
          any = true;
          break;
        }
      }
      if (reading) reading.actual = [...ticket.tags];
      return op === 'includes' ? any : !any;
    }
  }
  return undefined;
}

/**
 * Evaluates one prepared condition against `ticket` (the ticket now, as the update and earlier
 * triggers left it) without allocating. `reading`, when given, receives what the condition read.
 */
export function testCondition(p: PreparedCondition, ticket: TriggerTicket, inputs: ConditionInputs, memo: ConditionMemo, reading: Reading | null = null): boolean {
  const special = testSpecial(p, ticket, inputs, memo, reading);
  if (special !== undefined) return special;
  // Plain ticket properties and custom fields.
  const raw = ticketField(ticket, p.target);
  if (reading) reading.actual = raw;
  const actual = scalarOf(raw);
  const op = p.operator;
  switch (op) {
    case 'is':
      return equalTo(p.target, actual, resolveExpected(p, ticket, inputs));
    case 'is_not':
      return !equalTo(p.target, actual, resolveExpected(p, ticket, inputs));
    case 'present':
      return actual !== null;
    case 'not_present':
      return actual === null;
    case 'less_than':
    case 'greater_than': {
      const want = resolveExpected(p, ticket, inputs);
      let cmp: number | null = null;
      const ranks = RANKS[p.target];
      if (ranks) {
        const a = actual === null ? -1 : ranks.indexOf(actual);
        if (a >= 0 && p.rank >= 0) cmp = a - p.rank;
      } else if (actual !== null && want !== null && want !== undefined) {
        cmp = Number(actual) - Number(want);
      }
      return cmp !== null && (op === 'less_than' ? cmp < 0 : cmp > 0);
    }
    case 'includes':
    case 'not_includes': {
      const want = resolveExpected(p, ticket, inputs);
      const hit = want !== undefined && want !== null && (Array.isArray(raw) ? raw.map(String) : actual === null ? [] : [actual]).includes(want);
      return op === 'includes' ? hit : !hit;
    }
  }
  // The changed family compares with the ticket before the update.
  const previousRaw = inputs.before ? ticketField(inputs.before, p.target) : null;
  if (reading) reading.previous = previousRaw;
  const previous = scalarOf(previousRaw);
  const changed = previous !== actual;
  switch (op) {
    case 'changed':
      return changed;
    case 'not_changed':
      return !changed;
    case 'value':
      return changed && equalTo(p.target, actual, resolveExpected(p, ticket, inputs));
    case 'not_value':
      return !(changed && equalTo(p.target, actual, resolveExpected(p, ticket, inputs)));
    case 'value_previous':
      return changed && equalTo(p.target, previous, resolveExpected(p, ticket, inputs));
    case 'not_value_previous':
      return !(changed && equalTo(p.target, previous, resolveExpected(p, ticket, inputs)));
  }
}

/**
 * Evaluates one compiled condition. `ticket` is the ticket now (as the update and earlier triggers
 * left it). Returns the result with what it read (for explain). `memo` shares per-update work
 * between the conditions of one update (a fresh one when absent).
 */
export function evaluateCondition(c: CompiledCondition, ticket: TriggerTicket, inputs: ConditionInputs, memo: ConditionMemo = new ConditionMemo()): ConditionTrace {
  const reading: Reading = { actual: undefined };
  const result = testCondition(prepareCondition(c), ticket, inputs, memo, reading);
  return {
    group: c.group,
    index: c.index,
    field: c.field,
    operator: c.operator,
    value: c.value,
    actual: reading.actual,
    ...(reading.previous === undefined ? {} : { previous: reading.previous }),
    result,
  };
}
