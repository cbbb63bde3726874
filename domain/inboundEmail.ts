/**
 * Requester email on a ticket (DOMAIN.md §3: after the session ends the ticket continues by email;
 * §9 rule 2: only real end-user messages count as activity). An inbound email is classified first:
 * - our own outbound mail coming back (a trigger notification, a CSAT survey, an agent reply:
 *   `X-Parley-Idempotency-Key`, or a `Message-ID` of ours) is never ingested as a customer message
 *   (scenario S13);
 * - an automatic reply (`Auto-Submitted` other than `no`, `X-Autoreply`, `X-Autorespond`,
 *   `Precedence: auto_reply|bulk|junk|list`) is recorded but changes nothing: no reopen, no
 *   reassignment, no capacity change (scenario S12);
 * - anything else is a requester reply: a public email message that reopens a pending or solved
 *   ticket and, like every ticket update, runs the triggers.
 */
import {
  EMAIL_ADDRESS,
  overBudget,
  pushMessage,
  record,
  routingEffect,
  type ConversationState,
  type Effect,
  type Message,
} from './conversation';
import { DomainError } from './errors';
import type { Cause } from './vocabulary';

/** Domain of the Message-IDs Parley gives its own outbound mail (activities/email.ts). */
export const OWN_MESSAGE_ID_DOMAIN = 'parley.local';

/** An inbound email on a conversation's ticket. Header names are case-insensitive. */
export interface InboundEmailInput {
  /** The email's Message-ID (dedup key), e.g. `<abc@mail.example.com>`. */
  messageId: string;
  from: string;
  subject?: string;
  text: string;
  headers?: Record<string, string>;
  cause: Cause;
}

/** What an inbound email is (see module doc). */
export type InboundEmailKind = 'requester_reply' | 'auto_reply' | 'own_message';

/** Classifies an inbound email by its headers and Message-ID (see module doc). */
export function classifyInboundEmail(input: Pick<InboundEmailInput, 'messageId' | 'headers'>): InboundEmailKind {
  // Every value of every spelling of a header counts (`Auto-Submitted` and `AUTO-SUBMITTED` both).
  const values = new Map<string, string[]>();
  for (const [k, v] of Object.entries(input.headers ?? {})) {
    const key = k.toLowerCase();
    values.set(key, [...(values.get(key) ?? []), String(v).trim().toLowerCase()]);
  }
  const all = (key: string): string[] => values.get(key) ?? [];
  const ownId = (id: string | undefined): boolean => !!id && normaliseMessageId(id).endsWith(`@${OWN_MESSAGE_ID_DOMAIN}`);
  if (values.has('x-parley-idempotency-key') || ownId(input.messageId) || all('message-id').some(ownId)) return 'own_message';
  if (all('auto-submitted').some((v) => v !== 'no') || values.has('x-autoreply') || values.has('x-autorespond')) return 'auto_reply';
  if (all('precedence').some((v) => ['auto_reply', 'auto-reply', 'bulk', 'junk', 'list'].includes(v))) return 'auto_reply';
  return 'requester_reply';
}

/** A Message-ID as a comparable key: without angle brackets and spaces, lower case. */
export function normaliseMessageId(id: string): string {
  return id.replace(/[<>\s]/g, '').toLowerCase();
}

/** The outcome of {@link receiveInboundEmail}. */
export interface InboundEmailResult {
  outcome: InboundEmailKind | 'duplicate';
  effects: Effect[];
}

/**
 * Takes one inbound email on the conversation's ticket (see module doc). Idempotent per
 * `messageId`.
 * @throws DomainError `invalid_state` without a ticket; `ticket_closed` on a closed ticket;
 *   `invalid_input` for a sender that is not an email address.
 */
export function receiveInboundEmail(state: ConversationState, input: InboundEmailInput, now: string): InboundEmailResult {
  const ticket = state.ticket;
  if (!ticket) throw new DomainError('invalid_state', 'the conversation has no ticket yet: email replies need a ticket (after hand-off)');
  const key = normaliseMessageId(input.messageId);
  if (key === '') throw new DomainError('invalid_input', 'messageId: empty once angle brackets and spaces are removed');
  const id = `email:${key}`;
  if (state.messages.some((m) => m.id === id) || state.events.some((e) => e.data.emailMessageId === key)) return { outcome: 'duplicate', effects: [] };
  if (ticket.status === 'closed') throw new DomainError('ticket_closed', `ticket ${ticket.id} is closed; a reply to it needs a new conversation`);
  if (!EMAIL_ADDRESS.test(input.from)) throw new DomainError('invalid_input', `from: "${input.from}" is not an email address`);
  const kind = classifyInboundEmail(input);
  // Even an ignored email leaves an event: a flood of them must not outgrow the conversation.
  if (overBudget(state, kind === 'requester_reply' ? input.text : '')) {
    throw new DomainError('invalid_state', 'this conversation has reached its size budget; the email needs a new conversation');
  }
  const actor = { type: 'end_user' as const, id: state.requester.id };
  if (kind === 'own_message') {
    record(state, now, 'email_ignored', { type: 'system' }, input.cause, { emailMessageId: key, reason: 'our own outbound email came back' });
    return { outcome: kind, effects: [] };
  }
  if (kind === 'auto_reply') {
    record(state, now, 'email_auto_reply', actor, input.cause, { emailMessageId: key, from: input.from, subject: input.subject ?? '' });
    return { outcome: kind, effects: [] };
  }
  const message: Message = { id, direction: 'inbound', author: actor, visibility: 'public', channel: 'email', text: input.text, at: now };
  pushMessage(state, message);
  record(state, now, 'message_received', actor, input.cause, { messageId: id, channel: 'email', from: input.from });
  const effects: Effect[] = [];
  if (ticket.status === 'pending' || ticket.status === 'solved') {
    const previous = ticket.status;
    ticket.status = 'open';
    delete ticket.solvedAt;
    ticket.updatedAt = now;
    record(state, now, 'ticket_updated', actor, { type: 'message', messageId: id }, { changed: ['status'], previous: { status: previous }, current: { status: 'open' } });
    const routing = routingEffect(state);
    if (routing) effects.push(routing);
  }
  return { outcome: kind, effects };
}
