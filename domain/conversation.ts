/**
 * The conversation model (DOMAIN.md §1–3): one session, at most one ticket, messages and an ordered
 * event history. Deterministic rules only: no I/O, no clock reads (callers pass `now`). Each
 * operation mutates the given state in place and returns the side effects the workflow must run
 * through activities. Keeping the rules here lets unit tests cover them without Temporal.
 */
import type { AccountSettings } from './settings';
import { DomainError } from './errors';
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

/** Serialized size of a value as Temporal's JSON payload converter would write it, in bytes. */
export function jsonBytes(value: unknown): number {
  return utf8Bytes(JSON.stringify(value) ?? '');
}

/** UTF-8 size of a string in bytes (no TextEncoder needed in the workflow sandbox). */
export function utf8Bytes(text: string): number {
  let bytes = 0;
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    if (c < 0x80) bytes += 1;
    else if (c < 0x800) bytes += 2;
    else if (c >= 0xd800 && c <= 0xdbff) {
      bytes += 4;
      i++;
    } else bytes += 3;
  }
  return bytes;
}

/**
 * True when one more message of `text` (or, with `text` empty, one more change) would exceed
 * {@link CONVERSATION_BUDGET}. The 2 kB allowance covers the message's ids, fields and events.
 */
export function overBudget(state: ConversationState, text: string): boolean {
  return (
    state.messages.length + 1 > CONVERSATION_BUDGET.messages ||
    state.sizeBytes + jsonBytes(text) + 2_048 > CONVERSATION_BUDGET.bytes
  );
}

/** Appends a message (and counts its bytes against the budget). */
export function pushMessage(state: ConversationState, message: Message): void {
  state.messages.push(message);
  state.sizeBytes += jsonBytes(message);
}

const workflowIdOf = (conversationId: string): string => `conversation:${conversationId}`;

/** Appends one event to the history (and counts its bytes against the budget). */
export function record(
  state: ConversationState,
  now: string,
  type: ConversationEventType,
  actor: Actor,
  cause: Cause,
  data: Record<string, unknown> = {},
): ConversationEvent {
  const event: ConversationEvent = { seq: state.events.length + 1, at: now, type, actor, cause, data };
  state.events.push(event);
  state.sizeBytes += jsonBytes(event);
  return event;
}

/** Builds the state of a new conversation whose first end-user message is `first`. */
export function startConversation(
  ids: { conversationId: string; threadId: string },
  first: EndUserMessageInput,
  now: string,
): { state: ConversationState; effects: Effect[] } {
  const state: ConversationState = {
    conversationId: ids.conversationId,
    threadId: ids.threadId,
    requester: { ...first.author },
    phase: 'ai_agent',
    session: { state: 'active', startedAt: now, lastEndUserActivityAt: now, end: null },
    ticket: null,
    messages: [],
    events: [],
    csat: { status: 'none' },
    routingVersion: 0,
    sizeBytes: 0,
  };
  record(state, now, 'conversation_started', { type: 'end_user', id: first.author.id }, first.cause);
  const effects = receiveEndUserMessage(state, first, now);
  if (!Array.isArray(effects)) throw new DomainError('invalid_state', 'a new conversation refused its first message');
  return { state, effects };
}

/**
 * Accepts an end-user message into the session, or refuses it when the session has ended or the
 * ticket is closed (the server alone decides, DOMAIN.md §9 rule 1). An accepted message reactivates
 * an inactive session and, in the AI-agent phase, asks the AI agent for a turn.
 * @returns the effects to run, or the refusal reason.
 */
export function receiveEndUserMessage(
  state: ConversationState,
  input: EndUserMessageInput,
  now: string,
): Effect[] | MessageRefusal {
  if (state.ticket?.status === 'closed') return 'ticket_closed';
  if (state.session.state === 'ended') return 'session_ended';
  if (overBudget(state, input.text)) return 'conversation_full';
  const actor: Actor = { type: 'end_user', id: input.author.id };
  if (input.author.email && !state.requester.email) state.requester.email = input.author.email;
  const typedEmail = input.text.trim();
  const captured = state.emailRequested === true && !state.requester.email && EMAIL_ADDRESS.test(typedEmail);
  if (captured) state.requester.email = typedEmail;
  if (input.author.name && !state.requester.name) state.requester.name = input.author.name;
  const message: Message = {
    id: input.messageId,
    direction: 'inbound',
    author: actor,
    visibility: 'public',
    channel: 'messaging',
    text: input.text,
    at: now,
    ...(input.providerAt ? { providerAt: input.providerAt } : {}),
  };
  pushMessage(state, message);
  state.session.lastEndUserActivityAt = now;
  record(state, now, 'message_received', actor, input.cause, { messageId: message.id });
  if (captured) record(state, now, 'requester_email_captured', actor, { type: 'message', messageId: message.id }, { email: typedEmail });
  const effects: Effect[] = [];
  let routingChanged = false;
  if (state.session.state === 'inactive') {
    state.session.state = 'active';
    record(state, now, 'session_reactivated', actor, { type: 'message', messageId: message.id });
    routingChanged = true;
  }
  const ticket = state.ticket;
  if (ticket && (ticket.status === 'pending' || ticket.status === 'solved')) {
    // A requester reply reopens the ticket (DOMAIN.md §5 "a reply that reopens counts again").
    // On-hold tickets wait for a third party and stay on hold, as in Zendesk.
    const previous = ticket.status;
    ticket.status = 'open';
    delete ticket.solvedAt;
    ticket.updatedAt = now;
    record(state, now, 'ticket_updated', actor, { type: 'message', messageId: message.id }, {
      changed: ['status'],
      previous: { status: previous },
      current: { status: 'open' },
    });
    routingChanged = true;
  }
  if (routingChanged) {
    const routing = routingEffect(state);
    if (routing) effects.push(routing);
  }
  if (state.phase === 'ai_agent') {
    effects.push({ type: 'ai_agent_turn', message });
  }
  return effects;
}

/** Input of a hand-off to a human agent (Sunshine `switchboard:passControl`, the bot, or the API). */
export interface HandOffInput {
  actor: Actor;
  cause: Cause;
  groupId?: string;
  priority?: Priority;
  subject?: string;
  tags?: string[];
}

/**
 * Hands the conversation to human agents: creates the ticket (`new`, via messaging, routing
 * channel messaging) and queues it for routing (DOMAIN.md §2 step 2). Idempotent: a second hand-off
 * returns the existing ticket and changes nothing, except that naming another group moves a still
 * unassigned `new` ticket to that group.
 * @throws DomainError `invalid_state` when the session has already ended without a ticket.
 */
export function handOff(
  state: ConversationState,
  input: HandOffInput,
  settings: AccountSettings,
  now: string,
): { ticket: Ticket; created: boolean; effects: Effect[] } {
  const existing = state.ticket;
  if (existing) {
    // A second hand-off naming another group while nobody has the ticket yet moves it to that group
    // (e.g. the AI agent handed off to the default group, the brand's own hand-off names its group).
    if (input.groupId && input.groupId !== existing.groupId && !existing.assigneeId && existing.status === 'new') {
      const previous = existing.groupId;
      existing.groupId = input.groupId;
      existing.updatedAt = now;
      record(state, now, 'ticket_updated', input.actor, input.cause, {
        changed: ['group_id'],
        previous: { groupId: previous },
        current: { groupId: input.groupId },
      });
      const routing = routingEffect(state);
      return { ticket: existing, created: false, effects: routing ? [routing] : [] };
    }
    return { ticket: existing, created: false, effects: [] };
  }
  if (state.session.state === 'ended') {
    throw new DomainError('invalid_state', 'the session has ended; a hand-off needs a live session');
  }
  const firstText = state.messages.find((m) => m.direction === 'inbound')?.text ?? '';
  const ticket: Ticket = {
    id: state.conversationId,
    status: 'new',
    priority: input.priority ?? 'normal',
    groupId: input.groupId ?? settings.default_group_id,
    assigneeId: null,
    tags: [...new Set(input.tags ?? [])],
    via: 'messaging',
    routingChannel: 'messaging',
    requesterId: state.requester.id,
    subject: input.subject ?? subjectFrom(firstText),
    createdAt: now,
    updatedAt: now,
  };
  state.ticket = ticket;
  state.phase = 'human';
  record(state, now, 'handed_off', input.actor, input.cause, { groupId: ticket.groupId });
  record(state, now, 'ticket_created', input.actor, input.cause, {
    ticketId: ticket.id,
    status: ticket.status,
    via: ticket.via,
    routingChannel: ticket.routingChannel,
  });
  const routing = routingEffect(state);
  return { ticket, created: true, effects: routing ? [routing] : [] };
}

function subjectFrom(text: string): string {
  const oneLine = text.replace(/\s+/g, ' ').trim();
  return oneLine.length > 80 ? `${oneLine.slice(0, 77)}...` : oneLine || 'Messaging conversation';
}

/**
 * Records the assignment chosen by routing (DOMAIN.md §2 step 3). A `new` ticket becomes `open`.
 * Ignored on a closed ticket or a ticket already assigned to that agent. Never has effects: routing
 * made the choice and holds it already.
 */
export function assign(state: ConversationState, agentId: string, cause: Cause, now: string): Effect[] {
  const ticket = state.ticket;
  if (!ticket || ticket.status === 'closed' || ticket.assigneeId === agentId) return [];
  const previous = ticket.assigneeId;
  ticket.assigneeId = agentId;
  if (ticket.status === 'new') ticket.status = 'open';
  ticket.updatedAt = now;
  record(state, now, 'ticket_assigned', { type: 'system' }, cause, { assigneeId: agentId, previousAssigneeId: previous });
  // Routing made this assignment and already holds it (new and open route alike): nothing to send back.
  return [];
}

/** An agent's message: a public reply to the end user, or an internal note. */
export interface AgentReplyInput {
  agentId: string;
  text: string;
  visibility: 'public' | 'internal';
  messageId: string;
  cause: Cause;
}

/**
 * Adds an agent reply. While the session is live a public reply goes through the messaging channel;
 * after the end it goes by email when the requester's email is known (DOMAIN.md §3 "Composer").
 * Internal notes always work. Idempotent per `messageId`.
 * @throws DomainError `ticket_closed`; `invalid_state` for a public reply after the end with no email.
 */
export function agentReply(
  state: ConversationState,
  input: AgentReplyInput,
  now: string,
): { message: Message; effects: Effect[] } {
  const existing = state.messages.find((m) => m.id === input.messageId);
  if (existing) return { message: existing, effects: [] };
  assertNotClosed(state);
  if (overBudget(state, input.text)) {
    throw new DomainError('invalid_state', 'this conversation has reached its size budget; continue in a new conversation');
  }
  const actor: Actor = { type: 'agent', id: input.agentId };
  const ended = state.session.state === 'ended';
  let channel: Message['channel'] = 'internal';
  if (input.visibility === 'public') {
    if (!ended) channel = 'messaging';
    else if (state.requester.email) channel = 'email';
    else
      throw new DomainError(
        'invalid_state',
        'the messaging session has ended and the requester has no email address; add an internal note instead',
      );
  }
  const message: Message = {
    id: input.messageId,
    direction: 'outbound',
    author: actor,
    visibility: input.visibility,
    channel,
    text: input.text,
    at: now,
  };
  pushMessage(state, message);
  if (state.ticket) state.ticket.updatedAt = now;
  record(state, now, input.visibility === 'public' ? 'message_sent' : 'internal_note_added', actor, input.cause, {
    messageId: message.id,
    channel,
  });
  const effects: Effect[] = [];
  if (channel === 'messaging') {
    effects.push({ type: 'deliver_to_channel', idempotencyKey: `msg:${message.id}`, message });
  } else if (channel === 'email' && state.requester.email) {
    effects.push({
      type: 'send_email',
      idempotencyKey: `email:${message.id}`,
      to: state.requester.email,
      subject: `[Ticket ${state.ticket?.id ?? state.conversationId}] ${state.ticket?.subject ?? 'Your conversation'}`,
      text: input.text,
    });
  }
  return { message, effects };
}

/**
 * Adds a public message from the AI agent or the system (e.g. the inactivity closing message) and
 * asks for its delivery. Idempotent per `messageId`.
 */
export function systemMessage(
  state: ConversationState,
  author: Actor,
  messageId: string,
  text: string,
  cause: Cause,
  now: string,
): Effect[] {
  if (state.messages.some((m) => m.id === messageId)) return [];
  const message: Message = { id: messageId, direction: 'outbound', author, visibility: 'public', channel: 'messaging', text, at: now };
  pushMessage(state, message);
  record(state, now, 'message_sent', author, cause, { messageId, channel: 'messaging' });
  return [{ type: 'deliver_to_channel', idempotencyKey: `msg:${messageId}`, message }];
}

/** A request to end the session (DOMAIN.md §3 "Who can end it"). */
export interface EndSessionInput {
  actor: Actor;
  reason: SessionEndedReason;
  cause: Cause;
  /** Set by the trigger action "Set routing channel: email", which always switches it. */
  routingChannel?: 'email';
}

/** The outcome of an end request: the (first) end, and whether this request was the one that ended it. */
export interface EndSessionResult {
  alreadyEnded: boolean;
  end: SessionEnd;
}

/**
 * Ends the messaging session with every effect of DOMAIN.md §3, at once and exactly once:
 * state `ended` with who/when/why; routing channel per `route_agent_ended_sessions_as_email` (or
 * forced to email); messaging capacity released through the routing update; ticket status unchanged;
 * a `session_ended` event; CSAT by email when an agent ended it (recipe 4); no message to the end
 * user (except the optional inactivity closing message). Ending an ended session changes nothing
 * and reports the original end.
 * @throws DomainError `ticket_closed`; `not_allowed` when the account setting forbids this actor;
 *   `invalid_input` when the actor does not fit the reason.
 */
export function endSession(
  state: ConversationState,
  input: EndSessionInput,
  settings: AccountSettings,
  now: string,
): EndSessionResult & { effects: Effect[] } {
  if (state.session.end) return { alreadyEnded: true, end: state.session.end, effects: [] };
  assertNotClosed(state);
  checkEndPermission(state, input, settings);
  const ticket = state.ticket;
  if (ticket) {
    const toEmail =
      input.routingChannel === 'email' || (input.reason === 'agent' && settings.route_agent_ended_sessions_as_email);
    if (toEmail) ticket.routingChannel = 'email';
    ticket.updatedAt = now;
  }
  const end: SessionEnd = {
    endedAt: now,
    endedBy: input.actor,
    reason: input.reason,
    cause: input.cause,
    routingChannel: ticket ? ticket.routingChannel : null,
  };
  state.session.state = 'ended';
  state.session.end = end;
  record(state, now, 'session_ended', input.actor, input.cause, {
    reason: input.reason,
    routingChannel: end.routingChannel,
    ticketStatus: ticket?.status ?? null,
  });
  const effects: Effect[] = [];
  if (input.reason === 'inactivity' && settings.inactivity_closing_message) {
    effects.push(
      ...systemMessage(
        state,
        { type: 'system' },
        `${state.conversationId}:closing`,
        settings.inactivity_closing_message,
        input.cause,
        now,
      ),
    );
  }
  const routing = routingEffect(state);
  if (routing) effects.push(routing);
  if (input.reason === 'agent') effects.push(...csatEffects(state, settings, input.cause, now));
  effects.push({ type: 'session_ended_notice' });
  return { alreadyEnded: false, end, effects };
}

function checkEndPermission(state: ConversationState, input: EndSessionInput, settings: AccountSettings): void {
  const expected: Record<SessionEndedReason, Actor['type'][]> = {
    agent: ['agent'],
    end_user: ['end_user'],
    trigger: ['trigger'],
    inactivity: ['system'],
  };
  if (!expected[input.reason].includes(input.actor.type)) {
    throw new DomainError(
      'invalid_input',
      `reason "${input.reason}" needs an actor of type ${expected[input.reason].join(' or ')}, got "${input.actor.type}"`,
    );
  }
  if (input.reason === 'agent') {
    if (!settings.agents_can_end_sessions) {
      throw new DomainError('not_allowed', 'agents cannot end messaging sessions: account setting agents_can_end_sessions is off');
    }
    if (!state.ticket) throw new DomainError('invalid_state', 'no agent is in this conversation yet (no hand-off, no ticket)');
  }
  if (input.reason === 'end_user') {
    if (!settings.end_users_can_end_sessions) {
      throw new DomainError('not_allowed', 'end users cannot end messaging sessions: account setting end_users_can_end_sessions is off');
    }
    if (input.actor.type === 'end_user' && input.actor.id !== state.requester.id) {
      throw new DomainError('not_allowed', `end user "${input.actor.id}" is not this conversation's requester`);
    }
  }
}

/**
 * Closing a ticket ends a still-live messaging session with it (nothing can follow on a closed
 * ticket). The reason follows who closed it: an agent → `agent`, a trigger → `trigger`, the end
 * user → `end_user`, the system (close-after-solved timer) → `inactivity`. No permission check
 * (closing is allowed), no CSAT, no closing message: the ticket is done. **Ours** (docs/DECISIONS.md).
 */
export function endSessionOnClose(state: ConversationState, actor: Actor, cause: Cause, now: string): Effect[] {
  if (state.session.end) return [];
  const reason: SessionEndedReason = actor.type === 'agent' ? 'agent' : actor.type === 'trigger' ? 'trigger' : actor.type === 'end_user' ? 'end_user' : 'inactivity';
  const end: SessionEnd = { endedAt: now, endedBy: actor, reason, cause, routingChannel: state.ticket ? state.ticket.routingChannel : null };
  state.session.state = 'ended';
  state.session.end = end;
  record(state, now, 'session_ended', actor, cause, { reason, routingChannel: end.routingChannel, ticketStatus: state.ticket?.status ?? null, onClose: true });
  const routing = routingEffect(state);
  return [...(routing ? [routing] : []), { type: 'session_ended_notice' }];
}

/** Changes agents may make to a ticket through the API. */
export interface TicketChanges {
  status?: TicketStatus;
  priority?: Priority;
  addTags?: string[];
  removeTags?: string[];
  requesterEmail?: string;
}

/**
 * Applies agent changes to the ticket. Solving may send CSAT (recipe 4); `closed` makes the ticket
 * immutable and ends the conversation. A change that changes nothing records no event.
 * @throws DomainError `ticket_closed`, `invalid_state` when there is no ticket yet.
 */
export function updateTicket(
  state: ConversationState,
  changes: TicketChanges,
  actor: Actor,
  cause: Cause,
  settings: AccountSettings,
  now: string,
): { changed: string[]; effects: Effect[] } {
  assertNotClosed(state);
  const ticket = state.ticket;
  if (!ticket) throw new DomainError('invalid_state', 'the conversation has no ticket yet (no hand-off)');
  if (changes.status !== 'closed' && changes.status !== 'solved' && overBudget(state, '')) {
    throw new DomainError('invalid_state', 'this conversation has reached its size budget; only solving or closing its ticket is possible');
  }
  const changed: string[] = [];
  const before = { status: ticket.status, priority: ticket.priority, tags: [...ticket.tags] };
  if (changes.requesterEmail && changes.requesterEmail !== state.requester.email) {
    state.requester.email = changes.requesterEmail;
    changed.push('requester_email');
  }
  if (changes.priority && changes.priority !== ticket.priority) {
    ticket.priority = changes.priority;
    changed.push('priority');
  }
  const tags = new Set(ticket.tags);
  for (const t of changes.addTags ?? []) tags.add(t);
  for (const t of changes.removeTags ?? []) tags.delete(t);
  if (tags.size > MAX_TICKET_TAGS) {
    throw new DomainError('invalid_input', `a ticket carries at most ${MAX_TICKET_TAGS} tags; this change would give it ${tags.size}`);
  }
  if (tags.size !== ticket.tags.length || [...tags].some((t) => !ticket.tags.includes(t))) {
    ticket.tags = [...tags];
    changed.push('tags');
  }
  if (changes.status && changes.status !== ticket.status) {
    if (changes.status === 'new') throw new DomainError('invalid_input', 'a ticket cannot go back to status "new"');
    ticket.status = changes.status;
    if (changes.status === 'solved') ticket.solvedAt = now;
    changed.push('status');
  }
  if (changed.length === 0) return { changed, effects: [] };
  ticket.updatedAt = now;
  record(state, now, 'ticket_updated', actor, cause, {
    changed,
    previous: before,
    current: { status: ticket.status, priority: ticket.priority, tags: [...ticket.tags] },
  });
  const effects: Effect[] = [];
  const routing = routingEffect(state);
  if (routing) effects.push(routing);
  if (changed.includes('status') && ticket.status === 'solved') effects.push(...csatEffects(state, settings, cause, now));
  if (ticket.status === 'closed') {
    effects.push(...endSessionOnClose(state, actor, cause, now));
    record(state, now, 'ticket_closed', actor, cause, {});
    effects.push({ type: 'ticket_closed_notice' });
  }
  return { changed, effects };
}

/**
 * Marks the session `inactive` after the inactivity period (DOMAIN.md §5). Inactive sessions stop
 * counting against messaging capacity unless `count_inactive_towards_capacity` is on (routing decides).
 */
export function markInactive(state: ConversationState, cause: Cause, now: string): Effect[] {
  if (state.session.state !== 'active') return [];
  state.session.state = 'inactive';
  record(state, now, 'session_inactive', { type: 'system' }, cause, {
    lastEndUserActivityAt: state.session.lastEndUserActivityAt,
  });
  const routing = routingEffect(state);
  return routing ? [routing] : [];
}

/**
 * The CSAT survey by email, at most once per conversation (DOMAIN.md §9 rule 4); with no requester
 * email the skip is recorded with its reason. Runs when `csat_on_session_end` is on, or always with
 * `force` (the trigger action `satisfaction_score`).
 */
export function csatEffects(state: ConversationState, settings: AccountSettings, cause: Cause, now: string, force = false): Effect[] {
  if ((!force && !settings.csat_on_session_end) || state.csat.status === 'sent' || !state.ticket) return [];
  const email = state.requester.email;
  if (!email) {
    if (state.csat.status !== 'skipped') {
      state.csat = { status: 'skipped', at: now, reason: 'requester has no email address' };
      record(state, now, 'csat_skipped', { type: 'system' }, cause, { reason: state.csat.reason });
    }
    return [];
  }
  state.csat = { status: 'sent', at: now };
  record(state, now, 'csat_sent', { type: 'system' }, cause, { to: email, channel: 'email' });
  return [
    {
      type: 'send_csat',
      idempotencyKey: `csat:${state.conversationId}`,
      to: email,
      ticketId: state.ticket.id,
      ...(state.requester.name ? { requesterName: state.requester.name } : {}),
    },
  ];
}

function assertNotClosed(state: ConversationState): void {
  if (state.ticket?.status === 'closed') {
    throw new DomainError('ticket_closed', `ticket ${state.ticket.id} is closed; closed tickets cannot be changed`);
  }
}

/** The ticket's next routing view (a new version), or null without a ticket. */
export function routingEffect(state: ConversationState): Effect | null {
  const t = state.ticket;
  if (!t) return null;
  state.routingVersion += 1;
  return {
    type: 'routing_update',
    ticket: {
      ticketId: t.id,
      workflowId: workflowIdOf(state.conversationId),
      version: state.routingVersion,
      status: t.status,
      priority: t.priority,
      groupId: t.groupId,
      routingChannel: t.routingChannel,
      sessionState: state.session.state,
      tags: [...t.tags],
      assigneeId: t.assigneeId,
      eligibleSince: t.createdAt,
    },
  };
}

/** What the agent's composer defaults to (DOMAIN.md §3 "Composer"). */
export function composerFor(state: ConversationState): Composer {
  const ended = state.session.state === 'ended';
  const closed = state.ticket?.status === 'closed';
  return {
    messagingEnabled: !ended && !closed,
    defaultReplyMode: !ended ? 'messaging' : state.requester.email ? 'public_reply_email' : 'internal_note',
    internalNotesEnabled: !closed,
  };
}
