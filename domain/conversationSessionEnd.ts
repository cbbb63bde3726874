/**
 * Ending the messaging session (DOMAIN.md §3): on request, with its permission checks, or because the
 * ticket was closed; and the CSAT survey that may follow (DOMAIN.md §9 rule 4).
 */
import type { AccountSettings } from './settings';
import { DomainError } from './errors';
import type { Actor, Cause, SessionEndedReason } from './vocabulary';
import type { ConversationState, Effect, SessionEnd } from './conversationTypes';
import { assertNotClosed, record, routingEffect } from './conversationCore';
import { systemMessage } from './conversationMessages';

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
