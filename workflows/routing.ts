/**
 * `routing` workflow (`parley:routing`): the single writer of omnichannel routing (DOMAIN.md §5):
 * agents and statuses, the capacity ledger, the queue. Conversations send it their ticket's routing
 * view; after every change it drains the queue at once and signals each conversation it assigns.
 * Policy lives in `domain/routing.ts`.
 */
import {
  ApplicationFailure,
  allHandlersFinished,
  condition,
  continueAsNew,
  getExternalWorkflowHandle,
  setHandler,
  workflowInfo,
} from '@temporalio/workflow';
import * as policy from '../domain/routing';
import {
  assignedSignal,
  routingOptionsSignal,
  routingQuery,
  setAgentStatusUpdate,
  ticketRoutingSignal,
  upsertAgentUpdate,
  type RoutingInput,
  type RoutingSnapshot,
} from './definitions';
import { AgentStatusSchema } from '../domain/vocabulary';

/** Builds routing's public picture. */
export function snapshotOf(state: policy.RoutingState): RoutingSnapshot {
  return {
    agents: Object.values(state.agents).map((a) => ({ ...a, use: policy.useOf(state, a.id) })),
    queue: policy.queue(state),
    peakUse: state.peakUse,
    options: state.options,
  };
}

/** The routing workflow. Runs forever; continue-as-new carries its state. */
export async function routing(input: RoutingInput): Promise<void> {
  const state = input.state ? policy.restoreRoutingState(input.state) : policy.emptyRoutingState();
  let signalsInFlight = 0;
  // Handlers only apply changes and mark the queue dirty; the loop below drains once per activation,
  // however many signals it brought (a backlog of signals costs one drain, not one each).
  let dirty = true;

  const drain = (): void => {
    dirty = false;
    for (const a of policy.drainQueue(state, Date.now())) {
      signalsInFlight += 1;
      getExternalWorkflowHandle(a.workflowId)
        .signal(assignedSignal, { agentId: a.agentId, channel: a.channel, at: new Date(Date.now()).toISOString() })
        .catch(() => {
          // The conversation is gone: give the slot back and route the queue again.
          policy.forgetTicket(state, a.ticketId);
          dirty = true;
        })
        .finally(() => {
          signalsInFlight -= 1;
        });
    }
  };

  setHandler(
    upsertAgentUpdate,
    (agentInput) => {
      const agent = policy.upsertAgent(state, policy.AgentInputSchema.parse(agentInput));
      drain();
      return agent;
    },
    {
      validator: (agentInput) => {
        const parsed = policy.AgentInputSchema.safeParse(agentInput);
        if (!parsed.success) throw ApplicationFailure.create({ type: 'invalid_input', message: parsed.error.message, nonRetryable: true });
      },
    },
  );

  setHandler(
    setAgentStatusUpdate,
    ({ agentId, status }) => {
      const agent = state.agents[agentId];
      agent.status = status;
      drain();
      return agent;
    },
    {
      validator: ({ agentId, status }) => {
        if (!state.agents[agentId]) throw ApplicationFailure.create({ type: 'not_found', message: `unknown agent "${agentId}"`, nonRetryable: true });
        if (!AgentStatusSchema.safeParse(status).success) {
          throw ApplicationFailure.create({ type: 'invalid_input', message: `status must be one of online, away, transfers_only, offline`, nonRetryable: true });
        }
      },
    },
  );

  setHandler(ticketRoutingSignal, (update) => {
    if (policy.applyTicketUpdate(state, update)) dirty = true;
  });

  setHandler(routingOptionsSignal, (options) => {
    policy.setOptions(state, options);
    dirty = true;
  });

  setHandler(routingQuery, () => snapshotOf(state));

  // Continue-as-new well before Temporal's suggestion: a short history keeps a replay (after a
  // cache eviction, or a rejected completion) far below the workflow task timeout under load.
  const historyIsLong = (): boolean => workflowInfo().continueAsNewSuggested || workflowInfo().historyLength > CONTINUE_AS_NEW_AFTER_EVENTS;
  for (;;) {
    await condition(() => dirty || historyIsLong());
    if (dirty) drain();
    if (historyIsLong()) break;
  }
  await condition(() => allHandlersFinished() && signalsInFlight === 0);
  if (dirty) drain();
  await condition(() => signalsInFlight === 0);
  await continueAsNew<typeof routing>({ state });
}

/** History length (events) after which routing continues as new (Temporal suggests ~4,096+). */
export const CONTINUE_AS_NEW_AFTER_EVENTS = 1_500;
