/**
 * `conversation` workflow (`conversation:<id>`): one customer request from the end user's first
 * message until its ticket is closed (DOMAIN.md §2). Holds session + ticket state and the event
 * history; rules live in `domain/conversation.ts`, side effects run as activities through a single
 * ordered effect pump, so updates answer as soon as the state has changed and no effect is lost
 * (the workflow does not finish, or continue-as-new, while effects are pending).
 */
import {
  ApplicationFailure,
  allHandlersFinished,
  condition,
  continueAsNew,
  getExternalWorkflowHandle,
  setHandler,
  sleep,
  upsertSearchAttributes,
  workflowInfo,
} from '@temporalio/workflow';
import { evaluation, local, remote as acts, webhook } from './activityOptions';
import * as rules from '../domain/conversation';
import type { ConversationState, Effect } from '../domain/conversation';
import { applyTriggerRun, ticketUpdateOf, ticketViewOf } from '../domain/conversationTriggers';
import {
  messagingEventOf,
  messagingProvenance,
  messagingTriggersMayRun,
  recordMessagingFiring,
  runMessagingAction,
} from '../domain/conversationMessagingTriggers';
import type { MessagingEventType, MessagingFiring, ResolvedMessagingAction } from '../domain/messagingTriggers';
import type { TriggerTicket, UpdateComment } from '../domain/triggers';
import type { Actor } from '../domain/vocabulary';
import { receiveInboundEmail } from '../domain/inboundEmail';
import { rateSatisfaction, satisfactionScoreOf } from '../domain/satisfaction';
import { DomainError } from '../domain/errors';
import { DEFAULT_ACCOUNT_SETTINGS, type AccountSettings } from '../domain/settings';
import { searchAttributeUpdates } from './conversationSearchAttributes';
import {
  agentReplyUpdate,
  assignedSignal,
  conversationChangedSignal,
  conversationQuery,
  endSessionUpdate,
  endUserMessageUpdate,
  handOffUpdate,
  inboundEmailUpdate,
  rateSatisfactionUpdate,
  updateTicketUpdate,
  workflowIds,
  type ConversationInput,
  type ConversationView,
} from './definitions';
import { asUpdateFailure } from './failures';
import { serializer } from './serial';


const nowIso = (): string => new Date(Date.now()).toISOString();

/** Builds the query/HTTP view of a conversation. */
export function viewOf(state: ConversationState): ConversationView {
  return {
    conversationId: state.conversationId,
    threadId: state.threadId,
    phase: state.phase,
    requester: state.requester,
    session: state.session,
    ticket: state.ticket,
    composer: rules.composerFor(state),
    csat: state.csat,
    messages: state.messages,
    events: state.events,
    lastTriggerUpdate: state.lastTriggerUpdate ?? null,
  };
}

/** The conversation workflow. Returns its final view when the ticket closes (or the session ends without a ticket). */
export async function conversation(input: ConversationInput): Promise<ConversationView> {
  const serial = serializer();
  // At most one local activity at a time. Two in flight resolve in separate activations when the
  // workflow runs, but from their markers in one activation on replay, so the commands that follow
  // them (an update's completion, a signal) could come out in another order: a nondeterminism
  // error after a cache eviction. One at a time, each resolution replays in its own activation.
  const oneLocal = serializer();
  const effects: Effect[] = [...((input.pendingEffects as Effect[] | undefined) ?? [])];
  // Settings arrive through an activity; handlers must be registered before the first await, so
  // updates delivered with the start are not rejected. Handlers that need settings await this.
  let settings: AccountSettings = DEFAULT_ACCOUNT_SETTINGS;
  let settingsReady: Promise<void> | undefined;
  let state: ConversationState;
  if (input.state) {
    state = input.state;
  } else {
    if (!input.first) throw ApplicationFailure.nonRetryable('a new conversation needs its first end-user message', 'invalid_input');
    const started = rules.startConversation(input, input.first, nowIso());
    state = started.state;
    effects.push(...started.effects);
  }
  let pumping = false;
  /** Messaging-trigger actions waiting on a `wait` timer (continue-as-new waits for them). */
  let pendingWaits = 0;
  /** Notifications and webhooks running beside the pump (see `beside`). */
  let besideTasks = 0;
  /** Active messaging triggers as the last ticket-trigger run saw them (null before the first run). */
  let messagingTriggersAt: { revision: number; count: number } | null = null;

  const syncSearchAttributes = (() => {
    let previous: Record<string, string> = {};
    return (): void => {
      const { updates, current } = searchAttributeUpdates(state, previous);
      if (updates.length > 0) upsertSearchAttributes(updates);
      previous = current;
    };
  })();

  const apply = (produced: Effect[]): void => {
    effects.push(...produced);
    syncSearchAttributes();
  };

  /** Runs effects one by one, in order; each activity retries until it succeeds. */
  const pump = async (): Promise<void> => {
    await initialSettings();
    for (;;) {
      await condition(() => effects.length > 0);
      pumping = true;
      const effect = effects[0];
      await runEffect(effect);
      effects.shift();
      pumping = false;
    }
  };

  const sessionEnded = (): boolean => state.session.state === 'ended';

  const runEffect = async (effect: Effect): Promise<void> => {
    switch (effect.type) {
      case 'ai_agent_turn': {
        // A human took over, or the session ended, before the AI agent's turn: it stays silent.
        if (state.phase !== 'ai_agent' || sessionEnded()) return;
        const firstMessage = state.messages.filter((m) => m.direction === 'inbound').length === 1;
        const decision = await acts.aiAgentTurn({
          conversationId: state.conversationId,
          threadId: state.threadId,
          message: effect.message,
          firstMessage,
        });
        // The session may have ended, or a human taken over, while the AI agent was thinking.
        if (state.phase !== 'ai_agent' || sessionEnded()) return;
        if (decision.reply) {
          const cause = { type: 'message' as const, messageId: effect.message.id };
          apply(rules.systemMessage(state, { type: 'ai_agent' }, decision.reply.messageId, decision.reply.text, cause, nowIso()));
        }
        if (decision.handOff && !state.ticket) {
          const actor = { type: 'ai_agent' } as const;
          await serial(async () => {
            if (state.ticket || state.session.state === 'ended') return;
            await ticketChange({ actor }, () => rules.handOff(state, { actor, cause: { type: 'message', messageId: effect.message.id } }, settings, nowIso()).effects);
            await ticketRequested();
          });
        }
        return;
      }
      case 'deliver_to_channel':
        return acts.deliverToChannel({ idempotencyKey: effect.idempotencyKey, conversationId: state.conversationId, threadId: state.threadId, message: effect.message });
      case 'send_email':
        return acts.sendEmail(effect);
      case 'send_csat':
        return acts.sendCsatSurvey(effect);
      case 'routing_update':
        return oneLocal(() => local.updateRouting(effect.ticket));
      case 'session_ended_notice':
      case 'ticket_closed_notice':
        return notifyThread(effect.type === 'session_ended_notice' ? 'session_ended' : 'closed');
      // Notifications and webhooks go to other systems, not to the end user: they run beside the
      // ordered pump, so a slow or dead receiver never delays the conversation's own messages.
      case 'send_notification':
        return beside(async () => {
          try {
            await acts.sendTriggerNotification(effect);
          } catch (err) {
            const reason = String((err as Error & { cause?: Error }).cause?.message ?? (err as Error).message);
            rules.record(state, nowIso(), 'notification_failed', { type: 'trigger', id: effect.triggerId }, { type: 'trigger', triggerId: effect.triggerId }, { key: effect.idempotencyKey, reason });
          }
        });
      case 'call_webhook':
        return beside(() => callWebhook(effect));
    }
  };

  /** Starts `task` without waiting; the conversation does not finish or continue-as-new before it ends. */
  const beside = (task: () => Promise<void>): void => {
    besideTasks += 1;
    void task().finally(() => {
      besideTasks -= 1;
    });
  };

  /** A webhook that fails for good is recorded (`webhook_failed`), never retried forever. */
  const callWebhook = async (effect: Extract<Effect, { type: 'call_webhook' }>): Promise<void> => {
    const actor = { type: 'trigger' as const, id: effect.triggerId };
    const cause = { type: 'trigger' as const, triggerId: effect.triggerId };
    try {
      const { status } = await webhook.callTriggerWebhook(effect);
      rules.record(state, nowIso(), 'webhook_sent', actor, cause, { key: effect.idempotencyKey, webhookId: effect.webhookId, status });
    } catch (err) {
      const reason = String((err as Error & { cause?: Error }).cause?.message ?? (err as Error).message);
      rules.record(state, nowIso(), 'webhook_failed', actor, cause, { key: effect.idempotencyKey, webhookId: effect.webhookId, reason });
    }
  };

  /**
   * Runs `change` (a rule that changes the conversation and returns effects), then the ticket
   * triggers on the resulting ticket update (DOMAIN.md §4: after each ticket create/update), and
   * applies what they decided. Callers hold `serial`. No ticket, or no change and no comment:
   * no triggers.
   */
  const ticketChange = async (
    change: { actor: Actor; comment?: UpdateComment | null; viaId?: number },
    run: () => Effect[],
    before: TriggerTicket | null = ticketViewOf(state),
  ): Promise<void> => {
    apply(run());
    const update = ticketUpdateOf(state, before, change, Date.now());
    if (!update) return;
    await initialSettings();
    const seq = state.events.length;
    const result = await oneLocal(() => evaluation.evaluateTicketTriggers(update)).catch((err: unknown) => evaluationFailed('ticket', err));
    if (!result) return;
    messagingTriggersAt = { revision: result.revision, count: result.messagingTriggerCount };
    if (result.log.length > 0 && state.sizeBytes + rules.jsonBytes(result.log) + rules.jsonBytes(result.effects) + 4_096 > rules.CONVERSATION_BUDGET.bytes) {
      // Nothing of it applies: the conversation's state must keep fitting one Temporal payload.
      evaluationFailed('ticket', new Error(`the conversation has reached its size budget (${rules.CONVERSATION_BUDGET.bytes} bytes); the triggers of this update were not applied`));
      return;
    }
    state.lastTriggerUpdate = { update, revision: result.revision, seq };
    apply(applyTriggerRun(state, result, settings, nowIso(), seq));
  };

  /** Records that triggers could not be evaluated for this update (the update itself stands). */
  const evaluationFailed = (kind: 'ticket' | 'messaging', err: unknown): null => {
    messagingTriggersAt = null;
    const reason = String((err as Error & { cause?: Error }).cause?.message ?? (err as Error).message);
    rules.record(state, nowIso(), 'triggers_failed', { type: 'system' }, { type: 'trigger', triggerId: `${kind}:evaluation` }, { kind, reason });
    return null;
  };

  /**
   * Runs the messaging triggers of one event (DOMAIN.md §4): records each firing, runs its actions
   * at once or after its waits (durable timers), never once the session has ended. Callers hold
   * `serial`; delayed actions take it again when their timer fires.
   */
  const messagingEvent = async (type: MessagingEventType, message?: { text: string }): Promise<void> => {
    const event = messagingEventOf(state, type, Date.now(), message);
    if (!event) return;
    // Every messaging event follows a ticket update whose trigger run just reported the number of
    // messaging triggers at that revision: none, no evaluation (saves a local activity per event).
    if (messagingTriggersAt?.count === 0) return;
    const run = await oneLocal(() => evaluation.evaluateMessagingTriggers(event)).catch((err: unknown) => evaluationFailed('messaging', err));
    if (!run) return;
    const eventSeq = state.events.length;
    for (const firing of run.firings) {
      recordMessagingFiring(state, firing, type, run.revision, nowIso());
      for (const action of firing.actions) if (action.afterSeconds === 0) await messagingAction(firing, action, eventSeq);
      const later = firing.actions.filter((a) => a.afterSeconds > 0 && a.type !== 'wait');
      if (later.length > 0) void afterWaits(firing, later, eventSeq);
    }
  };

  const afterWaits = async (firing: MessagingFiring, later: ResolvedMessagingAction[], eventSeq: number): Promise<void> => {
    pendingWaits += 1;
    try {
      let elapsed = 0;
      for (const action of later) {
        if (action.afterSeconds > elapsed) {
          await sleep((action.afterSeconds - elapsed) * 1000);
          elapsed = action.afterSeconds;
        }
        if (!messagingTriggersMayRun(state)) return;
        await serial(() => messagingAction(firing, action, eventSeq));
      }
    } finally {
      pendingWaits -= 1;
    }
  };

  const messagingAction = async (firing: MessagingFiring, action: ResolvedMessagingAction, eventSeq: number): Promise<void> => {
    const outcome = runMessagingAction(state, firing, action, eventSeq, nowIso());
    apply(outcome.effects);
    const tags = outcome.tags;
    if (!tags || state.ticket?.status === 'closed') return;
    // A tag change is a ticket update: ticket triggers run on it (e.g. a surge tag → email routing).
    const { actor, cause } = messagingProvenance(firing);
    await ticketChange({ actor }, () => {
      try {
        return rules.updateTicket(state, tags, actor, cause, settings, nowIso()).effects;
      } catch (err) {
        if (err instanceof DomainError) return [];
        throw err;
      }
    });
  };

  /** A new ticket: "conversation requested", then "added to queue" while nobody has it yet (DOMAIN.md §4). */
  const ticketRequested = async (): Promise<void> => {
    await messagingEvent('conversation_requested');
    const t = state.ticket;
    if (t && !t.assigneeId && (t.status === 'new' || t.status === 'open')) await messagingEvent('added_to_queue');
  };

  const notifyThread = async (change: 'session_ended' | 'closed'): Promise<void> => {
    try {
      await getExternalWorkflowHandle(workflowIds.thread(state.threadId)).signal(conversationChangedSignal, {
        conversationId: state.conversationId,
        change,
      });
    } catch {
      // No thread workflow (conversation started directly through the API): nothing to tell.
    }
  };

  const refreshSettings = async (): Promise<void> => {
    settings = await oneLocal(() => local.loadAccountSettings());
  };
  const initialSettings = (): Promise<void> => (settingsReady ??= refreshSettings());

  // ------------------------------------------------------------------ handlers
  setHandler(
    endUserMessageUpdate,
    (message) =>
      serial(async () => {
        if (state.messages.some((m) => m.id === message.messageId)) return { accepted: true, conversationId: state.conversationId };
        const before = ticketViewOf(state);
        const result = rules.receiveEndUserMessage(state, message, nowIso());
        if (typeof result === 'string') return { accepted: false, reason: result };
        // A requester message on a ticket is a ticket update with a public comment (DOMAIN.md §4).
        await ticketChange({ actor: { type: 'end_user', id: message.author.id }, comment: { public: true, text: message.text } }, () => result, before);
        await messagingEvent('message_sent', { text: message.text });
        return { accepted: true, conversationId: state.conversationId };
      }),
  );

  setHandler(handOffUpdate, (request) =>
    serial(async () => {
      await initialSettings();
      let ticket: rules.Ticket | undefined;
      let created = false;
      await ticketChange({ actor: request.actor }, () => {
        const r = asUpdateFailure(() => rules.handOff(state, request, settings, nowIso()));
        ticket = r.ticket;
        created = r.created;
        return r.effects;
      });
      if (created) await ticketRequested();
      return ticket!;
    }),
  );

  setHandler(
    agentReplyUpdate,
    (request) =>
      serial(async () => {
        let message: rules.Message | undefined;
        const actor = { type: 'agent' as const, id: request.agentId };
        await ticketChange({ actor, comment: { public: request.visibility === 'public', text: request.text } }, () => {
          const r = asUpdateFailure(() => rules.agentReply(state, request, nowIso()));
          message = r.message;
          return r.effects;
        });
        return message!;
      }),
    { validator: (_request) => asUpdateFailure(() => assertOpen(state)) },
  );

  setHandler(
    endSessionUpdate,
    (request) =>
      serial(async () => {
        if (!state.session.end) await refreshSettings();
        let result: rules.EndSessionResult | undefined;
        await ticketChange({ actor: request.actor }, () => {
          const r = asUpdateFailure(() => rules.endSession(state, request, settings, nowIso()));
          result = r;
          return r.effects;
        });
        return { alreadyEnded: result!.alreadyEnded, end: result!.end };
      }),
    { validator: (_request) => asUpdateFailure(() => (state.session.end ? undefined : assertOpen(state))) },
  );

  setHandler(
    updateTicketUpdate,
    (request) =>
      serial(async () => {
        await initialSettings();
        let changed: string[] = [];
        await ticketChange({ actor: request.actor }, () => {
          const r = asUpdateFailure(() => rules.updateTicket(state, request.changes, request.actor, request.cause, settings, nowIso()));
          changed = r.changed;
          return r.effects;
        });
        if (!state.ticket) throw ApplicationFailure.nonRetryable('no ticket', 'invalid_state');
        return { changed, ticket: state.ticket };
      }),
    { validator: (_request) => asUpdateFailure(() => assertOpen(state)) },
  );

  setHandler(
    inboundEmailUpdate,
    (email) =>
      serial(async () => {
        const before = ticketViewOf(state);
        const r = asUpdateFailure(() => receiveInboundEmail(state, email, nowIso()));
        if (r.outcome !== 'requester_reply') {
          // Duplicates, auto-replies and our own mail coming back are not ticket updates (S12, S13).
          apply(r.effects);
          return { outcome: r.outcome };
        }
        // A requester reply is a ticket update with a public comment by email (via_id 4).
        await ticketChange({ actor: { type: 'end_user', id: state.requester.id }, comment: { public: true, text: email.text }, viaId: 4 }, () => r.effects, before);
        const outcome = r.outcome;
        return { outcome };
      }),
    { validator: (_email) => asUpdateFailure(() => assertOpen(state)) },
  );

  setHandler(
    rateSatisfactionUpdate,
    ({ cause, ...rating }) =>
      serial(async () => {
        let changed = false;
        // A rating is a ticket update by the requester (triggers on satisfaction_score run).
        await ticketChange({ actor: { type: 'end_user', id: state.requester.id } }, () => {
          changed = asUpdateFailure(() => rateSatisfaction(state, rating, cause, nowIso()));
          return [];
        });
        return { changed, satisfactionScore: satisfactionScoreOf(state) };
      }),
    { validator: (_rating) => asUpdateFailure(() => assertOpen(state)) },
  );

  setHandler(assignedSignal, ({ agentId, at }) =>
    serial(async () => {
      const was = state.ticket?.assigneeId;
      await ticketChange({ actor: { type: 'system' } }, () => rules.assign(state, agentId, { type: 'routing', decision: `assigned at ${at}` }, nowIso()));
      if (state.ticket?.assigneeId === agentId && was !== agentId) await messagingEvent('assigned_from_queue');
    }),
  );

  setHandler(conversationQuery, () => viewOf(state));

  // ------------------------------------------------------------------ timers and lifecycle
  syncSearchAttributes();
  void pump();
  await initialSettings();

  const finished = (): boolean =>
    state.ticket?.status === 'closed' || (state.session.state === 'ended' && state.ticket === null);

  // One timer per deadline: activity that pushes the deadline later does not re-arm it (the timer
  // re-checks when it fires and sleeps for the rest); only an earlier or new deadline wakes the loop.
  while (!finished()) {
    const deadline = nextDeadline(state, settings);
    const movedEarlier = (): boolean => {
      const next = nextDeadline(state, settings);
      return next !== null && (deadline === null || next.kind !== deadline.kind || next.at < deadline.at);
    };
    const wake = (): boolean => finished() || movedEarlier() || workflowInfo().continueAsNewSuggested;
    const fired = deadline === null ? (await condition(wake), false) : !(await condition(wake, Math.max(1, deadline.at - Date.now())));
    if (fired) {
      const due = nextDeadline(state, settings);
      if (due && due.at <= Date.now()) await serial(() => onDeadline(due.kind));
    }
    if (workflowInfo().continueAsNewSuggested && !finished()) {
      await condition(() => allHandlersFinished() && effects.length === 0 && !pumping && pendingWaits === 0 && besideTasks === 0);
      await continueAsNew<typeof conversation>({ conversationId: state.conversationId, threadId: state.threadId, state });
    }
  }

  async function onDeadline(kind: Deadline['kind']): Promise<void> {
    const cause = { type: 'timer' as const, name: kind, firedAt: nowIso() };
    if (kind === 'inactivity') {
      await refreshSettings();
      const system = { actor: { type: 'system' as const } };
      await ticketChange(system, () => rules.markInactive(state, cause, nowIso()));
      if (settings.end_session_when_inactive && state.session.state === 'inactive') {
        await ticketChange(system, () => asUpdateFailure(() => rules.endSession(state, { actor: { type: 'system' }, reason: 'inactivity', cause }, settings, nowIso())).effects);
      }
    } else if (kind === 'close_solved' && state.ticket?.status === 'solved') {
      await ticketChange({ actor: { type: 'system' } }, () => rules.updateTicket(state, { status: 'closed' }, { type: 'system' }, cause, settings, nowIso()).effects);
    }
  }

  await condition(() => allHandlersFinished() && effects.length === 0 && !pumping && besideTasks === 0);
  return viewOf(state);
}

interface Deadline {
  kind: 'inactivity' | 'close_solved';
  at: number;
}

/** The next timer the conversation waits for (DOMAIN.md §5 inactivity, §2 step 6 close after solved). */
function nextDeadline(state: ConversationState, settings: AccountSettings): Deadline | null {
  if (state.ticket?.status === 'solved' && state.ticket.solvedAt) {
    return { kind: 'close_solved', at: Date.parse(state.ticket.solvedAt) + settings.close_solved_after_days * 86_400_000 };
  }
  if (state.session.state === 'active') {
    return { kind: 'inactivity', at: Date.parse(state.session.lastEndUserActivityAt) + settings.inactivity_minutes * 60_000 };
  }
  return null;
}

function assertOpen(state: ConversationState): void {
  if (state.ticket?.status === 'closed') {
    throw new DomainError('ticket_closed', `ticket ${state.ticket.id} is closed; closed tickets cannot be changed`);
  }
}
