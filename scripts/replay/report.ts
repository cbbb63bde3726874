/**
 * The replay report: what Parley stored, read back through the typed client after the run, set
 * against what the replay sent. {@link summarize} is pure; {@link formatReport} renders it.
 */
import type { RoutingSnapshot, ConversationView, ThreadState } from '../../workflows/definitions';
import type { Plan } from './plan';
import type { Tally } from './execute';

/** Peak capacity use of one agent (brand), from routing's `peakUse`. */
export interface AgentPeak {
  agentId: string;
  messaging: number;
  email: number;
}

/** Everything the replay prints (and `--json` emits). Durations in ms unless named otherwise. */
export interface ReplayReport {
  file: string;
  format: 'complete_threads' | 'raw';
  settings: { speed: number; maxGapMs: number; silenceMs: number; capacity: { messaging: number; email: number }; routeAsEmail: boolean; concurrency: number; limit: number | null };
  threads: number;
  tweets: { total: number; customer: number; brand: number; brands: number };
  conversations: number;
  threadsWithSeveralConversations: number;
  /** Customer tweets after an ended session that opened a new conversation. */
  newConversationsAfterEnd: Array<{ tweetId: string; endedConversationId: string; conversationId: string }>;
  tickets: number;
  ticketsByHandOff: { brandReply: number; aiAgent: number; other: number };
  /** Tickets no agent ever got, by who handed off (AI agent hand-offs go to the account's default group). */
  ticketsNeverAssigned: { total: number; brandReply: number; aiAgent: number; other: number };
  messages: {
    in: number;
    stored: number;
    customer: number;
    publicReplies: number;
    internalNotes: { afterEnd: number; brandFirst: number };
    missing: string[];
    unexpected: string[];
    storedTwice: string[];
  };
  sessionsEnded: Record<string, number>;
  sessionsNotEnded: number;
  ticketsRoutedAsEmail: number;
  /** `unavailable` holds the error when routing could not be read (then the rest is empty). */
  peakUse: { top: AgentPeak[]; maxMessaging: AgentPeak | null; maxEmail: AgentPeak | null; agents: number; unavailable: string | null };
  timeline: { datasetSpanMs: number; keptSpanMs: number; cutGaps: number; scaledMs: number; lagP50Ms: number; lagP95Ms: number; lagMaxMs: number };
  durationMs: { setup: number; replay: number; readBack: number; total: number };
  /** `operations` counts every client call made, retries included. */
  throughput: { tweetsPerSecond: number; operationsPerSecond: number; operations: number; failedStateRetries: number };
  endSessions: Tally['endSessions'];
  threadCheck: { acceptedByThreads: number; duplicatesByThreads: number; conversationsByThreads: number };
  unstored: Tally['unstored'];
  deviations: string[];
  errors: Tally['errors'];
  /** Every tweet stored exactly once or listed in `unstored`, no errors, messages in = messages stored. */
  nothingLost: boolean;
}

/** Inputs of {@link summarize}: the run's own record and what Parley answered afterwards. */
export interface SummaryInput {
  file: string;
  format: ReplayReport['format'];
  settings: ReplayReport['settings'];
  plan: Plan;
  tally: Tally;
  views: ConversationView[];
  threadStates: ThreadState[];
  /** Routing's snapshot, or the error that kept the replay from reading it. */
  routing: RoutingSnapshot | { error: string };
  durationMs: ReplayReport['durationMs'];
}

const quantile = (sorted: number[], q: number): number => (sorted.length ? sorted[Math.min(sorted.length - 1, Math.floor(q * sorted.length))] : 0);

/** Builds the report from the run's tally and the conversations, threads and routing read back. */
export function summarize(input: SummaryInput): ReplayReport {
  const { plan, tally, views, routing } = input;
  const storedCount = new Map<string, number>();
  const sessionsEnded: Record<string, number> = {};
  let sessionsNotEnded = 0;
  const byHandOff = { brandReply: 0, aiAgent: 0, other: 0 };
  const neverAssigned = { total: 0, brandReply: 0, aiAgent: 0, other: 0 };
  for (const v of views) {
    for (const m of v.messages) if (m.id.startsWith('tw-')) storedCount.set(m.id, (storedCount.get(m.id) ?? 0) + 1);
    if (v.session.end) sessionsEnded[v.session.end.reason] = (sessionsEnded[v.session.end.reason] ?? 0) + 1;
    else sessionsNotEnded += 1;
    const handedOff = v.events.find((e) => e.type === 'handed_off');
    if (handedOff) {
      const t = handedOff.actor.type;
      const key = t === 'agent' ? 'brandReply' : t === 'ai_agent' ? 'aiAgent' : 'other';
      byHandOff[key] += 1;
      if (v.ticket && !v.ticket.assigneeId) {
        neverAssigned[key] += 1;
        neverAssigned.total += 1;
      }
    }
  }
  const tickets = views.filter((v) => v.ticket);
  const missing = [...tally.messagesIn].filter((id) => !storedCount.has(id));
  const unexpected = [...storedCount.keys()].filter((id) => !tally.messagesIn.has(id));
  const storedTwice = [...storedCount].filter(([, n]) => n > 1).map(([id]) => id);
  const peakUse = 'error' in routing ? {} : routing.peakUse;
  const peaks: AgentPeak[] = Object.entries(peakUse).map(([agentId, p]) => ({ agentId, messaging: p.messaging, email: p.email }));
  peaks.sort((a, b) => b.messaging - a.messaging || b.email - a.email || a.agentId.localeCompare(b.agentId));
  const maxBy = (key: 'messaging' | 'email'): AgentPeak | null =>
    peaks.reduce<AgentPeak | null>((best, p) => (p[key] > (best?.[key] ?? 0) ? p : best), null);
  const lags = [...tally.lagsMs].sort((a, b) => a - b);
  const threadsWithSeveral = new Set(views.map((v) => v.threadId).filter((t, i, all) => all.indexOf(t) !== i)).size;
  const accountedTweets = tally.messagesIn.size + tally.unstored.length;
  const seconds = Math.max(input.durationMs.replay, 1) / 1000;
  return {
    file: input.file,
    format: input.format,
    settings: input.settings,
    threads: plan.threads,
    tweets: { total: plan.tweets, customer: plan.customerTweets, brand: plan.brandTweets, brands: plan.brands.length },
    conversations: views.length,
    threadsWithSeveralConversations: threadsWithSeveral,
    newConversationsAfterEnd: tally.newConversationAfterEnd,
    tickets: tickets.length,
    ticketsByHandOff: byHandOff,
    ticketsNeverAssigned: neverAssigned,
    messages: {
      in: tally.messagesIn.size,
      stored: storedCount.size,
      customer: tally.customerMessages,
      publicReplies: tally.publicReplies,
      internalNotes: { afterEnd: tally.internalNotes.afterEnd.length, brandFirst: tally.internalNotes.brandFirst.length },
      missing,
      unexpected,
      storedTwice,
    },
    sessionsEnded,
    sessionsNotEnded,
    ticketsRoutedAsEmail: tickets.filter((v) => v.ticket?.routingChannel === 'email').length,
    peakUse: { top: peaks.slice(0, 10), maxMessaging: maxBy('messaging'), maxEmail: maxBy('email'), agents: peaks.length, unavailable: 'error' in routing ? routing.error : null },
    timeline: {
      datasetSpanMs: plan.datasetSpanMs,
      keptSpanMs: plan.keptSpanMs,
      cutGaps: plan.cutGaps,
      scaledMs: plan.scaledDurationMs,
      lagP50Ms: quantile(lags, 0.5),
      lagP95Ms: quantile(lags, 0.95),
      lagMaxMs: lags.length ? lags[lags.length - 1] : 0,
    },
    durationMs: input.durationMs,
    throughput: { tweetsPerSecond: plan.tweets / seconds, operationsPerSecond: tally.operations / seconds, operations: tally.operations, failedStateRetries: tally.failedStateRetries },
    endSessions: tally.endSessions,
    threadCheck: {
      acceptedByThreads: input.threadStates.reduce((s, t) => s + t.accepted, 0),
      duplicatesByThreads: input.threadStates.reduce((s, t) => s + t.duplicates, 0),
      conversationsByThreads: input.threadStates.reduce((s, t) => s + t.seq, 0),
    },
    unstored: tally.unstored,
    deviations: tally.deviations,
    errors: tally.errors,
    nothingLost:
      missing.length === 0 &&
      unexpected.length === 0 &&
      storedTwice.length === 0 &&
      tally.errors.length === 0 &&
      accountedTweets === plan.tweets &&
      tally.messagesIn.size === storedCount.size,
  };
}

const s = (ms: number): string => `${(ms / 1000).toFixed(1)} s`;
const h = (ms: number): string => `${(ms / 3_600_000).toFixed(1)} h`;
const list = (ids: string[], max = 20): string => (ids.length > max ? `${ids.slice(0, max).join(', ')}, ... (${ids.length})` : ids.join(', '));

/** Renders the report as text lines; the last line is the "nothing lost" verdict. */
export function formatReport(r: ReplayReport): string[] {
  const m = r.messages;
  const peak = (p: AgentPeak | null): string => (p ? `${p.agentId} ${p.messaging}/${p.email}` : 'none');
  const lines = [
    `replay of ${r.file} (${r.format === 'raw' ? 'raw file, threads rebuilt from reply links' : 'complete-threads file'})`,
    `settings: speed ${r.settings.speed}x, max gap ${h(r.settings.maxGapMs)}, silence ${r.settings.silenceMs / 60_000} min, capacity messaging ${r.settings.capacity.messaging} / email ${r.settings.capacity.email}, route agent-ended sessions as email ${r.settings.routeAsEmail ? 'on' : 'off'}, concurrency ${r.settings.concurrency}`,
    `threads: ${r.threads} (${r.tweets.total} tweets: ${r.tweets.customer} customer, ${r.tweets.brand} brand; ${r.tweets.brands} brands = agents)`,
    `conversations: ${r.conversations} (${r.threadsWithSeveralConversations} threads had more than one; ${r.newConversationsAfterEnd.length} customer tweets after an ended session opened a new conversation)`,
    `tickets: ${r.tickets} (handed off by the brand's first reply ${r.ticketsByHandOff.brandReply}, by the AI agent ${r.ticketsByHandOff.aiAgent}${r.ticketsByHandOff.other ? `, other ${r.ticketsByHandOff.other}` : ''}; never assigned ${r.ticketsNeverAssigned.total}: ${r.ticketsNeverAssigned.brandReply} brand hand-offs, ${r.ticketsNeverAssigned.aiAgent} AI agent hand-offs)`,
    `messages accepted: ${m.in} (end-user ${m.customer}, agent replies ${m.publicReplies}, internal notes ${m.internalNotes.afterEnd + m.internalNotes.brandFirst}: ${m.internalNotes.afterEnd} brand tweets after the session ended, ${m.internalNotes.brandFirst} brand-first tweets)`,
    `sessions ended: ${Object.entries(r.sessionsEnded).map(([k, v]) => `${k} ${v}`).join(', ') || 'none'}; not ended ${r.sessionsNotEnded} (replay silence ends: ${r.endSessions.ended} ended, ${r.endSessions.alreadyEnded} found already ended, ${r.endSessions.skipped} skipped)`,
    `tickets routed as email: ${r.ticketsRoutedAsEmail}`,
    ...(r.peakUse.unavailable
      ? [`peak capacity use: UNAVAILABLE, the routing workflow did not answer: ${r.peakUse.unavailable}`]
      : [
          `peak capacity use (messaging/email) of ${r.peakUse.agents} agents: max messaging ${peak(r.peakUse.maxMessaging)}, max email ${peak(r.peakUse.maxEmail)}`,
          `  top 10: ${r.peakUse.top.map((p) => `${p.agentId} ${p.messaging}/${p.email}`).join(', ')}`,
        ]),
    `timeline: dataset span ${h(r.timeline.datasetSpanMs)}, kept ${h(r.timeline.keptSpanMs)} (${r.timeline.cutGaps} gaps cut), scaled ${s(r.timeline.scaledMs)}; start lag p50 ${s(r.timeline.lagP50Ms)}, p95 ${s(r.timeline.lagP95Ms)}, max ${s(r.timeline.lagMaxMs)}`,
    `duration: ${s(r.durationMs.total)} (setup ${s(r.durationMs.setup)}, replay ${s(r.durationMs.replay)}, read-back ${s(r.durationMs.readBack)}); throughput ${r.throughput.tweetsPerSecond.toFixed(1)} tweets/s, ${r.throughput.operationsPerSecond.toFixed(1)} client calls/s (${r.throughput.operations}, of which ${r.throughput.failedStateRetries} repeated after "Workflow Task in failed state")`,
    `threads' own count: ${r.threadCheck.acceptedByThreads} end-user messages accepted, ${r.threadCheck.duplicatesByThreads} duplicates, ${r.threadCheck.conversationsByThreads} conversations`,
  ];
  if (r.unstored.length) lines.push(`not stored (${r.unstored.length}):`, ...r.unstored.map((u) => `  tweet ${u.tweetId}: ${u.reason}`));
  if (r.deviations.length) lines.push(`deviations from the plan (${r.deviations.length}):`, ...r.deviations.slice(0, 20).map((d) => `  ${d}`));
  if (r.errors.length) lines.push(`errors (${r.errors.length}):`, ...r.errors.slice(0, 20).map((e) => `  ${e.event}: ${e.error}`));
  if (m.unexpected.length) lines.push(`stored but never sent: ${list(m.unexpected)}`);
  if (m.storedTwice.length) lines.push(`stored more than once: ${list(m.storedTwice)}`);
  lines.push(
    r.nothingLost
      ? `nothing lost: messages in = ${m.in} = messages stored`
      : `LOST: messages in = ${m.in}, messages stored = ${m.stored}; missing: ${list(m.missing) || 'none'}; errors ${r.errors.length}; tweets accounted ${m.in + r.unstored.length} of ${r.tweets.total}`,
  );
  return lines;
}
