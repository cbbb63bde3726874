/** Delivery of public messages to the end user's messaging channel. */
import type { Message } from '../domain/conversation';
import { writeOnce } from './outbox';

/** Where outbound messaging traffic goes. Implementations must be idempotent per key. */
export interface ChannelDelivery {
  deliver(input: { idempotencyKey: string; conversationId: string; threadId: string; message: Message }): Promise<void>;
}

/**
 * Default delivery: one JSON file per message in `<dir>` (the local outbox), shaped like a
 * Sunshine Conversations "post message" body so a forwarder can replay it to the real API.
 */
export class OutboxChannelDelivery implements ChannelDelivery {
  constructor(private readonly dir: string) {}

  async deliver(input: { idempotencyKey: string; conversationId: string; threadId: string; message: Message }): Promise<void> {
    const body = {
      idempotencyKey: input.idempotencyKey,
      conversationId: input.threadId,
      parleyConversationId: input.conversationId,
      author: { type: 'business', role: input.message.author.type },
      content: { type: 'text', text: input.message.text },
      metadata: { parleyMessageId: input.message.id },
    };
    await writeOnce(this.dir, input.idempotencyKey, 'json', `${JSON.stringify(body, null, 2)}\n`);
  }
}
