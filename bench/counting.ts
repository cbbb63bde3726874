/**
 * Counting for the lifecycle bench: client calls (through a `WorkflowClientInterceptor`, so both the
 * bench's own calls and the calls Parley's activities make are measured, not assumed) and history
 * events per workflow (from `fetchHistory`).
 */
import type { Client, WorkflowClientInterceptor } from '@temporalio/client';

/** Counts of client calls by kind (`update`, `updateWithStart`, `query`, `signal`, `signalWithStart`, `start`...). */
export type CallCounts = Record<string, number>;

/** Counts every workflow-client call that goes through the interceptor it hands out. */
export class CallCounter {
  private counts: CallCounts = {};

  /** The interceptor to put in `new Client({ interceptors: { workflow: [counter.interceptor()] } })`. */
  interceptor(): WorkflowClientInterceptor {
    const bump = (kind: string): void => {
      this.counts[kind] = (this.counts[kind] ?? 0) + 1;
    };
    return {
      start: (input, next) => (bump('start'), next(input)),
      startWithDetails: (input, next) => (bump('start'), next(input)),
      startUpdate: (input, next) => (bump('update'), next(input)),
      startUpdateWithStart: (input, next) => (bump('updateWithStart'), next(input)),
      signal: (input, next) => (bump('signal'), next(input)),
      signalWithStart: (input, next) => (bump('signalWithStart'), next(input)),
      query: (input, next) => (bump('query'), next(input)),
      describe: (input, next) => (bump('describe'), next(input)),
    };
  }

  /** A copy of the counts so far. */
  snapshot(): CallCounts {
    return { ...this.counts };
  }

  /** `after - before`, dropping zero entries. */
  static diff(before: CallCounts, after: CallCounts): CallCounts {
    const out: CallCounts = {};
    for (const [k, v] of Object.entries(after)) {
      const d = v - (before[k] ?? 0);
      if (d !== 0) out[k] = d;
    }
    return out;
  }
}

/** History event counts by type, e.g. `{ WorkflowTaskCompleted: 9, ActivityTaskCompleted: 10 }`. */
export type EventTally = Record<string, number>;

type HistoryEvent = NonNullable<Awaited<ReturnType<ReturnType<Client['workflow']['getHandle']>['fetchHistory']>>['events']>[number];

/**
 * An event's type from the attributes it carries (each event sets exactly one
 * `<type>EventAttributes` field): `workflowTaskCompletedEventAttributes` → `WorkflowTaskCompleted`.
 */
function eventTypeName(event: HistoryEvent): string {
  for (const [key, value] of Object.entries(event)) {
    if (value != null && key.endsWith('EventAttributes')) {
      const name = key.slice(0, -'EventAttributes'.length);
      return name.charAt(0).toUpperCase() + name.slice(1);
    }
  }
  return `Unknown${String(event.eventType)}`;
}

/** Where a workflow's history stands: its run and its last event id. */
export interface HistoryMark {
  workflowId: string;
  runId: string;
  lastEventId: number;
}

/** Marks the current end of a workflow's history, to tally only what comes after it. */
export async function markHistory(client: Client, workflowId: string): Promise<HistoryMark> {
  const desc = await client.workflow.getHandle(workflowId).describe();
  const history = await client.workflow.getHandle(workflowId, desc.runId).fetchHistory();
  return { workflowId, runId: desc.runId, lastEventId: history.events?.length ?? 0 };
}

/**
 * Tallies a workflow's history events by type: all of them, or only those after `mark` (following a
 * continue-as-new into the new run when one happened since the mark). When `completedActivities` is
 * given, it also receives the completed activities counted by activity type.
 */
export async function tallyHistory(client: Client, workflowId: string, mark?: HistoryMark, completedActivities?: EventTally): Promise<EventTally> {
  const tally: EventTally = {};
  const add = (events: HistoryEvent[] | null | undefined, afterId: number): void => {
    const typeOf = new Map<number, string>();
    for (const e of events ?? []) {
      const scheduled = e.activityTaskScheduledEventAttributes;
      if (scheduled) typeOf.set(Number(e.eventId), scheduled.activityType?.name ?? '?');
      if (Number(e.eventId) <= afterId) continue;
      const name = eventTypeName(e);
      tally[name] = (tally[name] ?? 0) + 1;
      const completed = e.activityTaskCompletedEventAttributes;
      if (completed && completedActivities) {
        const type = typeOf.get(Number(completed.scheduledEventId)) ?? '?';
        completedActivities[type] = (completedActivities[type] ?? 0) + 1;
      }
    }
  };
  const desc = await client.workflow.getHandle(workflowId).describe();
  if (mark && mark.runId !== desc.runId) {
    add((await client.workflow.getHandle(workflowId, mark.runId).fetchHistory()).events, mark.lastEventId);
    add((await client.workflow.getHandle(workflowId, desc.runId).fetchHistory()).events, 0);
  } else {
    add((await client.workflow.getHandle(workflowId, desc.runId).fetchHistory()).events, mark?.lastEventId ?? 0);
  }
  return tally;
}

/** Sums tallies. */
export function addTallies(...tallies: EventTally[]): EventTally {
  const out: EventTally = {};
  for (const t of tallies) for (const [k, v] of Object.entries(t)) out[k] = (out[k] ?? 0) + v;
  return out;
}

/** Total number of events in a tally. */
export const totalEvents = (t: EventTally): number => Object.values(t).reduce((a, b) => a + b, 0);
