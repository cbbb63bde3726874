/**
 * Runs one planned replay event against Parley through the typed client, and keeps the tally the
 * report is built from. One {@link ThreadRuntime} per thread; the runner awaits each thread's
 * previous event before its next, so a thread's runtime is never touched concurrently.
 */
import { ParleyError } from '../../client/errors';
import type { ParleyClient } from '../../client/parleyClient';
import type { Cause } from '../../domain/vocabulary';
import type { BrandEvent, CustomerEvent, EndSessionEvent, ReplayEvent } from './plan';
import type { Tweet } from './twcs';

/** What the replay knows about one thread while it runs. */
export interface ThreadRuntime {
  /** Parley thread id: `<prefix>-<root tweet id>`. */
  threadId: string;
  /** The thread's current conversation, from the last IngestResult (null before the first customer tweet). */
  conversationId: string | null;
  /** The current conversation's session has ended (by the replay's silence rule, or found ended). */
  sessionEnded: boolean;
  /** Conversations this thread's tweets went to, in order. */
  conversations: string[];
  handedOff: Set<string>;
  /** Brand-first tweets waiting for the thread's first conversation. */
  deferred: Tweet[];
}

/** Counters and lists the runner fills; every tweet ends up in `messagesIn` or `unstored`. */
export interface Tally {
  /** Message ids (`tw-<tweet id>`) Parley accepted, as end-user messages, replies or notes. */
  messagesIn: Set<string>;
  customerMessages: number;
  publicReplies: number;
  internalNotes: { brandFirst: string[]; afterEnd: string[] };
  endSessions: { ended: number; alreadyEnded: number; skipped: number };
  /** Customer tweets that opened a new conversation after the previous one's session ended. */
  newConversationAfterEnd: Array<{ tweetId: string; endedConversationId: string; conversationId: string }>;
  /** Things the plan did not expect, in plain words (e.g. a session found ended by someone else). */
  deviations: string[];
  duplicates: string[];
  unstored: Array<{ tweetId: string; reason: string }>;
  errors: Array<{ event: string; error: string }>;
  /** Real ms by which events started after their due time. */
  lagsMs: number[];
  operations: number;
  /** Calls repeated because the target workflow's last workflow task had failed or timed out. */
  failedStateRetries: number;
}

/** An empty {@link Tally}. */
export function emptyTally(): Tally {
  return {
    messagesIn: new Set(),
    customerMessages: 0,
    publicReplies: 0,
    internalNotes: { brandFirst: [], afterEnd: [] },
    endSessions: { ended: 0, alreadyEnded: 0, skipped: 0 },
    newConversationAfterEnd: [],
    deviations: [],
    duplicates: [],
    unstored: [],
    errors: [],
    lagsMs: [],
    operations: 0,
    failedStateRetries: 0,
  };
}

/** A fresh runtime for a thread. */
export function newThreadRuntime(threadId: string): ThreadRuntime {
  return { threadId, conversationId: null, sessionEnded: false, conversations: [], handedOff: new Set(), deferred: [] };
}

/** Temporal's refusal while a workflow's last workflow task failed or timed out. */
const FAILED_STATE = /Workflow Task in failed state/i;
/** How long a call keeps retrying that refusal, ms. */
export const FAILED_STATE_PATIENCE_MS = 120_000;

const iso = (ms: number): string => new Date(ms).toISOString();
const messageIdOf = (tweet: Tweet): string => `tw-${tweet.tweetId}`;
const isCode = (err: unknown, ...codes: string[]): boolean => err instanceof ParleyError && codes.includes(err.code);

/** An error and its causes on one line (Temporal wraps the useful part in `cause`). */
export function errorText(err: unknown): string {
  const parts: string[] = [];
  for (let e: unknown = err; e && parts.length < 4; e = (e as { cause?: unknown }).cause) {
    parts.push(e instanceof Error ? `${e.name}: ${e.message}` : String(e));
  }
  return parts.join(' <- ');
}

/** Short description of an event for error lists. */
export function describeEvent(e: ReplayEvent): string {
  return e.kind === 'end_session' ? `end_session after tweet ${e.afterTweetId} (thread ${e.thread})` : `${e.kind} tweet ${e.tweet.tweetId} (thread ${e.thread})`;
}

/** Executes events for one run: the client, the tally and the thread runtimes it writes to. */
export class EventExecutor {
  constructor(
    private readonly parley: ParleyClient,
    readonly tally: Tally,
  ) {}

  /**
   * Calls the client, counting the operation. While the target workflow's last workflow task
   * failed or timed out (an overloaded worker), Temporal refuses updates with FAILED_PRECONDITION
   * "Workflow Task in failed state" until a retry of that task succeeds; such a call is repeated
   * (1 s apart, growing to 5 s, for at most {@link FAILED_STATE_PATIENCE_MS}). Safe: a refused update
   * was never admitted, and every call here is idempotent (stable update, message or request ids).
   */
  private async call<T>(fn: () => Promise<T>): Promise<T> {
    const started = Date.now();
    for (let attempt = 1; ; attempt += 1) {
      this.tally.operations += 1;
      try {
        return await fn();
      } catch (err) {
        if (!FAILED_STATE.test(errorText(err)) || Date.now() - started > FAILED_STATE_PATIENCE_MS) throw err;
        this.tally.failedStateRetries += 1;
        await new Promise((r) => setTimeout(r, Math.min(1_000 * attempt, 5_000)));
      }
    }
  }

  /** Runs one event; never throws (failures go to `tally.errors`). */
  async run(event: ReplayEvent, rt: ThreadRuntime): Promise<void> {
    try {
      if (event.kind === 'customer') await this.customer(event, rt);
      else if (event.kind === 'brand') await this.brand(event, rt);
      else await this.endSession(event, rt);
    } catch (err) {
      this.tally.errors.push({ event: describeEvent(event), error: errorText(err) });
    }
  }

  private async customer(event: CustomerEvent, rt: ThreadRuntime): Promise<void> {
    const { tweet } = event;
    const messageId = messageIdOf(tweet);
    const result = await this.call(() => this.parley.ingestEndUserMessage(rt.threadId, {
      message: {
        messageId,
        text: tweet.text,
        author: { id: `tw-user-${tweet.authorId}` },
        providerAt: iso(tweet.createdAt),
        cause: { type: 'message', messageId },
      },
    }));
    if (result.status === 'duplicate') this.tally.duplicates.push(tweet.tweetId);
    const previous = rt.conversationId;
    if (result.conversationId !== previous) {
      if (previous && rt.sessionEnded) {
        this.tally.newConversationAfterEnd.push({ tweetId: tweet.tweetId, endedConversationId: previous, conversationId: result.conversationId });
      } else if (previous) {
        this.tally.deviations.push(`tweet ${tweet.tweetId} started ${result.conversationId} although the replay had not ended ${previous}`);
      }
      rt.conversationId = result.conversationId;
      rt.conversations.push(result.conversationId);
      rt.sessionEnded = false;
    } else if (rt.sessionEnded) {
      this.tally.deviations.push(`tweet ${tweet.tweetId} was accepted into ${previous} after its session ended`);
    }
    this.tally.messagesIn.add(messageId);
    this.tally.customerMessages += 1;
    for (const held of rt.deferred.splice(0)) await this.note(held, rt, 'brandFirst');
  }

  private async brand(event: BrandEvent, rt: ThreadRuntime): Promise<void> {
    const { tweet } = event;
    const conversationId = rt.conversationId;
    if (!conversationId) {
      rt.deferred.push(tweet);
      return;
    }
    if (rt.sessionEnded) return this.note(tweet, rt, 'afterEnd');
    const messageId = messageIdOf(tweet);
    const cause: Cause = { type: 'message', messageId };
    try {
      if (!rt.handedOff.has(conversationId)) {
        await this.call(() =>
          this.parley.handOffConversation(
            conversationId,
            { actor: { type: 'agent', id: tweet.authorId }, cause, groupId: tweet.authorId },
            `handoff:${messageId}`,
          ),
        );
        rt.handedOff.add(conversationId);
      }
      await this.call(() =>
        this.parley.agentReply(conversationId, { agentId: tweet.authorId, text: tweet.text, visibility: 'public', messageId, cause }),
      );
      this.tally.messagesIn.add(messageId);
      this.tally.publicReplies += 1;
    } catch (err) {
      if (!isCode(err, 'invalid_state')) throw err;
      // The session ended without the replay ending it (e.g. inactivity): the composer now
      // defaults to an internal note, which is what the agent would write.
      this.tally.deviations.push(`brand tweet ${tweet.tweetId}: ${(err as Error).message}`);
      rt.sessionEnded = true;
      await this.note(tweet, rt, 'afterEnd');
    }
  }

  private async note(tweet: Tweet, rt: ThreadRuntime, kind: 'brandFirst' | 'afterEnd'): Promise<void> {
    const messageId = messageIdOf(tweet);
    const conversationId = rt.conversationId as string;
    try {
      await this.call(() =>
        this.parley.agentReply(conversationId, {
          agentId: tweet.authorId,
          text: tweet.text,
          visibility: 'internal',
          messageId,
          cause: { type: 'message', messageId },
        }),
      );
    } catch (err) {
      if (!isCode(err, 'ticket_closed', 'invalid_state')) throw err;
      this.tally.unstored.push({ tweetId: tweet.tweetId, reason: `internal note refused by ${conversationId}: ${(err as Error).message}` });
      return;
    }
    this.tally.messagesIn.add(messageId);
    this.tally.internalNotes[kind].push(tweet.tweetId);
  }

  private async endSession(event: EndSessionEvent, rt: ThreadRuntime): Promise<void> {
    if (!rt.conversationId || rt.sessionEnded) {
      this.tally.endSessions.skipped += 1;
      return;
    }
    const conversationId = rt.conversationId;
    const result = await this.call(() =>
      this.parley.endSession(conversationId, {
        actor: { type: 'agent', id: event.brand },
        reason: 'agent',
        cause: { type: 'timer', name: 'replay_silence', firedAt: iso(event.at) },
      }),
    );
    rt.sessionEnded = true;
    if (result.alreadyEnded) this.tally.endSessions.alreadyEnded += 1;
    else this.tally.endSessions.ended += 1;
  }

  /** Threads whose held brand-first tweets never got a conversation: listed as not stored. */
  flushUnplaced(runtimes: Iterable<ThreadRuntime>): void {
    for (const rt of runtimes) {
      for (const t of rt.deferred.splice(0)) {
        this.tally.unstored.push({ tweetId: t.tweetId, reason: `brand tweet in thread ${rt.threadId}, which has no customer tweet: no conversation to store it in` });
      }
    }
  }
}
