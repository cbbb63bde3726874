/**
 * `npx parley triggers …`, `npx parley messaging-triggers …` and `npx parley schedules …`: the configuration store through the admin
 * HTTP API (unlike the other commands, which talk to Temporal): `PARLEY_URL` (default
 * `http://127.0.0.1:8080`), `PARLEY_ADMIN_TOKEN` or `<PARLEY_DATA_DIR>/admin-token`. Changes are
 * recorded with actor `cli:<user>`. A rejected import prints one problem per line and exits 1.
 */
import { readFileSync, writeFileSync } from 'node:fs';
import { userInfo } from 'node:os';
import type { Command } from 'commander';
import { DEFAULT_DATA_DIR } from '../worker/config';
import { AdminClient, adminClientOptionsFromEnv } from './adminClient';

type Json = Record<string, unknown>;

const admin = (): AdminClient =>
  new AdminClient(adminClientOptionsFromEnv(process.env, process.env.PARLEY_DATA_DIR ?? DEFAULT_DATA_DIR, `cli:${userInfo().username}`));

/**
 * The text of a JSON file (sent as is).
 * @throws Error naming the file when it cannot be read or is not JSON.
 */
function readJsonFile(file: string): string {
  const text = readFileSync(file, 'utf8');
  try {
    JSON.parse(text);
  } catch (err) {
    throw new Error(`${file}: not JSON (${(err as Error).message})`);
  }
  return text;
}

const modeOf = (mode: string): string => {
  if (mode !== 'append' && mode !== 'replace') throw new Error(`--mode: "${mode}" is not allowed; allowed: append, replace`);
  return mode;
};

const printWarnings = (warnings: unknown): void => {
  for (const w of (warnings as string[] | undefined) ?? []) console.log(`warning: ${w}`);
};

/** One line per revision, newest first (`triggers revisions`, `messaging-triggers revisions`). */
const printRevisions = (revisions: Json[]): void => {
  for (const v of revisions) {
    const own = v.trigger_revision === undefined ? '' : ` (trigger rev ${String(v.trigger_revision)})`;
    console.log(`#${String(v.revision)}${own}  ${String(v.at)}  ${String(v.actor)}  ${String(v.action)}  ${String(v.summary)}`);
  }
};

/** Adds the `triggers`, `messaging-triggers` and `schedules` command groups to `program`. */
export function addConfigCommands(program: Command): void {
  const triggers = program.command('triggers').description('ticket triggers in the configuration store (admin API: PARLEY_URL, PARLEY_ADMIN_TOKEN)');

  triggers
    .command('import <file>')
    .description('import a Zendesk trigger file (bare, {"trigger"} or {"triggers": [...]}); all or nothing')
    .option('--mode <mode>', 'append (add, update by id) | replace (the file becomes the whole set)', 'append')
    .action(async (file: string, o: { mode: string }) => {
      const r = await admin().request<Json>('POST', `/triggers/import?mode=${modeOf(o.mode)}`, readJsonFile(file));
      console.log(
        `${file} (${String(r.mode)}): ${String(r.created)} created, ${String(r.updated)} updated, ${String(r.unchanged)} unchanged, ${String(r.deleted)} deleted; ` +
          `${String(r.active)} active triggers; ${r.revision === null ? 'nothing changed' : `revision ${String(r.revision)}`}`,
      );
      printWarnings(r.warnings);
    });

  triggers
    .command('export')
    .description('every trigger as {"triggers": [...], "count": n} in evaluation order')
    .option('--out <file>', 'write to a file instead of standard output')
    .action(async (o: { out?: string }) => {
      const r = await admin().request<Json>('GET', '/triggers');
      const text = `${JSON.stringify(r, null, 2)}\n`;
      if (!o.out) return void process.stdout.write(text);
      writeFileSync(o.out, text);
      console.log(`${String(r.count)} triggers written to ${o.out}`);
    });

  triggers
    .command('list')
    .description('one line per trigger: id, state, category, position, revision, title (evaluation order)')
    .action(async () => {
      const r = await admin().request<{ triggers: Json[] }>('GET', '/triggers');
      for (const t of r.triggers) {
        const cells = [String(t.id), t.active === false ? 'inactive' : 'active', `category ${String(t.category_id ?? '-')}`, `pos ${String(t.position)}`, `rev ${String(t.revision)}`];
        console.log(`${cells.map((c, i) => c.padEnd([14, 9, 22, 9, 7][i])).join(' ')} ${String(t.title)}`);
      }
      console.log(`${r.triggers.length} triggers`);
    });

  triggers
    .command('revisions [id]')
    .description('who changed what and when: every revision, or one trigger\'s history')
    .option('--limit <n>', 'revisions to show (all of a trigger\'s)', '20')
    .action(async (id: string | undefined, o: { limit: string }) => {
      const path = id === undefined ? `/revisions?limit=${encodeURIComponent(o.limit)}` : `/triggers/${encodeURIComponent(id)}/revisions`;
      printRevisions((await admin().request<{ revisions: Json[] }>('GET', path)).revisions);
    });

  addMessagingTriggerCommands(program);

  const schedules = program.command('schedules').description('business-hours schedules in the configuration store (admin API)');

  schedules
    .command('import <file>')
    .description('import schedules: a JSON list, or Zendesk\'s {"schedules": [...]} (with its holidays map); all or nothing')
    .option('--mode <mode>', 'append (add, update by id) | replace (the file becomes the whole set; its first is the default)', 'append')
    .action(async (file: string, o: { mode: string }) => {
      const r = await admin().request<Json>('POST', `/schedules/import?mode=${modeOf(o.mode)}`, readJsonFile(file));
      console.log(
        `${file} (${String(r.mode)}): ${String(r.created)} created, ${String(r.updated)} updated, ${String(r.unchanged)} unchanged, ${String(r.deleted)} deleted; ` +
          `default ${String(r.default_schedule_id)}; ${r.revision === null ? 'nothing changed' : `revision ${String(r.revision)}`}`,
      );
      printWarnings(r.warnings);
    });

  schedules
    .command('list')
    .description('one line per schedule: id, name, time zone; the default first')
    .action(async () => {
      const r = await admin().request<{ schedules: Json[]; default_schedule_id: string | null }>('GET', '/schedules');
      for (const s of r.schedules) {
        console.log(`${String(s.id).padEnd(14)} ${String(s.name)}  (${String(s.time_zone)})${String(s.id) === r.default_schedule_id ? '  default' : ''}`);
      }
      console.log(`${r.schedules.length} schedules`);
    });
}

/** `parley messaging-triggers import|export|list|revisions`, as `parley triggers …` for messaging triggers (DOMAIN.md §4). */
function addMessagingTriggerCommands(program: Command): void {
  const messaging = program.command('messaging-triggers').description('messaging triggers in the configuration store (admin API: PARLEY_URL, PARLEY_ADMIN_TOKEN)');

  messaging
    .command('import <file>')
    .description('import messaging triggers (bare, {"messaging_trigger"} or {"messaging_triggers": [...]}); all or nothing')
    .option('--mode <mode>', 'append (add, update by id) | replace (the file becomes the whole set)', 'append')
    .action(async (file: string, o: { mode: string }) => {
      const r = await admin().request<Json>('POST', `/messaging_triggers/import?mode=${modeOf(o.mode)}`, readJsonFile(file));
      console.log(
        `${file} (${String(r.mode)}): ${String(r.created)} created, ${String(r.updated)} updated, ${String(r.unchanged)} unchanged, ${String(r.deleted)} deleted; ` +
          `${String(r.active)} active messaging triggers; ${r.revision === null ? 'nothing changed' : `revision ${String(r.revision)}`}`,
      );
      printWarnings(r.warnings);
    });

  messaging
    .command('export')
    .description('every messaging trigger as {"messaging_triggers": [...], "count": n} in evaluation order')
    .option('--out <file>', 'write to a file instead of standard output')
    .action(async (o: { out?: string }) => {
      const r = await admin().request<Json>('GET', '/messaging_triggers');
      const text = `${JSON.stringify(r, null, 2)}\n`;
      if (!o.out) return void process.stdout.write(text);
      writeFileSync(o.out, text);
      console.log(`${String(r.count)} messaging triggers written to ${o.out}`);
    });

  messaging
    .command('list')
    .description('one line per messaging trigger: id, state, event, position, revision, title (evaluation order)')
    .action(async () => {
      const r = await admin().request<{ messaging_triggers: Json[] }>('GET', '/messaging_triggers');
      for (const t of r.messaging_triggers) {
        const cells = [String(t.id), t.active === false ? 'inactive' : 'active', String(t.event), `pos ${String(t.position)}`, `rev ${String(t.revision)}`];
        console.log(`${cells.map((c, i) => c.padEnd([14, 9, 23, 9, 7][i])).join(' ')} ${String(t.title)}`);
      }
      console.log(`${r.messaging_triggers.length} messaging triggers`);
    });

  messaging
    .command('revisions <id>')
    .description("one messaging trigger's history: who changed what and when")
    .action(async (id: string) => {
      printRevisions((await admin().request<{ revisions: Json[] }>('GET', `/messaging_triggers/${encodeURIComponent(id)}/revisions`)).revisions);
    });
}
