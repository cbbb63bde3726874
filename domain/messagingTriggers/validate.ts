/**
 * Checks a structurally valid {@link MessagingTrigger} against the catalogue (DOMAIN.md §4: unknown
 * events, fields or operators are rejected with the trigger title, JSON path and the allowed values)
 * and compiles it into the normalised form the engine evaluates. Pure; no I/O.
 */
import { MAX_MESSAGE_TEXT_CHARS } from '../conversation';
import { resolveTimeZone, type ScheduleBook } from '../schedules';
import { conditionSpec as ticketConditionSpec, actionSpec as ticketActionSpec } from '../triggers/catalog';
import { wordsOf } from '../triggers/conditions';
import type { TriggerProblem } from '../triggers/validate';
import {
  CONDITION_EXTRA_KEYS,
  DAY_VALUES,
  MESSAGING_ACTION_FIELDS,
  MESSAGING_CONDITION_FIELDS,
  MESSAGING_EVENTS,
  WAIT_SECONDS,
  isMessagingEvent,
  messagingActionSpec,
  messagingConditionSpec,
  type MessagingConditionSpec,
  type MessagingEventType,
  type MessagingOperator,
} from './catalog';
import type { MessagingAction, MessagingCondition, MessagingConditionValue, MessagingTrigger } from './schema';

/** A condition value, normalised by kind. */
export type ExpectedValue =
  | { kind: 'number'; n: number }
  | { kind: 'days'; days: readonly number[] }
  | { kind: 'id'; id: string }
  | { kind: 'flag'; flag: boolean }
  | { kind: 'tags'; tags: readonly string[] }
  | { kind: 'terms'; terms: readonly (readonly string[])[] };

/** A condition ready to evaluate. */
export interface CompiledMessagingCondition {
  group: 'all' | 'any';
  index: number;
  field: string;
  operator: MessagingOperator;
  /** The value as written. */
  value: MessagingConditionValue | undefined;
  expected: ExpectedValue;
  /** IANA zone from `time_zone`, or null for the default (default schedule's zone, else UTC). */
  zone: string | null;
  /** `group_id` as text, or null when absent. */
  groupId: string | null;
  spec: MessagingConditionSpec;
}

/** An action with its value resolved: what the caller runs, in order. */
export type MessagingActionBody =
  | { type: 'send_message'; text: string }
  | { type: 'wait'; seconds: number }
  | { type: 'request_email'; prompt: string }
  | { type: 'add_tags'; tags: string[] }
  | { type: 'remove_tags'; tags: string[] };

/** A messaging trigger checked against the catalogue. */
export interface CompiledMessagingTrigger {
  trigger: MessagingTrigger;
  /** Id as text, or null for a trigger without id. */
  id: string | null;
  event: MessagingEventType;
  /** `all` or `any` (at most one of them is non-empty); both empty = always. */
  mode: 'all' | 'any';
  conditions: CompiledMessagingCondition[];
  actions: MessagingActionBody[];
}

/** Options of {@link compileMessagingTrigger}. */
export interface CompileOptions {
  /** When given, `within_schedule` ids must name one of these schedules. */
  schedules?: ScheduleBook;
}

const list = (xs: readonly string[]): string => xs.join(', ');
const isDigits = (s: string): boolean => /^\d+$/.test(s);

/** Whole number from a number or a digit string; null otherwise. */
function wholeNumber(v: unknown): number | null {
  if (typeof v === 'number') return Number.isInteger(v) && v >= 0 ? v : null;
  if (typeof v === 'string' && isDigits(v.trim())) return Number(v.trim());
  return null;
}

/** Tags from a space-separated string or a list of strings; null when none is given. */
export function tagsOf(v: unknown): string[] | null {
  const parts = Array.isArray(v) ? v.flatMap((x) => (typeof x === 'string' ? x.split(/\s+/) : [])) : typeof v === 'string' ? v.split(/\s+/) : null;
  if (parts === null) return null;
  const tags = parts.filter((t) => t !== '');
  return tags.length > 0 ? tags : null;
}

/** Search terms of a word condition: `"quoted phrases"` and single words, each as lower-case words. */
export function termsOf(value: string): string[][] {
  const terms: string[][] = [];
  for (const m of value.matchAll(/"([^"]+)"|(\S+)/g)) {
    const w = wordsOf(m[1] ?? m[2]);
    if (w.length > 0) terms.push(w);
  }
  return terms;
}

/** Normalises a condition value for its field's kind; a reason (with allowed values) when it does not fit. */
function expectedOf(spec: MessagingConditionSpec, raw: MessagingConditionValue | undefined): ExpectedValue | string {
  const name = spec.field;
  const shown = JSON.stringify(raw);
  if (raw === undefined) return `${name}: a value is required`;
  switch (spec.kind) {
    case 'hour': {
      const n = wholeNumber(raw);
      return n !== null && n <= 23 ? { kind: 'number', n } : `${name}: value ${shown} is not an hour; allowed: whole numbers 0–23`;
    }
    case 'count': {
      const n = wholeNumber(raw);
      return n !== null ? { kind: 'number', n } : `${name}: value ${shown} is not a whole number ≥ 0`;
    }
    case 'days': {
      const given = Array.isArray(raw) ? raw : [raw];
      const days = given.map((d) => (typeof d === 'string' ? (DAY_VALUES as readonly string[]).indexOf(d.toLowerCase()) : -1));
      if (given.length === 0 || days.includes(-1)) return `${name}: value ${shown} is not a day or a list of days; allowed: ${list(DAY_VALUES)}`;
      return { kind: 'days', days };
    }
    case 'schedule':
    case 'id':
      if ((typeof raw === 'string' && raw.trim() !== '') || (typeof raw === 'number' && Number.isInteger(raw) && raw >= 0)) return { kind: 'id', id: String(raw) };
      return `${name}: value ${shown} is not ${spec.kind === 'schedule' ? 'a schedule id' : 'an id'}`;
    case 'boolean':
      if (raw === true || raw === 'true') return { kind: 'flag', flag: true };
      if (raw === false || raw === 'false') return { kind: 'flag', flag: false };
      return `${name}: value ${shown} is not allowed; allowed: true, false`;
    case 'presence':
      if (raw === 'online' || raw === 'offline') return { kind: 'flag', flag: raw === 'online' };
      return `${name}: value ${shown} is not allowed; allowed: ${list(spec.values ?? [])}`;
    case 'tags': {
      const tags = tagsOf(raw);
      return tags ? { kind: 'tags', tags: tags.map((t) => t.toLowerCase()) } : `${name}: value must be one or more tags (space-separated text or a list)`;
    }
    case 'words': {
      const terms = typeof raw === 'string' ? termsOf(raw) : [];
      return terms.length > 0 ? { kind: 'terms', terms } : `${name}: value must be text with at least one word`;
    }
  }
}

function fieldsTaking(key: string): string[] {
  return Object.values(MESSAGING_CONDITION_FIELDS)
    .filter((s) => s.extra?.[key as keyof typeof s.extra] !== undefined)
    .map((s) => s.field);
}

function compileCondition(
  c: MessagingCondition,
  group: 'all' | 'any',
  index: number,
  path: string,
  event: MessagingEventType | null,
  options: CompileOptions,
  report: (path: string, reason: string) => void,
): CompiledMessagingCondition | null {
  const spec = messagingConditionSpec(c.field);
  const fields = list(Object.keys(MESSAGING_CONDITION_FIELDS));
  if (!spec) {
    const ticketOnly = ticketConditionSpec(c.field) !== undefined;
    report(`${path}.field`, `${ticketOnly ? `"${c.field}" is a ticket-trigger field, not a messaging-trigger one` : `unknown condition field "${c.field}"`}; allowed: ${fields}`);
    return null;
  }
  let ok = true;
  const fail = (p: string, reason: string): void => {
    ok = false;
    report(p, reason);
  };
  if (!(spec.operators as readonly string[]).includes(c.operator)) {
    fail(`${path}.operator`, `${spec.field}: operator "${c.operator}" is not allowed; allowed: ${list(spec.operators)}`);
  }
  if (spec.events && event !== null && !spec.events.includes(event)) {
    fail(`${path}.field`, `${spec.field}: only for event ${list(spec.events)} (this trigger's event is ${event})`);
  }
  for (const key of CONDITION_EXTRA_KEYS) {
    const rule = spec.extra?.[key];
    if (c[key] !== undefined && !rule) fail(`${path}.${key}`, `${key} is not allowed for ${spec.field} (only for: ${list(fieldsTaking(key))})`);
    if (c[key] === undefined && rule === 'required') fail(`${path}.${key}`, `${spec.field}: ${key} is required`);
  }
  let zone: string | null = null;
  if (c.time_zone !== undefined && spec.extra?.time_zone) {
    zone = resolveTimeZone(c.time_zone);
    if (zone === null) fail(`${path}.time_zone`, `unknown time zone "${c.time_zone}": use an IANA name (e.g. "America/New_York") or a Zendesk name (e.g. "Eastern Time (US & Canada)")`);
  }
  const expected = expectedOf(spec, c.value);
  if (typeof expected === 'string') fail(`${path}.value`, expected);
  else if (spec.kind === 'schedule' && expected.kind === 'id' && options.schedules && !options.schedules.some((s) => s.id === expected.id)) {
    const known = options.schedules.map((s) => s.id);
    fail(`${path}.value`, `${spec.field}: unknown schedule "${expected.id}"; known: ${known.length ? list(known) : '(none)'}`);
  }
  if (!ok || typeof expected === 'string') return null;
  return {
    group,
    index,
    field: spec.field,
    operator: c.operator as MessagingOperator,
    value: c.value,
    expected,
    zone,
    groupId: c.group_id === undefined ? null : String(c.group_id),
    spec,
  };
}

/** Resolves an action's value; a reason (with what is allowed) when it does not fit. */
function actionBodyOf(a: MessagingAction): MessagingActionBody | string {
  const spec = messagingActionSpec(a.field);
  if (!spec) {
    const ticketOnly = ticketActionSpec(a.field) !== undefined;
    return `${ticketOnly ? `"${a.field}" is a ticket-trigger action, not a messaging-trigger one` : `unknown action "${a.field}"`}; allowed: ${list(Object.keys(MESSAGING_ACTION_FIELDS))}`;
  }
  const v = a.value;
  const shown = JSON.stringify(v);
  const text = (t: unknown): string | null => (typeof t === 'string' && t.trim() !== '' && t.length <= MAX_MESSAGE_TEXT_CHARS ? t : null);
  switch (spec.kind) {
    case 'message': {
      const t = text(typeof v === 'object' && v !== null && !Array.isArray(v) ? v.text : v);
      return t !== null ? { type: 'send_message', text: t } : `send_message: value must be non-empty text of at most ${MAX_MESSAGE_TEXT_CHARS} characters, or {"text": ...}`;
    }
    case 'text': {
      const t = text(v);
      return t !== null ? { type: 'request_email', prompt: t } : `request_email: value must be the prompt, non-empty text of at most ${MAX_MESSAGE_TEXT_CHARS} characters`;
    }
    case 'seconds': {
      const n = wholeNumber(v);
      return n !== null && n >= WAIT_SECONDS.min && n <= WAIT_SECONDS.max
        ? { type: 'wait', seconds: n }
        : `wait: value ${shown} is not allowed; allowed: whole seconds ${WAIT_SECONDS.min}–${WAIT_SECONDS.max}`;
    }
    case 'tags': {
      const tags = tagsOf(v);
      if (!tags) return `${a.field}: value must be one or more tags (space-separated text or a list)`;
      return a.field === 'add_tags' ? { type: 'add_tags', tags } : { type: 'remove_tags', tags };
    }
  }
}

/**
 * Checks one messaging trigger against the catalogue and compiles it. Every problem is reported
 * (not only the first), each with the trigger title, a JSON path under `basePath` and the reason.
 * @param basePath JSONPath of the trigger in its file, e.g. `$.messaging_triggers[3]`.
 */
export function compileMessagingTrigger(
  trigger: MessagingTrigger,
  basePath: string,
  triggerIndex: number,
  options: CompileOptions = {},
): { compiled: CompiledMessagingTrigger | null; problems: TriggerProblem[] } {
  const problems: TriggerProblem[] = [];
  const report = (path: string, reason: string): void => {
    problems.push({ path, title: trigger.title, triggerIndex, reason });
  };
  const event = isMessagingEvent(trigger.event) ? trigger.event : null;
  if (event === null) report(`${basePath}.event`, `unknown event "${trigger.event}"; allowed: ${list(MESSAGING_EVENTS)}`);
  const all = trigger.conditions.all ?? [];
  const any = trigger.conditions.any ?? [];
  if (all.length > 0 && any.length > 0) report(`${basePath}.conditions`, 'conditions: use all or any, not both');
  const mode = any.length > 0 ? 'any' : 'all';
  const conditions: CompiledMessagingCondition[] = [];
  for (const [group, items] of [['all', all], ['any', any]] as const) {
    items.forEach((c, i) => {
      const compiled = compileCondition(c, group, i, `${basePath}.conditions.${group}[${i}]`, event, options, report);
      if (compiled && group === mode) conditions.push(compiled);
    });
  }
  const actions: MessagingActionBody[] = [];
  trigger.actions.forEach((a, i) => {
    const body = actionBodyOf(a);
    if (typeof body === 'string') report(`${basePath}.actions[${i}].${messagingActionSpec(a.field) ? 'value' : 'field'}`, body);
    else actions.push(body);
  });
  if (problems.length > 0 || event === null) return { compiled: null, problems };
  return {
    compiled: { trigger, id: trigger.id === undefined ? null : String(trigger.id), event, mode, conditions, actions },
    problems,
  };
}
