/**
 * Conversation model types (DOMAIN.md §1–3): the serialisable state, its messages, ticket, session and
 * event history, the effects rules hand back to the workflow, and the budget constants. Types and
 * constants only: the bottom of the conversation modules' import graph. Re-exported by `./conversation`.
 */
import type { TicketUpdate } from './triggers';
import type {
  Actor,
  Cause,
  Priority,
  RoutingChannel,
  SessionEndedReason,
  SessionState,
  TicketStatus,
} from './vocabulary';

/** The end user a ticket is for. `email` decides whether replies after the session can go by email. */
export interface Requester {
  id: string;
  name?: string;
  email?: string;
}

/** One message of the conversation, inbound or outbound, public or internal. `at` is ISO-8601 UTC. */
export interface Message {
  id: string;
  direction: 'inbound' | 'outbound';
  author: Actor;
  /** `public` messages reach the end user; `internal` notes are seen by agents only. */
  visibility: 'public' | 'internal';
  /** How a public message travels: the messaging channel, or email once the session has ended. */
  channel: 'messaging' | 'email' | 'internal';
  text: string;
  at: string;
  /** Provider time of an inbound message (e.g. Sunshine `received`), when known. */
  providerAt?: string;
}

/** The ticket created at hand-off (DOMAIN.md §2). Its id is the conversation id: one ticket per conversation. */
export interface Ticket {
  id: string;
  status: TicketStatus;
  priority: Priority;
  groupId: string;
  assigneeId: string | null;
  tags: string[];
  /** Channel the ticket came from; never changes. */
  via: 'messaging';
  routingChannel: RoutingChannel;
  requesterId: string;
  subject: string;
  createdAt: string;
  updatedAt: string;
  solvedAt?: string;
  /**
   * Fields only triggers set (DOMAIN.md §4 actions `type`, `brand_id`, `ticket_form_id`,
   * `set_schedule`, `custom_fields_<id>`); absent means null. `scheduleId` null = the default schedule.
   */
  type?: string | null;
  brandId?: string | null;
  organizationId?: string | null;
  ticketFormId?: string | null;
  scheduleId?: string | null;
  customFields?: Record<string, string | number | boolean | null | string[]>;
}

/** How a session ended (DOMAIN.md §3). Reported unchanged by every later end request. */
export interface SessionEnd {
  endedAt: string;
  endedBy: Actor;
  reason: SessionEndedReason;
  cause: Cause;
  /** Routing channel the ticket had right after the end, or null when there was no ticket. */
  routingChannel: RoutingChannel | null;
}

/** The live exchange inside the conversation (exactly one per conversation). */
export interface Session {
  state: SessionState;
  startedAt: string;
  lastEndUserActivityAt: string;
  end: SessionEnd | null;
}

/** Kinds of history entries. */
export type ConversationEventType =
  | 'conversation_started'
  | 'message_received'
  | 'message_sent'
  | 'internal_note_added'
  | 'handed_off'
  | 'ticket_created'
  | 'ticket_assigned'
  | 'ticket_updated'
  | 'session_inactive'
  | 'session_reactivated'
  | 'session_ended'
  | 'csat_sent'
  | 'csat_skipped'
  | 'ticket_closed'
  | 'trigger_fired'
  | 'notification_sent'
  | 'notification_skipped'
  | 'webhook_sent'
  | 'webhook_failed'
  | 'messaging_trigger_fired'
  | 'email_requested'
  | 'requester_email_captured'
  | 'email_ignored'
  | 'email_auto_reply'
  | 'triggers_failed'
  | 'satisfaction_rated'
  | 'notification_failed';

/** One entry of the ordered event history; every entry names its actor and cause (DOMAIN.md §9 rule 8). */
export interface ConversationEvent {
  seq: number;
  at: string;
  type: ConversationEventType;
  actor: Actor;
  cause: Cause;
  data: Record<string, unknown>;
}

/** CSAT bookkeeping: at most one survey per conversation (DOMAIN.md §9 rule 4). */
export interface CsatState {
  status: 'none' | 'sent' | 'skipped';
  at?: string;
  reason?: string;
  /** The requester's answer, once given (the survey links, `POST /csat/:ticketId`). */
  rating?: { score: 'good' | 'bad'; comment?: string; at: string };
}

/** Everything a conversation workflow holds. Serialisable (carried across continue-as-new). */
export interface ConversationState {
  conversationId: string;
  threadId: string;
  requester: Requester;
  phase: 'ai_agent' | 'human';
  session: Session;
  ticket: Ticket | null;
  messages: Message[];
  events: ConversationEvent[];
  csat: CsatState;
  /** Increases on every change that routing must see; routing ignores older versions. */
  routingVersion: number;
  /** UTF-8 bytes of the serialized messages and events so far (see {@link CONVERSATION_BUDGET}). */
  sizeBytes: number;
  /** The last ticket update triggers ran on, for explain (DOMAIN.md §4); absent before the first. */
  lastTriggerUpdate?: LastTriggerUpdate;
  /** Set when a messaging trigger asked the end user for an email address (action `request_email`). */
  emailRequested?: boolean;
}

/** One ticket update as triggers saw it, with the configuration revision used. */
export interface LastTriggerUpdate {
  update: TicketUpdate;
  /** Configuration revision the evaluation used. */
  revision: number;
  /** Events in the history when triggers ran (their firings follow). */
  seq: number;
}

/** What the agent's composer shows (DOMAIN.md §3 "Composer"). */
export interface Composer {
  messagingEnabled: boolean;
  defaultReplyMode: 'messaging' | 'public_reply_email' | 'internal_note';
  internalNotesEnabled: boolean;
}

/** The routing-relevant view of a ticket that the routing workflow keeps (DOMAIN.md §5). */
export interface RoutedTicketUpdate {
  ticketId: string;
  workflowId: string;
  version: number;
  status: TicketStatus;
  priority: Priority;
  groupId: string;
  routingChannel: RoutingChannel;
  sessionState: SessionState;
  tags: string[];
  /** The assignee as the conversation knows it (routing's own record wins while it has one). */
  assigneeId: string | null;
  /** ISO time the ticket became eligible for routing (hand-off). */
  eligibleSince: string;
}

/** Side effects for the workflow to run as activities, each carrying its idempotency key. */
export type Effect =
  | { type: 'ai_agent_turn'; message: Message }
  | { type: 'deliver_to_channel'; idempotencyKey: string; message: Message }
  | { type: 'send_email'; idempotencyKey: string; to: string; subject: string; text: string }
  | { type: 'routing_update'; ticket: RoutedTicketUpdate }
  | { type: 'send_csat'; idempotencyKey: string; to: string; ticketId: string; requesterName?: string }
  | { type: 'session_ended_notice' }
  | { type: 'ticket_closed_notice' }
  /** A trigger's email notification (`notification_user`/`notification_group`); `subject`/`body` are Liquid templates. */
  | { type: 'send_notification'; idempotencyKey: string; to: string; subject: string; body: string; placeholders: Placeholders; triggerId: string }
  /** A trigger's webhook call (`notification_webhook`, DOMAIN.md §8); `body` is a Liquid template. */
  | { type: 'call_webhook'; idempotencyKey: string; webhookId: string; body: string; placeholders: Placeholders; triggerId: string };

/** Values for `{{ticket.id}}`-style placeholders (Zendesk names), as plain JSON. */
export type Placeholders = Record<string, unknown>;

/** An inbound end-user message as the thread hands it to a conversation. */
export interface EndUserMessageInput {
  messageId: string;
  text: string;
  author: Requester;
  providerAt?: string;
  cause: Cause;
}

/** Why a conversation refused an end-user message; the thread then starts a new conversation. */
export type MessageRefusal = 'session_ended' | 'ticket_closed' | 'conversation_full';

/** Longest accepted message text, in characters (**ours**; Sunshine text messages are shorter). */
export const MAX_MESSAGE_TEXT_CHARS = 16_000;
/**
 * Size budget of one conversation (**ours**): its whole state must fit Temporal's 2 MB payload limit
 * when it continues-as-new. Measured on the serialized JSON (UTF-8) of messages and events, so
 * escapes (control characters take 6 bytes) and ids count; 1.2 MB leaves room for the rest of the
 * state. A conversation at its budget refuses further end-user messages (the thread starts a new
 * conversation for them) and further agent messages and ticket changes (409); nothing is dropped.
 */
export const CONVERSATION_BUDGET = { messages: 1_500, bytes: 1_200_000 } as const;

/** A plausible email address (one `@`, a dot in the domain, no spaces). */
export const EMAIL_ADDRESS = /^[^\s@]+@[^\s@]+\.[^\s@]+$/;

/** Most tags one ticket may carry (**ours**; keeps ticket state and routing views bounded). */
export const MAX_TICKET_TAGS = 200;
