/**
 * Where the time goes, read from the server's own records: history event timestamps of lifecycles
 * sampled under load (how long workflow tasks waited and ran, how long each activity waited and
 * ran, per workflow kind), how busy the single routing workflow was, and CPU time per phase.
 */
import { readFileSync } from 'node:fs';
import type { Client } from '@temporalio/client';
import { tsToMs } from '@temporalio/common/lib/time';
import { percentile } from './stats';
import type { HistoryMark } from './counting';

type History = Awaited<ReturnType<ReturnType<Client['workflow']['getHandle']>['fetchHistory']>>;
type HistoryEvent = NonNullable<History['events']>[number];

/** Duration statistics of one kind of interval, in ms. */
export interface Durations {
  n: number;
  p50: number;
  p90: number;
  mean: number;
}

/** Timing rows keyed `<workflow kind> <what>`, e.g. `conversation WFT run` or `thread act deliverToConversation run`. */
export type TimingProfile = Record<string, Durations>;

const at = (e: HistoryEvent): number => tsToMs(e.eventTime);

function stats(values: number[]): Durations {
  const r = (x: number): number => Math.round(x * 10) / 10;
  return {
    n: values.length,
    p50: r(percentile(values, 0.5)),
    p90: r(percentile(values, 0.9)),
    mean: r(values.reduce((a, b) => a + b, 0) / Math.max(1, values.length)),
  };
}

/**
 * Collects, per workflow kind: workflow task queue wait (scheduled→started) and run (started→
 * completed); per activity type: queue wait (scheduled→started) and run (started→completed), which for
 * Parley's Temporal-calling activities includes the call they make; update accept→complete.
 */
export function timingProfile(histories: Array<{ kind: string; events: HistoryEvent[] }>): TimingProfile {
  const buckets = new Map<string, number[]>();
  const put = (key: string, ms: number): void => {
    const list = buckets.get(key) ?? [];
    list.push(ms);
    buckets.set(key, list);
  };
  for (const { kind, events } of histories) {
    const byId = new Map<number, HistoryEvent>();
    for (const e of events) byId.set(Number(e.eventId), e);
    for (const e of events) {
      if (e.workflowTaskStartedEventAttributes) {
        const scheduled = byId.get(Number(e.workflowTaskStartedEventAttributes.scheduledEventId));
        if (scheduled) put(`${kind} WFT wait`, at(e) - at(scheduled));
      } else if (e.workflowTaskCompletedEventAttributes) {
        const started = byId.get(Number(e.workflowTaskCompletedEventAttributes.startedEventId));
        if (started) put(`${kind} WFT run`, at(e) - at(started));
      } else if (e.activityTaskStartedEventAttributes) {
        const scheduled = byId.get(Number(e.activityTaskStartedEventAttributes.scheduledEventId));
        const type = scheduled?.activityTaskScheduledEventAttributes?.activityType?.name ?? '?';
        if (scheduled) put(`${kind} act ${type} wait`, at(e) - at(scheduled));
      } else if (e.activityTaskCompletedEventAttributes) {
        const a = e.activityTaskCompletedEventAttributes;
        const scheduled = byId.get(Number(a.scheduledEventId));
        const started = byId.get(Number(a.startedEventId));
        const type = scheduled?.activityTaskScheduledEventAttributes?.activityType?.name ?? '?';
        if (started) put(`${kind} act ${type} run`, at(e) - at(started));
      } else if (e.workflowExecutionUpdateCompletedEventAttributes) {
        const accepted = byId.get(Number(e.workflowExecutionUpdateCompletedEventAttributes.acceptedEventId));
        if (accepted) put(`${kind} update accepted->completed`, at(e) - at(accepted));
      }
    }
  }
  const out: TimingProfile = {};
  for (const key of [...buckets.keys()].sort()) out[key] = stats(buckets.get(key) as number[]);
  return out;
}

/** Fetches the full history of a workflow's current run. */
export async function historyOf(client: Client, workflowId: string): Promise<HistoryEvent[]> {
  return (await client.workflow.getHandle(workflowId).fetchHistory()).events ?? [];
}

/** How a single entity workflow was loaded over a time window. */
export interface EntityLoad {
  /** Workflow tasks completed in the window. */
  workflowTasks: number;
  /** Signals received in the window. */
  signals: number;
  /** Share of the window during which a workflow task was scheduled or running (0..1). */
  busy: number;
  /** Mean ms from a signal's arrival to the completion of the workflow task that handled it. */
  signalToHandledMs: number;
  /** Window length in seconds. */
  seconds: number;
}

/**
 * Reads the routing workflow's history (following continue-as-new from `mark`'s run) and reports how
 * busy it was: with one writer, a busy share near 1 means routing is the throughput limit.
 */
export async function entityLoad(client: Client, mark: HistoryMark, fromMs: number, toMs: number): Promise<EntityLoad> {
  const runs: HistoryEvent[][] = [];
  const desc = await client.workflow.getHandle(mark.workflowId).describe();
  runs.push((await client.workflow.getHandle(mark.workflowId, mark.runId).fetchHistory()).events ?? []);
  if (desc.runId !== mark.runId) {
    // Runs between the mark's and the current one are reached through the chain of continue-as-new.
    let runId: string | undefined = runs[0].find((e) => e.workflowExecutionContinuedAsNewEventAttributes)?.workflowExecutionContinuedAsNewEventAttributes
      ?.newExecutionRunId ?? undefined;
    while (runId) {
      const events: HistoryEvent[] = (await client.workflow.getHandle(mark.workflowId, runId).fetchHistory()).events ?? [];
      runs.push(events);
      if (runId === desc.runId) break;
      runId = events.find((e) => e.workflowExecutionContinuedAsNewEventAttributes)?.workflowExecutionContinuedAsNewEventAttributes?.newExecutionRunId ?? undefined;
    }
  }
  let workflowTasks = 0;
  let signals = 0;
  let busyMs = 0;
  const signalDelays: number[] = [];
  for (const events of runs) {
    let scheduledAt: number | null = null;
    let pendingSignals: number[] = [];
    for (const e of events) {
      const t = at(e);
      if (e.workflowExecutionSignaledEventAttributes) {
        if (t >= fromMs && t <= toMs) {
          signals += 1;
          pendingSignals.push(t);
        }
      } else if (e.workflowTaskScheduledEventAttributes) {
        scheduledAt = t;
      } else if (e.workflowTaskCompletedEventAttributes || e.workflowTaskFailedEventAttributes || e.workflowTaskTimedOutEventAttributes) {
        if (scheduledAt !== null) {
          const start = Math.max(scheduledAt, fromMs);
          const end = Math.min(t, toMs);
          if (end > start) busyMs += end - start;
          if (t >= fromMs && t <= toMs && e.workflowTaskCompletedEventAttributes) workflowTasks += 1;
        }
        for (const s of pendingSignals) signalDelays.push(t - s);
        pendingSignals = [];
        scheduledAt = null;
      }
    }
  }
  const windowMs = Math.max(1, toMs - fromMs);
  return {
    workflowTasks,
    signals,
    busy: Math.round((busyMs / windowMs) * 1000) / 1000,
    signalToHandledMs: Math.round((signalDelays.reduce((a, b) => a + b, 0) / Math.max(1, signalDelays.length)) * 10) / 10,
    seconds: Math.round(windowMs / 10) / 100,
  };
}

/** CPU time (user + system) of this Node process and of another process (the dev server), in ms. */
export interface CpuReading {
  node: number;
  server: number;
}

/** Reads CPU time so far; the server part is 0 where `/proc` is unavailable. */
export function readCpu(serverPid: number): CpuReading {
  const usage = process.cpuUsage();
  let server = 0;
  try {
    // Fields after the ")" of the command name: state is field 3, utime 14, stime 15 (clock ticks).
    const stat = readFileSync(`/proc/${serverPid}/stat`, 'utf8');
    const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
    const ticks = Number(fields[11]) + Number(fields[12]);
    server = (ticks * 1000) / 100; // USER_HZ is 100 on Linux
  } catch {
    server = 0;
  }
  return { node: (usage.user + usage.system) / 1000, server };
}

/** `b - a`. */
export const cpuSpent = (a: CpuReading, b: CpuReading): CpuReading => ({ node: b.node - a.node, server: b.server - a.server });
