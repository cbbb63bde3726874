/**
 * Messaging triggers applied to a conversation (DOMAIN.md §4 "Messaging triggers"). Pure rules:
 * the event a conversation offers the engine, the `messaging_trigger_fired` record of each firing,
 * and each action's outcome — a message to the end user, an email request, or a tag change that
 * the workflow runs as a ticket update (so ticket triggers see it). Nothing runs, at any step,
 * once the session has ended or the ticket is closed.
 */
import { record, systemMessage, type ConversationState, type Effect, type TicketChanges } from './conversation';
import type { MessagingEvent, MessagingEventType, MessagingFiring, ResolvedMessagingAction } from './messagingTriggers';
import type { Actor, Cause } from './vocabulary';

/** What the `evaluateMessagingTriggers` activity returns. */
export interface MessagingTriggerRun {
  /** Configuration revision used. */
  revision: number;
  firings: MessagingFiring[];
  skipped: 'session_ended' | 'ticket_closed' | null;
}

/** True when messaging triggers may act on this conversation now (a ticket, a live session, not closed). */
export function messagingTriggersMayRun(state: ConversationState): boolean {
  return !!state.ticket && state.ticket.status !== 'closed' && state.session.state !== 'ended';
}

/**
 * The engine input for `type` on this conversation, or null when nothing may run (see
 * {@link messagingTriggersMayRun}). `now` is ms since the epoch.
 */
export function messagingEventOf(state: ConversationState, type: MessagingEventType, now: number, message?: { text: string }): MessagingEvent | null {
  const t = state.ticket;
  if (!t || !messagingTriggersMayRun(state)) return null;
  return {
    type,
    now,
    sessionState: state.session.state,
    ticket: { id: t.id, status: t.status, tags: [...t.tags], groupId: t.groupId || null, brandId: t.brandId ?? null, scheduleId: t.scheduleId ?? null },
    ...(message ? { message } : {}),
  };
}

const sourceId = (f: MessagingFiring): string => f.triggerId ?? `title:${f.title}`;

/** Who acts for a messaging trigger, and the cause it records (DOMAIN.md §9 rule 8). */
export function messagingProvenance(f: MessagingFiring): { actor: Actor; cause: Cause } {
  const id = `messaging:${sourceId(f)}`;
  return { actor: { type: 'trigger', id }, cause: { type: 'trigger', triggerId: id, ...(f.revision === undefined ? {} : { revision: f.revision }) } };
}

/** Records one firing: trigger, event, configuration revision and the actions it will run (with their delays). */
export function recordMessagingFiring(state: ConversationState, f: MessagingFiring, event: MessagingEventType, revision: number, now: string): void {
  const { actor, cause } = messagingProvenance(f);
  record(state, now, 'messaging_trigger_fired', actor, cause, {
    triggerId: sourceId(f),
    title: f.title,
    event,
    triggerRevision: f.revision ?? null,
    configRevision: revision,
    actions: f.actions.map((a) => ({ index: a.index, type: a.type, afterSeconds: a.afterSeconds })),
  });
}

/** The outcome of one action: effects to run now, and a tag change to apply as a ticket update. */
export interface MessagingActionOutcome {
  effects: Effect[];
  tags: Pick<TicketChanges, 'addTags' | 'removeTags'> | null;
}

/**
 * Runs one action of a firing. `eventSeq` (the history position of the event) makes message ids
 * stable: `mtrigger:<conversation>:<eventSeq>:<trigger>/<index>`. Returns nothing when the session
 * has ended or the ticket closed meanwhile (e.g. during a `wait`).
 */
export function runMessagingAction(state: ConversationState, f: MessagingFiring, a: ResolvedMessagingAction, eventSeq: number, now: string): MessagingActionOutcome {
  const none: MessagingActionOutcome = { effects: [], tags: null };
  if (!messagingTriggersMayRun(state)) return none;
  const { actor, cause } = messagingProvenance(f);
  const id = `mtrigger:${state.conversationId}:${eventSeq}:${a.key}`;
  switch (a.type) {
    case 'send_message':
      return { effects: systemMessage(state, actor, id, a.text, cause, now), tags: null };
    case 'request_email': {
      if (state.requester.email) return none;
      const effects = systemMessage(state, actor, id, a.prompt, cause, now);
      if (effects.length > 0) {
        state.emailRequested = true;
        record(state, now, 'email_requested', actor, cause, { messageId: id });
      }
      return { effects, tags: null };
    }
    case 'add_tags':
      return { effects: [], tags: { addTags: a.tags } };
    case 'remove_tags':
      return { effects: [], tags: { removeTags: a.tags } };
    case 'wait':
      return none;
  }
}
