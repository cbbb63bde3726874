/**
 * The conversation model (DOMAIN.md §1–3): one session, at most one ticket, messages and an ordered
 * event history. Deterministic rules only: no I/O, no clock reads (callers pass `now`). Each
 * operation mutates the given state in place and returns the side effects the workflow must run
 * through activities. Keeping the rules here lets unit tests cover them without Temporal.
 *
 * This module is the entry point every caller imports: it holds the conversation's start, hand-off,
 * assignment, inactivity and composer rules, and re-exports the rest from `./conversationTypes`
 * (types, budget constants), `./conversationCore` (budget, history, routing view),
 * `./conversationMessages`, `./conversationSessionEnd` (with CSAT) and `./conversationTicketChanges`.
 */
import type { AccountSettings } from './settings';
import { DomainError } from './errors';
import type { Actor, Cause, Priority } from './vocabulary';
import type { Composer, ConversationState, Effect, EndUserMessageInput, Ticket } from './conversationTypes';
import { record, routingEffect } from './conversationCore';
import { receiveEndUserMessage } from './conversationMessages';

export * from './conversationTypes';
export { jsonBytes, utf8Bytes, overBudget, pushMessage, record, routingEffect } from './conversationCore';
export * from './conversationMessages';
export * from './conversationSessionEnd';
export * from './conversationTicketChanges';

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
