/**
 * Messages of a conversation: an end user's inbound message (with reactivation and reopening), an
 * agent's reply or internal note, and a public message from the AI agent or the system.
 */
import { DomainError } from './errors';
import type { Actor, Cause } from './vocabulary';
import {
  EMAIL_ADDRESS,
  type ConversationState,
  type Effect,
  type EndUserMessageInput,
  type Message,
  type MessageRefusal,
} from './conversationTypes';
import { assertNotClosed, overBudget, pushMessage, record, routingEffect } from './conversationCore';

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
