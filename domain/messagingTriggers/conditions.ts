/**
 * Evaluation of one messaging-trigger condition (DOMAIN.md §4, §6). Pure and deterministic: the
 * instant comes with the event, agent presence and queue sizes from the caller, business hours from
 * the schedules module (zone per instant, DST-correct, holidays; DOMAIN.md §9 rule 5).
 */
import { IANAZone } from 'luxon';
import { DAY_MS, isWithin, localDayOf, offsetMs, scheduleFor, weekdayOf, type ScheduleBook } from '../schedules';
import { wordsOf } from '../triggers/conditions';
import type { SessionState, TicketStatus } from '../vocabulary';
import { DAY_VALUES, type MessagingEventType } from './catalog';
import type { CompiledMessagingCondition } from './validate';

/** The ticket as messaging triggers see it (messaging triggers run after hand-off, so there is one). */
export interface MessagingTicketView {
  id: string;
  status: TicketStatus;
  /** Tags as the ticket has them before the event's triggers run (compared case-insensitively). */
  tags: readonly string[];
  groupId: string | null;
  brandId: string | null;
  /** The ticket's business-hours schedule; null = the account's default (the first schedule). */
  scheduleId: string | null;
}

/** One messaging event (DOMAIN.md §4). */
export interface MessagingEvent {
  type: MessagingEventType;
  /** Instant of the event, ms since the Unix epoch; the engine never reads the clock. */
  now: number;
  /** The conversation's session state; nothing runs once it is `ended`. */
  sessionState: SessionState;
  ticket: MessagingTicketView;
  /** For `message_sent`: the end user's message. */
  message?: { text: string } | null;
}

/** What the engine needs from outside. */
export interface MessagingContext {
  /** Business-hours schedules; the first is the default (DOMAIN.md §6). Absent or empty = no schedule. */
  schedules?: ScheduleBook;
  /** Agents online for messaging in group `groupId` (null = the whole account). */
  onlineAgents: (groupId: string | null) => number;
  /** Tickets waiting in the routing queue of group `groupId` (null = the whole account). */
  queueSize: (groupId: string | null) => number;
  /** Record every condition's value and result (firings, and `unfired`). */
  explain?: boolean;
}

/** One condition's outcome, for explain. */
export interface MessagingConditionTrace {
  group: 'all' | 'any';
  index: number;
  field: string;
  operator: string;
  /** The value as written. */
  value: unknown;
  /** What the condition read (hour, day name, online count, queue size, tags, text, brand...). */
  actual: unknown;
  /** For hour_of_day and day_of_week: the IANA zone used. */
  timeZone?: string;
  result: boolean;
}

/** The zone of hour/day conditions: the condition's own, else the default schedule's, else UTC. */
export function conditionZone(c: CompiledMessagingCondition, schedules: ScheduleBook | undefined): string {
  return c.zone ?? schedules?.[0]?.timeZone ?? 'UTC';
}

/** Local hour (0–23) and weekday (0 = Sunday) of instant `t` in IANA zone `zone`, DST-correct. */
export function localClock(zone: string, t: number): { hour: number; weekday: number } {
  const z = IANAZone.create(zone);
  const local = t + offsetMs(z, t);
  const hour = Math.floor((((local % DAY_MS) + DAY_MS) % DAY_MS) / 3_600_000);
  return { hour, weekday: weekdayOf(localDayOf(z, t)) };
}

function compare(op: string, a: number, b: number): boolean {
  switch (op) {
    case 'less_than':
      return a < b;
    case 'greater_than':
      return a > b;
    case 'is_not':
      return a !== b;
    default:
      return a === b;
  }
}

function hasTerm(words: readonly string[], term: readonly string[]): boolean {
  for (let i = 0; i + term.length <= words.length; i++) {
    if (term.every((w, j) => words[i + j] === w)) return true;
  }
  return false;
}

/**
 * Evaluates one compiled condition. `tags` are the ticket's tags as earlier triggers of this event
 * left them. Returns the result with what it read (for explain).
 */
export function evaluateMessagingCondition(
  c: CompiledMessagingCondition,
  event: MessagingEvent,
  tags: readonly string[],
  context: MessagingContext,
): MessagingConditionTrace {
  const base = { group: c.group, index: c.index, field: c.field, operator: c.operator, value: c.value };
  const done = (actual: unknown, result: boolean, timeZone?: string): MessagingConditionTrace => ({
    ...base,
    actual,
    ...(timeZone === undefined ? {} : { timeZone }),
    result,
  });
  const want = c.expected;
  const positive = c.operator === 'is' || c.operator === 'includes';
  switch (c.field) {
    case 'hour_of_day':
    case 'day_of_week': {
      const zone = conditionZone(c, context.schedules);
      const { hour, weekday } = localClock(zone, event.now);
      if (c.field === 'hour_of_day') return done(hour, want.kind === 'number' && compare(c.operator, hour, want.n), zone);
      const inList = want.kind === 'days' && want.days.includes(weekday);
      return done(DAY_VALUES[weekday], positive === inList, zone);
    }
    case 'within_schedule': {
      const id = want.kind === 'id' ? want.id : null;
      const schedule = (context.schedules ?? []).find((s) => s.id === id);
      if (!schedule) return done(null, false);
      const inside = isWithin(schedule, event.now);
      return done(inside, positive === inside);
    }
    case 'in_business_hours': {
      const schedule = scheduleFor(context.schedules ?? [], event.ticket.scheduleId);
      const inside = schedule === undefined || isWithin(schedule, event.now);
      return done(inside, want.kind === 'flag' && inside === want.flag);
    }
    case 'agent_status':
    case 'group_status': {
      const online = context.onlineAgents(c.field === 'agent_status' ? null : c.groupId);
      const isOnline = online > 0;
      return done(online, want.kind === 'flag' && positive === (isOnline === want.flag));
    }
    case 'queue_size': {
      const size = context.queueSize(c.groupId);
      return done(size, want.kind === 'number' && compare(c.operator, size, want.n));
    }
    case 'current_tags': {
      const have = new Set(tags.map((t) => t.toLowerCase()));
      const hit = want.kind === 'tags' && want.tags.some((t) => have.has(t));
      return done([...tags], positive === hit);
    }
    case 'message_text_includes_word': {
      const text = event.message?.text ?? '';
      const words = wordsOf(text);
      const hit = want.kind === 'terms' && want.terms.some((t) => hasTerm(words, t));
      return done(text, positive === hit);
    }
    default: {
      // brand_id
      const brand = event.ticket.brandId;
      const same = want.kind === 'id' && brand === want.id;
      return done(brand, positive === same);
    }
  }
}
