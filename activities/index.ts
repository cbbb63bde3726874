/**
 * Builds Parley's activities from their dependencies. Activities are the only place with side
 * effects: Temporal calls (to other workflows), channel delivery, email, the AI agent.
 */
import { WorkflowNotFoundError, WorkflowUpdateFailedError, type Client } from '@temporalio/client';
import { ApplicationFailure } from '@temporalio/common';
import { AccountSettingsSchema, DEFAULT_ACCOUNT_SETTINGS } from '../domain/settings';
import {
  endUserMessageUpdate,
  handOffUpdate,
  settingsQuery,
  ticketRoutingSignal,
  workflowIds,
} from '../workflows/definitions';
import type { AiAgent } from './aiAgent';
import type { ChannelDelivery } from './channel';
import { csatEmail, type Mailer } from './email';
import { createMessagingTriggerActivities } from './messagingTriggers';
import { createTriggerActivities, EMPTY_CONFIG } from './triggers';
import type { ParleyActivities } from './types';
import type { WebhookSender } from './webhook';
import type { ConfigReader } from '../config/types';

/** What the activities need from the outside world. */
export interface ActivityDeps {
  client: Client;
  taskQueue: string;
  channel: ChannelDelivery;
  mailer: Mailer;
  aiAgent: AiAgent;
  /** Public base URL of the HTTP API, used in CSAT links. */
  publicUrl: string;
  /** Secret of the CSAT survey links (activities/csatLink.ts); the HTTP API must use the same. */
  csatSecret: string;
  /** `{{ticket.account}}` in trigger notifications (`PARLEY_ACCOUNT_NAME`); default "Support". */
  accountName?: string;
  /** Trigger/schedule/webhook configuration; default: empty (no triggers). */
  config?: ConfigReader;
  webhooks: WebhookSender;
}

/**
 * An update that a workflow rejected by rule (an `ApplicationFailure`) must not be retried: it is
 * passed on as a non-retryable failure of the same type. Anything else is rethrown (retryable).
 */
function passOnRuleFailure(err: unknown): never {
  if (err instanceof WorkflowUpdateFailedError && err.cause instanceof ApplicationFailure) {
    throw ApplicationFailure.create({ type: err.cause.type ?? 'invalid_state', message: err.cause.message, nonRetryable: true });
  }
  throw err;
}

function isGone(err: unknown): boolean {
  if (err instanceof WorkflowNotFoundError) return true;
  const text = String((err as Error)?.message ?? '');
  return /workflow execution already completed|not found/i.test(text);
}

/** Creates the activity implementations (see {@link ParleyActivities} for each contract). */
export function createActivities(deps: ActivityDeps): ParleyActivities {
  const { client } = deps;
  return {
    ...createTriggerActivities({ config: deps.config ?? EMPTY_CONFIG, mailer: deps.mailer, webhooks: deps.webhooks, publicUrl: deps.publicUrl, accountName: deps.accountName ?? 'Support' }),
    ...createMessagingTriggerActivities({ config: deps.config ?? EMPTY_CONFIG, client, taskQueue: deps.taskQueue }),

    async loadAccountSettings() {
      try {
        const handle = client.workflow.getHandle(workflowIds.account(deps.taskQueue));
        const { memo } = await handle.describe();
        const published = AccountSettingsSchema.safeParse(memo?.settings);
        return published.success ? published.data : await handle.query(settingsQuery);
      } catch (err) {
        if (isGone(err)) return DEFAULT_ACCOUNT_SETTINGS;
        throw err;
      }
    },

    async aiAgentTurn(input) {
      const answer = await deps.aiAgent.answer({ text: input.message.text, firstMessage: input.firstMessage });
      return { reply: answer.text ? { messageId: `ai-${input.message.id}`, text: answer.text } : null, handOff: answer.handOff };
    },

    async deliverToChannel(input) {
      await deps.channel.deliver(input);
    },

    async sendEmail(input) {
      await deps.mailer.send(input);
    },

    async sendCsatSurvey(input) {
      await deps.mailer.send(csatEmail(input, deps.publicUrl, deps.csatSecret));
    },

    async updateRouting(update) {
      await client.workflow.signalWithStart('routing', {
        workflowId: workflowIds.routing(deps.taskQueue),
        taskQueue: deps.taskQueue,
        args: [{}],
        signal: ticketRoutingSignal,
        signalArgs: [update],
      });
    },

    async deliverToConversation({ workflowId, message }) {
      try {
        return await client.workflow.getHandle(workflowId).executeUpdate(endUserMessageUpdate, {
          args: [message],
          updateId: `msg:${message.messageId}`,
        });
      } catch (err) {
        if (isGone(err)) return { accepted: false, reason: 'ticket_closed' };
        return passOnRuleFailure(err);
      }
    },

    async handOffConversation({ workflowId, handOff, requestId }) {
      try {
        return await client.workflow.getHandle(workflowId).executeUpdate(handOffUpdate, {
          args: [handOff],
          updateId: `handoff:${requestId}`,
        });
      } catch (err) {
        if (isGone(err)) {
          throw ApplicationFailure.create({ type: 'invalid_state', message: `${workflowId} has ended`, nonRetryable: true });
        }
        return passOnRuleFailure(err);
      }
    },
  };
}
