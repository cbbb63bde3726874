/**
 * Ticket triggers applied to a conversation (DOMAIN.md §4, §9 rules 6 and 8). Pure rules, like
 * `conversation.ts`: build the trigger view of the conversation's ticket, describe one ticket
 * update for the engine, and apply what the engine decided — field changes, a `trigger_fired`
 * event per firing (trigger id, its revision, the configuration revision, the actions that changed
 * something), and side effects with idempotency keys. Ending the session and switching the routing
 * channel to email go through the same {@link endSession} as the agent API, with reason `trigger`
 * and the trigger as cause.
 */
import {
  csatEffects,
  EMAIL_ADDRESS,
  endSession,
  endSessionOnClose,
  MAX_TICKET_TAGS,
  pushMessage,
  record,
  routingEffect,
  systemMessage,
  type ConversationState,
  type Effect,
  type Message,
  type Placeholders,
  type Ticket,
} from './conversation';
import { DomainError } from './errors';
import { satisfactionScoreOf } from './satisfaction';
import type { AccountSettings } from './settings';
import {
  causeOf,
  TriggerTicketSchema,
  VIA_MESSAGING,
  type EvaluationResult,
  type TicketUpdate,
  type TriggerEffect,
  type TriggerSource,
  type TriggerTicket,
  type TriggerTicketInput,
  type UpdateComment,
} from './triggers';
import type { Actor, Cause, Priority, TicketStatus } from './vocabulary';

/**
 * What one trigger evaluation returned (the `evaluateTicketTriggers` activity): the engine's
 * result without the final ticket, plus the configuration revision it used.
 */
export type TriggerRun = Pick<EvaluationResult, 'changes' | 'effects' | 'log' | 'passes' | 'skipped'> & {
  /** Configuration revision the triggers came from (config/types.ts). */
  revision: number;
  /** Active triggers evaluated. */
  triggerCount: number;
  /** Active messaging triggers at the same revision (a conversation skips messaging events when 0). */
  messagingTriggerCount: number;
};

/**
 * The trigger view of a conversation's ticket (null when there is no ticket yet). A messaging
 * ticket's channel is {@link VIA_MESSAGING}; its session fields come from the session; CSAT state,
 * privacy, reopens and replies are derived from the conversation (CSAT sent → `offered`; public
 * messages → public; solved/pending→open updates → reopens; public agent messages → replies).
 * `extras` may override derived fields (tests, hypothetical updates).
 */
export function ticketViewOf(
  state: Pick<ConversationState, 'ticket' | 'session' | 'events' | 'csat' | 'messages'>,
  extras: Partial<Omit<TriggerTicketInput, 'id'>> = {},
): TriggerTicket | null {
  const t = state.ticket;
  if (!t) return null;
  const session = state.session;
  const reopens = state.events.filter((e) => {
    if (e.type !== 'ticket_updated') return false;
    const prev = (e.data.previous as { status?: string } | undefined)?.status;
    const cur = (e.data.current as { status?: string } | undefined)?.status;
    return prev === 'solved' && cur === 'open';
  }).length;
  return TriggerTicketSchema.parse({
    satisfaction_score: satisfactionScoreOf(state),
    is_public: state.messages.some((m) => m.visibility === 'public'),
    reopens,
    replies: state.messages.filter((m) => m.direction === 'outbound' && m.visibility === 'public' && m.author.type === 'agent').length,
    type: t.type ?? null,
    brand_id: t.brandId ?? null,
    organization_id: t.organizationId ?? null,
    ticket_form_id: t.ticketFormId ?? null,
    schedule_id: t.scheduleId ?? null,
    custom_fields: t.customFields ?? {},
    ...extras,
    id: t.id,
    status: t.status,
    priority: t.priority,
    group_id: t.groupId || null,
    assignee_id: t.assigneeId,
    requester_id: t.requesterId,
    tags: [...t.tags],
    subject: t.subject,
    via_id: VIA_MESSAGING,
    routing_channel: t.routingChannel,
    messaging_session_state: session.state,
    messaging_session_ended_reason: session.end?.reason ?? null,
    messaging_session_inactive_reason: session.state === 'inactive' ? 'end_user_inactivity' : null,
  });
}

const sameJson = (a: unknown, b: unknown): boolean => JSON.stringify(a) === JSON.stringify(b);

/**
 * Describes the update that took the ticket from `before` (null: no ticket before) to its current
 * state, for the engine. Returns null when triggers must not run: no ticket, or an update that
 * changed nothing and carries no comment ("no event on a no-op change", DOMAIN.md §9 rule 6).
 * @param now instant of the update, ms since the epoch.
 */
export function ticketUpdateOf(
  state: ConversationState,
  before: TriggerTicket | null,
  change: { actor: Actor; comment?: UpdateComment | null; viaId?: number },
  now: number,
): TicketUpdate | null {
  const after = ticketViewOf(state);
  if (!after) return null;
  const comment = change.comment ?? null;
  if (before && !comment && sameJson(before, after)) return null;
  const a = change.actor;
  const current_user = a.type === 'agent' ? { id: a.id, role: 'agent' as const } : a.type === 'end_user' ? { id: a.id, role: 'end_user' as const } : null;
  return { before, after, comment, update_type: before ? 'Change' : 'Create', now, current_user, ...(change.viaId === undefined ? {} : { via_id: change.viaId }) };
}

/**
 * Placeholder values (Zendesk names: `{{ticket.id}}`, `{{ticket.requester.name}}`,
 * `{{ticket.latest_comment}}`, `{{ticket.comments_formatted}}`...) for the conversation's ticket.
 * `ticket.url`/`link` and `ticket.account` are added by the activity that renders them.
 */
export function placeholdersOf(state: ConversationState): Placeholders {
  const t = state.ticket;
  const r = state.requester;
  const name = r.name ?? r.email ?? r.id;
  const firstInbound = state.messages.find((m) => m.direction === 'inbound');
  const publicMessages = state.messages.filter((m) => m.visibility === 'public');
  const latest = publicMessages[publicMessages.length - 1];
  const authorName = (m: Message): string => (m.author.type === 'end_user' ? name : m.author.type === 'agent' ? m.author.id : m.author.type === 'ai_agent' ? 'AI agent' : 'Support');
  // Newest first, as Zendesk formats them; the last 20 comments, at most ~20,000 characters.
  let formatted = '';
  for (const m of publicMessages.slice(-20).reverse()) {
    const block = `${authorName(m)}, ${m.at}\n\n${m.text}\n\n`;
    if (formatted.length + block.length > 20_000) break;
    formatted += block;
  }
  return {
    ticket: t && {
      id: t.id,
      title: t.subject,
      description: firstInbound?.text ?? '',
      status: t.status,
      priority: t.priority,
      type: t.type ?? '',
      tags: t.tags.join(' '),
      via: 'Messaging',
      routing_channel: t.routingChannel,
      group: { id: t.groupId, name: t.groupId },
      assignee: t.assigneeId ? { id: t.assigneeId, name: t.assigneeId } : null,
      requester: { id: r.id, name, first_name: name.split(/\s+/)[0], email: r.email ?? '' },
      created_at: t.createdAt,
      updated_at: t.updatedAt,
      messaging_session_state: state.session.state,
      messaging_session_ended_reason: state.session.end?.reason ?? '',
      latest_comment: latest?.text ?? '',
      latest_public_comment: latest?.text ?? '',
      comments_formatted: formatted.trimEnd(),
    },
  };
}

const ROUTING_FIELDS = new Set(['status', 'priority', 'group_id', 'assignee_id', 'tags', 'routing_channel']);

/** Sets one ticket field from a trigger view change. Session, CSAT and routing-channel fields are effects, not fields. */
function setTicketField(ticket: Ticket, field: string, to: unknown, settings: AccountSettings, now: string): boolean {
  const text = to === null || to === undefined || to === '' ? null : String(to);
  switch (field) {
    case 'status':
      ticket.status = to as TicketStatus;
      if (ticket.status === 'solved') ticket.solvedAt = now;
      else delete ticket.solvedAt;
      return true;
    case 'priority':
      ticket.priority = (text ?? 'normal') as Priority;
      return true;
    case 'group_id':
      ticket.groupId = text ?? settings.default_group_id;
      return true;
    case 'assignee_id':
      ticket.assigneeId = text;
      return true;
    case 'tags':
      ticket.tags = (to as string[]).slice(0, MAX_TICKET_TAGS);
      return true;
    case 'type':
      ticket.type = text;
      return true;
    case 'brand_id':
      ticket.brandId = text;
      return true;
    case 'organization_id':
      ticket.organizationId = text;
      return true;
    case 'ticket_form_id':
      ticket.ticketFormId = text;
      return true;
    case 'schedule_id':
      ticket.scheduleId = text;
      return true;
    default:
      if (field.startsWith('custom_fields_')) {
        ticket.customFields = { ...(ticket.customFields ?? {}), [field.slice('custom_fields_'.length)]: to as string };
        return true;
      }
      return false;
  }
}

const actorOf = (source: TriggerSource): Actor & { type: 'trigger' } => ({ type: 'trigger', id: causeOf(source).triggerId });

/**
 * Applies one trigger run to the conversation (DOMAIN.md §4): records a `trigger_fired` event per
 * firing, sets the changed fields, and turns the engine's effects into conversation effects, in
 * firing order. Idempotency keys are `trigger:<conversation>:<seq>:<trigger>/<action>` with `seq`
 * the history position of the update, so a retried or replayed run never sends twice.
 * Mutates `state`; returns the effects to run.
 */
export function applyTriggerRun(
  state: ConversationState,
  run: TriggerRun,
  settings: AccountSettings,
  now: string,
  updateSeq: number,
): Effect[] {
  const ticket = state.ticket;
  if (!ticket || run.log.length === 0) return [];
  const effects: Effect[] = [];
  for (const firing of run.log) {
    record(state, now, 'trigger_fired', actorOf(firing), causeOf(firing), {
      triggerId: causeOf(firing).triggerId,
      title: firing.title,
      triggerRevision: firing.revision ?? null,
      configRevision: run.revision,
      pass: firing.pass,
      updateSeq,
      actions: firing.actions.map((a) => ({ index: a.index, field: a.field, value: a.value, changes: a.changes })),
    });
  }
  const wasStatus = ticket.status;
  let routingChanged = false;
  let fieldsChanged = false;
  for (const c of run.changes) {
    if (setTicketField(ticket, c.field, c.to, settings, now)) {
      fieldsChanged = true;
      if (ROUTING_FIELDS.has(c.field)) routingChanged = true;
    }
  }
  if (fieldsChanged) ticket.updatedAt = now;
  const keyOf = (e: TriggerEffect): string => `trigger:${state.conversationId}:${updateSeq}:${e.key}`;
  const sessionEffects: Effect[] = [];
  // "End session" and "Set routing channel: email" in one run end the session once, as email.
  const toEmail = run.effects.some((e) => e.type === 'set_routing_channel');
  for (const e of run.effects) {
    const cause = causeOf(e.source);
    const actor = actorOf(e.source);
    switch (e.type) {
      case 'end_session':
      case 'set_routing_channel': {
        const routingChannel = toEmail ? ('email' as const) : undefined;
        if (!state.session.end) {
          const r = tryEnd(state, { actor, reason: 'trigger', cause, ...(routingChannel ? { routingChannel } : {}) }, settings, now);
          sessionEffects.push(...r);
          routingChanged = routingChanged && r.length === 0;
        } else if (routingChannel && ticket.routingChannel !== 'email') {
          ticket.routingChannel = 'email';
          routingChanged = true;
        }
        break;
      }
      case 'send_satisfaction_survey':
        effects.push(...csatEffects(state, settings, cause, now, true));
        break;
      case 'notify_user':
      case 'notify_group': {
        const to = e.type === 'notify_user' ? recipientEmail(state, e.recipient) : { skip: 'Parley keeps no email addresses for agent groups; use a webhook or a user notification' };
        if ('skip' in to) {
          record(state, now, 'notification_skipped', actor, cause, { key: e.key, recipient: e.type === 'notify_user' ? e.recipient : `group:${e.group}`, reason: to.skip });
        } else {
          record(state, now, 'notification_sent', actor, cause, { key: e.key, to: to.email, subjectTemplate: e.subject });
          effects.push({ type: 'send_notification', idempotencyKey: keyOf(e), to: to.email, subject: e.subject, body: e.body, placeholders: placeholdersOf(state), triggerId: cause.triggerId });
        }
        break;
      }
      case 'notify_webhook':
        effects.push({ type: 'call_webhook', idempotencyKey: keyOf(e), webhookId: e.webhookId, body: e.body, placeholders: placeholdersOf(state), triggerId: cause.triggerId });
        break;
      case 'add_comment':
        effects.push(...triggerComment(state, e, keyOf(e), actor, cause, now));
        break;
      case 'set_schedule':
        // The schedule id is a field change, applied above.
        break;
    }
  }
  if (routingChanged) {
    const routing = routingEffect(state);
    if (routing) effects.unshift(routing);
  }
  const cause = causeOf(run.log[run.log.length - 1]);
  if (wasStatus !== 'solved' && ticket.status === 'solved') effects.push(...csatEffects(state, settings, cause, now));
  effects.push(...sessionEffects);
  if (wasStatus !== 'closed' && ticket.status === 'closed') {
    effects.push(...endSessionOnClose(state, actorOf(run.log[run.log.length - 1]), cause, now));
    record(state, now, 'ticket_closed', actorOf(run.log[run.log.length - 1]), cause, {});
    effects.push({ type: 'ticket_closed_notice' });
  }
  return effects;
}

/** Ends the session for a trigger; a rule refusal (e.g. the ticket closed in the same update) ends nothing. */
function tryEnd(state: ConversationState, input: Parameters<typeof endSession>[1], settings: AccountSettings, now: string): Effect[] {
  try {
    return endSession(state, input, settings, now).effects;
  } catch (err) {
    if (err instanceof DomainError) return [];
    throw err;
  }
}

/**
 * Resolves a `notification_user` recipient: `requester_id` (and `requester_and_ccs`) → the
 * requester's email; `current_user` only when that is the requester; a literal email address.
 * Agents' email addresses are not kept by Parley, so agent recipients are skipped with a reason.
 */
function recipientEmail(state: ConversationState, recipient: string): { email: string } | { skip: string } {
  if (EMAIL_ADDRESS.test(recipient)) return { email: recipient };
  if (recipient === 'requester_id' || recipient === 'requester_and_ccs') {
    return state.requester.email ? { email: state.requester.email } : { skip: 'the requester has no email address' };
  }
  if (recipient === 'assignee_id' || recipient === 'all_agents' || recipient === 'current_user') {
    return { skip: `recipient "${recipient}": Parley keeps no email addresses for agents; use the requester, an email address or a webhook` };
  }
  return { skip: `recipient "${recipient}": not a user Parley knows an email address for; use requester_id, an email address or a webhook` };
}

/**
 * A trigger's comment (`comment_value`): public while the session is live → messaging; public after
 * the end → email when the requester's email is known; otherwise an internal note.
 */
function triggerComment(
  state: ConversationState,
  e: TriggerEffect & { type: 'add_comment' },
  key: string,
  actor: Actor,
  cause: Cause,
  now: string,
): Effect[] {
  const live = state.session.state !== 'ended';
  if (e.public && live) return systemMessage(state, actor, key, e.text, cause, now);
  if (state.messages.some((m) => m.id === key)) return [];
  const byEmail = e.public && !!state.requester.email;
  const message: Message = {
    id: key,
    direction: 'outbound',
    author: actor,
    visibility: byEmail ? 'public' : 'internal',
    channel: byEmail ? 'email' : 'internal',
    text: e.text,
    at: now,
  };
  pushMessage(state, message);
  record(state, now, byEmail ? 'message_sent' : 'internal_note_added', actor, cause, { messageId: key, channel: message.channel });
  if (!byEmail || !state.requester.email) return [];
  return [{ type: 'send_email', idempotencyKey: `email:${key}`, to: state.requester.email, subject: `[Ticket ${state.ticket?.id}] ${state.ticket?.subject ?? ''}`, text: e.text }];
}
