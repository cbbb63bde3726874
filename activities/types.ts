/**
 * The activity contract workflows call through `proxyActivities`. Every activity is idempotent:
 * callers pass an idempotency key, or the operation is a declarative upsert.
 */
import type { EndUserMessageInput, HandOffInput, Message, RoutedTicketUpdate, Ticket } from '../domain/conversation';
import type { AccountSettings } from '../domain/settings';
import type { TriggerRun } from '../domain/conversationTriggers';
import type { TicketUpdate } from '../domain/triggers';
import type { MessagingTriggerRun } from '../domain/conversationMessagingTriggers';
import type { MessagingEvent } from '../domain/messagingTriggers';
import type { DeliverResult } from '../workflows/definitions';

/** What the AI agent decided for one end-user message. */
export interface AiAgentDecision {
  /** Reply for the end user, if any. The workflow delivers it only if the session is still live. */
  reply: { messageId: string; text: string } | null;
  /** True when the AI agent hands the conversation to a human agent. */
  handOff: boolean;
}

export interface ParleyActivities {
  /** Current account settings (DOMAIN.md §3); defaults when the account was never configured. */
  loadAccountSettings(): Promise<AccountSettings>;
  /** Asks the AI agent about one end-user message (no side effect; safe to retry). */
  aiAgentTurn(input: {
    conversationId: string;
    threadId: string;
    message: Message;
    firstMessage: boolean;
  }): Promise<AiAgentDecision>;
  /** Delivers a public message to the end user's messaging channel, once per key. */
  deliverToChannel(input: { idempotencyKey: string; conversationId: string; threadId: string; message: Message }): Promise<void>;
  /** Sends an email (public reply after the session ended), once per key. */
  sendEmail(input: { idempotencyKey: string; to: string; subject: string; text: string }): Promise<void>;
  /** Sends the CSAT survey by email, once per key (DOMAIN.md §3 "CSAT", §9 rule 4). */
  sendCsatSurvey(input: { idempotencyKey: string; to: string; ticketId: string; requesterName?: string }): Promise<void>;
  /** Hands routing the ticket's latest routing view (declarative, versioned: retries are harmless). */
  updateRouting(update: RoutedTicketUpdate): Promise<void>;
  /** Offers an end-user message to a conversation; it accepts, or refuses when its session ended. */
  deliverToConversation(input: { workflowId: string; message: EndUserMessageInput }): Promise<DeliverResult>;
  /**
   * Runs the ticket triggers of the current configuration on one ticket create/update (DOMAIN.md §4)
   * and returns what they decided with the configuration revision used. No side effect.
   */
  evaluateTicketTriggers(update: TicketUpdate): Promise<TriggerRun>;
  /**
   * Runs the messaging triggers of the current configuration on one messaging event (DOMAIN.md §4);
   * returns the firings with the configuration revision used. No side effect.
   */
  evaluateMessagingTriggers(event: MessagingEvent): Promise<MessagingTriggerRun>;
  /** Sends a trigger's email notification once per key; subject and body are Liquid templates over `placeholders`. */
  sendTriggerNotification(input: { idempotencyKey: string; to: string; subject: string; body: string; placeholders: Record<string, unknown> }): Promise<void>;
  /**
   * Posts a trigger's webhook once per key, signed like Zendesk (DOMAIN.md §8); returns the HTTP status.
   * @throws ApplicationFailure `webhook_unknown` or `webhook_rejected` (non-retryable).
   */
  callTriggerWebhook(input: { idempotencyKey: string; webhookId: string; body: string; placeholders: Record<string, unknown> }): Promise<{ status: number }>;
  /** Asks a conversation to hand off to a human agent; returns its ticket. */
  handOffConversation(input: { workflowId: string; handOff: HandOffInput; requestId: string }): Promise<Ticket>;
}
