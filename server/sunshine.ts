/**
 * Sunshine Conversations webhook v2 ingest (DOMAIN.md §8): schema and the mapping of events to
 * Parley operations. Only real end-user messages (author type `user`) become end-user messages;
 * `business` messages are our own outbound traffic coming back (echoes, closing messages, CSAT)
 * and never count as end-user activity (DOMAIN.md §9 rule 2, scenarios S3, S5).
 */
import { z } from 'zod';
import type { ThreadHandOffInput, ThreadMessageInput } from '../workflows/definitions';
import { MAX_MESSAGE_TEXT_CHARS } from '../domain/conversation';
import { RequestValidationError, issuesOf, parseOrThrow } from './validation';

const providerId = z.string().min(1).max(128);

const ContentSchema = z
  .object({
    type: z.string().min(1),
    text: z.string().max(MAX_MESSAGE_TEXT_CHARS).optional(),
    mediaUrl: z.string().optional(),
    altText: z.string().optional(),
  })
  .passthrough();

const MessageSchema = z
  .object({
    id: providerId,
    received: z.string().optional(),
    author: z
      .object({
        type: z.enum(['user', 'business']),
        userId: z.string().optional(),
        displayName: z.string().optional(),
        user: z.object({ id: providerId, externalId: z.string().optional() }).passthrough().optional(),
      })
      .passthrough(),
    content: ContentSchema,
  })
  .passthrough();

const ConversationRefSchema = z.object({ id: providerId }).passthrough();

const MessageEventSchema = z
  .object({
    id: providerId,
    type: z.literal('conversation:message'),
    createdAt: z.string(),
    payload: z.object({ conversation: ConversationRefSchema, message: MessageSchema }).passthrough(),
  })
  .passthrough();

const PassControlEventSchema = z
  .object({
    id: providerId,
    type: z.literal('switchboard:passControl'),
    createdAt: z.string(),
    payload: z.object({ conversation: ConversationRefSchema, metadata: z.record(z.string(), z.unknown()).optional() }).passthrough(),
  })
  .passthrough();

const EventBaseSchema = z.object({ id: providerId, type: z.string().min(1) }).passthrough();

/** A Sunshine Conversations v2 webhook body: `{ app, webhook, events: [...] }` (event shapes checked per type). */
export const SunshineWebhookSchema = z
  .object({
    app: z.object({ id: z.string().min(1) }).passthrough(),
    webhook: z.object({ id: z.string().min(1), version: z.literal('v2') }).passthrough(),
    events: z.array(EventBaseSchema).min(1),
  })
  .passthrough();

type MessageEvent = z.infer<typeof MessageEventSchema>;
type PassControlEvent = z.infer<typeof PassControlEventSchema>;
type OtherEvent = z.infer<typeof EventBaseSchema>;

/** A validated webhook: the events Parley acts on are fully checked; others only for id and type. */
export interface SunshineWebhook {
  events: Array<MessageEvent | PassControlEvent | OtherEvent>;
}

/**
 * Validates a webhook body: the envelope, then each `conversation:message` and
 * `switchboard:passControl` event against its full shape.
 * @throws RequestValidationError with the JSON path of every problem (e.g. `$.events[1].payload.message.id`).
 */
export function parseSunshineWebhook(body: unknown): SunshineWebhook {
  const envelope = parseOrThrow(SunshineWebhookSchema, body, 'Sunshine Conversations webhook');
  const events = envelope.events.map((event, index) => {
    const schema = event.type === 'conversation:message' ? MessageEventSchema : event.type === 'switchboard:passControl' ? PassControlEventSchema : null;
    if (!schema) return event;
    const parsed = schema.safeParse(event);
    if (parsed.success) return parsed.data;
    throw new RequestValidationError('Sunshine Conversations webhook', issuesOf(parsed.error, ['events', index]));
  });
  return { events };
}

/** What one webhook event asks Parley to do. */
export type SunshineAction =
  | { kind: 'message'; eventId: string; threadId: string; input: ThreadMessageInput }
  | { kind: 'hand_off'; eventId: string; threadId: string; input: ThreadHandOffInput }
  | { kind: 'ignore'; eventId: string; type: string; reason: string };

/** Text Parley stores for a message content (non-text content is kept as a readable reference). */
function textOf(content: z.infer<typeof ContentSchema>): string {
  if (content.type === 'text') return content.text ?? '';
  const ref = content.mediaUrl ? ` ${content.mediaUrl}` : '';
  const alt = content.altText ?? content.text;
  return `[${content.type}]${ref}${alt ? ` ${alt}` : ''}`;
}

/** Maps each event of a validated webhook body to a Parley action, in order. */
export function actionsOf(body: SunshineWebhook): SunshineAction[] {
  return body.events.map((event): SunshineAction => {
    if (event.type === 'conversation:message') {
      const e = event as MessageEvent;
      const { message, conversation } = e.payload;
      if (message.author.type !== 'user') {
        return { kind: 'ignore', eventId: e.id, type: e.type, reason: 'business message (own outbound traffic), not end-user activity' };
      }
      const userId = message.author.user?.id ?? message.author.userId ?? `sunco-user:${conversation.id}`;
      return {
        kind: 'message',
        eventId: e.id,
        threadId: conversation.id,
        input: {
          eventId: e.id,
          message: {
            messageId: message.id,
            text: textOf(message.content),
            author: { id: userId, ...(message.author.displayName ? { name: message.author.displayName } : {}) },
            ...(message.received ? { providerAt: message.received } : {}),
            cause: { type: 'webhook', eventId: e.id },
          },
        },
      };
    }
    if (event.type === 'switchboard:passControl') {
      const e = event as PassControlEvent;
      const groupId = typeof e.payload.metadata?.groupId === 'string' ? e.payload.metadata.groupId : undefined;
      return {
        kind: 'hand_off',
        eventId: e.id,
        threadId: e.payload.conversation.id,
        input: {
          eventId: e.id,
          handOff: { actor: { type: 'ai_agent' }, cause: { type: 'webhook', eventId: e.id }, ...(groupId ? { groupId } : {}) },
        },
      };
    }
    return { kind: 'ignore', eventId: event.id, type: event.type, reason: 'event type not used by Parley' };
  });
}
