/**
 * Outbound webhooks for the trigger action `notification_webhook`, signed like Zendesk's
 * (DOMAIN.md §8): header `X-Zendesk-Webhook-Signature` = base64(HMAC-SHA256(secret, timestamp +
 * body)) and `X-Zendesk-Webhook-Signature-Timestamp` = the timestamp (ISO-8601 UTC, seconds).
 * Every request also carries `X-Parley-Idempotency-Key`; after a 2xx a ledger file marks the key
 * done, so a retried activity never posts twice once it has succeeded (a crash between the
 * response and the ledger write can repeat one post: receivers should dedupe on the key).
 */
import { createHmac } from 'node:crypto';
import { access } from 'node:fs/promises';
import { join } from 'node:path';
import { ApplicationFailure } from '@temporalio/common';
import type { WebhookConfig } from '../config/types';
import { fileNameFor, writeOnce } from './outbox';

/** One webhook call. `body` is the rendered JSON text. */
export interface WebhookCall {
  idempotencyKey: string;
  webhook: WebhookConfig;
  body: string;
}

/** Posts webhook calls at most once per idempotency key (see module doc). */
export interface WebhookSender {
  /** @returns the HTTP status. @throws ApplicationFailure `webhook_rejected` (non-retryable) on a 4xx other than 408/409/429; a retryable error otherwise. */
  post(call: WebhookCall): Promise<{ status: number; alreadySent: boolean }>;
}

/** `base64(HMAC-SHA256(secret, timestamp + body))` (DOMAIN.md §8). */
export function webhookSignature(secret: string, timestamp: string, body: string): string {
  return createHmac('sha256', secret).update(timestamp + body).digest('base64');
}

/** Builds the fetch-based sender; `ledgerDir` holds one file per delivered key; `timeoutMs` per request (default 10 s). */
export function createWebhookSender(options: { ledgerDir: string; timeoutMs?: number }): WebhookSender {
  return {
    async post({ idempotencyKey, webhook, body }) {
      const done = await access(join(options.ledgerDir, fileNameFor(idempotencyKey, 'sent'))).then(
        () => true,
        () => false,
      );
      if (done) return { status: 200, alreadySent: true };
      const timestamp = new Date().toISOString().replace(/\.\d{3}Z$/, 'Z');
      const res = await fetch(webhook.endpoint, {
        method: 'POST',
        body,
        signal: AbortSignal.timeout(options.timeoutMs ?? 10_000),
        headers: {
          'Content-Type': 'application/json',
          'User-Agent': 'Parley-Webhook',
          'X-Zendesk-Webhook-Id': webhook.id,
          'X-Zendesk-Webhook-Signature': webhookSignature(webhook.signingSecret, timestamp, body),
          'X-Zendesk-Webhook-Signature-Timestamp': timestamp,
          'X-Parley-Idempotency-Key': idempotencyKey,
        },
      });
      await res.arrayBuffer().catch(() => undefined);
      if (res.status >= 200 && res.status < 300) {
        await writeOnce(options.ledgerDir, idempotencyKey, 'sent', `${timestamp} ${res.status}`);
        return { status: res.status, alreadySent: false };
      }
      const message = `webhook ${webhook.id} (${webhook.endpoint}) answered HTTP ${res.status}`;
      if (res.status >= 400 && res.status < 500 && ![408, 409, 429].includes(res.status)) {
        throw ApplicationFailure.create({ type: 'webhook_rejected', message, nonRetryable: true });
      }
      throw new Error(message);
    },
  };
}
