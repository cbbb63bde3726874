/**
 * Importing and exporting ticket triggers in Zendesk's JSON (DOMAIN.md §4). An import is
 * all-or-nothing: {@link importTriggers} returns every trigger, or the full list of problems (each
 * with the trigger title, a JSONPath and the reason with the allowed values) and nothing else.
 * Other Zendesk resources that people export next to triggers (definitions catalogues, automations,
 * schedules, SLA policies...) are recognised and named instead of failing with a parse error.
 * Pure; no I/O (the caller reads the file or request body).
 */
import { utf8Bytes } from '../conversation';
import { TRIGGER_KEYS, TriggerPageSchema, TriggerSchema, type Trigger, type TriggerPage } from './schema';
import { compileTrigger, type TriggerProblem } from './validate';
import { checkImportItems, unlistedProblem, type RejectedTrigger } from './importItems';

export { MAX_REPORTED_PROBLEMS, type RejectedTrigger } from './importItems';

/**
 * Largest trigger, in UTF-8 bytes of its JSON. Zendesk documents "65 KB per rule"; we read it as
 * 65,535 bytes (the size of the text column such limits usually come from) — **ours**.
 */
export const MAX_TRIGGER_BYTES = 65_535;
/** Most active ticket triggers an account may have (DOMAIN.md §4). */
export const MAX_ACTIVE_TRIGGERS = 7_000;

/** Most triggers one import may list (**ours**): 7,000 active plus room for inactive ones. */
export const MAX_TRIGGERS_PER_IMPORT = 10_000;
/** Deepest JSON nesting an import accepts (**ours**; a trigger needs about 5 levels). */
export const MAX_JSON_DEPTH = 32;

/**
 * The JSON path of the first value nested deeper than `max` levels, or null. Iterative, so a
 * hostile document cannot exhaust the stack.
 */
export function tooDeepAt(value: unknown, max: number = MAX_JSON_DEPTH): string | null {
  const stack: { v: unknown; depth: number; path: string }[] = [{ v: value, depth: 0, path: '$' }];
  while (stack.length > 0) {
    const { v, depth, path } = stack.pop()!;
    if (typeof v !== 'object' || v === null) continue;
    if (depth >= max) return path;
    if (Array.isArray(v)) v.forEach((x, i) => stack.push({ v: x, depth: depth + 1, path: `${path}[${i}]` }));
    else for (const [k, x] of Object.entries(v)) stack.push({ v: x, depth: depth + 1, path: `${path}.${k}` });
  }
  return null;
}

/** How the triggers were wrapped: bare object, `{ "trigger": {...} }`, or a `{ "triggers": [...] }` page. */
export type TriggerEnvelope = 'bare' | 'single' | 'list';

/** A Zendesk resource that is not ticket triggers, recognised by its top-level key. */
export interface RecognisedResource {
  key: string;
  /** What it is, in words, with its endpoint. */
  what: string;
  /** Number of items, when it is a list. */
  count: number | null;
}

/** The outcome of an import: all triggers, or every problem; or "this file is something else". */
export type TriggerImport =
  | {
      ok: true;
      kind: 'triggers';
      envelope: TriggerEnvelope;
      triggers: Trigger[];
      /** Page keys of a list (`count`, `next_page`...), as given. */
      page: TriggerPage;
      /** Keys that are not trigger properties (dropped, e.g. `_note`), one entry per key. */
      warnings: TriggerProblem[];
    }
  | {
      ok: false;
      kind: 'triggers';
      envelope: TriggerEnvelope | null;
      /** Every problem, in file order. */
      problems: TriggerProblem[];
      /** Triggers in the file. */
      total: number;
      /** The triggers with problems (the others would load once these are fixed or removed). */
      rejected: RejectedTrigger[];
      warnings: TriggerProblem[];
    }
  | {
      ok: false;
      kind: 'not_triggers';
      /** What the file holds instead. */
      resources: RecognisedResource[];
      /** One file-level problem saying so. */
      problems: TriggerProblem[];
    };

/** Top-level keys of other Zendesk resources, with what they are. */
const RESOURCE_KEYS: Record<string, string> = {
  definitions: 'ticket trigger definitions catalogue (GET /api/v2/triggers/definitions): the fields, operators and values an account allows',
  automations: 'automations (GET /api/v2/automations): time-based rules, not ticket triggers; Parley has no automations yet (its own timers: inactivity, close after solved)',
  automation: 'an automation (GET /api/v2/automations/{id}): a time-based rule, not a ticket trigger; Parley has no automations yet',
  schedules: 'business-hours schedules (GET /api/v2/business_hours/schedules): import them with `npx parley schedules import <file>` (POST /admin/schedules/import)',
  schedule: 'a business-hours schedule (GET /api/v2/business_hours/schedules/{id}): import it with `npx parley schedules import <file>`',
  holidays: 'schedule holidays (GET /api/v2/business_hours/schedules/{id}/holidays)',
  sla_policies: 'SLA policies (GET /api/v2/slas/policies)',
  sla_policy: 'an SLA policy (GET /api/v2/slas/policies/{id})',
  sla_policy_definitions: 'SLA policy definitions catalogue (GET /api/v2/slas/policies/definitions)',
  macros: 'macros (GET /api/v2/macros): agent-applied actions, not ticket triggers',
  macro: 'a macro (GET /api/v2/macros/{id})',
  views: 'views (GET /api/v2/views)',
  view: 'a view (GET /api/v2/views/{id})',
  trigger_categories: 'trigger categories (GET /api/v2/trigger_categories): set their order with PUT /admin/trigger_categories',
  webhooks: 'webhooks (GET /api/v2/webhooks): create them with POST /admin/webhooks',
  targets: 'targets (GET /api/v2/targets): deprecated; use webhooks',
};

const isObject = (v: unknown): v is Record<string, unknown> => typeof v === 'object' && v !== null && !Array.isArray(v);

function countOf(v: unknown): number | null {
  if (Array.isArray(v)) return v.length;
  if (isObject(v)) {
    const lists = Object.values(v).filter(Array.isArray) as unknown[][];
    if (lists.length > 0) return lists.reduce((n, l) => n + l.length, 0);
    return Object.keys(v).length;
  }
  return null;
}

/** Recognises a non-trigger Zendesk resource by its top-level keys; empty when none matches. */
export function recogniseResources(json: Record<string, unknown>): RecognisedResource[] {
  const found: RecognisedResource[] = [];
  for (const [key, what] of Object.entries(RESOURCE_KEYS)) {
    if (key in json) found.push({ key, what, count: countOf(json[key]) });
  }
  const conditions = json.conditions;
  if (Array.isArray(conditions) && conditions.length > 0 && conditions.every((c) => isObject(c) && 'subject' in c && 'operators' in c)) {
    found.push({
      key: 'conditions',
      what: 'ticket trigger condition definitions (the "conditions" part of GET /api/v2/triggers/definitions)',
      count: conditions.length,
    });
  }
  return found;
}

const pathOf = (base: string, path: readonly PropertyKey[]): string =>
  path.reduce<string>((p, k) => (typeof k === 'number' ? `${p}[${k}]` : `${p}.${String(k)}`), base);

function zodReason(path: readonly PropertyKey[], message: string): string {
  const name = path.length > 0 ? path.map(String).join('.') : 'trigger';
  if (/received undefined/.test(message)) return `${name}: required`;
  return `${name}: ${message}`;
}

function checkOne(item: unknown, base: string, index: number, warnings: TriggerProblem[]): { trigger: Trigger | null; problems: TriggerProblem[] } {
  const title = isObject(item) && typeof item.title === 'string' ? item.title : null;
  const problems: TriggerProblem[] = [];
  if (!isObject(item)) {
    problems.push({ path: base, title: null, triggerIndex: index, reason: `expected a trigger object, got ${Array.isArray(item) ? 'an array' : JSON.stringify(item)}` });
    return { trigger: null, problems };
  }
  const bytes = utf8Bytes(JSON.stringify(item));
  if (bytes > MAX_TRIGGER_BYTES) {
    problems.push({
      path: base,
      title,
      triggerIndex: index,
      reason: `trigger "${title ?? '(untitled)'}" is ${bytes} bytes; the limit is ${MAX_TRIGGER_BYTES} bytes (65 KB) per rule`,
    });
  }
  for (const key of Object.keys(item)) {
    if (!(TRIGGER_KEYS as readonly string[]).includes(key)) {
      warnings.push({ path: `${base}.${key}`, title, triggerIndex: index, reason: `ignored: "${key}" is not a trigger property` });
    }
  }
  const parsed = TriggerSchema.safeParse(item);
  if (!parsed.success) {
    for (const issue of parsed.error.issues) {
      problems.push({ path: pathOf(base, issue.path), title, triggerIndex: index, reason: zodReason(issue.path, issue.message) });
    }
    return { trigger: null, problems };
  }
  const { problems: semantic } = compileTrigger(parsed.data, base, index);
  problems.push(...semantic);
  return { trigger: problems.length === 0 ? parsed.data : null, problems };
}

/**
 * Imports ticket triggers from parsed JSON: a bare trigger, `{ "trigger": {...} }`, or a
 * `{ "triggers": [...] }` list page (extra keys such as `count`, `next_page` are allowed).
 * All-or-nothing: either every trigger loads (`ok: true`), or the result lists every problem and
 * returns no trigger. Other Zendesk resources come back as `kind: "not_triggers"` naming what they are.
 */
export function importTriggers(json: unknown): TriggerImport {
  const warnings: TriggerProblem[] = [];
  const fail = (envelope: TriggerEnvelope | null, problems: TriggerProblem[], total: number, rejected: RejectedTrigger[] = []): TriggerImport => ({
    ok: false,
    kind: 'triggers',
    envelope,
    problems,
    total,
    rejected,
    warnings,
  });
  const deep = tooDeepAt(json);
  if (deep !== null) {
    return fail(null, [{ path: deep, title: null, triggerIndex: null, reason: `nested deeper than ${MAX_JSON_DEPTH} levels; a trigger needs about 5` }], 0);
  }
  if (!isObject(json)) {
    return fail(null, [
      {
        path: '$',
        title: null,
        triggerIndex: null,
        reason: `expected a trigger, {"trigger": {...}} or {"triggers": [...]}; got ${Array.isArray(json) ? 'an array' : typeof json}`,
      },
    ], 0);
  }
  let envelope: TriggerEnvelope;
  let items: { item: unknown; base: string }[];
  let page: TriggerPage = {};
  if ('triggers' in json) {
    envelope = 'list';
    if (!Array.isArray(json.triggers)) {
      return fail('list', [{ path: '$.triggers', title: null, triggerIndex: null, reason: 'triggers: expected an array of triggers' }], 0);
    }
    const pageParsed = TriggerPageSchema.safeParse(json);
    if (!pageParsed.success) {
      return fail(
        'list',
        pageParsed.error.issues.map((i) => ({ path: pathOf('$', i.path), title: null, triggerIndex: null, reason: zodReason(i.path, i.message) })),
        json.triggers.length,
      );
    }
    if (json.triggers.length > MAX_TRIGGERS_PER_IMPORT) {
      return fail('list', [{ path: '$.triggers', title: null, triggerIndex: null, reason: `${json.triggers.length} triggers; one import lists at most ${MAX_TRIGGERS_PER_IMPORT} (${MAX_ACTIVE_TRIGGERS} active): split it` }], json.triggers.length);
    }
    page = pageParsed.data;
    items = json.triggers.map((item, i) => ({ item, base: `$.triggers[${i}]` }));
  } else if ('trigger' in json) {
    envelope = 'single';
    items = [{ item: json.trigger, base: '$.trigger' }];
  } else {
    const resources = recogniseResources(json);
    if (resources.length > 0) {
      return {
        ok: false,
        kind: 'not_triggers',
        resources,
        problems: [
          {
            path: '$',
            title: null,
            triggerIndex: null,
            reason: `not ticket triggers: ${resources.map((r) => `${r.key}${r.count === null ? '' : ` (${r.count})`}: ${r.what}`).join('; ')}`,
          },
        ],
      };
    }
    envelope = 'bare';
    items = [{ item: json, base: '$' }];
  }
  const { triggers, problems, rejected, unlisted } = checkImportItems(items, (item, base, index) => checkOne(item, base, index, warnings), (t) => t?.title ?? null);
  const active = items.filter(({ item }) => isObject(item) && item.active !== false).length;
  if (active > MAX_ACTIVE_TRIGGERS) {
    problems.push({
      path: envelope === 'list' ? '$.triggers' : '$',
      title: null,
      triggerIndex: null,
      reason: `${active} active triggers; the limit is ${MAX_ACTIVE_TRIGGERS} per account`,
    });
  }
  if (unlisted > 0) problems.push(unlistedProblem(unlisted));
  if (problems.length > 0) return fail(envelope, problems, items.length, rejected);
  return { ok: true, kind: 'triggers', envelope, triggers, page, warnings };
}

/**
 * Parses JSON text, then {@link importTriggers}. A syntax error is reported as a problem at `$`.
 */
export function importTriggersFromText(text: string): TriggerImport {
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch (e) {
    return {
      ok: false,
      kind: 'triggers',
      envelope: null,
      problems: [{ path: '$', title: null, triggerIndex: null, reason: `not JSON: ${(e as Error).message}` }],
      total: 0,
      rejected: [],
      warnings: [],
    };
  }
  return importTriggers(json);
}

/** One line per problem: `"title" $.path: reason` (for API errors and logs). */
export function formatProblems(problems: readonly TriggerProblem[]): string[] {
  return problems.map((p) => `${p.title === null ? '' : `"${p.title}" `}${p.path}: ${p.reason}`);
}

/** Key order of a trigger as the Zendesk API returns it. */
const EXPORT_ORDER: readonly (keyof Trigger)[] = [
  'url',
  'id',
  'title',
  'active',
  'updated_at',
  'created_at',
  'actions',
  'conditions',
  'description',
  'position',
  'raw_title',
  'category_id',
  'default',
  'revision',
];

/** A trigger back in Zendesk's JSON shape (a deep copy; keys absent on import stay absent). */
export function exportTrigger(t: Trigger): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const key of EXPORT_ORDER) {
    const v = t[key];
    if (v === undefined) continue;
    if (key === 'actions') out.actions = t.actions.map((a) => ({ field: a.field, value: Array.isArray(a.value) ? [...a.value] : a.value }));
    else if (key === 'conditions') {
      const c: Record<string, unknown> = {};
      for (const g of ['all', 'any'] as const) {
        const list = t.conditions[g];
        if (list) c[g] = list.map((x) => ('value' in x && x.value !== undefined ? { field: x.field, operator: x.operator, value: x.value } : { field: x.field, operator: x.operator }));
      }
      out.conditions = c;
    } else out[key] = v;
  }
  return out;
}

/** Triggers as a `GET /api/v2/triggers` list page: `{ "triggers": [...], "count": n }`, plus the page keys given. */
export function exportTriggers(triggers: readonly Trigger[], page: TriggerPage = {}): Record<string, unknown> {
  return { triggers: triggers.map(exportTrigger), ...page, count: page.count ?? triggers.length };
}
