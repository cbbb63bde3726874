/**
 * Outbound webhooks for the trigger action `notification_webhook`, signed like Zendesk's
 * (DOMAIN.md §8): header `X-Zendesk-Webhook-Signature` = base64(HMAC-SHA256(secret, timestamp +
 * body)) and `X-Zendesk-Webhook-Signature-Timestamp` = the timestamp (ISO-8601 UTC, seconds).
 * Every request also carries `X-Parley-Idempotency-Key`; after a 2xx a ledger file marks the key
 * done, so a retried activity never posts twice once it has succeeded (a crash between the
 * response and the ledger write can repeat one post: receivers should dedupe on the key).
 */
import { createHmac } from 'node:crypto';
import { lookup } from 'node:dns/promises';
import { access } from 'node:fs/promises';
import ipaddr from 'ipaddr.js';
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

const final = (message: string): never => {
  throw ApplicationFailure.create({ type: 'webhook_rejected', message, nonRetryable: true });
};

/**
 * Refuses endpoints that resolve to loopback, private, link-local (cloud metadata), unique-local,
 * carrier-grade NAT, multicast or unspecified addresses — server-side request forgery from an admin
 * or an imported trigger — unless `allowPrivate` (development, tests). Checked at each send, after
 * DNS resolution. A name that re-resolves differently between the check and the request (DNS
 * rebinding) is not covered.
 */
export async function checkWebhookTarget(endpoint: string, allowPrivate: boolean, id: string): Promise<void> {
  let url: URL;
  try {
    url = new URL(endpoint);
  } catch {
    return final(`webhook ${id}: the endpoint is not a URL`);
  }
  if (url.protocol !== 'https:' && url.protocol !== 'http:') final(`webhook ${id}: only http and https endpoints are allowed`);
  if (url.username || url.password) final(`webhook ${id}: credentials in the endpoint URL are not allowed; use the signing secret`);
  if (allowPrivate) return;
  const host = url.hostname.replace(/^\[|\]$/g, '');
  const addresses = ipaddr.isValid(host) ? [host] : (await lookup(host, { all: true }).catch(() => [])).map((a) => a.address);
  if (addresses.length === 0) throw new Error(`webhook ${id}: the endpoint's host does not resolve`);
  for (const a of addresses) {
    const parsed = ipaddr.process(a);
    if (parsed.range() !== 'unicast') final(`webhook ${id}: the endpoint resolves to a ${parsed.range()} address; set PARLEY_WEBHOOK_ALLOW_PRIVATE=true to allow it`);
  }
}

/**
 * Builds the fetch-based sender; `ledgerDir` holds one file per delivered key; `timeoutMs` per
 * request (default 10 s); `allowPrivateAddresses` lifts the {@link checkWebhookTarget} rule.
 */
export function createWebhookSender(options: { ledgerDir: string; timeoutMs?: number; allowPrivateAddresses?: boolean }): WebhookSender {
  return {
    async post({ idempotencyKey, webhook, body }) {
      const done = await access(join(options.ledgerDir, fileNameFor(idempotencyKey, 'sent'))).then(
        () => true,
        () => false,
      );
      if (done) return { status: 200, alreadySent: true };
      await checkWebhookTarget(webhook.endpoint, options.allowPrivateAddresses === true, webhook.id);
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
      }).catch((err: Error & { cause?: { code?: string } }) => {
        // Network errors are retried; the message names the webhook, not its URL.
        throw new Error(`webhook ${webhook.id}: ${err.name === 'TimeoutError' ? 'no answer in time' : (err.cause?.code ?? 'network error')}`);
      });
      await res.arrayBuffer().catch(() => undefined);
      if (res.status >= 200 && res.status < 300) {
        await writeOnce(options.ledgerDir, idempotencyKey, 'sent', `${timestamp} ${res.status}`);
        return { status: res.status, alreadySent: false };
      }
      // The endpoint is not repeated: its query or credentials must not reach conversation events.
      const message = `webhook ${webhook.id} answered HTTP ${res.status}`;
      if (res.status >= 400 && res.status < 500 && ![408, 409, 429].includes(res.status)) {
        throw ApplicationFailure.create({ type: 'webhook_rejected', message, nonRetryable: true });
      }
      throw new Error(message);
    },
  };
}
