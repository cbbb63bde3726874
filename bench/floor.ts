/**
 * Worker and client driver for the floor workflow (`bench/floorWorkflow.ts`): a separately bundled
 * worker with one no-op activity, and a lifecycle that sends the floor the same client calls, in the
 * same order and with the same waits, as `bench/parley.ts` sends Parley.
 */
import { WithStartWorkflowOperation, type Client } from '@temporalio/client';
import { Worker, bundleWorkflowCode, type NativeConnection, type WorkflowBundleWithSourceMap } from '@temporalio/worker';
import {
  floorAgentReplyUpdate,
  floorAssignedQuery,
  floorEndSessionUpdate,
  floorHandOffUpdate,
  floorMessageUpdate,
  type FloorActivities,
  type FloorVariant,
} from './floorWorkflow';
import type { Rendezvous } from './hooks';
import { MESSAGE_PAIRS, since, sleep, stepTimer, type DriverOptions, type LifecycleSample } from './stats';

/** Bundles `bench/floorWorkflow.ts` on its own (webpack; a few seconds). */
export function bundleFloorWorkflow(): Promise<WorkflowBundleWithSourceMap> {
  return bundleWorkflowCode({
    workflowsPath: require.resolve('./floorWorkflow'),
    logger: { log() {}, trace() {}, debug() {}, info() {}, warn: console.warn, error: console.error },
  });
}

/** The floor's activities: `noop` fires `<step>:<workflowId>` on the rendezvous and returns. */
export function floorActivities(hooks: Rendezvous): FloorActivities {
  return {
    async noop({ workflowId, step }) {
      hooks.fire(`${step}:${workflowId}`);
    },
  };
}

/** Creates (does not run) the floor worker, with the same slot settings as `createParleyWorker`. */
export async function createFloorWorker(options: {
  connection: NativeConnection;
  namespace: string;
  taskQueue: string;
  bundle: WorkflowBundleWithSourceMap;
  hooks: Rendezvous;
}): Promise<Worker> {
  return Worker.create({
    connection: options.connection,
    namespace: options.namespace,
    taskQueue: options.taskQueue,
    workflowBundle: options.bundle,
    activities: floorActivities(options.hooks),
    maxConcurrentWorkflowTaskExecutions: 100,
    maxConcurrentActivityTaskExecutions: 200,
  });
}

/**
 * One floor lifecycle on a fresh workflow `floor:<id>`: first message (update-with-start), wait for
 * the AI-turn stand-in, hand-off, poll the assignment query, 3 × (end-user message with
 * update-with-start, agent reply update), end-session update, wait for the CSAT stand-in.
 * `variant` switches on priced extras (experiments only; omitted = the floor).
 */
export async function runFloorLifecycle(
  client: Client,
  taskQueue: string,
  hooks: Rendezvous,
  id: string,
  options: DriverOptions,
  variant: FloorVariant = {},
): Promise<LifecycleSample> {
  const workflowId = `floor:${id}`;
  const t0 = performance.now();
  const message = (messageId: string) =>
    client.workflow.executeUpdateWithStart(floorMessageUpdate, {
      args: [{ messageId }],
      updateId: `msg:${messageId}`,
      startWorkflowOperation: new WithStartWorkflowOperation('floorLifecycle', {
        workflowId,
        taskQueue,
        args: [variant],
        workflowIdConflictPolicy: 'USE_EXISTING',
      }),
    });
  const handle = client.workflow.getHandle(workflowId);

  const timer = stepTimer();
  await message(`${id}-u0`);
  timer.lap('first message');
  await hooks.wait(`ai_agent_turn:${workflowId}`, options.timeoutMs);
  timer.lap('AI greeting');
  await handle.executeUpdate(floorHandOffUpdate, { args: [{ eventId: `${id}-handoff` }], updateId: `handoff:${id}-handoff` });
  timer.lap('hand-off');
  const tHandedOff = performance.now();
  let polls = 0;
  for (;;) {
    polls += 1;
    if (await handle.query(floorAssignedQuery)) break;
    if (since(t0) > options.timeoutMs) throw new Error(`${workflowId}: not assigned within ${options.timeoutMs} ms`);
    await sleep(options.pollMs);
  }
  const assignMs = since(tHandedOff);
  timer.lap('assignment');
  for (let k = 1; k <= MESSAGE_PAIRS; k++) {
    await message(`${id}-u${k}`);
    timer.lap('end-user message');
    await handle.executeUpdate(floorAgentReplyUpdate, { args: [{ messageId: `${id}-a${k}` }], updateId: `reply:${id}-a${k}` });
    timer.lap('agent reply');
  }
  await handle.executeUpdate(floorEndSessionUpdate, { args: [] });
  timer.lap('end session');
  const clientMs = since(t0);
  await hooks.wait(`send_csat:${workflowId}`, options.timeoutMs);
  timer.lap('last effect');
  timer.steps['end-user message'] /= MESSAGE_PAIRS;
  timer.steps['agent reply'] /= MESSAGE_PAIRS;
  return { latencyMs: since(t0), clientMs, assignMs, polls, steps: timer.steps };
}
