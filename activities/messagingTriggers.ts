/**
 * Messaging trigger evaluation (DOMAIN.md §4) against the configuration store, as a local activity
 * for the same reason as ticket triggers (activities/triggers.ts): the configuration is I/O and
 * changes; history records only the firings and the revision used. Agent and queue conditions read
 * routing's live picture (a query), only when a trigger for this event has such a condition.
 */
import type { Client } from '@temporalio/client';
import type { ConfigReader } from '../config/types';
import type { MessagingTriggerRun } from '../domain/conversationMessagingTriggers';
import { evaluateMessagingTriggers, type MessagingContext, type MessagingEvent, type MessagingTrigger } from '../domain/messagingTriggers';
import { routingQuery, workflowIds, type RoutingSnapshot } from '../workflows/definitions';

const ROUTING_FIELDS = new Set(['agent_status', 'group_status', 'queue_size']);

/** True when an active trigger for `event` reads agent presence or the queue. */
export function needsRouting(triggers: readonly MessagingTrigger[], event: MessagingEvent['type']): boolean {
  return triggers.some((t) => {
    if (t.active === false || t.event !== event) return false;
    const conditions = [...(t.conditions.all ?? []), ...(t.conditions.any ?? [])];
    return conditions.some((c) => ROUTING_FIELDS.has(c.field));
  });
}

/** Agent presence and queue sizes from routing's picture (DOMAIN.md §5: messaging work needs `online`). */
export function routingCounts(snapshot: RoutingSnapshot | null): Pick<MessagingContext, 'onlineAgents' | 'queueSize'> {
  if (!snapshot) return { onlineAgents: () => 0, queueSize: () => 0 };
  return {
    onlineAgents: (groupId) =>
      snapshot.agents.filter((a) => a.status === 'online' && a.capacity.messaging > 0 && (groupId === null || a.groups.includes(groupId))).length,
    queueSize: (groupId) => snapshot.queue.filter((t) => groupId === null || t.groupId === groupId).length,
  };
}

/** The `evaluateMessagingTriggers` activity. */
export function createMessagingTriggerActivities(deps: { config: ConfigReader; client: Client; taskQueue: string }) {
  return {
    async evaluateMessagingTriggers(event: MessagingEvent): Promise<MessagingTriggerRun> {
      const snapshot = deps.config.snapshot();
      const triggers = snapshot.messagingTriggers ?? [];
      const routing = needsRouting(triggers, event.type)
        ? await deps.client.workflow.getHandle(workflowIds.routing(deps.taskQueue)).query(routingQuery).catch(() => null)
        : null;
      const r = evaluateMessagingTriggers(triggers, event, { schedules: snapshot.schedules, ...routingCounts(routing) });
      return { revision: snapshot.revision, firings: r.firings, skipped: r.skipped };
    },
  };
}
