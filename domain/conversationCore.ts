/**
 * Helpers every conversation rule shares: the size budget (byte counting), appending messages and
 * history events, the closed-ticket guard and the ticket's routing view. Deterministic, no I/O.
 * `./conversation` re-exports all of these except `assertNotClosed`, which stays internal.
 */
import { DomainError } from './errors';
import type { Actor, Cause } from './vocabulary';
import {
  CONVERSATION_BUDGET,
  type ConversationEvent,
  type ConversationEventType,
  type ConversationState,
  type Effect,
  type Message,
} from './conversationTypes';

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

/** Size past which events lose their data (**ours**): the budget plus room, far below Temporal's 2 MB. */
export const HARD_CEILING_BYTES = CONVERSATION_BUDGET.bytes + 400_000;

/** Appends one event to the history (and counts its bytes against the budget). */
export function record(
  state: ConversationState,
  now: string,
  type: ConversationEventType,
  actor: Actor,
  cause: Cause,
  data: Record<string, unknown> = {},
): ConversationEvent {
  const full: ConversationEvent = { seq: state.events.length + 1, at: now, type, actor, cause, data };
  const bytes = jsonBytes(full);
  // Last line of defence (every path that adds content checks the budget first): past the hard
  // ceiling an event keeps its type, actor and cause but not its data, so the state still fits.
  const event = state.sizeBytes + bytes > HARD_CEILING_BYTES ? { ...full, data: { truncated: true } } : full;
  state.events.push(event);
  state.sizeBytes += event === full ? bytes : jsonBytes(event);
  return event;
}

/** Refuses any change to a closed ticket (`ticket_closed`). Internal to the conversation modules. */
export function assertNotClosed(state: ConversationState): void {
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
