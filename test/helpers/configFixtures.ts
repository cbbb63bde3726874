/**
 * Trigger fixtures for the configuration store tests: the real Zendesk files of
 * `shared/data/zendesk-triggers/`, and large sets shaped like them (for the 7,000-trigger limit).
 */
import { mkdtempSync, readFileSync, readdirSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { importTriggers, type Trigger } from '../../domain/triggers';

/** The folder of real trigger files. */
export const TRIGGER_FILES_DIR = path.resolve(__dirname, '../../../shared/data/zendesk-triggers');

/** Every `.json` file name of {@link TRIGGER_FILES_DIR}, sorted. */
export const triggerFiles = (): string[] => readdirSync(TRIGGER_FILES_DIR).filter((f) => f.endsWith('.json')).sort();

/** A real file, parsed. */
export const loadTriggerFile = (file: string): unknown => JSON.parse(readFileSync(path.join(TRIGGER_FILES_DIR, file), 'utf8'));

/** Every trigger of the real files that loads on its own (the files' rejected triggers left out). */
export function realTriggers(): Trigger[] {
  const out: Trigger[] = [];
  for (const file of triggerFiles()) {
    const json = loadTriggerFile(file) as { triggers?: unknown[] };
    for (const item of json.triggers ?? []) {
      const r = importTriggers(item);
      if (r.ok) out.push(r.triggers[0]);
    }
  }
  return out;
}

/**
 * `n` distinct triggers shaped like the real ones: the real triggers in turn with Zendesk-like
 * 13-digit ids, unique titles and an extra tag condition each, five categories, positions 1..n;
 * every tenth carries a ~4 KB notification body. All active unless `active` says otherwise.
 */
export function manyTriggers(n: number, active = true): Record<string, unknown>[] {
  const real = realTriggers();
  const body = 'Hello {{ticket.requester.first_name}}, your request {{ticket.id}} was updated. '.repeat(50);
  return Array.from({ length: n }, (_, i) => {
    const { url: _url, id: _id, created_at: _c, updated_at: _u, raw_title: _r, ...t } = real[i % real.length];
    const actions = i % 10 === 0 ? [...t.actions, { field: 'notification_user', value: ['requester_id', `Update ${i}`, body] }] : t.actions;
    return {
      ...t,
      id: 1_500_000_000_000 + i,
      title: `${t.title} #${i}`,
      active,
      position: i + 1,
      category_id: String(1_500_000_362_360 + (i % 5)),
      conditions: { all: [...(t.conditions.all ?? []), { field: 'current_tags', operator: 'includes', value: `set_${i}` }], any: t.conditions.any ?? [] },
      actions,
    };
  });
}

/** A fresh temporary folder for a store file. */
export const tempDir = (): string => mkdtempSync(path.join(os.tmpdir(), 'parley-config-'));

/** A minimal valid trigger body. */
export const simpleTrigger = (title: string, extra: Record<string, unknown> = {}): Record<string, unknown> => ({
  title,
  conditions: { all: [{ field: 'current_tags', operator: 'includes', value: 'vip' }], any: [] },
  actions: [{ field: 'priority', value: 'high' }],
  ...extra,
});
