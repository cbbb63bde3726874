/**
 * Parley's shared vocabulary (DOMAIN.md §1). Pure types and zod schemas, safe to import from
 * workflows, activities, the HTTP server and the client alike.
 */
import { z } from 'zod';

/** Ticket statuses, in their Zendesk order (DOMAIN.md §1). Only `new`/`open` are routable. */
export const TICKET_STATUSES = ['new', 'open', 'pending', 'hold', 'solved', 'closed'] as const;
export const TicketStatusSchema = z.enum(TICKET_STATUSES);
export type TicketStatus = z.infer<typeof TicketStatusSchema>;

/** Ticket priorities, lowest first (Zendesk order). */
export const PRIORITIES = ['low', 'normal', 'high', 'urgent'] as const;
export const PrioritySchema = z.enum(PRIORITIES);
export type Priority = z.infer<typeof PrioritySchema>;

/** How omnichannel routing and capacity treat a ticket (DOMAIN.md §1, §5). */
export const ROUTING_CHANNELS = ['messaging', 'email'] as const;
export const RoutingChannelSchema = z.enum(ROUTING_CHANNELS);
export type RoutingChannel = z.infer<typeof RoutingChannelSchema>;

/** Session states (DOMAIN.md §1). */
export const SESSION_STATES = ['active', 'inactive', 'ended'] as const;
export type SessionState = (typeof SESSION_STATES)[number];

/**
 * Why a session ended (DOMAIN.md §3). Public docs confirm only "Ended by agent";
 * the four values are Parley's own (**ours**).
 */
export const SESSION_ENDED_REASONS = ['agent', 'end_user', 'trigger', 'inactivity'] as const;
export const SessionEndedReasonSchema = z.enum(SESSION_ENDED_REASONS);
export type SessionEndedReason = z.infer<typeof SessionEndedReasonSchema>;

/** Display labels for {@link SessionEndedReason}, as shown in the agent workspace. */
export const SESSION_ENDED_REASON_LABELS: Record<SessionEndedReason, string> = {
  agent: 'Ended by agent',
  end_user: 'Ended by end user',
  trigger: 'Ended by trigger',
  inactivity: 'Ended by inactivity',
};

/** Agent statuses (DOMAIN.md §1, §5). Messaging work needs `online`; email work `online` or `away`. */
export const AGENT_STATUSES = ['online', 'away', 'transfers_only', 'offline'] as const;
export const AgentStatusSchema = z.enum(AGENT_STATUSES);
export type AgentStatus = z.infer<typeof AgentStatusSchema>;

/** Who did something. Every event and every automated change names one (DOMAIN.md §9 rule 8). */
export type Actor =
  | { type: 'end_user'; id: string }
  | { type: 'agent'; id: string }
  | { type: 'ai_agent' }
  | { type: 'trigger'; id: string }
  | { type: 'system' };

/** Why something happened: the request, webhook event, timer or rule that caused it. */
export type Cause =
  | { type: 'request'; requestId: string }
  | { type: 'webhook'; eventId: string }
  | { type: 'message'; messageId: string }
  | { type: 'timer'; name: string; firedAt: string }
  | { type: 'trigger'; triggerId: string; revision?: number }
  | { type: 'routing'; decision: string };

export const ActorSchema: z.ZodType<Actor> = z.discriminatedUnion('type', [
  z.object({ type: z.literal('end_user'), id: z.string().min(1) }),
  z.object({ type: z.literal('agent'), id: z.string().min(1) }),
  z.object({ type: z.literal('ai_agent') }),
  z.object({ type: z.literal('trigger'), id: z.string().min(1) }),
  z.object({ type: z.literal('system') }),
]);
