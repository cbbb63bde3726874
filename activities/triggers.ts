/**
 * Trigger activities: evaluation against the configuration store, and the side effects triggers
 * ask for (notification emails, webhooks).
 *
 * Why evaluation is a (local) activity and not workflow code: the trigger set lives in the
 * configuration store (up to 7,000 triggers of up to 65 KB — far beyond Temporal's 2 MB payload
 * limit) and changes while conversations run. Reading it is I/O; a workflow that read it directly
 * would replay differently after an admin edit. The engine itself is pure (`domain/triggers`);
 * the local activity runs it in the conversation's worker, and history records only the small
 * result with the configuration revision used, so replay is exact whatever the configuration
 * became since (docs/DECISIONS.md).
 */
import { ApplicationFailure } from '@temporalio/common';
import type { ConfigReader, ConfigSnapshot } from '../config/types';
import type { TriggerRun } from '../domain/conversationTriggers';
import type { ActionValue, TicketUpdate } from '../domain/triggers';
import { evaluateWith } from '../config/evaluate';
import type { Mailer } from './email';
import { renderTemplate } from './templates';
import type { WebhookSender } from './webhook';

/** A configuration with nothing in it (no store given). */
export const EMPTY_CONFIG: ConfigReader = {
  snapshot: (() => {
    const empty: ConfigSnapshot = { revision: 0, triggers: [], categoryOrder: [], schedules: [], webhooks: [] };
    return () => empty;
  })(),
};

/**
 * Most bytes one update's trigger output may take (**ours**): it is recorded in the conversation's
 * history and state, which must stay far below Temporal's 2 MB payload limit.
 */
export const MAX_TRIGGER_RUN_BYTES = 256_000;

/** Action values as the firing log keeps them: long texts are cut to 500 characters (the effect carries the full text). */
function shorten(value: ActionValue): ActionValue {
  const cut = (v: string | number): string | number => (typeof v === 'string' && v.length > 500 ? `${v.slice(0, 500)}…` : v);
  if (Array.isArray(value)) return value.map(cut);
  return typeof value === 'string' ? (cut(value) as string) : value;
}

/** Activities of this module (see {@link import('./types').ParleyActivities} for the contracts). */
export function createTriggerActivities(deps: { config: ConfigReader; mailer: Mailer; webhooks: WebhookSender; publicUrl: string; accountName: string }) {
  return {
    async evaluateTicketTriggers(update: TicketUpdate): Promise<TriggerRun> {
      const snapshot = deps.config.snapshot();
      const r = evaluateWith(snapshot, update);
      const run: TriggerRun = {
        revision: snapshot.revision,
        triggerCount: snapshot.triggers.filter((t) => t.active !== false).length,
        messagingTriggerCount: (snapshot.messagingTriggers ?? []).filter((t) => t.active !== false).length,
        changes: r.changes,
        effects: r.effects,
        log: r.log.map((f) => ({ ...f, actions: f.actions.map(({ effect: _effect, ...a }) => ({ ...a, value: shorten(a.value) })) })),
        passes: r.passes,
        skipped: r.skipped,
      };
      const bytes = Buffer.byteLength(JSON.stringify(run));
      if (bytes > MAX_TRIGGER_RUN_BYTES) {
        throw ApplicationFailure.create({
          type: 'trigger_output_too_large',
          message: `the triggers of this update produced ${bytes} bytes of changes and effects; at most ${MAX_TRIGGER_RUN_BYTES} bytes per update (e.g. fewer or shorter comments and notifications)`,
          nonRetryable: true,
        });
      }
      return run;
    },

    async sendTriggerNotification(input: { idempotencyKey: string; to: string; subject: string; body: string; placeholders: Record<string, unknown> }): Promise<void> {
      const values = withUrl(input.placeholders, deps.publicUrl, deps.accountName);
      await deps.mailer.send({
        idempotencyKey: input.idempotencyKey,
        to: input.to,
        subject: await renderTemplate(input.subject, values),
        text: await renderTemplate(input.body, values),
      });
    },

    async callTriggerWebhook(input: { idempotencyKey: string; webhookId: string; body: string; placeholders: Record<string, unknown> }): Promise<{ status: number }> {
      const webhook = deps.config.snapshot().webhooks.find((w) => w.id === input.webhookId);
      if (!webhook) {
        throw ApplicationFailure.create({ type: 'webhook_unknown', message: `no webhook with id "${input.webhookId}" in the configuration`, nonRetryable: true });
      }
      const body = await renderTemplate(input.body, withUrl(input.placeholders, deps.publicUrl, deps.accountName), 'json');
      try {
        JSON.parse(body);
      } catch {
        throw ApplicationFailure.create({ type: 'webhook_body_invalid', message: `webhook ${input.webhookId}: the rendered body is not valid JSON (check placeholders outside quotes or a "raw" filter)`, nonRetryable: true });
      }
      const { status } = await deps.webhooks.post({ idempotencyKey: input.idempotencyKey, webhook, body });
      return { status };
    },
  };
}

/** Adds `ticket.url`/`ticket.link` (the ticket's API address) and `ticket.account` to the placeholder values. */
function withUrl(values: Record<string, unknown>, publicUrl: string, account: string): Record<string, unknown> {
  const ticket = values.ticket as Record<string, unknown> | null | undefined;
  if (!ticket) return values;
  const url = `${publicUrl}/conversations/${encodeURIComponent(String(ticket.id))}`;
  return { ...values, ticket: { ...ticket, url, link: url, account } };
}
