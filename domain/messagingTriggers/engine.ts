/**
 * The messaging trigger engine (DOMAIN.md §4 "Messaging triggers"), pure and deterministic: no I/O,
 * no clock reads (the event carries its instant), no randomness.
 *
 * Contract, for one messaging event:
 * - Nothing runs once the session has ended (`skipped: "session_ended"`; DOMAIN.md §1, §3), nor on
 *   a closed ticket (`skipped: "ticket_closed"`).
 * - Active triggers whose event is this event's type are taken in order of `position` (absent
 *   last), then id (numeric ids by value, before text ids), then their order in the list.
 * - One pass, no restart loop (unlike ticket triggers): each trigger whose conditions hold (ALL:
 *   every one; ANY: at least one; none: always) fires once and returns its actions in order.
 * - Tag changes of a firing are visible to later triggers of the same event when they happen at
 *   once, i.e. before the trigger's first `wait`; changes after a wait happen later and are not seen
 *   by this evaluation (**ours**).
 * - `wait` delays the later actions of its own trigger only: every action carries `afterSeconds`,
 *   the sum of the trigger's earlier waits. The caller runs them with durable timers and must drop
 *   what is left of a firing if the session ends or the ticket closes during a wait (the "never
 *   once the session has ended" rule holds at every step).
 */
import { DomainError } from '../errors';
import { formatProblems } from '../triggers/import';
import { isMessagingEvent } from './catalog';
import {
  evaluateMessagingCondition,
  type MessagingConditionTrace,
  type MessagingContext,
  type MessagingEvent,
} from './conditions';
import type { MessagingTrigger } from './schema';
import { compileMessagingTrigger, type CompiledMessagingTrigger, type MessagingActionBody } from './validate';

/** An action of a firing, resolved and placed in time. */
export type ResolvedMessagingAction = MessagingActionBody & {
  /** Index of the action in the trigger's `actions`. */
  index: number;
  /** Stable key `<trigger id or title:...>/<index>`; combine with the event's id for idempotency. */
  key: string;
  /** Seconds after the event at which it runs: the sum of the trigger's earlier waits. */
  afterSeconds: number;
};

/** Which trigger did something (DOMAIN.md §9 rule 8). */
export interface MessagingTriggerSource {
  /** The trigger id as text; null for a trigger without id. */
  triggerId: string | null;
  title: string;
  revision?: number;
}

/** One firing, in firing order. */
export interface MessagingFiring extends MessagingTriggerSource {
  position: number | null;
  actions: ResolvedMessagingAction[];
  /** With `explain`: every condition's value and result. */
  conditions?: MessagingConditionTrace[];
}

/** Result of {@link evaluateMessagingTriggers}. */
export interface MessagingEvaluation {
  firings: MessagingFiring[];
  /** Why nothing ran, if so. */
  skipped: 'session_ended' | 'ticket_closed' | null;
  /** The ticket's tags after the firings' immediate (not waited) tag actions. */
  tags: string[];
  /** With `explain`: matching-event active triggers that did not fire, with their conditions. */
  unfired?: (MessagingTriggerSource & { conditions: MessagingConditionTrace[] })[];
}

const compiledCache = new WeakMap<MessagingTrigger, CompiledMessagingTrigger>();

/**
 * Compiles a messaging trigger (memoised per object). Triggers from `importMessagingTriggers` always compile.
 * @throws DomainError `invalid_input` listing every problem of an invalid trigger.
 */
export function compileMessaging(trigger: MessagingTrigger, index = 0): CompiledMessagingTrigger {
  const cached = compiledCache.get(trigger);
  if (cached) return cached;
  const { compiled, problems } = compileMessagingTrigger(trigger, `$[${index}]`, index);
  if (!compiled) throw new DomainError('invalid_input', `invalid messaging trigger: ${formatProblems(problems).join('; ')}`);
  compiledCache.set(trigger, compiled);
  return compiled;
}

function compareIds(a: string | null, b: string | null): number {
  if (a === b) return 0;
  if (a === null) return 1;
  if (b === null) return -1;
  const da = /^\d+$/.test(a);
  const db = /^\d+$/.test(b);
  if (da && db) return a.length - b.length || (a < b ? -1 : 1);
  if (da !== db) return da ? -1 : 1;
  return a < b ? -1 : 1;
}

const orderedCache = new WeakMap<readonly MessagingTrigger[], CompiledMessagingTrigger[]>();

/**
 * Active triggers, compiled, in evaluation order: position (absent last), id, list order. Cached per
 * array object, so callers should keep the array they evaluate with (and not change it in place).
 * @throws DomainError `invalid_input` for an invalid trigger.
 */
export function orderMessagingTriggers(triggers: readonly MessagingTrigger[]): CompiledMessagingTrigger[] {
  const cached = orderedCache.get(triggers);
  if (cached) return cached;
  const keyed = triggers.map((t, i) => ({ c: compileMessaging(t, i), i })).filter(({ c }) => c.trigger.active !== false);
  keyed.sort((x, y) => {
    const pa = x.c.trigger.position ?? Number.POSITIVE_INFINITY;
    const pb = y.c.trigger.position ?? Number.POSITIVE_INFINITY;
    if (pa !== pb) return pa < pb ? -1 : 1;
    return compareIds(x.c.id, y.c.id) || x.i - y.i;
  });
  const ordered = keyed.map(({ c }) => c);
  orderedCache.set(triggers, ordered);
  return ordered;
}

function sourceOf(t: CompiledMessagingTrigger): MessagingTriggerSource {
  return { triggerId: t.id, title: t.trigger.title, ...(t.trigger.revision === undefined ? {} : { revision: t.trigger.revision }) };
}

function matches(
  t: CompiledMessagingTrigger,
  event: MessagingEvent,
  tags: readonly string[],
  context: MessagingContext,
  explain: boolean,
): { fired: boolean; traces: MessagingConditionTrace[] } {
  const traces: MessagingConditionTrace[] = [];
  const check = (c: (typeof t.conditions)[number]): boolean => {
    const tr = evaluateMessagingCondition(c, event, tags, context);
    if (explain) traces.push(tr);
    return tr.result;
  };
  if (t.conditions.length === 0) return { fired: true, traces };
  if (explain) {
    const results = t.conditions.map(check);
    return { fired: t.mode === 'all' ? results.every(Boolean) : results.some(Boolean), traces };
  }
  return { fired: t.mode === 'all' ? t.conditions.every(check) : t.conditions.some(check), traces };
}

/** Adds or removes tags case-insensitively (order kept, first spelling wins). */
function applyTags(current: string[], body: MessagingActionBody): string[] {
  const lower = (t: string): string => t.toLowerCase();
  if (body.type === 'remove_tags') {
    const drop = new Set(body.tags.map(lower));
    return current.filter((t) => !drop.has(lower(t)));
  }
  if (body.type !== 'add_tags') return current;
  const next = [...current];
  const seen = new Set(next.map(lower));
  for (const t of body.tags) {
    if (!seen.has(lower(t))) {
      seen.add(lower(t));
      next.push(t);
    }
  }
  return next;
}

/**
 * Runs messaging triggers on one messaging event (DOMAIN.md §4; the contract is in this file's
 * header). Pure: nothing given is changed.
 * @param triggers triggers as imported (inactive ones and other events' ones are skipped); compiled
 *   and ordered once per array object.
 * @returns the firings in order, each with its resolved actions.
 * @throws DomainError `invalid_input` for an invalid trigger, an unknown event type or an instant
 *   that is not a finite number.
 */
export function evaluateMessagingTriggers(
  triggers: readonly MessagingTrigger[],
  event: MessagingEvent,
  context: MessagingContext,
): MessagingEvaluation {
  if (!isMessagingEvent(event.type)) throw new DomainError('invalid_input', `unknown messaging event "${String(event.type)}"`);
  if (!Number.isFinite(event.now)) throw new DomainError('invalid_input', `event instant must be epoch milliseconds, got ${String(event.now)}`);
  const explain = context.explain === true;
  const skipped = event.sessionState === 'ended' ? 'session_ended' : event.ticket.status === 'closed' ? 'ticket_closed' : null;
  let tags = [...event.ticket.tags];
  if (skipped) return { firings: [], skipped, tags, ...(explain ? { unfired: [] } : {}) };
  const firings: MessagingFiring[] = [];
  const unfired: NonNullable<MessagingEvaluation['unfired']> = [];
  for (const t of orderMessagingTriggers(triggers)) {
    if (t.event !== event.type) continue;
    const { fired, traces } = matches(t, event, tags, context, explain);
    const source = sourceOf(t);
    if (!fired) {
      if (explain) unfired.push({ ...source, conditions: traces });
      continue;
    }
    const keyBase = t.id ?? `title:${t.trigger.title}`;
    let afterSeconds = 0;
    const actions = t.actions.map((body, index): ResolvedMessagingAction => {
      const own = body.type === 'add_tags' || body.type === 'remove_tags' ? { ...body, tags: [...body.tags] } : { ...body };
      const resolved = { ...own, index, key: `${keyBase}/${index}`, afterSeconds };
      if (body.type === 'wait') afterSeconds += body.seconds;
      else if (afterSeconds === 0) tags = applyTags(tags, body);
      return resolved;
    });
    firings.push({ ...source, position: t.trigger.position ?? null, actions, ...(explain ? { conditions: traces } : {}) });
  }
  return { firings, skipped: null, tags, ...(explain ? { unfired } : {}) };
}
