/**
 * The Temporal floor for `npm run bench`: one bare workflow per lifecycle that receives exactly the
 * client updates a Parley lifecycle sends (same update / update-with-start mix) and runs the same
 * number of no-op activities at the same places (awaited inside the update handler where Parley
 * awaits one before answering, in an ordered background pump where Parley's effect pump runs one
 * after answering). No domain rules, no child workflow, no routing entity, no search attributes,
 * no timers: what is left is the cost Temporal itself puts on that message pattern.
 *
 * Bundled on its own (`bundleWorkflowCode`, see `bench/floor.ts`), never part of the Parley bundle.
 * Workflow sandbox: imports only from `@temporalio/workflow`.
 */
import {
  allHandlersFinished,
  condition,
  defineQuery,
  defineUpdate,
  proxyActivities,
  proxyLocalActivities,
  setHandler,
  upsertSearchAttributes,
  workflowInfo,
} from '@temporalio/workflow';
import { SA } from '../worker/searchAttributes';

/** Where in the lifecycle a no-op activity stands in for a Parley activity (names the Parley one). */
export type FloorStep =
  | 'load_settings_at_start'
  | 'ai_agent_turn'
  | 'hand_off_conversation'
  | 'routing_update_handoff'
  | 'deliver_ai_greeting'
  | 'deliver_to_conversation'
  | 'deliver_to_channel'
  | 'load_settings_at_end'
  | 'routing_update_end'
  | 'send_csat';

/** The floor's only activity: does nothing (the worker side reports that it ran, for the bench's hooks). */
export interface FloorActivities {
  noop(input: { workflowId: string; step: FloorStep }): Promise<void>;
}

/** End-user message (sent with update-with-start, like Parley's thread ingress). */
export const floorMessageUpdate = defineUpdate<{ accepted: true; first: boolean }, [{ messageId: string }]>('floorMessage');
/** Hand-off to human agents. */
export const floorHandOffUpdate = defineUpdate<{ ticket: string }, [{ eventId: string }]>('floorHandOff');
/** Agent's public reply. */
export const floorAgentReplyUpdate = defineUpdate<{ messageId: string }, [{ messageId: string }]>('floorAgentReply');
/** Agent ends the session; the workflow completes once its background activities ran. */
export const floorEndSessionUpdate = defineUpdate<{ alreadyEnded: boolean }, []>('floorEndSession');
/** Whether the stand-in for routing's assignment has happened (what the client polls for). */
export const floorAssignedQuery = defineQuery<boolean>('floorAssigned');

/**
 * Optional extras, each one a mechanism Parley uses that the plain floor lacks; the bench's
 * `--experiments` mode prices them one at a time. All off = the floor.
 */
export interface FloorVariant {
  /** Re-arm a 10-minute timer on every state change, as the conversation's inactivity timer does. */
  timers?: boolean;
  /** Upsert search attributes at start, hand-off, assignment and session end (4 upserts, like Parley). */
  searchAttributes?: boolean;
  /** Run background activities concurrently instead of one at a time in order. */
  parallel?: boolean;
  /** Run every no-op as a local activity. */
  local?: boolean;
}

const retry = { initialInterval: '200 ms', backoffCoefficient: 2, maximumInterval: '30 seconds' } as const;

/**
 * Steps Parley runs as local activities (workflows/activityOptions.ts: its Temporal-internal hops);
 * the floor runs the same kind of activity at the same step, so the comparison stays like for like.
 */
export const LOCAL_STEPS: ReadonlySet<FloorStep> = new Set<FloorStep>([
  'load_settings_at_start',
  'hand_off_conversation',
  'routing_update_handoff',
  'deliver_to_conversation',
  'load_settings_at_end',
  'routing_update_end',
]);
const remote = proxyActivities<FloorActivities>({ startToCloseTimeout: '30 seconds', retry });
const local = proxyLocalActivities<FloorActivities>({ startToCloseTimeout: '30 seconds', retry });

interface Job {
  step: FloorStep;
  after?: () => void;
}

/**
 * One floor lifecycle. Activity placement and kind mirror Parley (14 per lifecycle, 8 of them local):
 * first message → background: settings (local), AI turn, greeting delivery; hand-off → awaited:
 * hand-off (local), background: routing (hand-off, local), [assigned]; each later end-user message →
 * awaited: delivery (local);
 * each agent reply → background: channel delivery; end session → awaited: settings (local),
 * background: routing (end, local), CSAT.
 */
export async function floorLifecycle(variant: FloorVariant = {}): Promise<void> {
  const workflowId = workflowInfo().workflowId;
  const noop = (input: { workflowId: string; step: FloorStep }): Promise<void> =>
    (variant.local || LOCAL_STEPS.has(input.step) ? local : remote).noop(input);
  const jobs: Job[] = [];
  let pumping = false;
  let inFlight = 0;
  let messages = 0;
  let handedOff = false;
  let assigned = false;
  let ended = false;
  let changes = 0;

  const upsert = (pairs: Parameters<typeof upsertSearchAttributes>[0]): void => {
    if (variant.searchAttributes) upsertSearchAttributes(pairs);
  };
  const changed = (): void => {
    changes += 1;
  };

  const pump = async (): Promise<void> => {
    for (;;) {
      await condition(() => jobs.length > 0);
      if (variant.parallel) {
        for (const job of jobs.splice(0)) {
          inFlight += 1;
          void noop({ workflowId, step: job.step }).then(() => {
            job.after?.();
            inFlight -= 1;
          });
        }
        continue;
      }
      pumping = true;
      const job = jobs[0];
      await noop({ workflowId, step: job.step });
      job.after?.();
      jobs.shift();
      pumping = false;
    }
  };

  setHandler(floorMessageUpdate, async ({ messageId: _messageId }) => {
    messages += 1;
    changed();
    if (messages === 1) {
      upsert([
        { key: SA.ThreadId, value: workflowId },
        { key: SA.Channel, value: 'messaging' },
        { key: SA.SessionState, value: 'active' },
      ]);
      jobs.push({ step: 'load_settings_at_start' }, { step: 'ai_agent_turn' }, { step: 'deliver_ai_greeting', after: changed });
      return { accepted: true, first: true };
    }
    await noop({ workflowId, step: 'deliver_to_conversation' });
    return { accepted: true, first: false };
  });

  setHandler(floorHandOffUpdate, async ({ eventId }) => {
    await noop({ workflowId, step: 'hand_off_conversation' });
    if (!handedOff) {
      handedOff = true;
      changed();
      upsert([
        { key: SA.TicketId, value: eventId },
        { key: SA.TicketStatus, value: 'new' },
        { key: SA.RoutingChannel, value: 'messaging' },
        { key: SA.GroupId, value: 'support' },
        { key: SA.TicketTags, value: [] },
      ]);
      const onAssigned = (): void => {
        assigned = true;
        changed();
        upsert([
          { key: SA.AssigneeId, value: 'floor-agent' },
          { key: SA.TicketStatus, value: 'open' },
        ]);
      };
      jobs.push({ step: 'routing_update_handoff', after: onAssigned });
    }
    return { ticket: eventId };
  });

  setHandler(floorAgentReplyUpdate, ({ messageId }) => {
    changed();
    jobs.push({ step: 'deliver_to_channel' });
    return { messageId };
  });

  setHandler(floorEndSessionUpdate, async () => {
    if (ended) return { alreadyEnded: true };
    await noop({ workflowId, step: 'load_settings_at_end' });
    ended = true;
    changed();
    upsert([
      { key: SA.SessionState, value: 'ended' },
      { key: SA.SessionEndedReason, value: 'agent' },
      { key: SA.SessionEndedAt, value: new Date(Date.now()) },
    ]);
    jobs.push({ step: 'routing_update_end' }, { step: 'send_csat', after: changed });
    return { alreadyEnded: false };
  });

  setHandler(floorAssignedQuery, () => assigned);

  void pump();
  const done = (): boolean => ended && jobs.length === 0 && !pumping && inFlight === 0 && allHandlersFinished();
  if (variant.timers) {
    while (!done()) {
      const seen = changes;
      await condition(() => done() || changes !== seen, '10 minutes');
    }
  }
  await condition(done);
}
