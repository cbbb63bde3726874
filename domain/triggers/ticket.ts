/**
 * The ticket as ticket triggers see it (DOMAIN.md §4): one flat record keyed by the Zendesk field
 * names, so a condition's field is a property lookup. It is a view: the conversation's
 * {@link Ticket} (domain/conversation.ts) plus what triggers can test that the conversation does not
 * keep yet (type, organization, brand, form, schedule, CSAT state, counters, custom fields), which
 * callers pass through `ticketViewOf` (domain/conversationTriggers.ts).
 */
import { z } from 'zod';
import { PrioritySchema, RoutingChannelSchema, SESSION_STATES, SessionEndedReasonSchema, TicketStatusSchema } from '../vocabulary';
import { INACTIVE_REASONS, SATISFACTION_SCORES, TICKET_TYPES, VIA_MESSAGING } from './catalog';

/** A custom field value: text, number, checkbox, drop-down (string) or multi-select (strings). */
export const CustomFieldValueSchema = z.union([z.string(), z.number(), z.boolean(), z.null(), z.array(z.string())]);
export type CustomFieldValue = z.infer<typeof CustomFieldValueSchema>;

/**
 * The trigger view of a ticket. Ids are strings. Defaults fit a new messaging ticket, so tests and
 * callers can give only what they know.
 */
export const TriggerTicketSchema = z.object({
  id: z.string().min(1),
  status: TicketStatusSchema.default('new'),
  type: z.enum(TICKET_TYPES).nullable().default(null),
  priority: PrioritySchema.nullable().default('normal'),
  group_id: z.string().nullable().default(null),
  assignee_id: z.string().nullable().default(null),
  requester_id: z.string().min(1).default('requester'),
  organization_id: z.string().nullable().default(null),
  brand_id: z.string().nullable().default(null),
  ticket_form_id: z.string().nullable().default(null),
  /** Tags, compared case-insensitively. */
  tags: z.array(z.string()).default([]),
  subject: z.string().default(''),
  /** Channel the ticket came from (catalogue `via_id` code); never changes. */
  via_id: z.number().int().nonnegative().default(VIA_MESSAGING),
  /** Routing channel (DOMAIN.md §1); null for tickets outside omnichannel routing. */
  routing_channel: RoutingChannelSchema.nullable().default('messaging'),
  /** The messaging session's state; null when the ticket has no messaging session. */
  messaging_session_state: z.enum(SESSION_STATES).nullable().default('active'),
  messaging_session_ended_reason: SessionEndedReasonSchema.nullable().default(null),
  messaging_session_inactive_reason: z.enum(INACTIVE_REASONS).nullable().default(null),
  /** Business-hours schedule; null = the account's default schedule (DOMAIN.md §6). */
  schedule_id: z.string().nullable().default(null),
  satisfaction_score: z.enum(SATISFACTION_SCORES).default('unoffered'),
  /** "Ticket has public comments" (condition `ticket_is_public`). */
  is_public: z.boolean().default(true),
  /** Times the ticket was reopened (solved → open). */
  reopens: z.number().int().nonnegative().default(0),
  /** Public agent replies so far. */
  replies: z.number().int().nonnegative().default(0),
  /** Support address the ticket was received at (email tickets), else null. */
  recipient: z.string().nullable().default(null),
  /** Custom ticket field values by field id (digits, as in `custom_fields_<id>`). */
  custom_fields: z.record(z.string(), CustomFieldValueSchema).default({}),
});
export type TriggerTicket = z.infer<typeof TriggerTicketSchema>;
export type TriggerTicketInput = z.input<typeof TriggerTicketSchema>;

/** Builds a full trigger view from the fields given (the rest get the schema's defaults). */
export function triggerTicket(input: TriggerTicketInput): TriggerTicket {
  return TriggerTicketSchema.parse(input);
}

/** A deep copy (tags, custom fields) so the engine never changes its caller's objects. */
export function cloneTicket(t: TriggerTicket): TriggerTicket {
  const custom: Record<string, CustomFieldValue> = {};
  for (const [k, v] of Object.entries(t.custom_fields)) custom[k] = Array.isArray(v) ? [...v] : v;
  return { ...t, tags: [...t.tags], custom_fields: custom };
}
