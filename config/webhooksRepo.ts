/**
 * Outbound webhooks that `notification_webhook` actions name by id (DOMAIN.md §8). The signing
 * secret is generated when not given and, as in Zendesk, only shown when the webhook is created or
 * through its own endpoint (`GET /admin/webhooks/:id/signing_secret`); lists and the revision
 * history never carry it. A webhook a trigger uses cannot be deleted.
 */
import { randomBytes } from 'node:crypto';
import { z } from 'zod';
import { DomainError } from '../domain/errors';
import type { WebhookConfig } from './types';
import { noteIds, peekNextId, writeTransaction, type Db, type StoreContext } from './db';
import { issuesError, zodProblemsError } from './problems';
import { triggersReferencing } from './references';
import { commitRevision, currentRevision, type RevisionAction } from './revisions';

/** A webhook as the API lists it (no secret). Times are ISO 8601. */
export interface WebhookView {
  id: string;
  name: string;
  endpoint: string;
  created_at: string;
  updated_at: string;
}

const fields = {
  name: z.string().trim().min(1).max(200),
  /** http(s) only: the webhook sender POSTs JSON there. */
  endpoint: z.url({ protocol: /^https?$/, error: 'expected an http:// or https:// URL' }).max(2000),
  /** Any text of 16–200 characters; generated (32 random bytes, base64url) when absent. */
  signing_secret: z.string().min(16).max(200),
};

/** `POST /admin/webhooks` body. */
export const WebhookCreateSchema = z.object({ id: z.string().min(1).max(128).optional(), ...fields, signing_secret: fields.signing_secret.optional() }).strict();
/** `PUT /admin/webhooks/:id` body: the keys to change. */
export const WebhookPatchSchema = z
  .object({ id: z.string().optional(), name: fields.name.optional(), endpoint: fields.endpoint.optional(), signing_secret: fields.signing_secret.optional() })
  .strict();

interface WebhookRow extends WebhookView {
  seq: number;
  signing_secret: string;
}

const view = (r: WebhookRow): WebhookView => ({ id: r.id, name: r.name, endpoint: r.endpoint, created_at: r.created_at, updated_at: r.updated_at });

/** A new signing secret: 32 random bytes, base64url (43 characters). */
export const newSigningSecret = (): string => randomBytes(32).toString('base64url');

/** Every webhook as the snapshot carries it (with the secret, for signing). */
export function webhookConfigs(db: Db): WebhookConfig[] {
  return (db.prepare('SELECT * FROM webhooks ORDER BY seq').all() as WebhookRow[]).map((r) => ({ id: r.id, name: r.name, endpoint: r.endpoint, signingSecret: r.signing_secret }));
}

/** Every webhook, oldest first, without secrets. */
export function listWebhooks(db: Db): WebhookView[] {
  return (db.prepare('SELECT * FROM webhooks ORDER BY seq').all() as WebhookRow[]).map(view);
}

function requireWebhook(db: Db, id: string): WebhookRow {
  const row = db.prepare('SELECT * FROM webhooks WHERE id = ?').get(id) as WebhookRow | undefined;
  if (!row) throw new DomainError('not_found', `webhook ${id} does not exist`);
  return row;
}

/**
 * One webhook without its secret.
 * @throws DomainError `not_found`.
 */
export function getWebhook(db: Db, id: string): WebhookView {
  return view(requireWebhook(db, id));
}

/**
 * A webhook's signing secret.
 * @throws DomainError `not_found`.
 */
export function webhookSecret(db: Db, id: string): string {
  return requireWebhook(db, id).signing_secret;
}

function record(ctx: StoreContext, action: RevisionAction, actor: string, summary: string, detail: unknown): number {
  const revision = currentRevision(ctx.db) + 1;
  commitRevision(ctx.db, revision, { actor, action, triggerIds: [], summary, detail }, ctx.now());
  return revision;
}

/**
 * Creates a webhook; without `id` the store assigns the next numeric id (as text), without
 * `signing_secret` it generates one. The answer is the only listing that carries the secret.
 * @throws DomainError `invalid_input` (JSON paths), `invalid_state` when the id exists.
 */
export function createWebhook(ctx: StoreContext, body: unknown, actor: string): { webhook: WebhookView & { signing_secret: string }; revision: number } {
  const parsed = WebhookCreateSchema.safeParse(body);
  if (!parsed.success) throw zodProblemsError('webhook rejected', parsed.error);
  return writeTransaction(ctx.db, () => {
    const id = parsed.data.id ?? String(peekNextId(ctx.db, 'webhook'));
    if (ctx.db.prepare('SELECT 1 FROM webhooks WHERE id = ?').get(id)) throw new DomainError('invalid_state', `webhook ${id} exists; change it with PUT /admin/webhooks/${id}`);
    const at = ctx.now().toISOString();
    const row: WebhookRow = {
      id,
      seq: Number(ctx.db.prepare('SELECT coalesce(max(seq), 0) + 1 FROM webhooks').pluck().get()),
      name: parsed.data.name,
      endpoint: parsed.data.endpoint,
      signing_secret: parsed.data.signing_secret ?? newSigningSecret(),
      created_at: at,
      updated_at: at,
    };
    ctx.db
      .prepare('INSERT INTO webhooks (id, seq, name, endpoint, signing_secret, created_at, updated_at) VALUES (@id, @seq, @name, @endpoint, @signing_secret, @created_at, @updated_at)')
      .run(row);
    noteIds(ctx.db, 'webhook', [id]);
    const revision = record(ctx, 'webhook_create', actor, `created webhook "${row.name}"`, { before: null, after: view(row) });
    return { webhook: { ...view(row), signing_secret: row.signing_secret }, revision };
  });
}

/**
 * Changes a webhook's `name`, `endpoint` or `signing_secret` (the secret is never echoed back).
 * @throws DomainError `not_found`, `invalid_input` (JSON paths).
 */
export function updateWebhook(ctx: StoreContext, id: string, body: unknown, actor: string): { webhook: WebhookView; revision: number | null } {
  const parsed = WebhookPatchSchema.safeParse(body);
  if (!parsed.success) throw zodProblemsError('webhook rejected', parsed.error);
  if (parsed.data.id !== undefined && parsed.data.id !== id) {
    throw issuesError('webhook rejected', [{ path: '$.id', message: `id "${parsed.data.id}" is not this webhook's id (${id}); ids cannot change` }]);
  }
  return writeTransaction(ctx.db, () => {
    const before = requireWebhook(ctx.db, id);
    const after: WebhookRow = { ...before, ...parsed.data, id, updated_at: ctx.now().toISOString() };
    const secretChanged = after.signing_secret !== before.signing_secret;
    if (after.name === before.name && after.endpoint === before.endpoint && !secretChanged) return { webhook: view(before), revision: null };
    ctx.db.prepare('UPDATE webhooks SET name = @name, endpoint = @endpoint, signing_secret = @signing_secret, updated_at = @updated_at WHERE id = @id').run(after);
    const summary = `updated webhook "${after.name}"${secretChanged ? ' (new signing secret)' : ''}`;
    return { webhook: view(after), revision: record(ctx, 'webhook_update', actor, summary, { before: view(before), after: view(after), signing_secret_changed: secretChanged }) };
  });
}

/**
 * Deletes a webhook.
 * @throws DomainError `not_found`, `invalid_state` while a trigger's `notification_webhook` names it.
 */
export function deleteWebhook(ctx: StoreContext, id: string, actor: string): { revision: number } {
  return writeTransaction(ctx.db, () => {
    const before = requireWebhook(ctx.db, id);
    const users = triggersReferencing(ctx.db, 'webhook', id);
    if (users.length > 0) throw new DomainError('invalid_state', `webhook ${id} is used by the notification_webhook action of triggers ${users.join(', ')}; change them first`);
    ctx.db.prepare('DELETE FROM webhooks WHERE id = ?').run(id);
    return { revision: record(ctx, 'webhook_delete', actor, `deleted webhook "${before.name}"`, { before: view(before), after: null }) };
  });
}
