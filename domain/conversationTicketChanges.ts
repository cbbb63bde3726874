/**
 * Agent changes to the ticket through the API (status, priority, tags, requester email); closing the
 * ticket ends the session with it.
 */
import type { AccountSettings } from './settings';
import { DomainError } from './errors';
import type { Actor, Cause, Priority, TicketStatus } from './vocabulary';
import { MAX_TICKET_TAGS, type ConversationState, type Effect } from './conversationTypes';
import { assertNotClosed, overBudget, record, routingEffect } from './conversationCore';
import { csatEffects, endSessionOnClose } from './conversationSessionEnd';

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
