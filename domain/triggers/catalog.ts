/**
 * What a ticket trigger may say (DOMAIN.md §4): condition fields with their operators and allowed
 * values, action fields with their values, and the `via_id` channel codes.
 *
 * Built from two real `GET /api/v2/triggers/definitions` responses (the Salto "myBrand" account and
 * the Mattermost test account, shared/data/zendesk-triggers/), written here as code: nothing is read
 * at run time. Account-specific values in those catalogues (user, group, brand, form, schedule ids)
 * are not copied; such fields accept any id. Entries marked **ours** are Parley's own (the messaging
 * fields, whose Zendesk API names are not public) or values the catalogues do not show.
 */

/** Every operator a Zendesk trigger condition can carry (union of both definitions catalogues). */
export const ZENDESK_OPERATORS = [
  'is',
  'is_not',
  'less_than',
  'greater_than',
  'less_than_equal',
  'greater_than_equal',
  'changed',
  'value',
  'value_previous',
  'not_changed',
  'not_value',
  'not_value_previous',
  'present',
  'not_present',
  'includes',
  'not_includes',
  'includes_words',
  'not_includes_words',
  'includes_string',
  'not_includes_string',
  'within_previous_n_days',
  'within_next_n_days',
] as const;

/** The operators Parley evaluates (DOMAIN.md §4). */
export const OPERATORS = [
  'is',
  'is_not',
  'less_than',
  'greater_than',
  'changed',
  'value',
  'value_previous',
  'not_changed',
  'not_value',
  'not_value_previous',
  'present',
  'not_present',
  'includes',
  'not_includes',
] as const;
export type Operator = (typeof OPERATORS)[number];

/** Operators that compare the ticket before the update with the ticket now ("changed" family). */
export const CHANGE_OPERATORS = ['changed', 'value', 'value_previous', 'not_changed', 'not_value', 'not_value_previous'] as const;
/** Operators that need no value. */
export const VALUELESS_OPERATORS: readonly Operator[] = ['changed', 'not_changed', 'present', 'not_present'];

const LIST_OPS = ['is', 'is_not', ...CHANGE_OPERATORS] as const;
const ORDERED_OPS = ['is', 'is_not', 'less_than', 'greater_than', ...CHANGE_OPERATORS] as const;
const NULLABLE_LIST_OPS = [...LIST_OPS, 'present', 'not_present'] as const;

/** One allowed value of a closed list, with its display title. */
export interface AllowedValue {
  value: string;
  title: string;
}

/**
 * Ticket channels by `via_id` as both definitions catalogues list them (condition "Channel"), plus
 * Parley's messaging code. `name` is the value the `channel` alias accepts: the snake_case of the
 * catalogue title (**ours**; the catalogues give titles only).
 */
export const VIA_CHANNELS: readonly { id: number; name: string; title: string }[] = [
  { id: 0, name: 'web_form', title: 'Web form' },
  { id: 4, name: 'email', title: 'Email' },
  { id: 5, name: 'web_service', title: 'Web service (API)' },
  { id: 8, name: 'automation', title: 'Automation' },
  { id: 16, name: 'get_satisfaction', title: 'Get Satisfaction' },
  { id: 23, name: 'twitter_like', title: 'Twitter Like' },
  { id: 24, name: 'forum_topic', title: 'Forum topic' },
  { id: 26, name: 'twitter_dm', title: 'Twitter DM' },
  { id: 27, name: 'closed_ticket', title: 'Closed ticket' },
  { id: 29, name: 'chat', title: 'Chat' },
  { id: 30, name: 'twitter', title: 'Twitter' },
  { id: 31, name: 'ticket_sharing', title: 'Ticket sharing' },
  { id: 33, name: 'voicemail', title: 'Voicemail' },
  { id: 34, name: 'phone_call_incoming', title: 'Phone call (incoming)' },
  { id: 35, name: 'phone_call_outgoing', title: 'Phone call (outgoing)' },
  { id: 38, name: 'facebook_post', title: 'Facebook Post' },
  { id: 41, name: 'facebook_private_message', title: 'Facebook Private Message' },
  { id: 44, name: 'cti_voicemail', title: 'CTI voicemail' },
  { id: 45, name: 'cti_phone_call_incoming', title: 'CTI phone call (incoming)' },
  { id: 46, name: 'cti_phone_call_outgoing', title: 'CTI phone call (outgoing)' },
  { id: 48, name: 'web_widget', title: 'Web Widget' },
  { id: 49, name: 'mobile_sdk', title: 'Mobile SDK' },
  { id: 50, name: 'help_center_post', title: 'Help Center post' },
  { id: 54, name: 'satisfaction_prediction', title: 'Satisfaction Prediction' },
  { id: 55, name: 'channel_integrations', title: 'Channel Integrations' },
  { id: 56, name: 'mobile', title: 'Mobile' },
  { id: 57, name: 'text', title: 'Text' },
  { id: 67, name: 'answer_bot_for_web_widget', title: 'Answer Bot for Web Widget' },
  { id: 72, name: 'line', title: 'LINE' },
  { id: 73, name: 'wechat', title: 'WeChat' },
  { id: 74, name: 'whatsapp', title: 'WhatsApp' },
  { id: 75, name: 'messaging', title: 'Messaging' },
  { id: 78, name: 'facebook_messenger', title: 'Facebook Messenger' },
  { id: 86, name: 'instagram_direct', title: 'Instagram Direct' },
  { id: 88, name: 'twitter_direct_message', title: 'Twitter Direct Message' },
];

/**
 * `via_id` of Parley's messaging tickets (the `channel is messaging` condition). **Ours**: neither
 * definitions catalogue lists native messaging (both accounts predate it or lack it); 75 is the
 * number we believe Zendesk's via-types reference gives `native_messaging`, unconfirmed here. It
 * collides with no catalogue code.
 */
export const VIA_MESSAGING = 75;

const viaValues: AllowedValue[] = VIA_CHANNELS.map((c) => ({ value: String(c.id), title: c.title }));
const channelValues: AllowedValue[] = VIA_CHANNELS.map((c) => ({ value: c.name, title: c.title }));

/** `via_id` for a `channel` alias name (e.g. `messaging` → 75), or undefined. */
export function viaIdOfChannelName(name: string): number | undefined {
  return VIA_CHANNELS.find((c) => c.name === name)?.id;
}

/** Ticket statuses (DOMAIN.md §1; the catalogues omit `hold`, which those accounts had turned off). */
export const STATUS_VALUES: AllowedValue[] = [
  { value: 'new', title: 'New' },
  { value: 'open', title: 'Open' },
  { value: 'pending', title: 'Pending' },
  { value: 'hold', title: 'On-hold' },
  { value: 'solved', title: 'Solved' },
  { value: 'closed', title: 'Closed' },
];
/** Ticket types (catalogue condition "Type"). */
export const TICKET_TYPES = ['question', 'incident', 'problem', 'task'] as const;
export type TicketType = (typeof TICKET_TYPES)[number];
/**
 * Satisfaction states of a ticket (**ours**: CSAT was off in both catalogued accounts, so the
 * condition is absent from them; these are the states Zendesk documents for a rating).
 */
export const SATISFACTION_SCORES = ['unoffered', 'offered', 'bad', 'bad_with_comment', 'good', 'good_with_comment'] as const;
export type SatisfactionScore = (typeof SATISFACTION_SCORES)[number];
/** Why a messaging session went inactive (**ours**: DOMAIN.md §5 knows one cause). */
export const INACTIVE_REASONS = ['end_user_inactivity'] as const;
export type InactiveReason = (typeof INACTIVE_REASONS)[number];

const values = (list: readonly string[], titles?: Record<string, string>): AllowedValue[] =>
  list.map((v) => ({ value: v, title: titles?.[v] ?? v }));

/** How a condition's value is read and checked. */
export type ValueKind =
  | 'enum' // one of `values`
  | 'id' // any id (number or digits, or a special token in `specials`)
  | 'text' // free text (words or a string)
  | 'tags' // space-separated tags
  | 'count' // non-negative integer
  | 'any'; // anything (custom fields)

/** A condition field Parley evaluates. */
export interface ConditionFieldSpec {
  field: string;
  title: string;
  operators: readonly Operator[];
  kind: ValueKind;
  /** Closed list of values (kind `enum`), or special tokens accepted besides ids (kind `id`). */
  values?: readonly AllowedValue[];
  /** `""`/`"__NULL__"`/null mean "no value" (the catalogue's "-" entry). */
  nullable: boolean;
  /** Order of values for `less_than`/`greater_than` (status, priority). */
  ordered?: boolean;
  /** Where the name comes from: the Zendesk catalogues, or Parley (**ours**). */
  origin: 'zendesk' | 'ours';
  /** For aliases: the field this one stands for. */
  aliasOf?: string;
}

/** Condition fields Parley evaluates, by name. Custom ticket fields (`custom_fields_<id>`) are added by {@link conditionSpec}. */
export const CONDITION_FIELDS: Readonly<Record<string, ConditionFieldSpec>> = Object.freeze(
  Object.fromEntries(
    (
      [
        { field: 'status', title: 'Status', operators: ORDERED_OPS, kind: 'enum', values: STATUS_VALUES, nullable: false, ordered: true, origin: 'zendesk' },
        { field: 'type', title: 'Type', operators: LIST_OPS, kind: 'enum', values: values(TICKET_TYPES), nullable: true, origin: 'zendesk' },
        {
          field: 'priority',
          title: 'Priority',
          operators: ORDERED_OPS,
          kind: 'enum',
          values: values(['low', 'normal', 'high', 'urgent']),
          nullable: true,
          ordered: true,
          origin: 'zendesk',
        },
        { field: 'group_id', title: 'Group', operators: LIST_OPS, kind: 'id', nullable: true, origin: 'zendesk' },
        {
          field: 'assignee_id',
          title: 'Assignee',
          operators: LIST_OPS,
          kind: 'id',
          values: [
            { value: 'current_user', title: '(current user)' },
            { value: 'requester_id', title: '(requester)' },
          ],
          nullable: true,
          origin: 'zendesk',
        },
        {
          field: 'requester_id',
          title: 'Requester',
          operators: LIST_OPS,
          kind: 'id',
          values: [
            { value: 'current_user', title: '(current user)' },
            { value: 'assignee_id', title: '(assignee)' },
          ],
          nullable: false,
          origin: 'zendesk',
        },
        { field: 'organization_id', title: 'Organization', operators: LIST_OPS, kind: 'id', nullable: true, origin: 'zendesk' },
        { field: 'brand_id', title: 'Brand', operators: LIST_OPS, kind: 'id', nullable: false, origin: 'zendesk' },
        { field: 'ticket_form_id', title: 'Form', operators: LIST_OPS, kind: 'id', nullable: false, origin: 'zendesk' },
        { field: 'current_tags', title: 'Tags', operators: ['includes', 'not_includes'], kind: 'tags', nullable: false, origin: 'zendesk' },
        { field: 'via_id', title: 'Channel', operators: ['is', 'is_not'], kind: 'enum', values: viaValues, nullable: false, origin: 'zendesk' },
        { field: 'current_via_id', title: 'Update via', operators: ['is', 'is_not'], kind: 'enum', values: viaValues, nullable: false, origin: 'zendesk' },
        { field: 'recipient', title: 'Received at', operators: ['is'], kind: 'text', nullable: false, origin: 'zendesk' },
        {
          field: 'update_type',
          title: 'Ticket',
          operators: ['is'],
          kind: 'enum',
          values: values(['Create', 'Change'], { Create: 'Created', Change: 'Updated' }),
          nullable: false,
          origin: 'zendesk',
        },
        {
          field: 'subject_includes_word',
          title: 'Subject text',
          operators: ['includes', 'not_includes', 'is', 'is_not'],
          kind: 'text',
          nullable: false,
          origin: 'zendesk',
        },
        {
          field: 'ticket_is_public',
          title: 'Privacy',
          operators: ['is'],
          kind: 'enum',
          values: values(['public', 'private'], { public: 'Ticket has public comments', private: 'Ticket has no public comments' }),
          nullable: false,
          origin: 'zendesk',
        },
        {
          field: 'comment_is_public',
          title: 'Comment',
          operators: ['is'],
          kind: 'enum',
          values: values(['true', 'false', 'not_relevant', 'requester_can_see_comment'], {
            true: 'Public',
            false: 'Private',
            not_relevant: 'Present (public or private)',
            requester_can_see_comment: 'Present, and requester can see the comment',
          }),
          nullable: false,
          origin: 'zendesk',
        },
        {
          field: 'comment_includes_word',
          title: 'Comment text',
          operators: ['includes', 'not_includes', 'is', 'is_not'],
          kind: 'text',
          nullable: false,
          origin: 'zendesk',
        },
        { field: 'reopens', title: 'Reopens', operators: ['less_than', 'greater_than', 'is'], kind: 'count', nullable: false, origin: 'zendesk' },
        { field: 'replies', title: 'Agent replies', operators: ['less_than', 'greater_than', 'is'], kind: 'count', nullable: false, origin: 'zendesk' },
        {
          field: 'in_business_hours',
          title: 'Within business hours?',
          operators: ['is'],
          kind: 'enum',
          values: values(['true', 'false'], { true: 'Yes', false: 'No' }),
          nullable: false,
          origin: 'zendesk',
        },
        { field: 'schedule_id', title: 'Schedule', operators: ['is', 'is_not'], kind: 'id', nullable: false, origin: 'zendesk' },
        { field: 'within_schedule', title: 'Within (schedule)', operators: ['is'], kind: 'id', nullable: false, origin: 'zendesk' },
        {
          field: 'role',
          title: 'Current user',
          operators: ['is', 'is_not'],
          kind: 'id',
          values: [
            { value: 'agent', title: '(agent)' },
            { value: 'end_user', title: '(end-user)' },
          ],
          nullable: false,
          origin: 'zendesk',
        },
        {
          field: 'satisfaction_score',
          title: 'Satisfaction',
          operators: LIST_OPS,
          kind: 'enum',
          values: values(SATISFACTION_SCORES),
          nullable: false,
          origin: 'ours',
        },
        {
          field: 'channel',
          title: 'Channel (alias of via_id)',
          operators: ['is', 'is_not'],
          kind: 'enum',
          values: channelValues,
          nullable: false,
          origin: 'ours',
          aliasOf: 'via_id',
        },
        {
          field: 'routing_channel',
          title: 'Routing channel',
          operators: LIST_OPS,
          kind: 'enum',
          values: values(['messaging', 'email']),
          nullable: false,
          origin: 'ours',
        },
        {
          field: 'messaging_session_state',
          title: 'Messaging session state',
          operators: NULLABLE_LIST_OPS,
          kind: 'enum',
          values: values(['active', 'inactive', 'ended']),
          nullable: true,
          origin: 'ours',
        },
        {
          field: 'messaging_session_ended_reason',
          title: 'Messaging session ended reason',
          operators: NULLABLE_LIST_OPS,
          kind: 'enum',
          values: values(['agent', 'end_user', 'trigger', 'inactivity'], {
            agent: 'Ended by agent',
            end_user: 'Ended by end user',
            trigger: 'Ended by trigger',
            inactivity: 'Ended by inactivity',
          }),
          nullable: true,
          origin: 'ours',
        },
        {
          field: 'messaging_session_inactive_reason',
          title: 'Messaging session inactive reason',
          operators: NULLABLE_LIST_OPS,
          kind: 'enum',
          values: values(INACTIVE_REASONS),
          nullable: true,
          origin: 'ours',
        },
      ] as ConditionFieldSpec[]
    ).map((s) => [s.field, s]),
  ),
);

/** Operators of custom ticket fields (`custom_fields_<id>`): the catalogues' four plus is/is_not and the change family. */
const CUSTOM_FIELD_OPS: readonly Operator[] = ['is', 'is_not', 'includes', 'not_includes', 'present', 'not_present', ...CHANGE_OPERATORS];

/** Matches a custom ticket field name; group 1 is the field id. */
export const CUSTOM_FIELD_PATTERN = /^custom_fields_(\d+)$/;

/** The spec of a condition field, including `custom_fields_<id>`; undefined for fields Parley does not evaluate. */
export function conditionSpec(field: string): ConditionFieldSpec | undefined {
  if (Object.prototype.hasOwnProperty.call(CONDITION_FIELDS, field)) return CONDITION_FIELDS[field];
  if (CUSTOM_FIELD_PATTERN.test(field)) {
    return { field, title: `Custom field ${field.slice('custom_fields_'.length)}`, operators: CUSTOM_FIELD_OPS, kind: 'any', nullable: true, origin: 'zendesk' };
  }
  return undefined;
}

/**
 * Condition fields that exist in Zendesk's catalogues but that Parley does not evaluate, with why.
 * Importing a trigger that uses one is refused with this reason (never silently ignored).
 */
export const UNSUPPORTED_CONDITION_FIELDS: Readonly<Record<string, string>> = {
  number_of_incidents: 'problem/incident linking is not modelled in Parley',
  agent_stations: 'assignee station counts are not tracked in Parley',
  group_stations: 'group station counts are not tracked in Parley',
  on_holiday: 'holidays belong to the schedules module, which the engine reaches only through inBusinessHours',
  ticket_due_date: 'task due dates are not modelled in Parley',
  requester_role: 'requester roles are not modelled in Parley (the current user is: use "role")',
  locale_id: 'requester languages are not modelled in Parley',
  requester_twitter_followers_count: 'Twitter profiles are not modelled in Parley',
  requester_twitter_statuses_count: 'Twitter profiles are not modelled in Parley',
  requester_twitter_verified: 'Twitter profiles are not modelled in Parley',
  requester_time_zone: 'requester time zones are not modelled in Parley',
};

/** Prefixes of user and organization custom fields (catalogue `requester.custom_fields.*` etc.), not modelled. */
export const UNSUPPORTED_FIELD_PREFIXES = ['requester.custom_fields.', 'organization.custom_fields.'] as const;

/** How an action's value is checked. */
export type ActionValueKind =
  | 'enum' // one of `values`
  | 'id' // any id, or a token from `values`
  | 'tags' // space-separated tags (or an array of tags)
  | 'notification' // [recipient, subject, body]
  | 'webhook' // [webhook id, body]
  | 'text' // comment text, or [channel, text]
  | 'boolean' // "true" / "false"
  | 'any';

/** An action field Parley runs. `effect` actions are returned to the caller instead of (or besides) changing a field. */
export interface ActionFieldSpec {
  field: string;
  title: string;
  kind: ActionValueKind;
  values?: readonly AllowedValue[];
  /** `""`/`"__NULL__"` clears the field. */
  nullable: boolean;
  origin: 'zendesk' | 'ours';
}

/** Action fields Parley runs, by name. Custom ticket fields are added by {@link actionSpec}. */
export const ACTION_FIELDS: Readonly<Record<string, ActionFieldSpec>> = Object.freeze(
  Object.fromEntries(
    (
      [
        {
          field: 'status',
          title: 'Status',
          kind: 'enum',
          values: STATUS_VALUES.filter((s) => s.value !== 'new'),
          nullable: false,
          origin: 'zendesk',
        },
        { field: 'priority', title: 'Priority', kind: 'enum', values: values(['low', 'normal', 'high', 'urgent']), nullable: false, origin: 'zendesk' },
        { field: 'type', title: 'Type', kind: 'enum', values: values(TICKET_TYPES), nullable: false, origin: 'zendesk' },
        { field: 'group_id', title: 'Group', kind: 'id', nullable: true, origin: 'zendesk' },
        {
          field: 'assignee_id',
          title: 'Assignee',
          kind: 'id',
          values: [
            { value: 'current_user', title: '(current user)' },
            { value: 'requester_id', title: '(requester)' },
          ],
          nullable: true,
          origin: 'zendesk',
        },
        { field: 'brand_id', title: 'Brand', kind: 'id', nullable: false, origin: 'zendesk' },
        { field: 'ticket_form_id', title: 'Form', kind: 'id', nullable: false, origin: 'zendesk' },
        { field: 'set_tags', title: 'Set tags', kind: 'tags', nullable: false, origin: 'zendesk' },
        { field: 'current_tags', title: 'Add tags', kind: 'tags', nullable: false, origin: 'zendesk' },
        { field: 'remove_tags', title: 'Remove tags', kind: 'tags', nullable: false, origin: 'zendesk' },
        { field: 'set_schedule', title: 'Set schedule', kind: 'id', nullable: false, origin: 'zendesk' },
        {
          field: 'notification_user',
          title: 'Email user',
          kind: 'notification',
          values: [
            { value: 'current_user', title: '(current user)' },
            { value: 'requester_and_ccs', title: '(requester and CCs)' },
            { value: 'requester_id', title: '(requester)' },
            { value: 'assignee_id', title: '(assignee)' },
            { value: 'all_agents', title: '(all non-restricted agents)' },
          ],
          nullable: false,
          origin: 'zendesk',
        },
        {
          field: 'notification_group',
          title: 'Email group',
          kind: 'notification',
          values: [{ value: 'group_id', title: '(assigned group)' }],
          nullable: false,
          origin: 'zendesk',
        },
        { field: 'notification_webhook', title: 'Notify active webhook', kind: 'webhook', nullable: false, origin: 'zendesk' },
        {
          field: 'satisfaction_score',
          title: 'Request customer satisfaction rating',
          kind: 'enum',
          values: [{ value: 'offered_to_requester', title: 'Offered to requester' }],
          nullable: false,
          origin: 'zendesk',
        },
        { field: 'comment_value', title: 'Comment', kind: 'text', nullable: false, origin: 'zendesk' },
        { field: 'comment_value_html', title: 'Comment (HTML)', kind: 'text', nullable: false, origin: 'zendesk' },
        { field: 'comment_mode_is_public', title: 'Comment mode', kind: 'boolean', nullable: false, origin: 'zendesk' },
        {
          field: 'messaging_session',
          title: 'Messaging session',
          kind: 'enum',
          values: [{ value: 'end_session', title: 'End session' }],
          nullable: false,
          origin: 'ours',
        },
        {
          field: 'routing_channel',
          title: 'Set routing channel',
          kind: 'enum',
          values: [{ value: 'email', title: 'Email' }],
          nullable: false,
          origin: 'ours',
        },
      ] as ActionFieldSpec[]
    ).map((s) => [s.field, s]),
  ),
);

/** The spec of an action field, including `custom_fields_<id>`; undefined for actions Parley does not run. */
export function actionSpec(field: string): ActionFieldSpec | undefined {
  if (Object.prototype.hasOwnProperty.call(ACTION_FIELDS, field)) return ACTION_FIELDS[field];
  if (CUSTOM_FIELD_PATTERN.test(field)) {
    return { field, title: `Custom field ${field.slice('custom_fields_'.length)}`, kind: 'any', nullable: true, origin: 'zendesk' };
  }
  return undefined;
}

/** Action fields that exist in Zendesk but that Parley refuses, with why (and what to use instead). */
export const UNSUPPORTED_ACTION_FIELDS: Readonly<Record<string, string>> = {
  notification_target: 'targets are deprecated; use notification_webhook',
  notification_sms_user: 'text (SMS) notifications are not supported by Parley',
  notification_sms_group: 'text (SMS) notifications are not supported by Parley',
  follower: 'followers are not modelled in Parley',
  cc: 'CCs are not modelled in Parley',
  locale_id: 'requester languages are not modelled in Parley',
  share_ticket: 'ticket sharing is not supported by Parley',
};

/** Names of the condition fields Parley accepts, for "allowed values" in import problems. */
export function allowedConditionFields(): string[] {
  return [...Object.keys(CONDITION_FIELDS), 'custom_fields_<id>'];
}

/** Names of the action fields Parley accepts, for "allowed values" in import problems. */
export function allowedActionFields(): string[] {
  return [...Object.keys(ACTION_FIELDS), 'custom_fields_<id>'];
}
