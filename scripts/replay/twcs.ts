/**
 * Reading the "Customer Support on Twitter" (twcs) files (../shared/data/README.md) and turning
 * them into messaging threads. Pure: no Temporal, no clock. Accepts both shipped files:
 * `twcs_head5000_complete_threads.csv` (leading `thread_id` column) and the raw
 * `twcs_head5000.csv` (threads rebuilt as reply components; only complete ones are kept).
 */
import { readFileSync } from 'node:fs';
import { parse } from 'csv-parse/sync';

/** One tweet. `createdAt` is ms since the epoch (UTC); ids are the dataset's decimal strings. */
export interface Tweet {
  tweetId: string;
  authorId: string;
  /** true for customers (end users), false for brand support accounts (agents). */
  inbound: boolean;
  createdAt: number;
  text: string;
  responseTweetIds: string[];
  inResponseToTweetId: string | null;
  /** `thread_id` column of the complete-threads file; null in the raw file. */
  threadId: string | null;
}

/** A messaging thread: its root tweet id and its tweets in replay order (time, then reply depth). */
export interface Thread {
  rootId: string;
  tweets: Tweet[];
}

/** What {@link buildThreads} found: the threads, and how many reply components it left out as incomplete. */
export interface ThreadSet {
  threads: Thread[];
  /** 'complete_threads' when the file has a thread_id column, else 'raw'. */
  format: 'complete_threads' | 'raw';
  components: number;
  incompleteComponents: number;
  incompleteTweets: number;
}

const COLUMNS = ['tweet_id', 'author_id', 'inbound', 'created_at', 'text', 'response_tweet_id', 'in_response_to_tweet_id'];
const MONTHS = ['Jan', 'Feb', 'Mar', 'Apr', 'May', 'Jun', 'Jul', 'Aug', 'Sep', 'Oct', 'Nov', 'Dec'];
const CREATED_AT = /^[A-Z][a-z]{2} ([A-Z][a-z]{2}) (\d{2}) (\d{2}):(\d{2}):(\d{2}) ([+-])(\d{2})(\d{2}) (\d{4})$/;

/**
 * Parses a twcs `created_at` such as `Tue Oct 31 22:10:47 +0000 2017`.
 * @returns ms since the epoch (UTC). @throws on any other shape.
 */
export function parseCreatedAt(value: string): number {
  const m = CREATED_AT.exec(value.trim());
  const month = m ? MONTHS.indexOf(m[1]) : -1;
  if (!m || month < 0) throw new Error(`created_at "${value}" is not like "Tue Oct 31 22:10:47 +0000 2017"`);
  const [, , day, hh, mm, ss, sign, oh, om, year] = m;
  const offsetMs = (sign === '-' ? -1 : 1) * (Number(oh) * 60 + Number(om)) * 60_000;
  return Date.UTC(Number(year), month, Number(day), Number(hh), Number(mm), Number(ss)) - offsetMs;
}

function splitIds(value: string | undefined): string[] {
  return (value ?? '')
    .split(',')
    .map((s) => s.trim())
    .filter(Boolean);
}

/**
 * Parses a twcs CSV text (either file). A real CSV parser: quoted fields may hold commas, line
 * feeds and bare carriage returns. @throws naming the missing column or the bad row (1-based data row).
 */
export function parseTweets(csvText: string | Buffer): Tweet[] {
  const rows = parse(csvText, { columns: true, skip_empty_lines: true, bom: true }) as Record<string, string>[];
  if (rows.length === 0) return [];
  for (const col of COLUMNS) {
    if (!(col in rows[0])) throw new Error(`twcs CSV has no "${col}" column (columns: ${Object.keys(rows[0]).join(', ')})`);
  }
  return rows.map((row, i) => {
    if (row.inbound !== 'True' && row.inbound !== 'False') throw new Error(`row ${i + 1}: inbound must be True or False, got "${row.inbound}"`);
    if (!/^\d+$/.test(row.tweet_id)) throw new Error(`row ${i + 1}: tweet_id "${row.tweet_id}" is not a number`);
    let createdAt: number;
    try {
      createdAt = parseCreatedAt(row.created_at);
    } catch (err) {
      throw new Error(`row ${i + 1} (tweet ${row.tweet_id}): ${(err as Error).message}`);
    }
    return {
      tweetId: row.tweet_id,
      authorId: row.author_id,
      inbound: row.inbound === 'True',
      createdAt,
      text: row.text,
      responseTweetIds: splitIds(row.response_tweet_id),
      inResponseToTweetId: row.in_response_to_tweet_id?.trim() || null,
      threadId: row.thread_id?.trim() || null,
    };
  });
}

/** Reads and parses a twcs CSV file. */
export function readTweets(path: string): Tweet[] {
  return parseTweets(readFileSync(path));
}

/** Orders one thread's tweets: time, then reply depth (a reply after what it answers), then tweet id. */
function orderThread(tweets: Tweet[]): Tweet[] {
  const byId = new Map(tweets.map((t) => [t.tweetId, t]));
  const depth = (t: Tweet): number => {
    let d = 0;
    for (let p = t.inResponseToTweetId; p && byId.has(p) && d < tweets.length; p = byId.get(p)?.inResponseToTweetId ?? null) d += 1;
    return d;
  };
  const depths = new Map(tweets.map((t) => [t.tweetId, depth(t)]));
  return [...tweets].sort(
    (a, b) =>
      a.createdAt - b.createdAt ||
      (depths.get(a.tweetId) ?? 0) - (depths.get(b.tweetId) ?? 0) ||
      Number(a.tweetId) - Number(b.tweetId),
  );
}

const byRootId = (a: Thread, b: Thread): number => Number(a.rootId) - Number(b.rootId);

/**
 * Groups tweets into threads. With a `thread_id` column, rows are grouped by it. Without one,
 * threads are the connected components of the reply graph (`in_response_to_tweet_id` and
 * `response_tweet_id` edges); a component is complete when every id its tweets reference is in
 * the file, and only complete components are kept (the README's 1,042 of 1,312). The root is the
 * tweet that answers nothing. Threads come ordered by root id (numeric).
 */
export function buildThreads(tweets: Tweet[]): ThreadSet {
  if (tweets.length > 0 && tweets.every((t) => t.threadId !== null)) {
    const groups = new Map<string, Tweet[]>();
    for (const t of tweets) {
      const list = groups.get(t.threadId as string);
      if (list) list.push(t);
      else groups.set(t.threadId as string, [t]);
    }
    const threads = [...groups].map(([rootId, list]) => ({ rootId, tweets: orderThread(list) })).sort(byRootId);
    return { threads, format: 'complete_threads', components: threads.length, incompleteComponents: 0, incompleteTweets: 0 };
  }
  const byId = new Map(tweets.map((t) => [t.tweetId, t]));
  const parent = new Map<string, string>();
  const find = (id: string): string => {
    let r = id;
    while (parent.has(r) && parent.get(r) !== r) r = parent.get(r) as string;
    parent.set(id, r);
    return r;
  };
  const union = (a: string, b: string): void => {
    const ra = find(a);
    const rb = find(b);
    if (ra !== rb) parent.set(ra, rb);
  };
  for (const t of tweets) {
    parent.set(t.tweetId, find(t.tweetId));
    for (const other of [t.inResponseToTweetId, ...t.responseTweetIds]) if (other && byId.has(other)) union(t.tweetId, other);
  }
  const components = new Map<string, Tweet[]>();
  for (const t of tweets) {
    const r = find(t.tweetId);
    const list = components.get(r);
    if (list) list.push(t);
    else components.set(r, [t]);
  }
  const threads: Thread[] = [];
  let incompleteComponents = 0;
  let incompleteTweets = 0;
  for (const list of components.values()) {
    const complete = list.every((t) => [t.inResponseToTweetId, ...t.responseTweetIds].every((id) => !id || byId.has(id)));
    const roots = list.filter((t) => !t.inResponseToTweetId);
    if (!complete || roots.length !== 1) {
      incompleteComponents += 1;
      incompleteTweets += list.length;
      continue;
    }
    threads.push({ rootId: roots[0].tweetId, tweets: orderThread(list) });
  }
  threads.sort(byRootId);
  return { threads, format: 'raw', components: components.size, incompleteComponents, incompleteTweets };
}
