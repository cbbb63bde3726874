/**
 * What triggers point at: webhooks (`notification_webhook: [webhook id, body]`) and schedules
 * (`set_schedule: <schedule id>`; messaging triggers' `within_schedule` condition). Used to refuse
 * deleting something a trigger still uses, and to warn when an import names a webhook or schedule
 * that is not configured (yet).
 */
import type { MessagingTrigger } from '../domain/messagingTriggers';
import type { Trigger } from '../domain/triggers';
import type { Db } from './db';
import { parseMessagingRow, type MessagingTriggerRow } from './messagingTriggerRows';
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

/** Schedule ids a messaging trigger's `within_schedule` conditions name. */
export function messagingScheduleReferences(trigger: MessagingTrigger): string[] {
  return [...(trigger.conditions.all ?? []), ...(trigger.conditions.any ?? [])]
    .filter((c) => c.field === 'within_schedule' && (typeof c.value === 'string' || typeof c.value === 'number'))
    .map((c) => String(c.value));
}

/** Ids of the stored messaging triggers whose `within_schedule` conditions name schedule `id`. */
export function messagingTriggersReferencingSchedule(db: Db, id: string): string[] {
  const rows = db.prepare(`SELECT * FROM messaging_triggers WHERE instr(json, '"within_schedule"') > 0`).all() as MessagingTriggerRow[];
  return rows.filter((row) => messagingScheduleReferences(parseMessagingRow(row)).includes(id)).map((row) => row.id);
}

/** One warning per `within_schedule` condition naming a schedule that is not stored. */
export function unknownMessagingReferences(db: Db, triggers: Iterable<MessagingTrigger>): string[] {
  const known = new Set(db.prepare('SELECT id FROM schedules').pluck().all() as string[]);
  const warnings: string[] = [];
  for (const t of triggers) {
    for (const id of messagingScheduleReferences(t)) {
      if (!known.has(id)) warnings.push(`"${t.title}" (messaging trigger ${String(t.id)}): within_schedule names schedule "${id}", which is not configured`);
    }
  }
  return warnings;
}
