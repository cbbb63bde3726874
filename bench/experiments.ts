/**
 * `npm run bench -- --experiments`: prices candidate improvements without touching Parley's code.
 *
 * - Parley tweaks are activity-level changes applied in a separate bench worker (same workflow
 *   bundle and slot settings as production), switchable per visit: a settings cache instead of a
 *   query to the account workflow per read, or a server-side `describe` (what a memo-based read
 *   costs); `signal` instead of `signalWithStart` to routing; dropping the routing update that only
 *   echoes routing's own assignment back. A workload variant runs lifecycles on existing threads.
 * - Floor variants add one Parley mechanism at a time to the floor (inactivity-timer churn, search
 *   attribute upserts) or try a cheaper structure (parallel effects, local activities), to price
 *   workflow-level changes that the bench cannot make to Parley itself.
 *
 * Variants are visited {@link PASSES} times in alternating order so drift over the run cancels out;
 * each reports throughput and CPU per lifecycle, the steadier of the two on a shared machine.
 */
import { WorkflowNotFoundError, type Client } from '@temporalio/client';
import type { NativeConnection, Worker } from '@temporalio/worker';
import type { ParleyActivities } from '../activities/types';
import { ParleyClient } from '../client/parleyClient';
import { DEFAULT_ACCOUNT_SETTINGS, type AccountSettings } from '../domain/settings';
import { ticketRoutingSignal, workflowIds } from '../workflows/definitions';
import { runFloorLifecycle } from './floor';
import type { FloorVariant } from './floorWorkflow';
import type { Rendezvous } from './hooks';
import { createBenchParleyWorker, runParleyLifecycle, setUpAgentPool } from './parley';
import { addTallies, tallyHistory, totalEvents, type EventTally } from './counting';
import { cpuSpent, readCpu } from './profile';
import { percentile, runPool, type DriverOptions, type LifecycleSample } from './stats';

/** Activity-level changes the bench can switch on in its experiment worker. */
export type ParleyTweak = 'settingsCache' | 'settingsDescribe' | 'routingSignal' | 'skipAssignEcho';

/** How long the experimental settings cache trusts a value. */
export const SETTINGS_CACHE_MS = 5_000;

/**
 * Wraps Parley's activities with the tweaks in `active` (read at each call, so one worker serves
 * every variant).
 */
export function tweakedActivities(active: Set<ParleyTweak>, client: Client, taskQueue: string): (base: ParleyActivities) => Partial<ParleyActivities> {
  return (base) => {
    let cached: { at: number; value: Awaited<ReturnType<ParleyActivities['loadAccountSettings']>> } | undefined;
    return {
      async loadAccountSettings() {
        if (active.has('settingsDescribe')) {
          // What a memo-based read costs: one server-side describe, no query task on the worker.
          // (Today's account workflow keeps no memo, so this returns the defaults.)
          const desc = await client.workflow.getHandle(workflowIds.account(taskQueue)).describe();
          return (desc.memo?.settings as AccountSettings | undefined) ?? DEFAULT_ACCOUNT_SETTINGS;
        }
        if (!active.has('settingsCache')) return base.loadAccountSettings();
        if (cached && Date.now() - cached.at < SETTINGS_CACHE_MS) return cached.value;
        cached = { at: Date.now(), value: await base.loadAccountSettings() };
        return cached.value;
      },
      async updateRouting(update) {
        // The echo: version 2 is the conversation repeating the assignment routing just made.
        if (active.has('skipAssignEcho') && update.version === 2 && update.assigneeId !== null) return;
        if (!active.has('routingSignal')) return base.updateRouting(update);
        try {
          await client.workflow.getHandle(workflowIds.routing(taskQueue)).signal(ticketRoutingSignal, update);
        } catch (err) {
          if (err instanceof WorkflowNotFoundError) return base.updateRouting(update);
          throw err;
        }
      },
    };
  };
}

/**
 * Visits per variant, in alternating order (A…Z, Z…A, A…Z, Z…A): on a machine shared with other
 * work, drift and bursts of foreign load hit every variant alike. CPU per lifecycle is the median
 * over the visits, throughput is lifecycles over total time.
 */
export const PASSES = 4;

/** One variant's aggregate over its visits. */
export interface VariantResult {
  name: string;
  lifecycles: number;
  failures: number;
  rate: number;
  cpuMsPerLifecycle: number;
  p50Ms: number;
  /** Workflow tasks and history events of one lifecycle of this variant (its workflows), if counted. */
  workflowTasks?: number;
  historyEvents?: number;
  /** Relative to the first variant (the baseline) of its group: + means more CPU / faster. */
  cpuVsBaseline: number;
  rateVsBaseline: number;
}

/** What `--experiments` prints. */
export interface ExperimentReport {
  lifecyclesPerVariant: number;
  parley: VariantResult[];
  floor: VariantResult[];
}

/** What the experiments need from the bench's rig. */
export interface ExperimentContext {
  client: Client;
  native: NativeConnection;
  hooks: Rendezvous;
  serverPid: number;
  floorTaskQueue: string;
  tag: string;
  concurrency: number;
  driver: DriverOptions;
  log: (line: string) => void;
}

async function visitAll<V>(
  ctx: ExperimentContext,
  group: string,
  variants: Array<{ name: string; value: V }>,
  perVariant: number,
  run: (value: V, id: string, lane: number) => Promise<LifecycleSample>,
  select?: (value: V) => void,
  count?: (value: V, id: string) => Promise<EventTally | null>,
): Promise<VariantResult[]> {
  const tallies = new Map<string, EventTally | null>();
  const acc = new Map<string, { samples: LifecycleSample[]; failures: number; seconds: number; cpuPerVisit: number[] }>();
  const forward = [...variants];
  const backward = [...variants].reverse();
  const order = Array.from({ length: PASSES }, (_, i) => (i % 2 === 0 ? forward : backward)).flat();
  const perVisit = Math.max(1, Math.round(perVariant / PASSES));
  let visit = 0;
  for (const v of order) {
    select?.(v.value);
    const cpu0 = readCpu(ctx.serverPid);
    const prefix = `exp-${group}-${v.name}-${ctx.tag}-${visit++}`;
    const result = await runPool(perVisit, ctx.concurrency, (i, lane) => run(v.value, `${prefix}-${i}`, lane));
    const cpu = cpuSpent(cpu0, readCpu(ctx.serverPid));
    const a = acc.get(v.name) ?? { samples: [], failures: 0, seconds: 0, cpuPerVisit: [] };
    a.samples.push(...result.results);
    a.failures += result.errors.length;
    a.seconds += result.seconds;
    if (result.results.length > 0) a.cpuPerVisit.push((cpu.node + cpu.server) / result.results.length);
    acc.set(v.name, a);
    if (count && !tallies.has(v.name) && result.results.length > 0) tallies.set(v.name, await count(v.value, `${prefix}-0`));
    ctx.log(
      `experiment ${group.padEnd(6)} ${v.name.padEnd(18)} ${result.results.length} in ${result.seconds.toFixed(1)} s = ${(result.results.length / result.seconds).toFixed(2)}/s, ` +
        `CPU ${((cpu.node + cpu.server) / Math.max(1, result.results.length)).toFixed(0)} ms/lifecycle` +
        (result.errors.length ? `, ${result.errors.length} failed: ${String((result.errors[0] as Error)?.message ?? result.errors[0])}` : ''),
    );
  }
  const rows = variants.map(({ name }) => {
    const a = acc.get(name) as { samples: LifecycleSample[]; failures: number; seconds: number; cpuPerVisit: number[] };
    const n = a.samples.length;
    return {
      name,
      lifecycles: n,
      failures: a.failures,
      rate: Math.round((n / a.seconds) * 100) / 100,
      cpuMsPerLifecycle: Math.round(percentile(a.cpuPerVisit, 0.5)),
      p50Ms: Math.round(percentile(a.samples.map((s) => s.latencyMs), 0.5)),
      ...(tallies.get(name) ? { workflowTasks: tallies.get(name)?.WorkflowTaskCompleted ?? 0, historyEvents: totalEvents(tallies.get(name) as EventTally) } : {}),
      cpuVsBaseline: 0,
      rateVsBaseline: 0,
    };
  });
  for (const row of rows) {
    row.cpuVsBaseline = Math.round((row.cpuMsPerLifecycle / rows[0].cpuMsPerLifecycle - 1) * 1000) / 1000;
    row.rateVsBaseline = Math.round((row.rate / rows[0].rate - 1) * 1000) / 1000;
  }
  return rows;
}

/** Runs the Parley tweaks and the floor variants; `perVariant` lifecycles each, split over two visits. */
export async function runExperiments(ctx: ExperimentContext, perVariant: number): Promise<ExperimentReport> {
  const taskQueue = `bench-exp-${ctx.tag}`;
  const active = new Set<ParleyTweak>();
  const worker: Worker = await createBenchParleyWorker({
    connection: ctx.native,
    client: ctx.client,
    namespace: 'default',
    taskQueue,
    hooks: ctx.hooks,
    override: tweakedActivities(active, ctx.client, taskQueue),
  });
  const running = worker.run();
  try {
    const parley = new ParleyClient(ctx.client, taskQueue);
    await setUpAgentPool(parley, ctx.concurrency);
    const laneThread = (lane: number): string => `exp-returning-${ctx.tag}-${lane}`;
    // Create the returning end users' threads (one per lane) before anything is measured.
    await runPool(ctx.concurrency, ctx.concurrency, (i, lane) => runParleyLifecycle(parley, ctx.hooks, `exp-prime-${ctx.tag}-${i}`, ctx.driver, laneThread(lane)));
    type ParleyVariant = { tweaks: ParleyTweak[]; reuseThreads?: boolean };
    const parleyRows = await visitAll<ParleyVariant>(
      ctx,
      'parley',
      [
        { name: 'baseline', value: { tweaks: [] } },
        { name: 'settings cache', value: { tweaks: ['settingsCache'] } },
        { name: 'settings describe', value: { tweaks: ['settingsDescribe'] } },
        { name: 'routing signal', value: { tweaks: ['routingSignal'] } },
        { name: 'skip assign echo', value: { tweaks: ['skipAssignEcho'] } },
        { name: 'cache+signal+echo', value: { tweaks: ['settingsCache', 'routingSignal', 'skipAssignEcho'] } },
        { name: 'returning end user', value: { tweaks: [], reuseThreads: true } },
      ],
      perVariant,
      // A returning end user: each lane keeps its thread, so the thread already exists and only
      // the conversation is new (workload variant, no code change).
      (variant, id, lane) => runParleyLifecycle(parley, ctx.hooks, id, ctx.driver, variant.reuseThreads ? laneThread(lane) : id),
      (variant) => {
        active.clear();
        for (const t of variant.tweaks) active.add(t);
      },
      async (variant, id) =>
        variant.reuseThreads
          ? null
          : addTallies(await tallyHistory(ctx.client, workflowIds.thread(id)), await tallyHistory(ctx.client, workflowIds.conversation(`${id}-1`))),
    );
    const floorRows = await visitAll<FloorVariant>(
      ctx,
      'floor',
      [
        { name: 'floor', value: {} },
        { name: '+ timer churn', value: { timers: true } },
        { name: '+ search attrs', value: { searchAttributes: true } },
        { name: 'parallel effects', value: { parallel: true } },
        { name: 'local activities', value: { local: true } },
      ],
      perVariant,
      (variant, id) => runFloorLifecycle(ctx.client, ctx.floorTaskQueue, ctx.hooks, id, ctx.driver, variant),
      undefined,
      async (_variant, id) => {
        await ctx.client.workflow.getHandle(`floor:${id}`).result();
        return tallyHistory(ctx.client, `floor:${id}`);
      },
    );
    return { lifecyclesPerVariant: perVariant, parley: parleyRows, floor: floorRows };
  } finally {
    worker.shutdown();
    await running;
  }
}

/** Renders the experiments as text. */
export function formatExperiments(r: ExperimentReport): string {
  const pad = (s: string | number, n: number): string => String(s).padStart(n);
  const pct = (x: number): string => `${x >= 0 ? '+' : ''}${(x * 100).toFixed(1)}%`;
  const lines: string[] = [
    '',
    `Experiments (${r.lifecyclesPerVariant} lifecycles per variant in ${PASSES} visits, alternating order; CPU = median over visits):`,
  ];
  const table = (title: string, rows: VariantResult[]) => {
    lines.push(
      `  ${title.padEnd(22)}${pad('lc/s', 8)}${pad('vs base', 9)}${pad('CPU ms/lc', 11)}${pad('vs base', 9)}${pad('p50 ms', 8)}${pad('WFTs', 6)}${pad('events', 8)}${pad('failed', 8)}`,
    );
    for (const x of rows) {
      lines.push(
        `  ${x.name.padEnd(22)}${pad(x.rate.toFixed(2), 8)}${pad(pct(x.rateVsBaseline), 9)}${pad(x.cpuMsPerLifecycle, 11)}${pad(pct(x.cpuVsBaseline), 9)}${pad(x.p50Ms, 8)}` +
          `${pad(x.workflowTasks ?? '-', 6)}${pad(x.historyEvents ?? '-', 8)}${pad(x.failures, 8)}`,
      );
    }
  };
  table('Parley variant', r.parley);
  lines.push('  (WFTs/events: thread + conversation of one lifecycle; routing excluded)');
  lines.push('');
  table('floor variant', r.floor);
  return lines.join('\n');
}
