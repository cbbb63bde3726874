/**
 * `npx parley` — a small CLI over the typed client, for operators and scripts. It talks to Temporal
 * directly (not to the HTTP API): `TEMPORAL_ADDRESS` (envconfig conventions), else the `npm start`
 * dev server at `127.0.0.1:${TEMPORAL_PORT:-7233}`; task queue `PARLEY_TASK_QUEUE` (default `parley`).
 * Prints JSON. The `triggers`, `messaging-triggers` and `schedules` commands (`cliConfig.ts`) use the admin HTTP API instead.
 */
import { randomUUID } from 'node:crypto';
import { Client } from '@temporalio/client';
import { Command } from 'commander';
import { AccountSettingsPatchSchema } from '../domain/settings';
import { AgentStatusSchema } from '../domain/vocabulary';
import { parseOrThrow } from '../server/validation';
import { connectTo, loadConnectionConfig } from '../worker/connection';
import { AdminApiError } from './adminClient';
import { addConfigCommands } from './cliConfig';
import { addExplainCommand } from './cliExplain';
import { ParleyError } from './errors';
import { ParleyClient } from './parleyClient';

async function withClient<T>(fn: (parley: ParleyClient) => Promise<T>): Promise<void> {
  const config = loadConnectionConfig() ?? { address: `127.0.0.1:${process.env.TEMPORAL_PORT ?? '7233'}`, namespace: 'default' };
  const { connection, namespace, close } = await connectTo(config).catch((err: unknown) => {
    throw new Error(
      `cannot reach Temporal at ${config.address} (${err instanceof Error ? err.message.split('\n')[0] : String(err)}). ` +
        'Is `npm start` running? Set TEMPORAL_PORT, or TEMPORAL_ADDRESS for another cluster.',
    );
  });
  try {
    const parley = new ParleyClient(new Client({ connection, namespace }), process.env.PARLEY_TASK_QUEUE ?? 'parley');
    console.log(JSON.stringify(await fn(parley), null, 2));
  } finally {
    await close();
  }
}

const cause = () => ({ type: 'request' as const, requestId: `cli-${randomUUID()}` });

const program = new Command('parley').description(
  'Parley command line. Talks to Temporal directly: TEMPORAL_ADDRESS, else 127.0.0.1:$TEMPORAL_PORT (default 7233); task queue PARLEY_TASK_QUEUE (default parley).',
);

program.command('get <conversationId>').description('show a conversation: ticket, session, composer, events').action((id: string) => withClient((p) => p.getConversation(id)));

program
  .command('list')
  .description('list conversations, e.g. --query \'SessionEndedReason = "agent" AND RoutingChannel = "email"\'')
  .option('--query <visibilityQuery>')
  .option('--limit <n>', 'maximum rows', '50')
  .action((o: { query?: string; limit: string }) => withClient((p) => p.listConversations(o.query, Number(o.limit))));

program
  .command('reply <conversationId>')
  .description('post an agent reply (public, or --internal note)')
  .requiredOption('--agent <agentId>')
  .requiredOption('--text <text>')
  .option('--internal', 'internal note instead of a public reply')
  .action((id: string, o: { agent: string; text: string; internal?: boolean }) =>
    withClient((p) => p.agentReply(id, { agentId: o.agent, text: o.text, visibility: o.internal ? 'internal' : 'public', messageId: `cli-${randomUUID()}`, cause: cause() })),
  );

program
  .command('end-session <conversationId>')
  .description('end the messaging session as an agent')
  .requiredOption('--agent <agentId>')
  .action((id: string, o: { agent: string }) => withClient((p) => p.endSession(id, { actor: { type: 'agent', id: o.agent }, reason: 'agent', cause: cause() })));

program
  .command('agent <agentId>')
  .description('create or update an agent')
  .option('--status <status>', 'online | away | transfers_only | offline', 'online')
  .option('--groups <groups>', 'comma-separated group ids', 'support')
  .option('--messaging <n>', 'messaging capacity', '3')
  .option('--email <n>', 'email capacity', '10')
  .action((id: string, o: { status: string; groups: string; messaging: string; email: string }) =>
    withClient((p) =>
      p.upsertAgent({
        id,
        status: parseOrThrow(AgentStatusSchema, o.status, '--status'),
        groups: o.groups.split(',').filter(Boolean),
        capacity: { messaging: Number(o.messaging), email: Number(o.email) },
      }),
    ),
  );

program.command('routing').description('agents with capacity use, the queue, peak use').action(() => withClient((p) => p.getRouting()));

program
  .command('settings [assignments...]')
  .description('show settings, or change them: parley settings route_agent_ended_sessions_as_email=true')
  .action((assignments: string[]) =>
    withClient(async (p) => {
      if (assignments.length === 0) return p.getSettings();
      const patch = Object.fromEntries(
        assignments.map((a) => {
          const [key, ...rest] = a.split('=');
          const raw = rest.join('=');
          let value: unknown = raw;
          try {
            value = JSON.parse(raw);
          } catch {
            // not JSON: keep the string
          }
          return [key, value];
        }),
      );
      return p.patchSettings(parseOrThrow(AccountSettingsPatchSchema, patch, 'settings'));
    }),
  );

addConfigCommands(program);
addExplainCommand(program.commands.find((c) => c.name() === 'triggers')!);

program
  .command('report-ended-sessions')
  .description('DOMAIN.md §7 recipe 3: sessions ended by local day and reason (from visibility)')
  .option('--from <iso>', 'start (ISO-8601); default 7 days before --to')
  .option('--to <iso>', 'end, exclusive (ISO-8601); default now')
  .option('--time-zone <zone>', 'IANA zone for days', 'UTC')
  .action((o: { from?: string; to?: string; timeZone: string }) =>
    withClient((p) => {
      const to = o.to ? Date.parse(o.to) : Date.now();
      const from = o.from ? Date.parse(o.from) : to - 7 * 86_400_000;
      if (Number.isNaN(from) || Number.isNaN(to)) throw new Error('--from/--to: expected ISO-8601 instants, e.g. 2026-11-30T00:00:00Z');
      return p.endedSessionsReport(from, to, o.timeZone);
    }),
  );

program.parseAsync().catch((err: unknown) => {
  if (err instanceof AdminApiError) {
    const [first] = err.message.split('\n');
    console.error(err.body.issues?.length ? [first, ...err.problemLines()].join('\n') : err.problemLines().join('\n'));
  } else console.error(err instanceof ParleyError ? `${err.code}: ${err.message}` : err instanceof Error ? err.message : err);
  process.exit(1);
});
