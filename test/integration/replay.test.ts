/**
 * The twcs replay (`npm run replay`) on a slice of the real dataset, against the run's shared dev
 * server: nothing lost, one conversation or more per thread, agent-ended sessions routed as email,
 * and customer tweets after an ended session in a new conversation. Plus the pure parts (CSV
 * parsing, thread building, the timeline) on the full files.
 */
import { randomUUID } from 'node:crypto';
import path from 'node:path';
import { DEFAULT_CSV, runReplay } from '../../scripts/replay';
import { buildPlan } from '../../scripts/replay/plan';
import type { ReplayReport } from '../../scripts/replay/report';
import { buildThreads, parseCreatedAt, readTweets } from '../../scripts/replay/twcs';
import { testServerAddress } from '../helpers/devServer';

const RAW_CSV = path.join(path.dirname(DEFAULT_CSV), 'twcs_head5000.csv');
const THREADS = 25;
const HOUR = 3_600_000;
const PLAN_OPTIONS = { speed: 1_000_000, maxGapMs: 6 * HOUR, silenceMs: 30 * 60_000 };

describe('twcs files and the replay timeline (pure)', () => {
  it('parses created_at as UTC', () => {
    expect(new Date(parseCreatedAt('Tue Oct 31 22:10:47 +0000 2017')).toISOString()).toBe('2017-10-31T22:10:47.000Z');
    expect(() => parseCreatedAt('2017-10-31')).toThrow(/created_at/);
  });

  it('keeps the bare carriage returns inside a quoted text', () => {
    const tweet = readTweets(DEFAULT_CSV).find((t) => t.tweetId === '3399');
    expect(tweet?.text).toContain('\r\r');
  });

  it('rebuilds the same 1,042 complete threads from the raw file', () => {
    const complete = buildThreads(readTweets(DEFAULT_CSV));
    const raw = buildThreads(readTweets(RAW_CSV));
    expect(complete.threads).toHaveLength(1042);
    expect(raw).toMatchObject({ format: 'raw', components: 1312, incompleteComponents: 270 });
    const shape = (ts: typeof raw.threads) => ts.map((t) => `${t.rootId}:${t.tweets.map((w) => w.tweetId).join(',')}`);
    expect(shape(raw.threads)).toEqual(shape(complete.threads));
    expect(raw.threads.reduce((n, t) => n + t.tweets.length, 0)).toBe(3555);
  });

  it('plans every tweet once, keeps thread order, and ends sessions after silence', () => {
    const { threads } = buildThreads(readTweets(DEFAULT_CSV));
    const plan = buildPlan(threads, PLAN_OPTIONS);
    const tweetEvents = plan.events.filter((e) => e.kind !== 'end_session');
    expect(tweetEvents).toHaveLength(3555);
    const lastSeq = new Map<string, number>();
    for (const e of plan.events) {
      expect(e.seq).toBeGreaterThan(lastSeq.get(e.thread) ?? -1);
      lastSeq.set(e.thread, e.seq);
    }
    expect(plan.events.every((e, i) => i === 0 || e.offsetMs >= plan.events[i - 1].offsetMs)).toBe(true);
    expect(plan.expected.endSessions).toBeGreaterThan(0);
    expect(plan.expected.afterEndCustomerTweets).toBeGreaterThan(0);
  });
});

describe('replay of the first 25 threads through Parley', () => {
  let report: ReplayReport;
  const plan = buildPlan(buildThreads(readTweets(DEFAULT_CSV)).threads.slice(0, THREADS), PLAN_OPTIONS);

  beforeAll(async () => {
    report = await runReplay({
      file: DEFAULT_CSV,
      limit: THREADS,
      ...PLAN_OPTIONS,
      capacity: 10,
      routeAsEmail: true,
      concurrency: 8,
      address: testServerAddress(),
      threadPrefix: `twcs-${randomUUID().slice(0, 8)}`,
    });
  }, 180_000);

  it('loses nothing: messages in = messages stored, no errors', () => {
    expect(report.errors).toEqual([]);
    expect(report.messages.missing).toEqual([]);
    expect(report.messages.unexpected).toEqual([]);
    expect(report.messages.storedTwice).toEqual([]);
    expect(report.messages.in).toBe(plan.tweets);
    expect(report.messages.stored).toBe(report.messages.in);
    expect(report.nothingLost).toBe(true);
  });

  it('has at least one conversation per thread', () => {
    expect(report.threads).toBe(THREADS);
    expect(report.conversations).toBeGreaterThanOrEqual(report.threads);
  });

  it('ends sessions by agent after silence and routes those tickets as email', () => {
    expect(report.sessionsEnded.agent).toBe(plan.expected.endSessions);
    expect(report.sessionsEnded.agent).toBeGreaterThan(0);
    expect(report.ticketsRoutedAsEmail).toBeGreaterThan(0);
  });

  it('puts a customer tweet after an ended session in a new conversation', () => {
    expect(report.newConversationsAfterEnd.length).toBe(plan.expected.afterEndCustomerTweets);
    expect(report.newConversationsAfterEnd.length).toBeGreaterThan(0);
    for (const moved of report.newConversationsAfterEnd) expect(moved.conversationId).not.toBe(moved.endedConversationId);
    expect(report.conversations).toBe(report.threads + report.newConversationsAfterEnd.length);
  });
});
