/**
 * Message definitions (signals, updates, queries) of Parley's workflows, plus their input and
 * result shapes. Imported by workflows, activities and the typed client alike; workflow-safe.
 */
import { defineQuery, defineSignal, defineUpdate } from '@temporalio/workflow';
import type { InboundEmailInput, InboundEmailResult } from '../domain/inboundEmail';
import type { SatisfactionInput } from '../domain/satisfaction';
import type {
  AgentReplyInput,
  Composer,
  ConversationState,
  EndSessionInput,
  EndSessionResult,
  EndUserMessageInput,
  HandOffInput,
  Message,
  MessageRefusal,
  RoutedTicketUpdate,
  Ticket,
  TicketChanges,
  LastTriggerUpdate,
} from '../domain/conversation';
import type { AccountSettings, AccountSettingsPatch } from '../domain/settings';
import type { Agent, AgentLoad, AgentInput, RoutedTicket, RoutingOptions } from '../domain/routing';
import type { Actor, AgentStatus, Cause, RoutingChannel } from '../domain/vocabulary';

/** Task queue every Parley worker polls unless `PARLEY_TASK_QUEUE` says otherwise. */
export const DEFAULT_TASK_QUEUE = 'parley';

/**
 * Workflow ids: readable, so operators find them in the Web UI (DESIGN.md). The entity workflows
 * (routing, account) are one per task queue, so separate deployments (and tests) never share them.
 */
export const workflowIds = {
  thread: (threadId: string): string => `thread:${threadId}`,
  conversation: (conversationId: string): string => `conversation:${conversationId}`,
  routing: (taskQueue: string): string => `routing:${taskQueue}`,
  account: (taskQueue: string): string => `account:${taskQueue}`,
} as const;

// ---------------------------------------------------------------- conversation

/** Start input of a conversation workflow; `state` is set only by continue-as-new. */
export interface ConversationInput {
  conversationId: string;
  threadId: string;
  first?: EndUserMessageInput;
  state?: ConversationState;
  pendingEffects?: unknown[];
}

/** What a conversation answers about itself (query and HTTP `GET /conversations/:id`). */
export interface ConversationView {
  conversationId: string;
  threadId: string;
  phase: ConversationState['phase'];
  requester: ConversationState['requester'];
  session: ConversationState['session'];
  ticket: Ticket | null;
  composer: Composer;
  csat: ConversationState['csat'];
  messages: Message[];
  events: ConversationState['events'];
  /** The last ticket update triggers ran on (for explain), or null. */
  lastTriggerUpdate: LastTriggerUpdate | null;
}

/** Result of offering an end-user message to a conversation. */
export type DeliverResult = { accepted: true; conversationId: string } | { accepted: false; reason: MessageRefusal };

export const endUserMessageUpdate = defineUpdate<DeliverResult, [EndUserMessageInput]>('endUserMessage');
export const handOffUpdate = defineUpdate<Ticket, [HandOffInput]>('handOff');
export const agentReplyUpdate = defineUpdate<Message, [AgentReplyInput]>('agentReply');
export const endSessionUpdate = defineUpdate<EndSessionResult, [EndSessionInput]>('endSession');
/** The requester's CSAT rating from the survey links (domain/satisfaction.ts). */
export const rateSatisfactionUpdate = defineUpdate<{ changed: boolean; satisfactionScore: string }, [SatisfactionInput & { cause: Cause }]>('rateSatisfaction');
/** An inbound email on the ticket (requester reply, auto-reply or our own mail coming back). */
export const inboundEmailUpdate = defineUpdate<{ outcome: InboundEmailResult['outcome'] }, [InboundEmailInput]>('inboundEmail');
export const updateTicketUpdate = defineUpdate<{ changed: string[]; ticket: Ticket }, [TicketUpdateRequest]>(
  'updateTicket',
);
/** Routing tells the conversation whom it assigned the ticket to. */
export const assignedSignal = defineSignal<[{ agentId: string; channel: RoutingChannel; at: string }]>('assigned');
export const conversationQuery = defineQuery<ConversationView>('conversation');

/** An agent's (or admin's) ticket change request. */
export interface TicketUpdateRequest {
  actor: Actor;
  cause: Cause;
  changes: TicketChanges;
}

// ---------------------------------------------------------------- messaging thread

/** Start input of a messaging-thread workflow; `state` is set only by continue-as-new. */
export interface ThreadInput {
  threadId: string;
  state?: ThreadState;
}

/** What a thread remembers: its conversations and the provider ids it has already taken. */
export interface ThreadState {
  threadId: string;
  /** Number of conversations started so far; the next one gets `<threadId>-<seq+1>`. */
  seq: number;
  current: { conversationId: string; sessionEnded: boolean; closed: boolean } | null;
  /** Provider message ids and event ids already taken → the conversation that got them. */
  seen: Record<string, string>;
  /** Insertion order of `seen` keys, oldest first (bounded). */
  seenOrder: string[];
  /** Serialized size of `seen` + `seenOrder` (bytes), kept under a limit. */
  seenBytes: number;
  /** Messages accepted and duplicates dropped (for reports). */
  accepted: number;
  duplicates: number;
}

/** An inbound end-user message as ingress hands it to the thread. */
export interface ThreadMessageInput {
  /** Provider event id (Sunshine `events[].id`), when the message came through a webhook. */
  eventId?: string;
  message: EndUserMessageInput;
}

/** What happened to an inbound message. `duplicate` means an earlier delivery was already taken. */
export interface IngestResult {
  status: 'accepted' | 'duplicate';
  conversationId: string;
  messageId: string;
  newConversation: boolean;
}

/** A hand-off request addressed to a thread (Sunshine `switchboard:passControl`). */
export interface ThreadHandOffInput {
  eventId?: string;
  handOff: HandOffInput;
}

export const ingestMessageUpdate = defineUpdate<IngestResult, [ThreadMessageInput]>('ingestMessage');
export const threadHandOffUpdate = defineUpdate<Ticket, [ThreadHandOffInput]>('handOff');
/** A conversation tells its thread that its session ended or its ticket closed. */
export const conversationChangedSignal = defineSignal<[{ conversationId: string; change: 'session_ended' | 'closed' }]>(
  'conversationChanged',
);
export const threadQuery = defineQuery<ThreadState>('thread');

// ---------------------------------------------------------------- routing

/** Start input of the routing workflow (continue-as-new carries `state`). */
export interface RoutingInput {
  state?: import('../domain/routing').RoutingState;
}

/** Routing's public picture: agents with their load, the queue, peak use per agent. */
export interface RoutingSnapshot {
  agents: Array<Agent & { use: AgentLoad['use'] }>;
  queue: RoutedTicket[];
  peakUse: Record<string, Record<RoutingChannel, number>>;
  options: RoutingOptions;
}

export const upsertAgentUpdate = defineUpdate<Agent, [AgentInput]>('upsertAgent');
export const setAgentStatusUpdate = defineUpdate<Agent, [{ agentId: string; status: AgentStatus }]>('setAgentStatus');
export const ticketRoutingSignal = defineSignal<[RoutedTicketUpdate]>('ticketRouting');
export const routingOptionsSignal = defineSignal<[Partial<RoutingOptions>]>('routingOptions');
export const routingQuery = defineQuery<RoutingSnapshot>('routing');

// ---------------------------------------------------------------- account

/** Start input of the account workflow. */
export interface AccountInput {
  settings?: AccountSettings;
}

export const patchSettingsUpdate = defineUpdate<AccountSettings, [AccountSettingsPatch]>('patchSettings');
export const settingsQuery = defineQuery<AccountSettings>('settings');
