/**
 * What triggers point at: webhooks (`notification_webhook: [webhook id, body]`) and schedules
 * (`set_schedule: <schedule id>`). Used to refuse deleting something a trigger still uses, and to
 * warn when an import names a webhook or schedule that is not configured (yet).
 */
import type { Trigger } from '../domain/triggers';
import type { Db } from './db';
import { parseRow, type TriggerRow } from './triggerRows';

/** What a trigger action can name. */
export type ReferenceKind = 'webhook' | 'schedule';

const ACTION_OF: Record<ReferenceKind, string> = { webhook: 'notification_webhook', schedule: 'set_schedule' };

/** Ids of the webhooks or schedules a trigger's actions name. */
export function referencesOf(trigger: Trigger, kind: ReferenceKind): string[] {
  return trigger.actions
    .filter((a) => a.field === ACTION_OF[kind])
    .map((a) => (Array.isArray(a.value) ? a.value[0] : a.value))
    .filter((v): v is string | number => typeof v === 'string' || typeof v === 'number')
    .map(String);
}

/** Ids of the stored triggers whose actions name webhook/schedule `id`. */
export function triggersReferencing(db: Db, kind: ReferenceKind, id: string): string[] {
  const rows = db.prepare('SELECT * FROM triggers WHERE instr(json, ?) > 0').all(`"${ACTION_OF[kind]}"`) as TriggerRow[];
  return rows.filter((row) => referencesOf(parseRow(row), kind).includes(id)).map((row) => row.id);
}

/** One warning per trigger action naming a webhook or schedule that is not stored. */
export function unknownReferences(db: Db, triggers: Iterable<Trigger>): string[] {
  const known = {
    webhook: new Set(db.prepare('SELECT id FROM webhooks').pluck().all() as string[]),
    schedule: new Set(db.prepare('SELECT id FROM schedules').pluck().all() as string[]),
  };
  const warnings: string[] = [];
  for (const t of triggers) {
    for (const kind of ['webhook', 'schedule'] as const) {
      for (const id of referencesOf(t, kind)) {
        if (!known[kind].has(id)) warnings.push(`"${t.title}" (trigger ${String(t.id)}): ${ACTION_OF[kind]} names ${kind} "${id}", which is not configured`);
      }
    }
  }
  return warnings;
}
