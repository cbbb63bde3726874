/**
 * The typed client for backend services: every Parley operation, over a Temporal `Client`.
 * The HTTP API and the CLI are built on it. Methods throw {@link ParleyError} for rule and lookup
 * failures (see `client/errors.ts`).
 */
import { WithStartWorkflowOperation, WorkflowNotFoundError, type Client, type WorkflowExecutionInfo } from '@temporalio/client';
import type { AgentReplyInput, EndSessionInput, EndSessionResult, HandOffInput, Message, Ticket } from '../domain/conversation';
import type { Agent, AgentInput } from '../domain/routing';
import type { AccountSettings, AccountSettingsPatch } from '../domain/settings';
import type { InboundEmailInput } from '../domain/inboundEmail';
import type { SatisfactionInput } from '../domain/satisfaction';
import { endedSessionsReport, type EndedSessionRow, type EndedSessionsReport } from '../domain/reports';
import { SessionEndedReasonSchema, type AgentStatus, type Cause } from '../domain/vocabulary';
import { SA } from '../worker/searchAttributes';
import {
  DEFAULT_TASK_QUEUE,
  agentReplyUpdate,
  inboundEmailUpdate,
  rateSatisfactionUpdate,
  conversationQuery,
  endSessionUpdate,
  ingestMessageUpdate,
  patchSettingsUpdate,
  routingOptionsSignal,
  routingQuery,
  setAgentStatusUpdate,
  settingsQuery,
  threadHandOffUpdate,
  threadQuery,
  updateTicketUpdate,
  upsertAgentUpdate,
  workflowIds,
  type ConversationView,
  type IngestResult,
  type RoutingSnapshot,
  type ThreadHandOffInput,
  type ThreadMessageInput,
  type ThreadState,
  type TicketUpdateRequest,
} from '../workflows/definitions';
import { ParleyError, translateError } from './errors';

/** One row of {@link ParleyClient.listConversations}. */
export interface ConversationListItem {
  conversationId: string;
  workflowId: string;
  status: string;
  startTime: Date;
  searchAttributes: Record<string, unknown>;
}

/** Typed access to Parley. `taskQueue` must match the workers'. */
export class ParleyClient {
  constructor(
    readonly temporal: Client,
    readonly taskQueue: string = DEFAULT_TASK_QUEUE,
  ) {}

  /**
   * Starts the long-lived entity workflows (account settings, routing) if they are not running,
   * and hands routing the capacity options from the settings. Safe to call on every boot.
   */
  async ensureEntities(): Promise<void> {
    const start = async (type: string, workflowId: string): Promise<void> => {
      await this.temporal.workflow.start(type, {
        workflowId,
        taskQueue: this.taskQueue,
        args: [{}],
        workflowIdConflictPolicy: 'USE_EXISTING',
      });
    };
    await start('account', workflowIds.account(this.taskQueue));
    await start('routing', workflowIds.routing(this.taskQueue));
    const settings = await this.getSettings();
    await this.temporal.workflow
      .getHandle(workflowIds.routing(this.taskQueue))
      .signal(routingOptionsSignal, { countInactiveTowardsCapacity: settings.count_inactive_towards_capacity });
  }

  /**
   * Hands an end-user message to its messaging thread (update-with-start: the thread workflow is
   * created on its first message). Deduplicated by message id and provider event id: a redelivery
   * of the same event is answered with the first delivery's result (Temporal update id), a new
   * event carrying an already-taken message id with `status: 'duplicate'`.
   */
  async ingestEndUserMessage(threadId: string, input: ThreadMessageInput): Promise<IngestResult> {
    try {
      return await this.temporal.workflow.executeUpdateWithStart(ingestMessageUpdate, {
        args: [input],
        updateId: `msg:${input.message.messageId}:${input.eventId ?? ''}`,
        startWorkflowOperation: new WithStartWorkflowOperation('messagingThread', {
          workflowId: workflowIds.thread(threadId),
          taskQueue: this.taskQueue,
          args: [{ threadId }],
          workflowIdConflictPolicy: 'USE_EXISTING',
        }),
      });
    } catch (err) {
      return translateError(err, `thread "${threadId}"`);
    }
  }

  /** Hands the thread's live conversation to human agents (creates the ticket). */
  async handOffThread(threadId: string, input: ThreadHandOffInput): Promise<Ticket> {
    return this.threadUpdate(threadId, input);
  }

  private async threadUpdate(threadId: string, input: ThreadHandOffInput): Promise<Ticket> {
    try {
      return await this.temporal.workflow
        .getHandle(workflowIds.thread(threadId))
        .executeUpdate(threadHandOffUpdate, { args: [input], ...(input.eventId ? { updateId: `handoff:${input.eventId}` } : {}) });
    } catch (err) {
      return translateError(err, `thread "${threadId}"`);
    }
  }

  /** A thread's state: its current conversation and dedup memory. */
  async getThread(threadId: string): Promise<ThreadState> {
    try {
      return await this.temporal.workflow.getHandle(workflowIds.thread(threadId)).query(threadQuery);
    } catch (err) {
      return translateError(err, `thread "${threadId}"`);
    }
  }

  /** A conversation: ticket, session, composer default, messages and events. */
  async getConversation(conversationId: string): Promise<ConversationView> {
    try {
      return await this.conversation(conversationId).query(conversationQuery);
    } catch (err) {
      return translateError(err, `conversation "${conversationId}"`);
    }
  }

  /** Hands a conversation to human agents directly (API hand-off). Idempotent. */
  async handOffConversation(conversationId: string, input: HandOffInput, requestId: string): Promise<Ticket> {
    return this.conversationUpdate(conversationId, 'handOff', input, requestId);
  }

  /** Posts an agent reply (public) or internal note. Idempotent per `messageId`. */
  async agentReply(conversationId: string, input: AgentReplyInput): Promise<Message> {
    return this.conversationUpdate(conversationId, agentReplyUpdate, input, `reply:${input.messageId}`);
  }

  /** Ends the conversation's messaging session (DOMAIN.md §3). A second end returns the first. */
  async endSession(conversationId: string, input: EndSessionInput): Promise<EndSessionResult> {
    return this.conversationUpdate(conversationId, endSessionUpdate, input);
  }

  /**
   * An inbound email on the conversation's ticket (requester reply, auto-reply, or our own mail
   * coming back; domain/inboundEmail.ts). Idempotent per `messageId`.
   */
  async receiveEmail(conversationId: string, input: InboundEmailInput): Promise<{ outcome: string }> {
    return this.conversationUpdate(conversationId, inboundEmailUpdate, input, `email:${input.messageId}`);
  }

  /** Records the requester's CSAT rating (the survey links; domain/satisfaction.ts). The last rating counts. */
  async rateSatisfaction(conversationId: string, input: SatisfactionInput & { cause: Cause }): Promise<{ changed: boolean; satisfactionScore: string }> {
    return this.conversationUpdate(conversationId, rateSatisfactionUpdate, input);
  }

  /** Changes the ticket (status, priority, tags, requester email). */
  async updateTicket(conversationId: string, request: TicketUpdateRequest): Promise<{ changed: string[]; ticket: Ticket }> {
    return this.conversationUpdate(conversationId, updateTicketUpdate, request);
  }

  private async conversationUpdate<Ret, Arg>(
    conversationId: string,
    update: import('@temporalio/common').UpdateDefinition<Ret, [Arg]> | string,
    arg: Arg,
    updateId?: string,
  ): Promise<Ret> {
    try {
      return await this.conversation(conversationId).executeUpdate(update as never, {
        args: [arg],
        ...(updateId ? { updateId } : {}),
      });
    } catch (err) {
      if (err instanceof WorkflowNotFoundError || /already completed/i.test(String((err as Error)?.message))) {
        return this.afterConversationEnded(conversationId, update, err);
      }
      return translateError(err, `conversation "${conversationId}"`);
    }
  }

  /**
   * An update reached a conversation whose workflow has finished: its ticket is closed (409
   * `ticket_closed`), or its session ended before any hand-off. A repeated end-session then reports
   * the original end (DOMAIN.md §3); anything else is `invalid_state`. Unknown ids stay `not_found`.
   */
  private async afterConversationEnded<Ret>(conversationId: string, update: unknown, err: unknown): Promise<Ret> {
    const handle = this.conversation(conversationId);
    try {
      await handle.describe();
    } catch {
      return translateError(err, `conversation "${conversationId}"`); // really unknown: 404
    }
    // It exists and has finished: its final view says why. A query of a finished workflow replays
    // its history on a worker, which can be slow under load: try a few times.
    let view: ConversationView | undefined;
    for (let attempt = 0; attempt < 3 && !view; attempt++) {
      view = await handle.query(conversationQuery).catch(() => undefined);
      if (!view) await new Promise((resolve) => setTimeout(resolve, 200 * (attempt + 1)));
    }
    if (!view) throw new ParleyError('invalid_state', `conversation "${conversationId}" has ended and cannot be changed`);
    // Ending an already-ended session reports the original end, even on a closed ticket (DOMAIN.md §3).
    if (update === endSessionUpdate && view.session.end) return { alreadyEnded: true, end: view.session.end } as Ret;
    if (view.ticket?.status === 'closed') {
      throw new ParleyError('ticket_closed', `ticket ${view.ticket.id} is closed; closed tickets cannot be changed`);
    }
    throw new ParleyError('invalid_state', `conversation "${conversationId}" is over: its session ended before any hand-off`);
  }

  private conversation(conversationId: string) {
    return this.temporal.workflow.getHandle(workflowIds.conversation(conversationId));
  }

  /** Creates or replaces an agent (status, groups, capacity rule). */
  async upsertAgent(input: AgentInput): Promise<Agent> {
    try {
      return await this.temporal.workflow.getHandle(workflowIds.routing(this.taskQueue)).executeUpdate(upsertAgentUpdate, { args: [input] });
    } catch (err) {
      return translateError(err, 'routing');
    }
  }

  /** Sets an agent's status (online, away, transfers_only, offline). */
  async setAgentStatus(agentId: string, status: AgentStatus): Promise<Agent> {
    try {
      return await this.temporal.workflow.getHandle(workflowIds.routing(this.taskQueue)).executeUpdate(setAgentStatusUpdate, { args: [{ agentId, status }] });
    } catch (err) {
      return translateError(err, `agent "${agentId}"`);
    }
  }

  /** Agents with their capacity use, the queue, and peak use per agent. */
  async getRouting(): Promise<RoutingSnapshot> {
    try {
      return await this.temporal.workflow.getHandle(workflowIds.routing(this.taskQueue)).query(routingQuery);
    } catch (err) {
      return translateError(err, 'routing');
    }
  }

  /** Current account settings. */
  async getSettings(): Promise<AccountSettings> {
    try {
      return await this.temporal.workflow.getHandle(workflowIds.account(this.taskQueue)).query(settingsQuery);
    } catch (err) {
      return translateError(err, 'account');
    }
  }

  /** Changes some account settings; returns all of them. */
  async patchSettings(patch: AccountSettingsPatch): Promise<AccountSettings> {
    try {
      return await this.temporal.workflow.getHandle(workflowIds.account(this.taskQueue)).executeUpdate(patchSettingsUpdate, { args: [patch] });
    } catch (err) {
      return translateError(err, 'account');
    }
  }

  /**
   * Lists conversations matching a visibility query over Parley's search attributes, e.g.
   * `SessionEndedReason = "agent" AND RoutingChannel = "email"` (DESIGN.md "Search attributes").
   * @param limit maximum rows (default 100).
   */
  async listConversations(query?: string, limit = 100): Promise<ConversationListItem[]> {
    const base = `WorkflowType = "conversation" AND TaskQueue = "${this.taskQueue}"`;
    const rows: ConversationListItem[] = [];
    const iterator = this.temporal.workflow.list({ query: query ? `${base} AND (${query})` : base });
    for await (const info of iterator as AsyncIterable<WorkflowExecutionInfo>) {
      // The caller's query is free text: keep only this deployment's conversations whatever it says.
      if (info.type !== 'conversation' || info.taskQueue !== this.taskQueue) continue;
      rows.push({
        conversationId: info.workflowId.replace(/^conversation:/, ''),
        workflowId: info.workflowId,
        status: info.status.name,
        startTime: info.startTime,
        searchAttributes: Object.fromEntries(info.typedSearchAttributes.getAll().map((p) => [p.key.name, p.value])),
      });
      if (rows.length >= limit) break;
    }
    return rows;
  }

  /**
   * Recipe 3's report (DOMAIN.md §7): sessions ended in [from, to) (ms since the epoch) by local day
   * of `timeZone` and reason, read from visibility (`SessionEndedAt`, `SessionEndedReason`).
   * Visibility is eventually consistent: a session ended a second ago may be missing.
   * @throws DomainError `invalid_input` for an unknown zone or an empty range.
   */
  async endedSessionsReport(from: number, to: number, timeZone: string): Promise<EndedSessionsReport> {
    endedSessionsReport([], from, to, timeZone);
    const query =
      `WorkflowType = "conversation" AND TaskQueue = "${this.taskQueue}" AND ` +
      `SessionEndedAt >= "${new Date(from).toISOString()}" AND SessionEndedAt < "${new Date(to).toISOString()}"`;
    const rows: EndedSessionRow[] = [];
    for await (const info of this.temporal.workflow.list({ query }) as AsyncIterable<WorkflowExecutionInfo>) {
      const reason = SessionEndedReasonSchema.safeParse(info.typedSearchAttributes.get(SA.SessionEndedReason));
      const endedAt = info.typedSearchAttributes.get(SA.SessionEndedAt);
      if (reason.success && endedAt instanceof Date) rows.push({ reason: reason.data, endedAt: endedAt.getTime() });
    }
    return endedSessionsReport(rows, from, to, timeZone);
  }
}
