/**
 * The same ticket triggers as json-rules-engine rules, for the benchmark's comparison
 * (`bench/triggers.ts`). An independent translation of the Zendesk JSON (it does not use Parley's
 * compiled form), so the bench's agreement check also checks the two readings of the rules.
 *
 * - Each trigger becomes one rule: `{ all }`, `{ any }`, or `{ all: [...all, { any }] }` for ALL+ANY.
 * - Facts per run: `f` (every ticket-view field as `{ now, before }`, normalised like Parley: "" and
 *   null are "no value", numbers as text), `tags` (lower-case set), `update` (type, channel,
 *   comment, current user), `ref` (current user, requester, assignee ids for the special values);
 *   `in_business_hours`, `words` and `subject_words` are lazy engine facts, computed at most once per run.
 * - Custom operators implement Zendesk's `is`, `changed`, `value`, `value_previous`, ... on `{ now,
 *   before }`, tag includes, comment privacy, roles and words.
 * - One pass: no restart loop (json-rules-engine has none); all rules share one priority, so the
 *   engine evaluates them concurrently, its fastest mode. A fast `pathResolver` (a property read)
 *   replaces the default JSONPath one.
 * Only the fields and operators the generator uses are translated; anything else throws.
 */
import { Engine, type NestedCondition, type RuleProperties, type TopLevelCondition } from 'json-rules-engine';
import { wordsOf } from '../domain/triggers/conditions';
import type { Condition, TicketUpdate, Trigger, TriggerTicket } from '../domain/triggers';
import { PRIORITIES, TICKET_STATUSES } from '../domain/vocabulary';

type Scalar = string | null;
interface Pair {
  now: Scalar;
  before: Scalar;
  rank?: number;
}

const VIA_BY_NAME: Record<string, string> = { messaging: '75', email: '4', web_form: '0', web_widget: '48', web_service: '5' };

/** A value as Parley compares it: "" / null / "__NULL__" = no value; numbers and booleans as text. */
function norm(v: unknown): Scalar {
  if (v === null || v === undefined) return null;
  const s = String(v);
  return s === '' || s === '__NULL__' ? null : s;
}

const RANKS: Record<string, readonly string[]> = { status: TICKET_STATUSES, priority: PRIORITIES };

/** The run facts of one update (this work is timed with the engine). */
export function factsOf(u: TicketUpdate): Record<string, unknown> {
  const f: Record<string, Pair> = {};
  for (const key of Object.keys(u.after) as (keyof TriggerTicket)[]) {
    if (key === 'tags' || key === 'custom_fields') continue;
    const pair: Pair = { now: norm(u.after[key]), before: u.before ? norm(u.before[key]) : null };
    const ranks = RANKS[key];
    if (ranks && pair.now !== null) pair.rank = ranks.indexOf(pair.now);
    f[key] = pair;
  }
  return {
    f,
    tags: new Set(u.after.tags.map((t) => t.toLowerCase())),
    update: {
      type: u.update_type,
      via: String(u.via_id ?? u.after.via_id),
      comment: u.comment,
      user: u.current_user ?? null,
      now: u.now,
      scheduleId: u.after.schedule_id,
    },
    ref: { current_user: u.current_user?.id, requester_id: u.after.requester_id, assignee_id: u.after.assignee_id },
  };
}

const fieldOps: Record<string, (p: Pair, want: Scalar | undefined) => boolean> = {
  zd_is: (p, w) => w !== undefined && p.now === w,
  zd_is_not: (p, w) => !(w !== undefined && p.now === w),
  zd_changed: (p) => p.now !== p.before,
  zd_not_changed: (p) => p.now === p.before,
  zd_value: (p, w) => p.now !== p.before && w !== undefined && p.now === w,
  zd_not_value: (p, w) => !(p.now !== p.before && w !== undefined && p.now === w),
  zd_value_previous: (p, w) => p.now !== p.before && w !== undefined && p.before === w,
  zd_not_value_previous: (p, w) => !(p.now !== p.before && w !== undefined && p.before === w),
  zd_present: (p) => p.now !== null,
  zd_not_present: (p) => p.now === null,
};

function addOperators(engine: Engine): void {
  for (const [name, fn] of Object.entries(fieldOps)) engine.addOperator<Pair, Scalar | undefined>(name, fn);
  engine.addOperator<Pair, number>('zd_rank_lt', (p, w) => p.rank !== undefined && p.rank >= 0 && p.rank < w);
  engine.addOperator<Pair, number>('zd_rank_gt', (p, w) => p.rank !== undefined && p.rank >= 0 && p.rank > w);
  engine.addOperator<Set<string>, string[]>('tags_any', (have, want) => want.some((t) => have.has(t)));
  engine.addOperator<Set<string>, string[]>('tags_none', (have, want) => !want.some((t) => have.has(t)));
  engine.addOperator<{ public: boolean } | null, string>('comment_is', (c, want) =>
    want === 'true' || want === 'requester_can_see_comment' ? !!c && c.public : want === 'false' ? !!c && !c.public : c !== null,
  );
  engine.addOperator<{ id: string; role: string } | null, string>('role_is', (u, want) => roleMatch(u, want));
  engine.addOperator<{ id: string; role: string } | null, string>('role_is_not', (u, want) => !roleMatch(u, want));
  engine.addOperator<string[], string[][]>('words_any', (words, terms) => terms.some((t) => hasTerm(words, t)));
  engine.addOperator<string[], string[][]>('words_none', (words, terms) => !terms.some((t) => hasTerm(words, t)));
}

function roleMatch(u: { id: string; role: string } | null, want: string): boolean {
  if (!u) return false;
  if (want === 'agent') return u.role === 'agent' || u.role === 'admin';
  if (want === 'end_user') return u.role === 'end_user';
  return u.id === want;
}

function hasTerm(words: readonly string[], term: readonly string[]): boolean {
  for (let i = 0; i + term.length <= words.length; i++) if (term.every((w, j) => words[i + j] === w)) return true;
  return false;
}

function termsOf(value: string): string[][] {
  return [...value.matchAll(/"([^"]+)"|(\S+)/g)].map((m) => wordsOf(m[1] ?? m[2])).filter((w) => w.length > 0);
}

const REFS = new Set(['current_user', 'requester_id', 'assignee_id']);

/** One Zendesk condition as a json-rules-engine condition. @throws Error for what the bench does not translate. */
function translate(c: Condition): NestedCondition {
  const want = norm(c.value);
  const op = c.operator;
  switch (c.field) {
    case 'update_type':
      return { fact: 'update', path: 'type', operator: 'equal', value: want };
    case 'current_via_id':
    case 'via_id':
    case 'channel': {
      const code = c.field === 'channel' ? VIA_BY_NAME[String(want)] : want;
      if (c.field === 'current_via_id') return { fact: 'update', path: 'via', operator: op === 'is' ? 'equal' : 'notEqual', value: code };
      return { fact: 'f', path: 'via_id', operator: `zd_${op}`, value: code };
    }
    case 'current_tags':
      return { fact: 'tags', operator: op === 'includes' ? 'tags_any' : 'tags_none', value: String(want).toLowerCase().split(/\s+/).filter(Boolean) };
    case 'comment_is_public':
      return { fact: 'update', path: 'comment', operator: 'comment_is', value: want };
    case 'ticket_is_public':
      return { fact: 'f', path: 'is_public', operator: 'zd_is', value: want === 'public' ? 'true' : 'false' };
    case 'role':
      return { fact: 'update', path: 'user', operator: op === 'is' ? 'role_is' : 'role_is_not', value: want };
    case 'in_business_hours':
      return { fact: 'in_business_hours', operator: 'equal', value: want };
    case 'comment_includes_word':
    case 'subject_includes_word':
      if (op !== 'includes' && op !== 'not_includes') break;
      return { fact: c.field === 'comment_includes_word' ? 'words' : 'subject_words', operator: op === 'includes' ? 'words_any' : 'words_none', value: termsOf(String(want)) };
    case 'status':
    case 'priority':
    case 'group_id':
    case 'assignee_id':
    case 'requester_id':
    case 'brand_id': {
      if (op === 'less_than' || op === 'greater_than') {
        const rank = RANKS[c.field]?.indexOf(String(want)) ?? -1;
        if (rank < 0) break;
        return { fact: 'f', path: c.field, operator: op === 'less_than' ? 'zd_rank_lt' : 'zd_rank_gt', value: rank };
      }
      if (!(`zd_${op}` in fieldOps)) break;
      const isRef = want !== null && REFS.has(want) && (want === 'current_user' || want !== c.field);
      return { fact: 'f', path: c.field, operator: `zd_${op}`, value: isRef ? { fact: 'ref', path: want as string } : want };
    }
  }
  throw new Error(`bench translation: ${c.field} ${op} is not translated`);
}

/** A trigger as a rule named by its id: ALL, ANY, or ALL with a nested ANY. */
export function ruleOf(t: Trigger): RuleProperties {
  const all = (t.conditions.all ?? []).map(translate);
  const any = (t.conditions.any ?? []).map(translate);
  let conditions: TopLevelCondition;
  if (any.length === 0) conditions = { all };
  else if (all.length === 0) conditions = { any };
  else conditions = { all: [...all, { any }] };
  return { name: String(t.id), conditions, event: { type: 'trigger_fired', params: { id: String(t.id) } } };
}

/**
 * An engine holding the triggers as rules (active ones), with the custom operators and the lazy
 * facts. `inBusinessHours` is the same function Parley's engine gets.
 */
export function buildJreEngine(triggers: readonly Trigger[], inBusinessHours: (scheduleId: string | null, t: number) => boolean): Engine {
  const engine = new Engine(
    triggers.filter((t) => t.active !== false).map(ruleOf),
    { allowUndefinedFacts: true, pathResolver: (value: unknown, path: string) => (value as Record<string, unknown> | null)?.[path] },
  );
  addOperators(engine);
  engine.addFact('in_business_hours', async (_params, almanac) => {
    const u = (await almanac.factValue('update')) as { now: number; scheduleId: string | null };
    return String(inBusinessHours(u.scheduleId, u.now));
  });
  engine.addFact('words', async (_params, almanac) => {
    const u = (await almanac.factValue('update')) as { comment: { text: string } | null };
    return wordsOf(u.comment?.text ?? '');
  });
  engine.addFact('subject_words', async (_params, almanac) => {
    const f = (await almanac.factValue('f')) as Record<string, Pair>;
    return wordsOf(f.subject.now ?? '');
  });
  return engine;
}

/** Runs the engine on one update; the ids of the rules that held. */
export async function runJre(engine: Engine, update: TicketUpdate): Promise<string[]> {
  const { results } = await engine.run(factsOf(update));
  return results.map((r) => String(r.name));
}
