/**
 * Importing and exporting messaging triggers as JSON (DOMAIN.md §4). An import is all-or-nothing:
 * {@link importMessagingTriggers} returns every trigger, or every problem (each with the trigger
 * title, a JSONPath and the reason with the allowed values, in the style of ticket-trigger imports:
 * print them with `formatProblems` of domain/triggers) and no trigger. Pure; no I/O.
 */
import { utf8Bytes } from '../conversation';
import type { ScheduleBook } from '../schedules';
import { MAX_JSON_DEPTH, MAX_TRIGGER_BYTES, MAX_TRIGGERS_PER_IMPORT, tooDeepAt } from '../triggers/import';
import { checkImportItems, unlistedProblem, type RejectedTrigger } from '../triggers/importItems';
import type { TriggerProblem } from '../triggers/validate';
import { MESSAGING_TRIGGER_KEYS, MessagingTriggerSchema, type MessagingCondition, type MessagingTrigger } from './schema';
import { MESSAGING_ACTION_FIELDS } from './catalog';
import { compileMessagingTrigger } from './validate';

/** How the triggers were wrapped: bare, `{ "messaging_trigger": {...} }` or `{ "messaging_triggers": [...] }`. */
export type MessagingTriggerEnvelope = 'bare' | 'single' | 'list';

/** The outcome of an import: every trigger, or every problem. */
export type MessagingTriggerImport =
  | { ok: true; envelope: MessagingTriggerEnvelope; triggers: MessagingTrigger[]; warnings: TriggerProblem[] }
  | {
      ok: false;
      envelope: MessagingTriggerEnvelope | null;
      /** Every problem, in file order. */
      problems: TriggerProblem[];
      /** Triggers in the file. */
      total: number;
      /** The triggers with problems. */
      rejected: RejectedTrigger[];
      warnings: TriggerProblem[];
    };

/** Options of {@link importMessagingTriggers}. */
export interface MessagingImportOptions {
  /** When given, `within_schedule` must name one of these schedules. */
  schedules?: ScheduleBook;
}

const isObject = (v: unknown): v is Record<string, unknown> => typeof v === 'object' && v !== null && !Array.isArray(v);

const pathOf = (base: string, path: readonly PropertyKey[]): string =>
  path.reduce<string>((p, k) => (typeof k === 'number' ? `${p}[${k}]` : `${p}.${String(k)}`), base);

const CONDITION_KEYS = 'field, operator, value, time_zone, group_id';

/** A zod issue as one or more problems (unknown keys get one problem each, naming the allowed keys). */
function zodProblems(issue: { code: string; path: PropertyKey[]; message: string; keys?: string[] }, base: string, title: string | null, index: number): TriggerProblem[] {
  const at = (path: readonly PropertyKey[], reason: string): TriggerProblem => ({ path: pathOf(base, path), title, triggerIndex: index, reason });
  const name = issue.path.length > 0 ? issue.path.map(String).join('.') : 'trigger';
  const inCondition = issue.path[0] === 'conditions' && issue.path.length >= 3;
  const inAction = issue.path[0] === 'actions';
  if (issue.code === 'unrecognized_keys' && issue.keys) {
    const allowed = inCondition ? CONDITION_KEYS : inAction ? 'field, value' : issue.path[0] === 'conditions' ? 'all, any' : 'text';
    return issue.keys.map((k) => at([...issue.path, k], `unknown key "${k}"; allowed: ${allowed}`));
  }
  if (/received undefined/.test(issue.message)) return [at(issue.path, `${name}: required`)];
  if (issue.code === 'too_small' && issue.path.length === 1 && issue.path[0] === 'actions') {
    return [at(issue.path, `actions: at least one action is required; allowed: ${Object.keys(MESSAGING_ACTION_FIELDS).join(', ')}`)];
  }
  if (issue.code === 'invalid_union' && issue.path[issue.path.length - 1] === 'value') {
    const expected = inAction ? 'text, a number, a list of tags or {"text": ...}' : 'text, a number, true/false, null or a list of texts';
    return [at(issue.path, `${name}: expected ${expected}`)];
  }
  return [at(issue.path, `${name}: ${issue.message}`)];
}

function checkOne(item: unknown, base: string, index: number, warnings: TriggerProblem[], options: MessagingImportOptions): { trigger: MessagingTrigger | null; problems: TriggerProblem[] } {
  if (!isObject(item)) {
    const got = Array.isArray(item) ? 'an array' : JSON.stringify(item);
    return { trigger: null, problems: [{ path: base, title: null, triggerIndex: index, reason: `expected a messaging trigger object, got ${got}` }] };
  }
  const title = typeof item.title === 'string' ? item.title : null;
  const problems: TriggerProblem[] = [];
  const bytes = utf8Bytes(JSON.stringify(item));
  if (bytes > MAX_TRIGGER_BYTES) {
    problems.push({ path: base, title, triggerIndex: index, reason: `trigger is ${bytes} bytes; the limit is ${MAX_TRIGGER_BYTES} bytes (65 KB) per rule` });
  }
  for (const key of Object.keys(item)) {
    if (!(MESSAGING_TRIGGER_KEYS as readonly string[]).includes(key)) {
      warnings.push({ path: `${base}.${key}`, title, triggerIndex: index, reason: `ignored: "${key}" is not a messaging trigger property` });
    }
  }
  const parsed = MessagingTriggerSchema.safeParse(item);
  if (!parsed.success) {
    for (const issue of parsed.error.issues) problems.push(...zodProblems(issue as Parameters<typeof zodProblems>[0], base, title, index));
    return { trigger: null, problems };
  }
  problems.push(...compileMessagingTrigger(parsed.data, base, index, options).problems);
  return { trigger: problems.length === 0 ? parsed.data : null, problems };
}

/**
 * Imports messaging triggers from parsed JSON: a bare trigger, `{ "messaging_trigger": {...} }` or
 * `{ "messaging_triggers": [...] }`. All-or-nothing: every trigger loads (`ok: true`), or the result
 * lists every problem (title, JSONPath, reason with allowed values) and returns no trigger. Ticket
 * triggers (`{"trigger"}`, `{"triggers"}`) are named as such. Ids must be unique.
 */
export function importMessagingTriggers(json: unknown, options: MessagingImportOptions = {}): MessagingTriggerImport {
  const warnings: TriggerProblem[] = [];
  const fileProblem = (envelope: MessagingTriggerEnvelope | null, path: string, reason: string): MessagingTriggerImport => ({
    ok: false,
    envelope,
    problems: [{ path, title: null, triggerIndex: null, reason }],
    total: 0,
    rejected: [],
    warnings,
  });
  const shapes = 'a messaging trigger, {"messaging_trigger": {...}} or {"messaging_triggers": [...]}';
  const deep = tooDeepAt(json);
  if (deep !== null) return fileProblem(null, deep, `nested deeper than ${MAX_JSON_DEPTH} levels; a messaging trigger needs about 5`);
  if (!isObject(json)) return fileProblem(null, '$', `expected ${shapes}; got ${Array.isArray(json) ? 'an array' : typeof json}`);
  let envelope: MessagingTriggerEnvelope;
  let items: { item: unknown; base: string }[];
  if ('messaging_triggers' in json) {
    if (!Array.isArray(json.messaging_triggers)) return fileProblem('list', '$.messaging_triggers', 'messaging_triggers: expected an array of messaging triggers');
    envelope = 'list';
    if (json.messaging_triggers.length > MAX_TRIGGERS_PER_IMPORT) {
      return fileProblem('list', '$.messaging_triggers', `${json.messaging_triggers.length} messaging triggers; one import lists at most ${MAX_TRIGGERS_PER_IMPORT}: split it`);
    }
    items = json.messaging_triggers.map((item, i) => ({ item, base: `$.messaging_triggers[${i}]` }));
  } else if ('messaging_trigger' in json) {
    envelope = 'single';
    items = [{ item: json.messaging_trigger, base: '$.messaging_trigger' }];
  } else if ('triggers' in json || 'trigger' in json) {
    return fileProblem(null, '$', `these are ticket triggers ({"trigger"} / {"triggers"}): import them as ticket triggers; expected ${shapes}`);
  } else {
    envelope = 'bare';
    items = [{ item: json, base: '$' }];
  }
  const { triggers, problems, rejected, unlisted } = checkImportItems(items, (item, base, index) => checkOne(item, base, index, warnings, options));
  if (unlisted > 0) problems.push(unlistedProblem(unlisted));
  if (problems.length > 0) return { ok: false, envelope, problems, total: items.length, rejected, warnings };
  return { ok: true, envelope, triggers, warnings };
}

/** Key order of an exported trigger. */
const EXPORT_ORDER: readonly (keyof MessagingTrigger)[] = [
  'url',
  'id',
  'title',
  'active',
  'position',
  'description',
  'event',
  'conditions',
  'actions',
  'revision',
  'created_at',
  'updated_at',
];

const copyCondition = (c: MessagingCondition): MessagingCondition => {
  const out: MessagingCondition = { field: c.field, operator: c.operator };
  if (c.value !== undefined) out.value = Array.isArray(c.value) ? [...c.value] : c.value;
  if (c.time_zone !== undefined) out.time_zone = c.time_zone;
  if (c.group_id !== undefined) out.group_id = c.group_id;
  return out;
};

/** A messaging trigger back as JSON (a deep copy; values as written; keys absent on import stay absent). */
export function exportMessagingTrigger(t: MessagingTrigger): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const key of EXPORT_ORDER) {
    const v = t[key];
    if (v === undefined) continue;
    if (key === 'conditions') {
      const c: Record<string, unknown> = {};
      for (const g of ['all', 'any'] as const) {
        const group = t.conditions[g];
        if (group) c[g] = group.map(copyCondition);
      }
      out.conditions = c;
    } else if (key === 'actions') {
      out.actions = t.actions.map((a) => ({ field: a.field, value: Array.isArray(a.value) ? [...a.value] : typeof a.value === 'object' ? { ...a.value } : a.value }));
    } else out[key] = v;
  }
  return out;
}

/** Messaging triggers as `{ "messaging_triggers": [...] }`, which {@link importMessagingTriggers} reads back. */
export function exportMessagingTriggers(triggers: readonly MessagingTrigger[]): { messaging_triggers: Record<string, unknown>[] } {
  return { messaging_triggers: triggers.map(exportMessagingTrigger) };
}
