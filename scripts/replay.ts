/**
 * `npm run replay -- [csv] [options]`: replays threads of the Twitter customer-support dataset
 * (../shared/data/twcs/) through the typed client, on one global timeline with the real gaps
 * scaled by `--speed`, and proves that nothing was lost. See `--help` and {@link runReplay}.
 */
import { randomUUID } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { DefaultLogger, Runtime, makeTelemetryFilterString } from '@temporalio/worker';
import { ParleyError } from '../client/errors';
import { ParleyClient } from '../client/parleyClient';
import { createParleyWorker } from '../worker/worker';
import { DEFAULT_CSV, DEFAULTS, parseArgs } from './replay/cli';
import { EventExecutor, emptyTally, errorText, newThreadRuntime, type ThreadRuntime } from './replay/execute';
import { buildPlan } from './replay/plan';
import { createPool, mapPool } from './replay/pool';
import { formatReport, summarize, type ReplayReport } from './replay/report';
import { openTemporal } from './replay/temporal';
import { buildThreads, readTweets } from './replay/twcs';

/** Options of {@link runReplay}. Durations in ms. */
export interface ReplayOptions {
  file: string;
  /** Dataset time per real time (CLI default {@link DEFAULTS}.speed). */
  speed: number;
  /** Longest dataset gap kept between consecutive timeline events. */
  maxGapMs: number;
  /** Dataset time of customer silence after an agent reply before the agent ends the session. */
  silenceMs: number;
  /** Messaging capacity of each brand's agent (email capacity is 50). */
  capacity: number;
  /** Patch `route_agent_ended_sessions_as_email: true` before the run. */
  routeAsEmail: boolean;
  /** Only the first N threads (by root id). */
  limit?: number;
  /** Events in flight at once (events of one thread always run one after another). */
  concurrency: number;
  /** Temporal frontend to use instead of `TEMPORAL_ADDRESS` or an embedded dev server. */
  address?: string;
  namespace?: string;
  /** Task queue for the in-process worker (default: a unique `replay-<uuid>`). */
  taskQueue?: string;
  /** Parley thread ids are `<threadPrefix>-<root tweet id>` (default `twcs`). */
  threadPrefix?: string;
  /** Progress lines (default: none). */
  log?: (line: string) => void;
}

export { DEFAULT_CSV, DEFAULTS, parseArgs };

const EMAIL_CAPACITY = 50;
const sleep = (ms: number): Promise<void> => new Promise((r) => setTimeout(r, ms));

/**
 * Runs a read-back query, trying again (up to 6 times, 1 s apart, growing) when it fails for a
 * reason other than a Parley rule, e.g. "query timed out before a worker could process it" while
 * the worker is still busy with the tail of the run.
 */
async function patiently<T>(fn: () => Promise<T>): Promise<T> {
  for (let attempt = 1; ; attempt += 1) {
    try {
      return await fn();
    } catch (err) {
      if (err instanceof ParleyError || attempt >= 6) throw err;
      await sleep(1_000 * attempt);
    }
  }
}

/**
 * Replays the file: sets up Temporal, a worker and the agents, plays the timeline, reads back every
 * conversation and returns the report. Does not print or exit; throws only on setup failures.
 */
export async function runReplay(opts: ReplayOptions): Promise<ReplayReport> {
  const log = opts.log ?? (() => undefined);
  const t0 = performance.now();
  const set = buildThreads(readTweets(opts.file));
  const threads = opts.limit !== undefined ? set.threads.slice(0, opts.limit) : set.threads;
  const plan = buildPlan(threads, { speed: opts.speed, maxGapMs: opts.maxGapMs, silenceMs: opts.silenceMs });
  log(`${threads.length} threads, ${plan.tweets} tweets, ${plan.events.length} events; timeline ${(plan.scaledDurationMs / 1000).toFixed(1)} s at ${opts.speed}x`);

  const env = await openTemporal({ address: opts.address, namespace: opts.namespace, log });
  const taskQueue = opts.taskQueue ?? `replay-${randomUUID()}`;
  // The worker's local outbox (delivered channel messages, emails) is scratch: removed at the end.
  const outboxDir = mkdtempSync(path.join(os.tmpdir(), 'parley-replay-'));
  const cleanUp = async (): Promise<void> => {
    await env.close();
    rmSync(outboxDir, { recursive: true, force: true });
  };
  const worker = await createParleyWorker({
    connection: env.native,
    client: env.client,
    namespace: env.namespace,
    taskQueue,
    outboxDir,
    publicUrl: 'http://localhost',
    csatSecret: 'replay-csat-secret',
  }).catch(async (err: unknown) => {
    await cleanUp();
    throw err;
  });
  const running = worker.run();
  try {
    const parley = new ParleyClient(env.client, taskQueue);
    await parley.ensureEntities();
    if (opts.routeAsEmail) await parley.patchSettings({ route_agent_ended_sessions_as_email: true });
    await mapPool(plan.brands, 8, (brand) =>
      parley.upsertAgent({ id: brand, status: 'online', groups: [brand], capacity: { messaging: opts.capacity, email: EMAIL_CAPACITY } }),
    );
    const tSetup = performance.now();

    const tally = emptyTally();
    const executor = new EventExecutor(parley, tally);
    const prefix = opts.threadPrefix ?? 'twcs';
    const runtimes = new Map<string, ThreadRuntime>(threads.map((t) => [t.rootId, newThreadRuntime(`${prefix}-${t.rootId}`)]));
    const pool = createPool(opts.concurrency);
    const tails = new Map<string, Promise<void>>();
    const start = performance.now();
    let done = 0;
    const progress = setInterval(() => log(`  ${done}/${plan.events.length} events, ${tally.messagesIn.size} messages, ${tally.errors.length} errors`), 10_000);
    try {
      for (const event of plan.events) {
        const due = start + event.offsetMs;
        const wait = due - performance.now();
        if (wait >= 1) await sleep(wait);
        const rt = runtimes.get(event.thread) as ThreadRuntime;
        const previous = tails.get(event.thread) ?? Promise.resolve();
        const next = previous.then(() =>
          pool(async () => {
            tally.lagsMs.push(Math.max(0, performance.now() - due));
            await executor.run(event, rt);
            done += 1;
          }),
        );
        tails.set(event.thread, next);
      }
      await Promise.all(tails.values());
    } finally {
      clearInterval(progress);
    }
    executor.flushUnplaced(runtimes.values());
    const tReplay = performance.now();
    log(`replayed ${plan.events.length} events in ${((tReplay - start) / 1000).toFixed(1)} s; reading back`);

    const conversationIds = [...runtimes.values()].flatMap((rt) => rt.conversations);
    const views = await mapPool(conversationIds, 8, (id) => patiently(() => parley.getConversation(id)));
    const threadStates = await mapPool([...runtimes.values()], 8, (rt) => patiently(() => parley.getThread(rt.threadId)));
    const routing = await patiently(() => parley.getRouting()).catch((err: unknown) => ({ error: errorText(err) }));
    const tEnd = performance.now();
    return summarize({
      file: opts.file,
      format: set.format,
      settings: {
        speed: opts.speed,
        maxGapMs: opts.maxGapMs,
        silenceMs: opts.silenceMs,
        capacity: { messaging: opts.capacity, email: EMAIL_CAPACITY },
        routeAsEmail: opts.routeAsEmail,
        concurrency: opts.concurrency,
        limit: opts.limit ?? null,
      },
      plan,
      tally,
      views,
      threadStates,
      routing,
      durationMs: { setup: tSetup - t0, replay: tReplay - start, readBack: tEnd - tReplay, total: tEnd - t0 },
    });
  } finally {
    worker.shutdown();
    await running.catch(() => undefined);
    await cleanUp();
  }
}

async function main(): Promise<void> {
  const { json, ...options } = parseArgs(process.argv.slice(2));
  // SDK and core (native) warnings go to stderr, one short line each, so stdout holds only the report.
  Runtime.install({
    logger: new DefaultLogger('WARN', (entry) =>
      process.stderr.write(`  [temporal ${entry.level}] ${entry.message} ${JSON.stringify(entry.meta ?? {}).slice(0, 400)}\n`),
    ),
    telemetryOptions: { logging: { filter: makeTelemetryFilterString({ core: 'WARN', other: 'ERROR' }), forward: {} } },
  });
  const report = await runReplay({ ...options, log: (line) => console.error(line) });
  if (json) console.log(JSON.stringify(report, null, 2));
  else for (const line of formatReport(report)) console.log(line);
  if (!report.nothingLost || report.peakUse.unavailable) process.exitCode = 1;
}

if (require.main === module) {
  main().catch((err) => {
    console.error(err instanceof Error ? (err.stack ?? err.message) : err);
    process.exit(2);
  });
}
