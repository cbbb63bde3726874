/**
 * What a messaging trigger may say (DOMAIN.md §4, "Messaging triggers"): its events, condition
 * fields with their operators, values and extra keys, and its actions. One catalogue, read both by
 * validation (`validate.ts`) and by the problems it reports ("allowed: ..."). Zendesk publishes no
 * API for messaging triggers, so every name here is **ours**, chosen after the admin-centre labels.
 */

/** Events a messaging trigger can run on. */
export const MESSAGING_EVENTS = ['conversation_requested', 'message_sent', 'added_to_queue', 'assigned_from_queue'] as const;
export type MessagingEventType = (typeof MESSAGING_EVENTS)[number];

/** What each event means (DOMAIN.md §2, §4). */
export const MESSAGING_EVENT_TITLES: Readonly<Record<MessagingEventType, string>> = {
  conversation_requested: 'Conversation requested: the AI agent handed off to a human (the ticket was created)',
  message_sent: 'Message sent: the end user sent a message',
  added_to_queue: 'Added to queue: the ticket entered the routing queue',
  assigned_from_queue: 'Assigned from queue: routing assigned the ticket to an agent',
};

/** Condition operators messaging triggers use (a subset of the ticket-trigger names). */
export const MESSAGING_OPERATORS = ['is', 'is_not', 'less_than', 'greater_than', 'includes', 'not_includes'] as const;
export type MessagingOperator = (typeof MESSAGING_OPERATORS)[number];

/** Weekday values of `day_of_week`, Sunday first (as schedules count them). */
export const DAY_VALUES = ['sun', 'mon', 'tue', 'wed', 'thu', 'fri', 'sat'] as const;
/** Values of `agent_status` and `group_status`. */
export const PRESENCE_VALUES = ['online', 'offline'] as const;

/**
 * How a condition value is read:
 * - `hour`: whole hour 0–23 (number or digits);
 * - `days`: a day name or a non-empty list of them (`is` = today is one of them);
 * - `schedule`: a schedule id (number or text);
 * - `boolean`: `true`/`false` (or the text `"true"`/`"false"`);
 * - `presence`: `online`/`offline`;
 * - `count`: whole number ≥ 0 (number or digits);
 * - `tags`: space-separated tags or a list of tags (compared case-insensitively);
 * - `words`: words and `"quoted phrases"`, compared case-insensitively as whole words;
 * - `id`: an id (number or text).
 */
export type MessagingValueKind = 'hour' | 'days' | 'schedule' | 'boolean' | 'presence' | 'count' | 'tags' | 'words' | 'id';

/** Extra keys a condition may carry besides `field`, `operator`, `value`. */
export const CONDITION_EXTRA_KEYS = ['time_zone', 'group_id'] as const;
export type ConditionExtraKey = (typeof CONDITION_EXTRA_KEYS)[number];

/** One condition field of the catalogue. */
export interface MessagingConditionSpec {
  field: string;
  title: string;
  operators: readonly MessagingOperator[];
  kind: MessagingValueKind;
  /** Closed list of values, when there is one. */
  values?: readonly string[];
  /** Extra keys allowed on the condition; `required` ones must be given. */
  extra?: Partial<Record<ConditionExtraKey, 'optional' | 'required'>>;
  /** Events the field makes sense on; absent = every event. */
  events?: readonly MessagingEventType[];
  /** What the condition reads, in words (for docs and problems). */
  reads: string;
}

/** The condition fields of messaging triggers, by name. */
export const MESSAGING_CONDITION_FIELDS: Readonly<Record<string, MessagingConditionSpec>> = Object.freeze({
  hour_of_day: {
    field: 'hour_of_day',
    title: 'Hour of day',
    operators: ['is', 'is_not', 'less_than', 'greater_than'],
    kind: 'hour',
    extra: { time_zone: 'optional' },
    reads: 'the local hour (0–23) at the event instant, in `time_zone` (IANA or Zendesk name), else the default schedule\'s zone, else UTC',
  },
  day_of_week: {
    field: 'day_of_week',
    title: 'Day of week',
    operators: ['is', 'is_not'],
    kind: 'days',
    values: DAY_VALUES,
    extra: { time_zone: 'optional' },
    reads: 'the local weekday at the event instant, zone as for hour_of_day',
  },
  within_schedule: {
    field: 'within_schedule',
    title: 'Within schedule',
    operators: ['is', 'is_not'],
    kind: 'schedule',
    reads: 'is the event instant within business hours of the schedule with this id (an unknown schedule makes the condition false)',
  },
  in_business_hours: {
    field: 'in_business_hours',
    title: 'Within business hours',
    operators: ['is'],
    kind: 'boolean',
    values: ['true', 'false'],
    reads: "is the event instant within the ticket's schedule (else the default schedule); always true when the account has no schedule",
  },
  agent_status: {
    field: 'agent_status',
    title: 'Agent status',
    operators: ['is', 'is_not'],
    kind: 'presence',
    values: PRESENCE_VALUES,
    reads: 'online when at least one agent of the account is online for messaging',
  },
  group_status: {
    field: 'group_status',
    title: 'Group status',
    operators: ['is', 'is_not'],
    kind: 'presence',
    values: PRESENCE_VALUES,
    extra: { group_id: 'required' },
    reads: 'online when at least one agent of group `group_id` is online for messaging',
  },
  queue_size: {
    field: 'queue_size',
    title: 'Queue size',
    operators: ['is', 'less_than', 'greater_than'],
    kind: 'count',
    extra: { group_id: 'optional' },
    reads: 'tickets waiting in the routing queue: of group `group_id` when given, else of the whole account',
  },
  current_tags: {
    field: 'current_tags',
    title: 'Tags',
    operators: ['includes', 'not_includes'],
    kind: 'tags',
    reads: "the ticket's tags, as earlier messaging triggers of this event left them; includes = at least one of the tags (case-insensitive)",
  },
  message_text_includes_word: {
    field: 'message_text_includes_word',
    title: 'Message text',
    operators: ['includes', 'not_includes'],
    kind: 'words',
    events: ['message_sent'],
    reads: "the end user's message: includes = at least one of the words or \"quoted phrases\" (case-insensitive, whole words)",
  },
  brand_id: {
    field: 'brand_id',
    title: 'Brand',
    operators: ['is', 'is_not'],
    kind: 'id',
    reads: "the ticket's brand",
  },
});

/** Action kinds: `message` (text or `{text}`), `seconds` (1–600), `text`, `tags`. */
export type MessagingActionKind = 'message' | 'seconds' | 'text' | 'tags';

/** One action of the catalogue. */
export interface MessagingActionSpec {
  field: string;
  title: string;
  kind: MessagingActionKind;
  /** What the action does, in words. */
  does: string;
}

/** Shortest and longest `wait`, in seconds. */
export const WAIT_SECONDS = { min: 1, max: 600 } as const;

/** The actions of messaging triggers, by name; a trigger's actions run in the order written. */
export const MESSAGING_ACTION_FIELDS: Readonly<Record<string, MessagingActionSpec>> = Object.freeze({
  send_message: { field: 'send_message', title: 'Send message', kind: 'message', does: 'posts the text to the end user in the conversation' },
  wait: {
    field: 'wait',
    title: 'Wait',
    kind: 'seconds',
    does: `delays the trigger's later actions by ${WAIT_SECONDS.min}–${WAIT_SECONDS.max} seconds (a durable timer)`,
  },
  request_email: { field: 'request_email', title: 'Request email', kind: 'text', does: "asks the end user for an email address with this prompt" },
  add_tags: { field: 'add_tags', title: 'Add tags', kind: 'tags', does: 'adds the tags to the ticket' },
  remove_tags: { field: 'remove_tags', title: 'Remove tags', kind: 'tags', does: 'removes the tags from the ticket' },
});

const has = (o: object, k: string): boolean => Object.prototype.hasOwnProperty.call(o, k);

/** The spec of a condition field, or undefined when the catalogue has no such field. */
export function messagingConditionSpec(field: string): MessagingConditionSpec | undefined {
  return has(MESSAGING_CONDITION_FIELDS, field) ? MESSAGING_CONDITION_FIELDS[field] : undefined;
}

/** The spec of an action, or undefined when the catalogue has no such action. */
export function messagingActionSpec(field: string): MessagingActionSpec | undefined {
  return has(MESSAGING_ACTION_FIELDS, field) ? MESSAGING_ACTION_FIELDS[field] : undefined;
}

/** True for a known event name. */
export function isMessagingEvent(name: string): name is MessagingEventType {
  return (MESSAGING_EVENTS as readonly string[]).includes(name);
}
