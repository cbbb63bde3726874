/**
 * How workflows call activities. Calls to the outside world (channel, email, AI agent) are normal
 * activities. Short calls to Temporal itself (deliver a message to a conversation, tell routing,
 * read settings) and trigger evaluation are local activities: they run in the calling worker
 * without an activity task round trip through the server, keep their retries, and are recorded as
 * markers in history.
 */
import { proxyActivities, proxyLocalActivities } from '@temporalio/workflow';
import type { ParleyActivities } from '../activities/types';

const retry = { initialInterval: '200 ms', backoffCoefficient: 2, maximumInterval: '30 seconds' } as const;

/** Channel delivery, email, CSAT, AI agent. */
export const remote = proxyActivities<ParleyActivities>({ startToCloseTimeout: '30 seconds', retry });

/**
 * Trigger webhooks: 5 attempts over about a minute, then the conversation records `webhook_failed`
 * (a receiver that is down for good must not hold the conversation's effects forever).
 */
export const webhook = proxyActivities<Pick<ParleyActivities, 'callTriggerWebhook'>>({
  startToCloseTimeout: '15 seconds',
  retry: { initialInterval: '2 seconds', backoffCoefficient: 3, maximumInterval: '30 seconds', maximumAttempts: 5 },
});

/** Temporal-internal hops and trigger evaluation: `deliverToConversation`, `handOffConversation`, `updateRouting`, `loadAccountSettings`, `evaluateTicketTriggers`. */
export const local = proxyLocalActivities<ParleyActivities>({ startToCloseTimeout: '30 seconds', retry });

/**
 * Trigger evaluation: a few quick attempts, then the conversation records `triggers_failed` and
 * goes on — the update itself is already applied; a broken rule must not wedge the conversation.
 */
export const evaluation = proxyLocalActivities<Pick<ParleyActivities, 'evaluateTicketTriggers' | 'evaluateMessagingTriggers'>>({
  startToCloseTimeout: '10 seconds',
  retry: { initialInterval: '100 ms', backoffCoefficient: 2, maximumInterval: '2 seconds', maximumAttempts: 4 },
});
