/** Small measurement helpers for the lifecycle bench: samples, percentiles, a bounded-concurrency pool. */

/** End-user/agent message pairs per lifecycle (6 messages). */
export const MESSAGE_PAIRS = 3;

/** Client-side knobs shared by the Parley and floor drivers. */
export interface DriverOptions {
  /** Interval between assignment polls, in ms. */
  pollMs: number;
  /** Give up on a lifecycle (and count it failed) after this long, in ms. */
  timeoutMs: number;
}

/** What one lifecycle reports to the runner. */
export interface LifecycleSample {
  /** From the first client call until the last effect (CSAT) ran, in ms. */
  latencyMs: number;
  /** From the first client call until the end-session update answered, in ms. */
  clientMs: number;
  /** From the hand-off answer until the client saw the assignment, in ms. */
  assignMs: number;
  /** `getConversation`-style queries the client sent while waiting for the assignment. */
  polls: number;
  /** ms per step (mean per call for the repeated messages), keyed by {@link STEPS}. */
  steps: Record<Step, number>;
}

/** The steps of a lifecycle, in order. Both drivers time the same steps. */
export const STEPS = ['first message', 'AI greeting', 'hand-off', 'assignment', 'end-user message', 'agent reply', 'end session', 'last effect'] as const;
export type Step = (typeof STEPS)[number];

/** Times the steps of one lifecycle: `lap(step)` charges the time since the previous lap to `step`. */
export function stepTimer(): { lap(step: Step): void; steps: Record<Step, number> } {
  const steps = Object.fromEntries(STEPS.map((s) => [s, 0])) as Record<Step, number>;
  let last = performance.now();
  return {
    steps,
    lap(step) {
      const now = performance.now();
      steps[step] += now - last;
      last = now;
    },
  };
}

/** Aggregate of one kind (Parley or floor) over all its measured rounds. */
export interface PhaseResult {
  lifecycles: number;
  failures: number;
  /** Sum of the wall time of the measured rounds, in seconds. */
  seconds: number;
  /** lifecycles / seconds. */
  rate: number;
  latencyMs: { p50: number; p99: number; mean: number };
  clientMs: { p50: number; p99: number };
  assignMs: { p50: number; p99: number };
  pollsPerLifecycle: number;
  /** p50 ms per step (see {@link STEPS}). */
  stepsP50: Record<Step, number>;
  firstError?: string;
}

/** Nearest-rank percentile (`q` in 0..1) of `values`; NaN when empty. */
export function percentile(values: number[], q: number): number {
  if (values.length === 0) return Number.NaN;
  const sorted = [...values].sort((a, b) => a - b);
  const rank = Math.min(sorted.length, Math.max(1, Math.ceil(q * sorted.length)));
  return sorted[rank - 1];
}

/**
 * Runs `task(0..count-1)` with at most `concurrency` in flight (`lane` says which of the
 * `concurrency` sequential lanes runs it); collects results and errors. Once
 * `deadline` (a `performance.now()` reading) has passed, no further task starts (those in flight finish).
 * @returns the samples of the tasks that succeeded, the errors of those that failed, the wall time,
 *   and how many tasks started.
 */
export async function runPool<T>(
  count: number,
  concurrency: number,
  task: (index: number, lane: number) => Promise<T>,
  deadline = Number.POSITIVE_INFINITY,
): Promise<{ results: T[]; errors: unknown[]; seconds: number; started: number }> {
  const results: T[] = [];
  const errors: unknown[] = [];
  let next = 0;
  const started = performance.now();
  const lane = async (_: unknown, laneNo: number): Promise<void> => {
    while (next < count && performance.now() < deadline) {
      const index = next++;
      try {
        results.push(await task(index, laneNo));
      } catch (err) {
        errors.push(err);
      }
    }
  };
  await Promise.all(Array.from({ length: Math.max(1, Math.min(concurrency, count)) }, lane));
  return { results, errors, seconds: (performance.now() - started) / 1000, started: next };
}

/** Folds the rounds of one kind into a {@link PhaseResult}. */
export function summarize(rounds: Array<{ results: LifecycleSample[]; errors: unknown[]; seconds: number }>): PhaseResult {
  const samples = rounds.flatMap((r) => r.results);
  const errors = rounds.flatMap((r) => r.errors);
  const seconds = rounds.reduce((s, r) => s + r.seconds, 0);
  const lat = samples.map((s) => s.latencyMs);
  const round1 = (x: number): number => Math.round(x * 10) / 10;
  const round2 = (x: number): number => Math.round(x * 100) / 100;
  return {
    lifecycles: samples.length,
    failures: errors.length,
    seconds: round2(seconds),
    rate: seconds > 0 ? round2(samples.length / seconds) : 0,
    latencyMs: {
      p50: round1(percentile(lat, 0.5)),
      p99: round1(percentile(lat, 0.99)),
      mean: round1(lat.reduce((a, b) => a + b, 0) / Math.max(1, lat.length)),
    },
    clientMs: { p50: round1(percentile(samples.map((s) => s.clientMs), 0.5)), p99: round1(percentile(samples.map((s) => s.clientMs), 0.99)) },
    assignMs: { p50: round1(percentile(samples.map((s) => s.assignMs), 0.5)), p99: round1(percentile(samples.map((s) => s.assignMs), 0.99)) },
    stepsP50: Object.fromEntries(STEPS.map((st) => [st, round1(percentile(samples.map((x) => x.steps[st]), 0.5))])) as Record<Step, number>,
    pollsPerLifecycle: round2(samples.reduce((a, s) => a + s.polls, 0) / Math.max(1, samples.length)),
    ...(errors.length ? { firstError: String((errors[0] as Error)?.stack ?? errors[0]).split('\n').slice(0, 6).join('\n') } : {}),
  };
}

/** Milliseconds since `t0` (a `performance.now()` reading). */
export const since = (t0: number): number => performance.now() - t0;

/** Resolves after `ms`. */
export const sleep = (ms: number): Promise<void> => new Promise((resolve) => setTimeout(resolve, ms));
