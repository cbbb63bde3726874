/**
 * `npm run bench`: conversation lifecycles per second on the dev server, next to the Temporal floor
 * measured in the same run.
 *
 * One lifecycle = new thread → first end-user message (thread + conversation start, AI agent
 * greets) → hand-off → assignment (polled) → 3 × (end-user message, public agent reply) → the agent
 * ends the session → CSAT sent. The floor (`bench/floorWorkflow.ts`) is one bare workflow per
 * lifecycle receiving the same client calls and running the same number of no-op activities.
 *
 * Both run on one in-memory headless dev server (`startDevServer`), one worker each in this process,
 * the same concurrency, after a warm-up, in ABBA order (floor, Parley, Parley, floor, ...) so drift
 * over the run does not favour either. Then one lifecycle of each runs alone while client calls and
 * history events are counted, and the histories of sampled lifecycles show where the time went.
 * `--experiments` then prices candidate improvements (`bench/experiments.ts`). Nothing here
 * asserts on timing; it prints.
 */
import { rmSync } from 'node:fs';
import os from 'node:os';
import { Command, InvalidArgumentError } from 'commander';
import { Client, Connection } from '@temporalio/client';
import { DefaultLogger, NativeConnection, Runtime, type Worker } from '@temporalio/worker';
import { ParleyClient } from '../client/parleyClient';
import { workflowIds } from '../workflows/definitions';
import { startDevServer, type DevServer } from '../worker/devServer';
import { bundleWorkflows } from '../worker/worker';
import { formatExperiments, runExperiments, type ExperimentReport } from './experiments';
import { CallCounter, addTallies, markHistory, tallyHistory, totalEvents, type CallCounts, type EventTally } from './counting';
import { bundleFloorWorkflow, createFloorWorker, runFloorLifecycle } from './floor';
import { Rendezvous } from './hooks';
import { createBenchParleyWorker, routingWorkflowId, runParleyLifecycle, setUpAgentPool } from './parley';
import { cpuSpent, entityLoad, historyOf, readCpu, timingProfile, type EntityLoad, type TimingProfile } from './profile';
import { STEPS, runPool, sleep, summarize, type DriverOptions, type LifecycleSample, type PhaseResult } from './stats';

/** The cost multiple the issue asks for: Parley at most 1.3× the floor. */
export const TARGET_MULTIPLE = 1.3;

/**
 * Activity executions of one lifecycle as read from the workflow code (workflows/thread.ts,
 * conversation.ts; domain/conversation.ts effects). The probe checks the histories against it.
 */
export const EXPECTED_PARLEY_ACTIVITIES = {
  total: 23,
  explain:
    'local (MarkerRecorded): thread handOffConversation 1 + deliverToConversation 3, conversation loadAccountSettings 2 ' +
    '(start, end session) + updateRouting 2 (hand-off, end) + evaluateTicketTriggers 9 (hand-off, assignment, 3 end-user ' +
    'messages, 3 replies, end session; no messaging triggers configured, so no evaluateMessagingTriggers); ' +
    'remote: aiAgentTurn 1, deliverToChannel 4 (greeting, 3 replies), ' +
    'sendCsatSurvey 1; routing: 0',
};

/** Command-line options of the bench. */
export interface BenchOptions {
  lifecycles: number;
  concurrency: number;
  warmup: number;
  rounds: number;
  pollMs: number;
  timeoutMs: number;
  json: boolean;
  outbox: boolean;
  /** Wall-time budget of the measured rounds, in seconds: a round past its share stops starting lifecycles. */
  budgetS: number;
  /** Also run `bench/experiments.ts` (several more minutes). */
  experiments: boolean;
  /** Lifecycles per experiment variant. */
  experimentLifecycles: number;
}

/** Per-lifecycle operation counts of one kind, measured on a lifecycle run alone. */
export interface ProbeCounts {
  /** Calls the bench (the "backend service") made to the server. */
  clientCalls: CallCounts;
  /** Calls Parley's activities made to the server (0 for the floor). */
  activityCalls: CallCounts;
  /** History events by workflow (routing: only the events this lifecycle added). */
  events: Record<string, EventTally>;
  /** Completed activities by workflow and activity type. */
  activities: Record<string, EventTally>;
  /** Sum over the workflows. */
  total: EventTally;
}

/** Everything the bench prints with `--json`. */
export interface BenchReport {
  environment: { cpus: number; node: string; server: string };
  options: BenchOptions;
  floor: PhaseResult;
  parley: PhaseResult;
  /** floor rate / Parley rate: how many floors one Parley lifecycle costs. */
  costMultiple: number;
  target: number;
  targetMet: boolean;
  rounds: Array<{ kind: 'floor' | 'parley'; lifecycles: number; seconds: number; rate: number }>;
  /** CPU ms per lifecycle over the measured rounds: this process (client + workers) and the dev server. */
  cpuPerLifecycle: Record<'floor' | 'parley', { node: number; server: number; total: number }>;
  probe: { parley: ProbeCounts; floor: ProbeCounts };
  /** History timings of lifecycles sampled from the last measured round of each kind (under load). */
  timings: { parley: TimingProfile; floor: TimingProfile; sampled: number };
  /** Load on the single routing workflow during each measured Parley round. */
  routingLoad: EntityLoad[];
  experiments?: ExperimentReport;
}

const positiveInt = (name: string) => (value: string): number => {
  const n = Number(value);
  if (!Number.isInteger(n) || n < 1) throw new InvalidArgumentError(`${name} must be a positive integer`);
  return n;
};

/** Parses `process.argv` into {@link BenchOptions}. */
export function parseOptions(argv: string[]): BenchOptions {
  const program = new Command('bench')
    .description('Parley conversation lifecycles per second vs the Temporal floor, on an in-memory dev server')
    .option('--lifecycles <n>', 'measured lifecycles per kind (Parley, floor)', positiveInt('--lifecycles'), 200)
    .option('--concurrency <c>', 'lifecycles in flight at once', positiveInt('--concurrency'), 20)
    .option('--warmup <n>', 'unmeasured lifecycles per kind before measuring', positiveInt('--warmup'), 20)
    .option('--rounds <r>', 'measured rounds per kind, interleaved ABBA', positiveInt('--rounds'), 2)
    .option('--poll-ms <ms>', 'interval between assignment polls', positiveInt('--poll-ms'), 10)
    .option('--timeout-ms <ms>', 'a lifecycle not done after this long counts as failed', positiveInt('--timeout-ms'), 60_000)
    .option('--budget-s <s>', 'wall-time budget of the measured rounds; rounds share it and stop starting lifecycles past their share', positiveInt('--budget-s'), 120)
    .option('--experiments', 'also price candidate improvements (bench/experiments.ts; adds a few minutes)', false)
    .option('--experiment-lifecycles <n>', 'lifecycles per experiment variant', positiveInt('--experiment-lifecycles'), 80)
    .option('--outbox', 'write Parley channel/email traffic to a real outbox folder (default: no-op adapters like the floor)', false)
    .option('--json', 'print one JSON report instead of text', false)
    .parse(argv);
  return program.opts<BenchOptions>();
}

interface Rig {
  server: DevServer;
  connection: Connection;
  outboxDir?: string;
  native: NativeConnection;
  tag: string;
  client: Client;
  plain: Client;
  benchCalls: CallCounter;
  activityCalls: CallCounter;
  hooks: Rendezvous;
  parley: ParleyClient;
  parleyTaskQueue: string;
  floorTaskQueue: string;
  workers: Worker[];
  running: Array<Promise<void>>;
  agents: string[];
}

async function setUp(options: BenchOptions, log: (line: string) => void): Promise<Rig> {
  const t0 = performance.now();
  const server = await startDevServer({ headless: true });
  const benchCalls = new CallCounter();
  const activityCalls = new CallCounter();
  const connection = await Connection.connect({ address: server.address });
  const client = new Client({ connection, interceptors: { workflow: [benchCalls.interceptor()] } });
  const activityClient = new Client({ connection, interceptors: { workflow: [activityCalls.interceptor()] } });
  const plain = new Client({ connection });
  const native = await NativeConnection.connect({ address: server.address });
  const [, floorBundle] = await Promise.all([bundleWorkflows(), bundleFloorWorkflow()]);
  const tag = `${process.pid}-${Date.now().toString(36)}`;
  const parleyTaskQueue = `bench-parley-${tag}`;
  const floorTaskQueue = `bench-floor-${tag}`;
  const hooks = new Rendezvous();
  // Removed again at tear-down: the outbox only serves to include real file I/O in the cost.
  const outboxDir = options.outbox ? `${os.tmpdir()}/parley-bench-${tag}` : undefined;
  const workers = [
    await createBenchParleyWorker({ connection: native, client: activityClient, namespace: 'default', taskQueue: parleyTaskQueue, hooks, outboxDir }),
    await createFloorWorker({ connection: native, namespace: 'default', taskQueue: floorTaskQueue, bundle: floorBundle, hooks }),
  ];
  const running = workers.map((w) => w.run());
  const parley = new ParleyClient(client, parleyTaskQueue);
  const agents = await setUpAgentPool(parley, options.concurrency);
  log(`set-up: dev server ${server.address}, both bundles, 2 workers, ${agents.length} agents in ${((performance.now() - t0) / 1000).toFixed(1)} s`);
  return { server, connection, outboxDir, native, tag, client, plain, benchCalls, activityCalls, hooks, parley, parleyTaskQueue, floorTaskQueue, workers, running, agents };
}

async function tearDown(rig: Rig): Promise<void> {
  for (const w of rig.workers) w.shutdown();
  await Promise.allSettled(rig.running);
  await rig.native.close();
  await rig.connection.close();
  await rig.server.stop();
  if (rig.outboxDir) rmSync(rig.outboxDir, { recursive: true, force: true });
}

type Kind = 'floor' | 'parley';

function lifecycleOf(rig: Rig, kind: Kind, driver: DriverOptions): (id: string) => Promise<LifecycleSample> {
  return kind === 'parley'
    ? (id) => runParleyLifecycle(rig.parley, rig.hooks, id, driver)
    : (id) => runFloorLifecycle(rig.client, rig.floorTaskQueue, rig.hooks, id, driver);
}

async function probeParley(rig: Rig, driver: DriverOptions): Promise<ProbeCounts> {
  const routingId = routingWorkflowId(rig.parleyTaskQueue);
  const routingMark = await markHistory(rig.plain, routingId);
  const bench0 = rig.benchCalls.snapshot();
  const acts0 = rig.activityCalls.snapshot();
  const id = `probe-parley-${Date.now().toString(36)}`;
  await runParleyLifecycle(rig.parley, rig.hooks, id, driver);
  // The last effect (telling the thread the session ended) follows the CSAT activity: let it land.
  const quiet = new ParleyClient(rig.plain, rig.parleyTaskQueue);
  for (let i = 0; i < 200 && !(await quiet.getThread(id)).current?.sessionEnded; i++) await sleep(10);
  await sleep(300);
  const clientCalls = CallCounter.diff(bench0, rig.benchCalls.snapshot());
  const activityCalls = CallCounter.diff(acts0, rig.activityCalls.snapshot());
  const conversationId = (await quiet.getThread(id)).current?.conversationId ?? `${id}-1`;
  const activities: Record<string, EventTally> = { thread: {}, conversation: {}, routing: {} };
  const events: Record<string, EventTally> = {
    thread: await tallyHistory(rig.plain, workflowIds.thread(id), undefined, activities.thread),
    conversation: await tallyHistory(rig.plain, workflowIds.conversation(conversationId), undefined, activities.conversation),
    routing: await tallyHistory(rig.plain, routingId, routingMark, activities.routing),
  };
  return { clientCalls, activityCalls, events, activities, total: addTallies(...Object.values(events)) };
}

async function probeFloor(rig: Rig, driver: DriverOptions): Promise<ProbeCounts> {
  const bench0 = rig.benchCalls.snapshot();
  const id = `probe-floor-${Date.now().toString(36)}`;
  await runFloorLifecycle(rig.client, rig.floorTaskQueue, rig.hooks, id, driver);
  await rig.plain.workflow.getHandle(`floor:${id}`).result();
  const clientCalls = CallCounter.diff(bench0, rig.benchCalls.snapshot());
  const activities = { floor: {} };
  const events = { floor: await tallyHistory(rig.plain, `floor:${id}`, undefined, activities.floor) };
  return { clientCalls, activityCalls: {}, events, activities, total: addTallies(...Object.values(events)) };
}

/** Runs the whole bench and returns its report. `log` receives progress lines. */
export async function runBench(options: BenchOptions, log: (line: string) => void): Promise<BenchReport> {
  const rig = await setUp(options, log);
  try {
    const driver: DriverOptions = { pollMs: options.pollMs, timeoutMs: options.timeoutMs };
    let seq = 0;
    const phase = async (kind: Kind, count: number, label: string, deadline?: number) => {
      const run = lifecycleOf(rig, kind, driver);
      const prefix = `${kind}-${label.replace(/\W+/g, '')}-${seq++}`;
      const cpu0 = readCpu(rig.server.pid);
      const result = await runPool(count, options.concurrency, (i) => run(`${prefix}-${i}`), deadline);
      const cpu = cpuSpent(cpu0, readCpu(rig.server.pid));
      log(
        `${label.padEnd(8)} ${kind.padEnd(6)} ${String(result.results.length).padStart(4)} lifecycles in ${result.seconds.toFixed(2)} s = ${(result.results.length / result.seconds).toFixed(1)}/s` +
          `, CPU ${((cpu.node + cpu.server) / Math.max(1, result.results.length)).toFixed(0)} ms/lifecycle` +
          (result.errors.length ? ` (${result.errors.length} failed)` : '') +
          (result.started < count ? ` (stopped at its share of --budget-s ${options.budgetS})` : ''),
      );
      return { ...result, prefix, count: result.started, cpu };
    };

    await phase('floor', options.warmup, 'warm-up');
    await phase('parley', options.warmup, 'warm-up');

    const routingId = routingWorkflowId(rig.parleyTaskQueue);
    const measured: Record<Kind, Array<Awaited<ReturnType<typeof phase>>>> = { floor: [], parley: [] };
    const rounds: BenchReport['rounds'] = [];
    const routingLoad: EntityLoad[] = [];
    const budgetEnd = performance.now() + options.budgetS * 1000;
    let phasesLeft = options.rounds * 2;
    for (let r = 0; r < options.rounds; r++) {
      const count = Math.floor(options.lifecycles / options.rounds) + (r < options.lifecycles % options.rounds ? 1 : 0);
      const order: Kind[] = r % 2 === 0 ? ['floor', 'parley'] : ['parley', 'floor'];
      for (const kind of order) {
        const mark = kind === 'parley' ? await markHistory(rig.plain, routingId) : undefined;
        const from = Date.now();
        const now = performance.now();
        const result = await phase(kind, count, `round ${r + 1}`, now + Math.max(0, budgetEnd - now) / phasesLeft--);
        if (mark) routingLoad.push(await entityLoad(rig.plain, mark, from, Date.now()));
        measured[kind].push(result);
        rounds.push({ kind, lifecycles: result.results.length, seconds: Math.round(result.seconds * 100) / 100, rate: Math.round((result.results.length / result.seconds) * 100) / 100 });
      }
    }

    // Histories of lifecycles sampled across the last measured round of each kind.
    const SAMPLES = 8;
    const sampleIds = (m: Awaited<ReturnType<typeof phase>>): string[] =>
      Array.from({ length: Math.min(SAMPLES, m.count) }, (_, k) => `${m.prefix}-${Math.floor(((k + 0.5) * m.count) / Math.min(SAMPLES, m.count))}`);
    const lastParley = measured.parley[measured.parley.length - 1];
    const lastFloor = measured.floor[measured.floor.length - 1];
    const parleyHistories = [];
    for (const id of sampleIds(lastParley)) {
      parleyHistories.push({ kind: 'thread', events: await historyOf(rig.plain, workflowIds.thread(id)) });
      parleyHistories.push({ kind: 'conversation', events: await historyOf(rig.plain, workflowIds.conversation(`${id}-1`)) });
    }
    const floorHistories = [];
    for (const id of sampleIds(lastFloor)) floorHistories.push({ kind: 'floor', events: await historyOf(rig.plain, `floor:${id}`) });
    const timings = { parley: timingProfile(parleyHistories), floor: timingProfile(floorHistories), sampled: Math.min(SAMPLES, lastParley.count) };

    const probe = { parley: await probeParley(rig, driver), floor: await probeFloor(rig, driver) };
    const experiments = options.experiments
      ? await runExperiments(
          {
            client: rig.plain,
            native: rig.native,
            hooks: rig.hooks,
            serverPid: rig.server.pid,
            floorTaskQueue: rig.floorTaskQueue,
            tag: rig.tag,
            concurrency: options.concurrency,
            driver,
            log,
          },
          options.experimentLifecycles,
        )
      : undefined;
    const floor = summarize(measured.floor);
    const parley = summarize(measured.parley);
    const costMultiple = parley.rate > 0 ? Math.round((floor.rate / parley.rate) * 100) / 100 : Number.POSITIVE_INFINITY;
    const cpuOf = (kind: Kind) => {
      const n = Math.max(1, measured[kind].reduce((a, m) => a + m.results.length, 0));
      const node = Math.round(measured[kind].reduce((a, m) => a + m.cpu.node, 0) / n);
      const server = Math.round(measured[kind].reduce((a, m) => a + m.cpu.server, 0) / n);
      return { node, server, total: node + server };
    };
    return {
      environment: { cpus: os.cpus().length, node: process.version, server: 'temporal server start-dev (in-memory, headless)' },
      options,
      floor,
      parley,
      costMultiple,
      target: TARGET_MULTIPLE,
      targetMet: costMultiple <= TARGET_MULTIPLE && parley.failures === 0,
      rounds,
      cpuPerLifecycle: { floor: cpuOf('floor'), parley: cpuOf('parley') },
      probe,
      timings,
      routingLoad,
      ...(experiments ? { experiments } : {}),
    };
  } finally {
    await tearDown(rig);
  }
}

const pad = (s: string | number, n: number): string => String(s).padStart(n);

/** Renders a {@link BenchReport} as the text `npm run bench` prints. */
export function formatReport(r: BenchReport): string {
  const lines: string[] = [];
  const o = r.options;
  lines.push('');
  lines.push(`Parley lifecycle bench: ${r.environment.server}, ${r.environment.cpus} CPUs, Node ${r.environment.node}`);
  lines.push(
    `measured lifecycles: floor ${r.floor.lifecycles}, Parley ${r.parley.lifecycles} (asked ${o.lifecycles} each; budget ${o.budgetS} s) in ${o.rounds} ABBA rounds after ${o.warmup} warm-up each; ` +
      `concurrency ${o.concurrency}; assignment poll every ${o.pollMs} ms; ${o.outbox ? 'outbox adapters' : 'no-op channel/email adapters'}`,
  );
  lines.push('');
  lines.push(`${''.padEnd(18)}${pad('lifecycles/s', 13)}${pad('p50 ms', 9)}${pad('p99 ms', 9)}${pad('client p50', 12)}${pad('assign p50', 12)}${pad('polls', 7)}${pad('failed', 8)}`);
  const row = (name: string, p: PhaseResult) =>
    `${name.padEnd(18)}${pad(p.rate.toFixed(2), 13)}${pad(p.latencyMs.p50.toFixed(0), 9)}${pad(p.latencyMs.p99.toFixed(0), 9)}${pad(p.clientMs.p50.toFixed(0), 12)}${pad(p.assignMs.p50.toFixed(0), 12)}${pad(p.pollsPerLifecycle.toFixed(2), 7)}${pad(p.failures, 8)}`;
  lines.push(row('floor (Temporal)', r.floor));
  lines.push(row('Parley', r.parley));
  lines.push('');
  lines.push(
    `cost multiple = floor rate / Parley rate = ${r.floor.rate.toFixed(2)} / ${r.parley.rate.toFixed(2)} = ${r.costMultiple.toFixed(2)}x  ` +
      `(target <= ${r.target.toFixed(1)}x: ${r.targetMet ? 'MET' : 'NOT MET'})`,
  );
  const cf = r.cpuPerLifecycle.floor;
  const cp = r.cpuPerLifecycle.parley;
  lines.push(
    `CPU per lifecycle (bench process incl. workers + dev server): floor ${cf.total} ms (${cf.node} + ${cf.server}), ` +
      `Parley ${cp.total} ms (${cp.node} + ${cp.server}) = ${(cp.total / Math.max(1, cf.total)).toFixed(2)}x`,
  );
  if (r.parley.firstError) lines.push(`first Parley failure: ${r.parley.firstError}`);
  if (r.floor.firstError) lines.push(`first floor failure: ${r.floor.firstError}`);
  lines.push('');
  lines.push('Per lifecycle (one lifecycle of each kind run alone, counted):');
  const p = r.probe.parley;
  const f = r.probe.floor;
  const kinds = [...new Set([...Object.keys(p.clientCalls), ...Object.keys(f.clientCalls)])].sort();
  lines.push(`  client -> server calls       ${pad('Parley', 8)}${pad('floor', 8)}`);
  for (const k of kinds) lines.push(`    ${k.padEnd(26)}${pad(p.clientCalls[k] ?? 0, 8)}${pad(f.clientCalls[k] ?? 0, 8)}`);
  const actCalls = Object.entries(p.activityCalls).map(([k, v]) => `${k} ${v}`).join(', ') || 'none';
  lines.push(`  server calls made by Parley activities: ${actCalls}`);
  const completed = (t: EventTally) => (t.ActivityTaskCompleted ?? 0) + (t.MarkerRecorded ?? 0);
  lines.push(
    `  activity executions (ActivityTaskCompleted + local MarkerRecorded): Parley ${completed(p.total)} (` +
      Object.entries(p.events).map(([w, t]) => `${w} ${completed(t)}`).join(' + ') +
      `), floor ${completed(f.total)}`,
  );
  for (const [w, byType] of Object.entries(p.activities)) {
    const list = Object.entries(byType).map(([k, v]) => `${k} ${v}`).join(', ');
    if (list) lines.push(`    ${w}: ${list}`);
  }
  const expected = EXPECTED_PARLEY_ACTIVITIES;
  const measured = completed(p.total);
  lines.push(
    `    expected from the workflow code: ${expected.total} (${expected.explain}) -> ${measured === expected.total ? 'matches' : `MISMATCH (measured ${measured})`}`,
  );
  const wft = (t: EventTally) => t.WorkflowTaskCompleted ?? 0;
  lines.push(
    `  workflow tasks (WorkflowTaskCompleted): Parley ${wft(p.total)} (` +
      Object.entries(p.events).map(([w, t]) => `${w} ${wft(t)}`).join(' + ') +
      `), floor ${wft(f.total)}`,
  );
  lines.push(`  history events: Parley ${totalEvents(p.total)} (${Object.entries(p.events).map(([w, t]) => `${w} ${totalEvents(t)}`).join(' + ')}), floor ${totalEvents(f.total)}`);
  lines.push('');
  lines.push(`  ${'history events by type'.padEnd(44)}${pad('thread', 7)}${pad('convers.', 9)}${pad('routing', 8)} |${pad('Parley', 7)}${pad('floor', 8)}`);
  const types = [...new Set([...Object.keys(p.total), ...Object.keys(f.total)])].sort();
  for (const t of types) {
    lines.push(
      `    ${t.padEnd(42)}${pad(p.events.thread?.[t] ?? 0, 7)}${pad(p.events.conversation?.[t] ?? 0, 9)}${pad(p.events.routing?.[t] ?? 0, 8)} |${pad(p.total[t] ?? 0, 7)}${pad(f.total[t] ?? 0, 8)}`,
    );
  }
  lines.push('');
  lines.push('Where the client waits (p50 ms per step; repeated messages: per call):');
  lines.push(`  ${'step'.padEnd(20)}${pad('floor', 8)}${pad('Parley', 8)}${pad('extra', 8)}`);
  for (const st of STEPS) {
    const a = r.floor.stepsP50[st];
    const b = r.parley.stepsP50[st];
    lines.push(`  ${st.padEnd(20)}${pad(a.toFixed(0), 8)}${pad(b.toFixed(0), 8)}${pad((b - a).toFixed(0), 8)}`);
  }
  lines.push('');
  lines.push(`History timings under load (${r.timings.sampled} lifecycles of each kind sampled from the last measured round; ms):`);
  lines.push(`  ${''.padEnd(52)}${pad('n', 5)}${pad('p50', 8)}${pad('p90', 8)}${pad('mean', 8)}`);
  for (const [key, d] of [...Object.entries(r.timings.floor), ...Object.entries(r.timings.parley)]) {
    lines.push(`  ${key.padEnd(52)}${pad(d.n, 5)}${pad(d.p50.toFixed(0), 8)}${pad(d.p90.toFixed(0), 8)}${pad(d.mean.toFixed(0), 8)}`);
  }
  lines.push('');
  lines.push('Routing workflow (single writer) during the measured Parley rounds:');
  for (const l of r.routingLoad) {
    lines.push(
      `  ${l.seconds.toFixed(1)} s: ${l.signals} signals in ${l.workflowTasks} workflow tasks, busy ${(l.busy * 100).toFixed(0)}% of the time, ` +
        `signal -> handled mean ${l.signalToHandledMs.toFixed(0)} ms`,
    );
  }
  lines.push('');
  lines.push('  rounds: ' + r.rounds.map((x) => `${x.kind} ${x.rate.toFixed(1)}/s`).join(', '));
  return lines.join('\n');
}

async function main(): Promise<void> {
  const options = parseOptions(process.argv);
  Runtime.install({ logger: new DefaultLogger('WARN') });
  const log = options.json ? (line: string) => console.error(line) : (line: string) => console.log(line);
  const started = performance.now();
  const report = await runBench(options, log);
  if (options.json) console.log(JSON.stringify(report, null, 2));
  else {
    console.log(formatReport(report));
    if (report.experiments) console.log(formatExperiments(report.experiments));
    console.log(`\ntotal bench time ${((performance.now() - started) / 1000).toFixed(1)} s`);
  }
  if (report.parley.failures > 0 || report.floor.failures > 0) process.exitCode = 1;
}

if (require.main === module) {
  main().catch((err) => {
    console.error(err);
    process.exit(1);
  });
}
