/**
 * Test data for the trigger benchmark (`bench/triggers.ts`): large sets of active ticket triggers
 * shaped like the real ones in ../shared/data/zendesk-triggers/, and realistic ticket updates.
 *
 * Triggers: each is either a real trigger's conditions with their values varied (tags, statuses,
 * channels), or one of four common shapes (messaging routing with ALL+ANY, after-hours with
 * `in_business_hours`, status changes, assignment); every one gets a scope condition (a tag pair or
 * a group) so that, as in big accounts, most triggers do not fire on a given update and a few do.
 * Actions notify (no ticket change) or add a tag from the `auto_` namespace, which no condition
 * reads: a firing never changes which other triggers fire, so a one-pass engine finds the same
 * firings as Parley's restart loop (Parley still runs its extra passes; the bench counts them).
 *
 * Deterministic: everything comes from a seeded generator.
 */
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { isWithin, parseScheduleBook, scheduleFor, type ScheduleBook } from '../domain/schedules';
import { importTriggers, triggerTicket, VIA_MESSAGING, type Condition, type TicketUpdate, type Trigger, type TriggerTicket } from '../domain/triggers';
import { TICKET_STATUSES } from '../domain/vocabulary';

/** Where the real trigger files are (../shared/data/zendesk-triggers from the repository root). */
export const REAL_TRIGGER_DIR = path.resolve(__dirname, '../../shared/data/zendesk-triggers');
const REAL_TRIGGER_FILES = [
  'salto_mybrand_triggers.json',
  'mattermost_testaccount_triggers.json',
  'zendesk_legacy_default_triggers_pchhetri_script.json',
  'ongair_whatsapp_integration_triggers.json',
  'zendesk_out_of_office_app_triggers.json',
];

/** Tags that scope conditions and tickets draw from; a larger pool means fewer firings. */
const TAG_POOL = Array.from({ length: 1000 }, (_, i) => `topic_${i}`);
/** Code words in subjects (e.g. product codes), for scope conditions the engine cannot index. */
const WORD_POOL = Array.from({ length: 1000 }, (_, i) => `sku${i}`);
const GROUPS = Array.from({ length: 200 }, (_, i) => String(360_000_000 + i));
const BRANDS = Array.from({ length: 6 }, (_, i) => String(9_000 + i));
const AGENTS = Array.from({ length: 50 }, (_, i) => `agent_${i}`);
/** Channels of tickets: mostly messaging, some email, web form, widget, API. */
const VIAS = [VIA_MESSAGING, VIA_MESSAGING, VIA_MESSAGING, 4, 4, 0, 48, 5];
const COMMENTS = [
  'Hi, where is my order? It was due yesterday.',
  'I want a refund for the broken charger',
  'Please cancel my subscription',
  'Thanks, that solved it!',
  'The app crashes when I open settings',
  'Can I change the delivery address?',
];

/** A small seeded PRNG (mulberry32): the same seed gives the same data. */
export function rng(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

type Rand = () => number;
const pick = <T>(r: Rand, xs: readonly T[]): T => xs[Math.floor(r() * xs.length)];
const picks = <T>(r: Rand, xs: readonly T[], n: number): T[] => Array.from({ length: n }, () => pick(r, xs));

/** The conditions of the real triggers in ../shared/data/zendesk-triggers (templates). */
export function realTemplates(dir = REAL_TRIGGER_DIR): { all: Condition[]; any: Condition[] }[] {
  const out: { all: Condition[]; any: Condition[] }[] = [];
  for (const file of REAL_TRIGGER_FILES) {
    const json = JSON.parse(readFileSync(path.join(dir, file), 'utf8')) as { triggers: { conditions: { all?: Condition[]; any?: Condition[] } }[] };
    for (const t of json.triggers) out.push({ all: t.conditions.all ?? [], any: t.conditions.any ?? [] });
  }
  return out;
}

/** The real schedules (salto myBrand, America/Chicago) the `in_business_hours` conditions use. */
export function realSchedules(dir = REAL_TRIGGER_DIR): ScheduleBook {
  const data = JSON.parse(readFileSync(path.join(dir, 'salto_mybrand_schedules_slas.json'), 'utf8')) as {
    schedules: (Record<string, unknown> & { id: number })[];
    holidays: Record<string, { holidays: unknown[] }>;
  };
  return parseScheduleBook(data.schedules.map((s) => ({ ...s, holidays: data.holidays[String(s.id)]?.holidays ?? [] })));
}

/** Business hours as the activity computes them: the ticket's schedule, else the default; none = open. */
export function businessHours(book: ScheduleBook): (scheduleId: string | null, t: number) => boolean {
  return (scheduleId, t) => {
    const s = scheduleFor(book, scheduleId);
    return s ? isWithin(s, t) : true;
  };
}

/** A real condition with its value varied (tags, statuses, channels); other values are kept. */
function vary(r: Rand, c: Condition): Condition {
  if (c.field === 'current_tags') return { ...c, value: pick(r, TAG_POOL) };
  if (c.field === 'status' && c.value !== undefined && c.value !== null) return { ...c, value: pick(r, TICKET_STATUSES.filter((s) => s !== 'closed')) };
  if ((c.field === 'via_id' || c.field === 'current_via_id') && c.value !== undefined) return { ...c, value: String(pick(r, VIAS)) };
  return { ...c };
}

const C = (field: string, operator: string, value?: string | number | boolean): Condition => (value === undefined ? { field, operator } : { field, operator, value });

/**
 * The scope condition every generated trigger carries (what keeps most triggers from firing): a
 * tag pair or a group, which Parley's engine indexes; with `keyed` false, a pair of words of the
 * subject instead, which it does not (every such trigger is evaluated on every pass).
 */
function scope(r: Rand, keyed: boolean): Condition {
  if (!keyed) return C('subject_includes_word', 'includes', picks(r, WORD_POOL, 2).join(' '));
  return r() < 0.7 ? C('current_tags', 'includes', picks(r, TAG_POOL, 2).join(' ')) : C('group_id', 'is', pick(r, GROUPS));
}

/** Shapes besides the real templates, as seen in messaging accounts. */
const SHAPES: Record<string, (r: Rand) => { all: Condition[]; any: Condition[] }> = {
  routing: (r) => ({
    all: [C('update_type', 'is', 'Create'), C('via_id', 'is', pick(r, VIAS))],
    any: [C('brand_id', 'is', pick(r, BRANDS)), C('brand_id', 'is', pick(r, BRANDS)), C('priority', 'greater_than', 'normal')],
  }),
  after_hours: (r) => ({
    all: [C('channel', 'is', 'messaging'), C('in_business_hours', 'is', r() < 0.5 ? 'false' : 'true')],
    any: [],
  }),
  status_change: (r) => ({
    all: [C('status', 'changed'), C('status', 'value', pick(r, ['open', 'pending', 'solved']))],
    any: [C('comment_is_public', 'is', 'true'), C('current_tags', 'not_includes', pick(r, TAG_POOL))],
  }),
  assignment: () => ({
    all: [C('assignee_id', 'changed'), C('assignee_id', 'is_not', 'current_user')],
    any: [],
  }),
  words: (r) => ({
    all: [C('comment_includes_word', 'includes', pick(r, ['refund', 'cancel "delivery address"', 'crash crashes', 'invoice']))],
    any: [],
  }),
};

function actionsFor(r: Rand, i: number): Trigger['actions'] {
  const roll = r();
  if (roll < 0.3) return [{ field: 'current_tags', value: `auto_${i % 500}` }];
  if (roll < 0.55) return [{ field: 'notification_user', value: [pick(r, ['requester_id', 'assignee_id', 'all_agents']), 'Re: {{ticket.title}}', 'Ticket {{ticket.id}} was updated.'] }];
  if (roll < 0.75) return [{ field: 'notification_group', value: ['group_id', '[{{ticket.account}}] {{ticket.title}}', 'Assigned to your group.'] }];
  return [{ field: 'notification_webhook', value: [`wh_${i % 20}`, '{"ticket": "{{ticket.id}}"}'] }];
}

/**
 * `n` active triggers (imported, so each is valid Zendesk JSON), in 3 categories with positions.
 * About 40 % are varied real templates, the rest the shapes above; each gets a scope condition
 * (see {@link scope}; `keyed` false: one the engine cannot index).
 * @throws Error when an import fails (a generator bug).
 */
export function generateTriggers(n: number, seed: number, templates = realTemplates(), keyed = true): Trigger[] {
  const r = rng(seed);
  const shapes = Object.keys(SHAPES);
  const raw = Array.from({ length: n }, (_, i) => {
    const base = r() < 0.4 ? pick(r, templates) : SHAPES[pick(r, shapes)](r);
    const all = [...base.all.map((c) => vary(r, c)), scope(r, keyed)];
    return {
      id: 1_000_000 + i,
      title: `Generated trigger ${i}`,
      active: true,
      position: Math.floor(r() * 50),
      category_id: String(10 + (i % 3)),
      conditions: { all: dedupe(all), any: base.any.map((c) => vary(r, c)) },
      actions: actionsFor(r, i),
    };
  });
  const imported = importTriggers({ triggers: raw });
  if (!imported.ok) throw new Error(`generated triggers do not import: ${JSON.stringify(imported.problems.slice(0, 3))}`);
  return imported.triggers;
}

/** Drops repeated conditions (a template may already carry the scope's group condition). */
function dedupe(conds: Condition[]): Condition[] {
  const seen = new Set<string>();
  return conds.filter((c) => {
    const key = JSON.stringify(c);
    if (seen.has(key)) return false;
    seen.add(key);
    return true;
  });
}

function randomTicket(r: Rand, id: string, book: ScheduleBook): TriggerTicket {
  return triggerTicket({
    id,
    status: pick(r, ['new', 'open', 'open', 'pending', 'solved', 'hold'] as const),
    priority: pick(r, ['low', 'normal', 'normal', 'high', 'urgent'] as const),
    group_id: r() < 0.85 ? pick(r, GROUPS) : null,
    assignee_id: r() < 0.6 ? pick(r, AGENTS) : null,
    requester_id: `user_${Math.floor(r() * 10_000)}`,
    brand_id: pick(r, BRANDS),
    tags: [...new Set(picks(r, TAG_POOL, 3 + Math.floor(r() * 3)))],
    subject: `${pick(r, COMMENTS)} (${picks(r, WORD_POOL, 3).join(' ')})`,
    via_id: pick(r, VIAS),
    schedule_id: r() < 0.5 ? pick(r, book).id : null,
  });
}

/**
 * `count` ticket updates: about a quarter creates (from an end user), the rest changes (status,
 * assignee, group, tags, priority, or nothing), with public or private comments or none, by an
 * agent, the end user or the system, at instants spread over one week (in and out of hours).
 */
export function generateUpdates(count: number, seed: number, book: ScheduleBook): TicketUpdate[] {
  const r = rng(seed);
  const week = Date.parse('2026-03-02T00:00:00Z');
  return Array.from({ length: count }, (_, i) => {
    const now = week + Math.floor(r() * 7 * 86_400_000);
    const comment = r() < 0.8 ? { public: r() < 0.75, text: pick(r, COMMENTS) } : null;
    if (r() < 0.25) {
      const after = { ...randomTicket(r, `t${i}`, book), status: 'new' as const, assignee_id: null };
      return { before: null, after, comment: comment ?? { public: true, text: pick(r, COMMENTS) }, update_type: 'Create', now, current_user: { id: after.requester_id, role: 'end_user' } };
    }
    const before = randomTicket(r, `t${i}`, book);
    const after: TriggerTicket = { ...before, tags: [...before.tags] };
    const roll = r();
    if (roll < 0.4) after.status = pick(r, ['open', 'pending', 'solved', 'hold'] as const);
    else if (roll < 0.6) after.assignee_id = pick(r, AGENTS);
    else if (roll < 0.72) after.group_id = pick(r, GROUPS);
    else if (roll < 0.85) after.tags.push(pick(r, TAG_POOL));
    else if (roll < 0.92) after.priority = pick(r, ['low', 'normal', 'high', 'urgent'] as const);
    const who = r();
    const current_user = who < 0.6 ? { id: pick(r, AGENTS), role: 'agent' as const } : who < 0.9 ? { id: before.requester_id, role: 'end_user' as const } : null;
    return { before, after, comment, update_type: 'Change', now, current_user };
  });
}
