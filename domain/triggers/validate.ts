/**
 * Checks a structurally valid {@link Trigger} against the catalogue (DOMAIN.md §4: "unknown fields or
 * operators are rejected with the trigger title, JSON path and the allowed values") and compiles it
 * into the normalised form the engine evaluates. Pure; no I/O.
 */
import {
  CHANGE_OPERATORS,
  OPERATORS,
  UNSUPPORTED_ACTION_FIELDS,
  UNSUPPORTED_CONDITION_FIELDS,
  UNSUPPORTED_FIELD_PREFIXES,
  VALUELESS_OPERATORS,
  ZENDESK_OPERATORS,
  actionSpec,
  allowedActionFields,
  allowedConditionFields,
  conditionSpec,
  viaIdOfChannelName,
  type ActionFieldSpec,
  type AllowedValue,
  type ConditionFieldSpec,
  type Operator,
} from './catalog';
import type { ActionValue, Condition, ConditionValue, Trigger } from './schema';

/** One reason a trigger cannot be imported: which trigger, where in the JSON, and why. */
export interface TriggerProblem {
  /** JSONPath of the offending value, e.g. `$.triggers[3].actions[1].field`. */
  path: string;
  /** The trigger's title, or null when the trigger has none. */
  title: string | null;
  /** Index of the trigger in the file (0 for a single trigger), or null for file-level problems. */
  triggerIndex: number | null;
  /** What is wrong, with the allowed values. */
  reason: string;
}

/** A condition ready to evaluate. `expected` is the value normalised to a string, or null for "no value". */
export interface CompiledCondition {
  group: 'all' | 'any';
  index: number;
  /** The field as written (e.g. `channel`). */
  field: string;
  /** The field evaluated (`via_id` for the `channel` alias). */
  target: string;
  operator: Operator;
  /** The value as written. */
  value: ConditionValue | undefined;
  expected: string | null;
  spec: ConditionFieldSpec;
}

/** An action ready to run. */
export interface CompiledAction {
  index: number;
  field: string;
  value: ActionValue;
  spec: ActionFieldSpec;
}

/** A trigger checked against the catalogue, with its conditions and actions normalised. */
export interface CompiledTrigger {
  trigger: Trigger;
  /** The trigger id as a string, or null for a trigger without id (e.g. a POST body). */
  id: string | null;
  all: CompiledCondition[];
  any: CompiledCondition[];
  actions: CompiledAction[];
}

const NULL_TOKENS = new Set(['', '__NULL__']);

/** A condition or action value as a string, or null for "no value" (`null`, `""`, `"__NULL__"`). */
export function normaliseValue(v: ConditionValue | undefined): string | null {
  if (v === undefined || v === null) return null;
  const s = String(v);
  return NULL_TOKENS.has(s) ? null : s;
}

const list = (xs: readonly string[]): string => xs.join(', ');
const listValues = (vs: readonly AllowedValue[], nullable: boolean): string =>
  [...vs.map((v) => v.value), ...(nullable ? ['"" (none)'] : [])].join(', ');

function checkConditionValue(spec: ConditionFieldSpec, c: Condition, op: Operator): { expected: string | null; reason?: string } {
  if (VALUELESS_OPERATORS.includes(op)) return { expected: null };
  const raw = c.value;
  const expected = normaliseValue(raw);
  const name = spec.aliasOf ? `${spec.field} (alias of ${spec.aliasOf})` : spec.field;
  if (raw === undefined) return { expected, reason: `${name}: operator "${op}" needs a value` };
  if (expected === null) {
    if (spec.nullable) return { expected };
    return { expected, reason: `${name}: a value is required (it cannot be empty)` };
  }
  switch (spec.kind) {
    case 'enum': {
      const vs = spec.values ?? [];
      if (vs.some((v) => v.value === expected)) return { expected };
      return { expected, reason: `${name}: value "${expected}" is not allowed; allowed: ${listValues(vs, spec.nullable)}` };
    }
    case 'id':
      if (typeof raw === 'boolean') return { expected, reason: `${name}: value ${raw} is not an id` };
      return { expected };
    case 'count':
      if (!/^\d+$/.test(expected)) return { expected, reason: `${name}: value "${expected}" is not a whole number ≥ 0` };
      return { expected };
    case 'tags':
    case 'text':
      if (typeof raw !== 'string' || raw.trim() === '') return { expected, reason: `${name}: value must be non-empty text` };
      return { expected };
    case 'any':
      return { expected };
  }
}

function compileCondition(
  c: Condition,
  group: 'all' | 'any',
  index: number,
  path: string,
  report: (path: string, reason: string) => void,
): CompiledCondition | null {
  const spec = conditionSpec(c.field);
  if (!spec) {
    const why = UNSUPPORTED_CONDITION_FIELDS[c.field];
    if (why) report(`${path}.field`, `${c.field}: not supported (${why})`);
    else if (UNSUPPORTED_FIELD_PREFIXES.some((p) => c.field.startsWith(p)))
      report(`${path}.field`, `${c.field}: user and organization fields are not modelled in Parley; allowed fields: ${list(allowedConditionFields())}`);
    else report(`${path}.field`, `unknown condition field "${c.field}"; allowed: ${list(allowedConditionFields())}`);
    return null;
  }
  if (!(ZENDESK_OPERATORS as readonly string[]).includes(c.operator)) {
    report(`${path}.operator`, `${c.field}: unknown operator "${c.operator}"; allowed: ${list(spec.operators)}`);
    return null;
  }
  if (!(OPERATORS as readonly string[]).includes(c.operator) || !spec.operators.includes(c.operator as Operator)) {
    report(`${path}.operator`, `${c.field}: operator "${c.operator}" is not allowed for this field; allowed: ${list(spec.operators)}`);
    return null;
  }
  const op = c.operator as Operator;
  const { expected, reason } = checkConditionValue(spec, c, op);
  if (reason) {
    report(`${path}.value`, reason);
    return null;
  }
  let target = spec.field;
  let exp = expected;
  if (spec.aliasOf === 'via_id') {
    target = 'via_id';
    exp = expected === null ? null : String(viaIdOfChannelName(expected));
  }
  return { group, index, field: c.field, target, operator: op, value: c.value, expected: exp, spec };
}

const isText = (v: unknown): v is string => typeof v === 'string';
const isId = (v: unknown): boolean => (typeof v === 'string' && v.trim() !== '') || (typeof v === 'number' && Number.isFinite(v));

function checkActionValue(spec: ActionFieldSpec, value: ActionValue): string | undefined {
  const name = spec.field;
  switch (spec.kind) {
    case 'enum': {
      const vs = spec.values ?? [];
      const s = normaliseValue(value as ConditionValue);
      if (Array.isArray(value) || s === null || !vs.some((v) => v.value === s))
        return `${name}: value ${JSON.stringify(value)} is not allowed; allowed: ${listValues(vs, false)}`;
      return undefined;
    }
    case 'id': {
      if (Array.isArray(value) || typeof value === 'boolean') return `${name}: value ${JSON.stringify(value)} is not an id`;
      const s = normaliseValue(value);
      if (s === null && !spec.nullable) return `${name}: a value is required (it cannot be empty)`;
      return undefined;
    }
    case 'tags': {
      const tags = Array.isArray(value) ? value : isText(value) ? value.split(/\s+/) : null;
      if (!tags || tags.filter((t) => String(t).trim() !== '').length === 0) return `${name}: value must be one or more space-separated tags`;
      return undefined;
    }
    case 'notification': {
      const tokens = (spec.values ?? []).map((v) => v.value);
      if (!Array.isArray(value) || value.length !== 3 || !isId(value[0]) || !isText(value[1]) || !isText(value[2]))
        return `${name}: value must be [recipient, subject, body]; recipient: ${list(tokens)} or an id`;
      // A recipient with spaces or line breaks (e.g. "a@b.co\r\nBcc: …") is never a user or an address.
      if (/[\s\u0000-\u001f\u007f]/.test(String(value[0])))
        return `${name}: recipient ${JSON.stringify(value[0])} contains spaces or control characters; recipient: ${list(tokens)}, an id or one email address`;
      return undefined;
    }
    case 'webhook':
      if (!Array.isArray(value) || value.length !== 2 || !isId(value[0]) || !isText(value[1]))
        return `${name}: value must be [webhook id, body]`;
      return undefined;
    case 'text':
      if (isText(value) && value !== '') return undefined;
      if (Array.isArray(value) && value.length === 2 && isText(value[1]) && value[1] !== '') return undefined;
      return `${name}: value must be the comment text (or [channel, text])`;
    case 'boolean':
      if (value === true || value === false || value === 'true' || value === 'false') return undefined;
      return `${name}: value ${JSON.stringify(value)} is not allowed; allowed: true, false`;
    case 'any':
      return undefined;
  }
}

/**
 * Checks one trigger against the catalogue and compiles it. Every problem is reported (not only
 * the first), each with the trigger title, JSON path under `basePath` and reason.
 * @param basePath JSONPath of the trigger in its file, e.g. `$.triggers[3]`.
 */
export function compileTrigger(
  trigger: Trigger,
  basePath: string,
  triggerIndex: number,
): { compiled: CompiledTrigger | null; problems: TriggerProblem[] } {
  const problems: TriggerProblem[] = [];
  const report = (path: string, reason: string): void => {
    problems.push({ path, title: trigger.title, triggerIndex, reason });
  };
  const groups: Record<'all' | 'any', CompiledCondition[]> = { all: [], any: [] };
  for (const group of ['all', 'any'] as const) {
    (trigger.conditions[group] ?? []).forEach((c, i) => {
      const compiled = compileCondition(c, group, i, `${basePath}.conditions.${group}[${i}]`, report);
      if (compiled) groups[group].push(compiled);
    });
  }
  if ((trigger.conditions.all ?? []).length === 0 && (trigger.conditions.any ?? []).length === 0) {
    report(`${basePath}.conditions`, 'a trigger needs at least one condition (in all or any)');
  }
  const actions: CompiledAction[] = [];
  trigger.actions.forEach((a, i) => {
    const path = `${basePath}.actions[${i}]`;
    const spec = actionSpec(a.field);
    if (!spec) {
      const why = UNSUPPORTED_ACTION_FIELDS[a.field];
      if (why) report(`${path}.field`, `${a.field}: ${why}`);
      else report(`${path}.field`, `unknown action field "${a.field}"; allowed: ${list(allowedActionFields())}`);
      return;
    }
    const reason = checkActionValue(spec, a.value);
    if (reason) report(`${path}.value`, reason);
    else actions.push({ index: i, field: a.field, value: a.value, spec });
  });
  if (problems.length > 0) return { compiled: null, problems };
  return {
    compiled: {
      trigger,
      id: trigger.id === undefined ? null : String(trigger.id),
      all: groups.all,
      any: groups.any,
      actions,
    },
    problems,
  };
}

/** True when an operator compares the ticket before the update with the ticket now. */
export function isChangeOperator(op: Operator): boolean {
  return (CHANGE_OPERATORS as readonly string[]).includes(op);
}
