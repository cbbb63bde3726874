/**
 * `npm run bench:triggers` (and the first part of `npm run bench`): ticket-trigger evaluation per
 * ticket update with 100, 1,000 and 7,000 active triggers (DOMAIN.md §4's limit), Parley's
 * `evaluate()` (domain/triggers/engine.ts) next to json-rules-engine running the same rules on the
 * same updates in the same run (bench/triggersJre.ts).
 *
 * Per size: one trigger set (bench/triggersGen.ts), built once as a deployment would; each engine
 * timed in its own block (warm-up, then one update per call, process.hrtime.bigint), so neither is
 * charged for the other's garbage collection; json-rules-engine, about 100× slower, stops after its
 * time budget. For every update both engines timed, they must fire the same triggers in the same
 * order: the bench prints the agreement count and exits 1 on a disagreement. Prints p50/p99 in µs,
 * the ratios, and the target (≤ 1 ms p50 at 7,000 triggers, ≥ 10× faster than json-rules-engine).
 * Pure CPU, no server: about a minute.
 */
import { Command, InvalidArgumentError } from 'commander';
import { evaluate, orderTriggers, prepareTriggerSet, type EvaluationContext, type TicketUpdate, type Trigger } from '../domain/triggers';
import { percentile } from './stats';
import { businessHours, generateTriggers, generateUpdates, realSchedules, realTemplates } from './triggersGen';
import { buildJreEngine, runJre } from './triggersJre';

/** Targets of issue 3, part 9. */
export const TARGET = { p50MicrosAt7000: 1_000, speedup: 10 } as const;

interface Options {
  sizes: number[];
  updates: number;
  warmup: number;
  seed: number;
  /** Also run the largest size scoped by conditions Parley cannot index. */
  unkeyed: boolean;
  /** Wall-time budget of json-rules-engine's timed updates per size, in seconds. */
  jreBudgetS: number;
  json: boolean;
}

/** Figures of one size. */
export interface SizeResult {
  triggers: number;
  /** The size, with `*` for the set whose scope conditions Parley cannot index. */
  label: string;
  /** Triggers Parley indexes by a key condition (the others are evaluated on every pass). */
  keyed: number;
  /** Updates timed on Parley. */
  updates: number;
  /** Updates timed on json-rules-engine (fewer when its time budget ran out); agreement is checked on these. */
  jreUpdates: number;
  /** Mean triggers fired per update (Parley). */
  firedPerUpdate: number;
  /** Mean passes of Parley's restart loop per update. */
  passesPerUpdate: number;
  parley: { p50: number; p99: number; mean: number };
  jre: { p50: number; p99: number; mean: number };
  /** Of the `jreUpdates`, those on which both engines fired the same triggers in the same order. */
  agreement: number;
  firstDisagreement?: { update: number; parley: string[]; jre: string[] };
}

const round = (x: number): number => (x >= 100 ? Math.round(x) : Math.round(x * 10) / 10);
function summary(samples: number[]): { p50: number; p99: number; mean: number } {
  return { p50: round(percentile(samples, 0.5)), p99: round(percentile(samples, 0.99)), mean: round(samples.reduce((a, b) => a + b, 0) / samples.length) };
}

/** Times `run` on each update (µs per update), after `warmup` untimed runs; stops early once `budgetMs` is spent. */
async function timeEach<T>(updates: TicketUpdate[], warmup: number, budgetMs: number, run: (u: TicketUpdate) => T | Promise<T>): Promise<{ micros: number[]; outputs: T[] }> {
  const warmEnd = performance.now() + budgetMs / 8;
  for (let i = 0; i < warmup && performance.now() < warmEnd; i++) await run(updates[i % updates.length]);
  const micros: number[] = [];
  const outputs: T[] = [];
  const end = performance.now() + budgetMs;
  for (const u of updates) {
    if (performance.now() > end && micros.length >= MIN_SAMPLES) break;
    const t0 = process.hrtime.bigint();
    const out = await run(u);
    micros.push(Number(process.hrtime.bigint() - t0) / 1000);
    outputs.push(out);
  }
  return { micros, outputs };
}

/** A full collection between blocks when node runs with --expose-gc (as `npm run bench:triggers` does). */
function collectGarbage(): void {
  (globalThis as { gc?: () => void }).gc?.();
}

/** Fewest timed updates per engine and size, whatever the budget. */
const MIN_SAMPLES = 50;

async function runSize(
  size: number,
  keyedScope: boolean,
  opts: Options,
  context: EvaluationContext,
  templates: ReturnType<typeof realTemplates>,
  updates: TicketUpdate[],
): Promise<SizeResult> {
  const triggers: Trigger[] = generateTriggers(size, opts.seed + size, templates, keyedScope);
  const jre = buildJreEngine(triggers, context.inBusinessHours);
  const keyed = size - prepareTriggerSet(triggers).always.length;
  // Each engine in its own block, so one engine's garbage is not collected in the other's time.
  collectGarbage();
  const parley = await timeEach(updates, opts.warmup, Number.POSITIVE_INFINITY, (u) => {
    const r = evaluate(triggers, u, context);
    return { ids: r.log.map((l) => String(l.triggerId)), passes: r.passes };
  });
  collectGarbage();
  const jreRun = await timeEach(updates, opts.warmup, opts.jreBudgetS * 1000, (u) => runJre(jre, u));
  // Both lists in Parley's evaluation order (json-rules-engine returns rules as they settle);
  // Parley's own log must already be in that order.
  const order = new Map(orderTriggers(triggers.map((trigger) => ({ trigger }))).map(({ trigger }, i) => [String(trigger.id), i]));
  const inOrder = (ids: string[]): string => [...ids].sort((a, b) => (order.get(a) ?? 0) - (order.get(b) ?? 0)).join();
  let agreement = 0;
  let firstDisagreement: SizeResult['firstDisagreement'];
  jreRun.outputs.forEach((jIds, i) => {
    const pIds = parley.outputs[i].ids;
    if (inOrder(pIds) === pIds.join() && inOrder(jIds) === pIds.join()) agreement += 1;
    else firstDisagreement ??= { update: i, parley: pIds, jre: jIds };
  });
  const mean = (xs: number[]): number => Math.round((xs.reduce((a, b) => a + b, 0) / xs.length) * 100) / 100;
  return {
    triggers: size,
    label: keyedScope ? n(size) : `${n(size)}*`,
    keyed,
    updates: parley.micros.length,
    jreUpdates: jreRun.micros.length,
    firedPerUpdate: mean(parley.outputs.map((o) => o.ids.length)),
    passesPerUpdate: mean(parley.outputs.map((o) => o.passes)),
    parley: summary(parley.micros),
    jre: summary(jreRun.micros),
    agreement,
    ...(firstDisagreement ? { firstDisagreement } : {}),
  };
}

const n = (x: number): string => x.toLocaleString('en-US');
const ratio = (a: number, b: number): string => `${(a / b).toFixed(1)}×`;
const pad = (s: string | number, n: number): string => String(s).padStart(n);

function report(results: SizeResult[], opts: Options, templateCount: number): boolean {
  const largest = Math.max(...results.map((r) => r.triggers));
  const verdict = (r: SizeResult): string => `${r.parley.p50 <= TARGET.p50MicrosAt7000 ? 'MET' : 'NOT MET'} (${r.label}: ${n(r.parley.p50)} µs)`;
  const atLargest = results.filter((r) => r.triggers === largest).map(verdict).join('; not indexable ');
  const speedMet = results.every((r) => r.jre.p50 / r.parley.p50 >= TARGET.speedup);
  const agreed = results.every((r) => r.agreement === r.jreUpdates);
  console.log('Ticket-trigger evaluation per ticket update (bench/triggers.ts; µs = microseconds per update)');
  console.log(
    `  triggers: all active, generated from ${templateCount} real Zendesk triggers (../shared/data/zendesk-triggers) and common shapes ` +
      `(ALL+ANY, tags, status changed/value, via_id, update_type, in_business_hours on a real schedule), each scoped by tags or group so most do not fire; seed ${opts.seed}`,
  );
  console.log(
    '  Parley: evaluate() with the restart loop, trigger set prepared once per array (compiled, ordered, indexed by key condition); ' +
      'json-rules-engine: the same rules and facts (ticket view + before + update), custom operators for changed/value/includes..., ' +
      'ONE PASS (no restart loop; the generated actions never change what a condition reads, so one pass fires the same triggers), ' +
      'all rules at one priority (evaluated concurrently), property-read pathResolver',
  );
  console.log('  * = the same shapes scoped by subject words, which Parley cannot index: every trigger is evaluated on every pass');
  console.log(`  each engine timed in its own block after ${opts.warmup} warm-up updates; json-rules-engine at most ${opts.jreBudgetS} s per size (≥ ${MIN_SAMPLES} updates)`);
  console.log('');
  console.log(' triggers |  keyed | fired/upd | passes/upd | updates | Parley p50 |    p99 | JRE upd | JRE p50 |     p99 | p50 ratio | p99 ratio | agreement');
  for (const r of results) {
    console.log(
      `${pad(r.label, 9)} | ${pad(n(r.keyed), 6)} | ${pad(r.firedPerUpdate, 9)} | ${pad(r.passesPerUpdate, 10)} | ${pad(r.updates, 7)} | ${pad(r.parley.p50, 10)} | ${pad(r.parley.p99, 6)} | ` +
        `${pad(r.jreUpdates, 7)} | ${pad(n(r.jre.p50), 7)} | ${pad(n(r.jre.p99), 7)} | ${pad(ratio(r.jre.p50, r.parley.p50), 9)} | ${pad(ratio(r.jre.p99, r.parley.p99), 9)} | ${r.agreement}/${r.jreUpdates}`,
    );
    if (r.firstDisagreement) {
      const d = r.firstDisagreement;
      console.log(`   DISAGREEMENT on update ${d.update}: Parley ${d.parley.join(',') || '-'} vs json-rules-engine ${d.jre.join(',') || '-'}`);
    }
  }
  console.log('');
  console.log(
    `  target: p50 ≤ ${n(TARGET.p50MicrosAt7000)} µs at ${n(largest)} triggers: ${atLargest}; ` +
      `≥ ${TARGET.speedup}× faster than json-rules-engine at p50 (every size): ${speedMet ? 'MET' : 'NOT MET'}; ` +
      `agreement on which triggers fire: ${agreed ? 'every compared update' : 'DISAGREEMENT'}`,
  );
  return agreed;
}

function positiveInt(v: string): number {
  const n = Number(v);
  if (!Number.isInteger(n) || n < 1) throw new InvalidArgumentError('expected a whole number ≥ 1');
  return n;
}

function parseOptions(argv: string[]): Options {
  const program = new Command('bench:triggers')
    .description('Ticket-trigger evaluation: Parley vs json-rules-engine, p50/p99 per update')
    .option('--sizes <list>', 'trigger counts, comma-separated', (v) => v.split(',').map(positiveInt), [100, 1_000, 7_000])
    .option('--updates <n>', 'timed updates per size', positiveInt, 400)
    .option('--warmup <n>', 'warm-up updates per size (both engines)', positiveInt, 100)
    .option('--seed <n>', 'generator seed', positiveInt, 42)
    .option('--jre-budget-s <n>', 'seconds of json-rules-engine timing per size (at least 50 updates)', positiveInt, 25)
    .option('--no-unkeyed', 'skip the largest size with scope conditions Parley cannot index')
    .option('--json', 'print the results as JSON too', false)
    .allowUnknownOption(false);
  program.parse(argv);
  return program.opts<Options>();
}

async function main(): Promise<void> {
  const opts = parseOptions(process.argv);
  const templates = realTemplates();
  const schedules = realSchedules();
  const context: EvaluationContext = { inBusinessHours: businessHours(schedules) };
  const updates = generateUpdates(Math.max(opts.updates, opts.warmup), opts.seed, schedules);
  const results: SizeResult[] = [];
  for (const size of opts.sizes) results.push(await runSize(size, true, opts, context, templates, updates));
  if (opts.unkeyed) results.push(await runSize(Math.max(...opts.sizes), false, opts, context, templates, updates));
  const agreed = report(results, opts, templates.length);
  if (opts.json) console.log(JSON.stringify(results, null, 2));
  if (!agreed) process.exitCode = 1;
}

void main();
