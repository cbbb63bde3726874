/**
 * `npx parley triggers explain <conversationId>`: the explain endpoint (server/explain.ts) in a
 * terminal — every active trigger in order, ✓/✗ per condition with what it read, what fired and why
 * the others did not. `--set field=value`, `--add-tag`, `--remove-tag`, `--comment`, `--at` explain a
 * hypothetical update instead of the last one; `--json` prints the whole answer. HTTP API at
 * `PARLEY_URL` (default `http://127.0.0.1:${PARLEY_PORT:-8080}`) with `PARLEY_API_TOKEN` when set.
 */
import type { Command } from 'commander';
import type { Explanation } from '../config/evaluate';
import { parleyUrl } from './adminClient';

interface ExplainOptions {
  set: string[];
  addTag: string[];
  removeTag: string[];
  comment?: string;
  private?: boolean;
  at?: string;
  create?: boolean;
  json?: boolean;
  only?: string;
}

const collect = (value: string, previous: string[]): string[] => [...previous, value];

/** `field=value` pairs → an object; `null` (bare word) clears a field. */
function setOf(pairs: readonly string[]): Record<string, string | null> {
  const out: Record<string, string | null> = {};
  for (const p of pairs) {
    const i = p.indexOf('=');
    if (i <= 0) throw new Error(`--set ${p}: expected field=value, e.g. --set status=solved`);
    const value = p.slice(i + 1);
    out[p.slice(0, i)] = value === 'null' ? null : value;
  }
  return out;
}

/** Renders an explanation as text, one trigger per block. */
export function renderExplanation(e: Explanation): string {
  const lines = [
    `configuration revision ${e.configRevision}; ${e.updateType} at ${e.at}; ${e.activeTriggers} active, ${e.inactiveTriggers} inactive triggers; ${e.passes} passes`,
  ];
  if (e.skipped) lines.push(`nothing ran: ${e.skipped}`);
  if (e.updateChanges.length) lines.push(`the update changed: ${e.updateChanges.map((c) => `${c.field} ${JSON.stringify(c.from)} → ${JSON.stringify(c.to)}`).join(', ')}`);
  for (const t of e.triggers) {
    lines.push(`${String(t.order).padStart(4)}. ${t.fired ? `FIRED (pass ${t.pass})` : 'no'}  #${t.triggerId ?? '-'} ${t.title}`);
    for (const c of t.conditions) {
      const prev = c.previous === undefined ? '' : ` (was ${JSON.stringify(c.previous)})`;
      lines.push(`        ${c.result ? '✓' : '✗'} ${c.group.toUpperCase()} ${c.field} ${c.operator} ${JSON.stringify(c.value ?? null)} — is ${JSON.stringify(c.actual ?? null)}${prev}`);
    }
    for (const a of t.actions) lines.push(`        → ${a.field}: ${a.changes.map((c) => `${c.field} ${JSON.stringify(c.from)} → ${JSON.stringify(c.to)}`).join(', ') || (a.effect ? a.effect.type : '')}`);
    if (t.because) lines.push(`        because: ${t.because}`);
  }
  lines.push(`net changes: ${e.changes.map((c) => `${c.field} → ${JSON.stringify(c.to)}`).join(', ') || 'none'}; effects: ${e.effects.map((x) => x.type).join(', ') || 'none'}`);
  return lines.join('\n');
}

/** Adds `explain` to the `triggers` command group. */
export function addExplainCommand(triggers: Command): void {
  triggers
    .command('explain <conversationId>')
    .description('why triggers did (or would) fire: the last ticket update, or a hypothetical one with --set/--add-tag/--comment')
    .option('--set <field=value>', 'hypothetical: set a trigger field (repeatable), e.g. status=solved', collect, [])
    .option('--add-tag <tag>', 'hypothetical: add a tag (repeatable)', collect, [])
    .option('--remove-tag <tag>', 'hypothetical: remove a tag (repeatable)', collect, [])
    .option('--comment <text>', 'hypothetical: a public comment (with --private: an internal note)')
    .option('--private', 'the --comment is an internal note')
    .option('--at <iso>', 'hypothetical: instant of the update (default now)')
    .option('--create', 'hypothetical: explain as a ticket create')
    .option('--only <which>', 'list only the triggers that fired or did not: fired | not_fired')
    .option('--json', 'print the whole JSON answer')
    .action(async (id: string, o: ExplainOptions) => {
      const hypothetical = o.set.length > 0 || o.addTag.length > 0 || o.removeTag.length > 0 || o.comment !== undefined || o.at !== undefined || o.create === true;
      const body = hypothetical
        ? {
            ...(o.set.length ? { set: setOf(o.set) } : {}),
            ...(o.addTag.length ? { add_tags: o.addTag } : {}),
            ...(o.removeTag.length ? { remove_tags: o.removeTag } : {}),
            ...(o.comment !== undefined ? { comment: { public: !o.private, text: o.comment } } : {}),
            ...(o.at ? { at: o.at } : {}),
            ...(o.create ? { update_type: 'Create' } : {}),
          }
        : undefined;
      const base = parleyUrl(process.env);
      const headers: Record<string, string> = body ? { 'content-type': 'application/json' } : {};
      if (process.env.PARLEY_API_TOKEN) headers.authorization = `Bearer ${process.env.PARLEY_API_TOKEN}`;
      const url = `${base}/conversations/${encodeURIComponent(id)}/triggers/explain${o.only ? `?only=${encodeURIComponent(o.only)}` : ''}`;
      const res = await fetch(url, { method: body ? 'POST' : 'GET', headers, ...(body ? { body: JSON.stringify(body) } : {}) }).catch((err: Error) => {
        throw new Error(`cannot reach Parley at ${base} (${String(err.cause ?? err.message)}). Is \`npm start\` running? Set PARLEY_URL otherwise.`);
      });
      const answer = (await res.json()) as { explanation?: Explanation; message?: string; issues?: { path: string; message: string }[]; configChangedSince?: boolean; recordedRevision?: number };
      if (!res.ok) {
        for (const line of answer.issues?.map((i) => `${i.path}: ${i.message}`) ?? [answer.message ?? `HTTP ${res.status}`]) console.error(line);
        process.exitCode = 1;
        return;
      }
      if (o.json) return void console.log(JSON.stringify(answer, null, 2));
      if (answer.configChangedSince) console.log(`note: the configuration changed since this update (it used revision ${answer.recordedRevision}); below is what the current one would do`);
      const recorded = (answer as { recorded?: { triggerId: string; title: string; configRevision: number }[] }).recorded;
      if (recorded) console.log(`recorded at the time: ${recorded.map((r) => `#${r.triggerId} ${r.title}`).join('; ') || 'no trigger fired'}`);
      console.log(renderExplanation(answer.explanation!));
    });
}
