/**
 * The replay timeline: every tweet of every thread, plus the silence-rule session ends, on one
 * global timeline in dataset time, with the real-time offset at which each event is due. Pure.
 *
 * Roles, decided per thread in order (the runner follows them, and counts any deviation):
 * - customer tweet → end-user message (`afterEnd` when the replay ended the session before it: it
 *   must land in a new conversation);
 * - brand tweet before the thread's first customer tweet → `brand_first`: there is no conversation
 *   to put it in yet (conversations start with the end user), so it is stored as an internal note
 *   in the thread's first conversation right after that conversation's first message;
 * - brand tweet while the session is live → `reply` (the first one in a conversation hands it off);
 * - brand tweet after the replay ended the session and before the customer wrote again →
 *   `after_end`: the requesters have no email, so it is stored as an internal note;
 * - `end_session` at reply time + silence, after a `reply` that no tweet of the thread follows
 *   within the silence (the agent ends the session after its last reply when the customer stays
 *   silent; a later brand tweet within the silence restarts the wait).
 */
import type { Thread, Tweet } from './twcs';

/** Options of {@link buildPlan}. Durations in ms; `speed` is dataset ms per real ms. */
export interface PlanOptions {
  /** Dataset time the customer may stay silent after an agent reply before the agent ends the session. */
  silenceMs: number;
  /** Longest dataset-time gap between two consecutive timeline events that is kept; longer ones are cut to this. */
  maxGapMs: number;
  /** Dataset time per real time (e.g. 14400 = four dataset hours per real second). */
  speed: number;
}

interface EventBase {
  /** Thread root tweet id. */
  thread: string;
  /** Position of the event within its thread (0-based); the runner keeps this order. */
  seq: number;
  /** Dataset time, ms since the epoch. */
  at: number;
  /** Real time after the replay start when the event is due, ms. */
  offsetMs: number;
}

/** A customer tweet: an end-user message. */
export interface CustomerEvent extends EventBase {
  kind: 'customer';
  tweet: Tweet;
  /** The replay ended this thread's session earlier: the message must start a new conversation. */
  afterEnd: boolean;
}

/** A brand tweet, with the role the plan expects it to play. */
export interface BrandEvent extends EventBase {
  kind: 'brand';
  tweet: Tweet;
  role: 'brand_first' | 'reply' | 'after_end';
}

/** The agent ends the session after the customer stayed silent. */
export interface EndSessionEvent extends EventBase {
  kind: 'end_session';
  /** Brand (agent id) that ends it: the author of the reply it follows. */
  brand: string;
  afterTweetId: string;
}

export type ReplayEvent = CustomerEvent | BrandEvent | EndSessionEvent;

/** The whole timeline and what the plan expects. */
export interface Plan {
  /** All events in global order (dataset time; ties keep thread order). */
  events: ReplayEvent[];
  threads: number;
  tweets: number;
  customerTweets: number;
  brandTweets: number;
  brands: string[];
  /** Dataset time from the first to the last event, ms. */
  datasetSpanMs: number;
  /** Dataset time after cutting gaps to `maxGapMs`, ms. */
  keptSpanMs: number;
  /** Real duration of the timeline (keptSpanMs / speed), ms. */
  scaledDurationMs: number;
  /** Gaps that were cut to `maxGapMs`. */
  cutGaps: number;
  expected: { endSessions: number; afterEndCustomerTweets: number; afterEndBrandTweets: number; brandFirstTweets: number };
}

/** Plans one thread's events (seq, roles, silence ends); `offsetMs` is filled by {@link buildPlan}. */
export function planThread(thread: Thread, silenceMs: number): ReplayEvent[] {
  const events: ReplayEvent[] = [];
  const base = { thread: thread.rootId, offsetMs: 0 };
  let customerSeen = false;
  let ended = false;
  thread.tweets.forEach((tweet, i) => {
    if (tweet.inbound) {
      events.push({ ...base, seq: events.length, at: tweet.createdAt, kind: 'customer', tweet, afterEnd: ended });
      customerSeen = true;
      ended = false;
      return;
    }
    const role: BrandEvent['role'] = !customerSeen ? 'brand_first' : ended ? 'after_end' : 'reply';
    events.push({ ...base, seq: events.length, at: tweet.createdAt, kind: 'brand', tweet, role });
    if (role !== 'reply') return;
    const next = thread.tweets[i + 1];
    if (!next || next.createdAt - tweet.createdAt > silenceMs) {
      const at = tweet.createdAt + silenceMs;
      events.push({ ...base, seq: events.length, at, kind: 'end_session', brand: tweet.authorId, afterTweetId: tweet.tweetId });
      ended = true;
    }
  });
  return events;
}

/**
 * Builds the global timeline of `threads`. Events are sorted by dataset time (ties: thread order,
 * then root id, so one thread's events never swap); each gets the real offset at which it is due:
 * the sum of the preceding gaps, each cut to `maxGapMs`, divided by `speed`.
 * @throws on a non-positive speed or a negative duration.
 */
export function buildPlan(threads: Thread[], options: PlanOptions): Plan {
  if (!(options.speed > 0)) throw new Error(`speed must be > 0, got ${options.speed}`);
  if (!(options.silenceMs >= 0) || !(options.maxGapMs >= 0)) throw new Error('silence and max-gap must be >= 0');
  const threadOrder = new Map(threads.map((t, i) => [t.rootId, i]));
  const events = threads.flatMap((t) => planThread(t, options.silenceMs));
  events.sort(
    (a, b) => a.at - b.at || (threadOrder.get(a.thread) ?? 0) - (threadOrder.get(b.thread) ?? 0) || a.seq - b.seq,
  );
  let kept = 0;
  let cutGaps = 0;
  events.forEach((e, i) => {
    if (i > 0) {
      const gap = e.at - events[i - 1].at;
      if (gap > options.maxGapMs) cutGaps += 1;
      kept += Math.min(gap, options.maxGapMs);
    }
    e.offsetMs = kept / options.speed;
  });
  const tweets = threads.flatMap((t) => t.tweets);
  const brandEvents = events.filter((e): e is BrandEvent => e.kind === 'brand');
  return {
    events,
    threads: threads.length,
    tweets: tweets.length,
    customerTweets: tweets.filter((t) => t.inbound).length,
    brandTweets: tweets.filter((t) => !t.inbound).length,
    brands: [...new Set(tweets.filter((t) => !t.inbound).map((t) => t.authorId))].sort(),
    datasetSpanMs: events.length ? events[events.length - 1].at - events[0].at : 0,
    keptSpanMs: kept,
    scaledDurationMs: kept / options.speed,
    cutGaps,
    expected: {
      endSessions: events.filter((e) => e.kind === 'end_session').length,
      afterEndCustomerTweets: events.filter((e) => e.kind === 'customer' && e.afterEnd).length,
      afterEndBrandTweets: brandEvents.filter((e) => e.role === 'after_end').length,
      brandFirstTweets: brandEvents.filter((e) => e.role === 'brand_first').length,
    },
  };
}
