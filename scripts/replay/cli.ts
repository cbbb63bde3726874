/**
 * The command line of `npm run replay` (commander): options, defaults and the help text that
 * documents how tweets become Parley traffic.
 */
import path from 'node:path';
import { Command, InvalidArgumentError } from 'commander';
import type { ReplayOptions } from '../replay';

/** The default input: `../shared/data/twcs/twcs_head5000_complete_threads.csv` from the repository root. */
export const DEFAULT_CSV = path.resolve(__dirname, '..', '..', '..', 'shared', 'data', 'twcs', 'twcs_head5000_complete_threads.csv');

/** Defaults of the CLI options (units as the option names say). */
export const DEFAULTS = {
  speed: 14_400,
  maxGapHours: 6,
  silenceMinutes: 30,
  capacity: 10,
  concurrency: 12,
} as const;

const HELP_AFTER = `
How tweets become Parley traffic:
  thread                 a messaging thread, id "twcs-<root tweet id>"
  customer tweet         end-user message "tw-<tweet id>" (author "tw-user-<author id>")
  brand tweet            reply of the brand's agent (agent id = brand = group; one per brand,
                         online, capacity messaging --capacity / email 50); the first one in a
                         conversation hands the conversation off to the brand's group first
  silence                after an agent reply that no tweet of the thread follows within
                         --silence, the agent ends the session at reply time + --silence
                         (reason "agent"); the customer's next tweet opens a new conversation
  brand tweet after end  stored as an internal note (requesters have no email address, so a
                         public reply after the end is refused; the composer defaults to a note)
  brand-first tweet      a brand tweet before the thread's first customer tweet: stored as an
                         internal note in the thread's first conversation, right after its first
                         message (a conversation starts with the end user)
  AI agent               answers first, as in production; when a tweet asks for a person it hands
                         off by itself, to the account's default group (no replay agent is in it)
Nothing is dropped: every tweet is stored as a message or listed under "not stored" with the reason.
The last line proves it (messages in = messages stored); the exit code is 1 when it does not hold.

Timeline: all events of all threads on one clock, sorted by created_at; each gap (cut to --max-gap)
is slept for gap / --speed. Events due together run concurrently (--concurrency), but one thread's
events always run one after another. When Parley is slower than the clock, events start late (the
report shows the lag); their order per thread never changes. Server-side timers (e.g. the 10 min
inactivity period) run in real time, not scaled.
`;

function positive(name: string, integer = false) {
  return (value: string): number => {
    const n = Number(value);
    if (!Number.isFinite(n) || n <= 0 || (integer && !Number.isInteger(n))) throw new InvalidArgumentError(`${name} must be a positive ${integer ? 'integer' : 'number'}`);
    return n;
  };
}

/** Parses the command line into {@link ReplayOptions} plus `json`. */
export function parseArgs(argv: string[]): ReplayOptions & { json: boolean } {
  const program = new Command('replay')
    .description(
      'Replay threads of the Twitter customer-support dataset through Parley: customer tweets are end-user messages, ' +
        'brand tweets are replies of one agent per brand, the first brand reply hands off, and the agent ends the ' +
        'session when the customer stays silent. Prints what was stored and proves nothing was lost. Uses ' +
        'TEMPORAL_ADDRESS (or a Temporal profile) when set, else an embedded in-memory dev server; runs its own worker.',
    )
    .argument('[csv]', 'twcs_head5000_complete_threads.csv (thread_id column) or twcs_head5000.csv (threads rebuilt)', DEFAULT_CSV)
    .option('--speed <x>', `dataset time per real time (14400 = 4 dataset hours per second): the 1,042-thread file's timeline, gaps cut to --max-gap, lasts 2.7 min; busy hours run as fast as Parley answers, so the whole run takes about 4-5 min on 2 cores`, positive('--speed'), DEFAULTS.speed)
    .option('--max-gap <hours>', 'cut any gap between consecutive timeline events to this much dataset time (a handful of tweets are months or a year older than the rest)', positive('--max-gap'), DEFAULTS.maxGapHours)
    .option('--silence <minutes>', 'dataset time the customer may stay silent after an agent reply before the agent ends the session', positive('--silence'), DEFAULTS.silenceMinutes)
    .option('--capacity <n>', 'messaging capacity of each brand agent (email capacity is 50)', positive('--capacity', true), DEFAULTS.capacity)
    .option('--no-route-as-email', 'leave route_agent_ended_sessions_as_email off (default: turned on before the run)')
    .option('--limit <n>', 'replay only the first N threads (by root tweet id)', positive('--limit', true))
    .option('--concurrency <n>', 'events in flight at once across threads (one thread is always sequential); more mostly queues work in the worker and makes workflow tasks time out on a small machine', positive('--concurrency', true), DEFAULTS.concurrency)
    .option('--json', 'print the report as JSON', false)
    .addHelpText('after', HELP_AFTER)
    .showHelpAfterError();
  program.parse(argv, { from: 'user' });
  const o = program.opts<{ speed: number; maxGap: number; silence: number; capacity: number; routeAsEmail: boolean; limit?: number; concurrency: number; json: boolean }>();
  return {
    file: path.resolve(program.args[0] ?? DEFAULT_CSV),
    speed: o.speed,
    maxGapMs: o.maxGap * 3_600_000,
    silenceMs: o.silence * 60_000,
    capacity: o.capacity,
    routeAsEmail: o.routeAsEmail,
    limit: o.limit,
    concurrency: o.concurrency,
    json: o.json,
  };
}

