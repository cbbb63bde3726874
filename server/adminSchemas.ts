/**
 * zod schemas of the admin API's parameters, queries and small bodies (see README "Configuration
 * store and admin API"). Trigger, schedule and webhook bodies are checked by the store itself
 * (`domain/triggers`, `domain/schedules` and `config/webhooksRepo.ts`), which reports the same
 * JSON paths.
 */
import { z } from 'zod';
import { IdSchema } from './schemas';

/** Largest `POST /admin/triggers/import` body: room for 7,000 real-sized triggers (about 1–5 KB each). */
export const MAX_IMPORT_BYTES = 16 * 1024 * 1024;

/** `:id` of a trigger, schedule or webhook. */
export const IdParams = z.object({ id: IdSchema }).strict();

/** `:revision` of `GET /admin/revisions/:revision`. */
export const RevisionParams = z.object({ revision: z.coerce.number().int().min(1) }).strict();

/** `X-Parley-Actor`: who makes the change, recorded in the revision (default `admin`). */
export const ActorHeader = z.string().trim().min(1).max(128).default('admin');

/** `GET /admin/triggers?active=true|false` (and `GET /admin/messaging_triggers`). */
export const TriggerListQuery = z.object({ active: z.enum(['true', 'false']).optional() }).strict();

/** `?mode=append|replace` of the imports (default `append`). */
export const ImportQuery = z.object({ mode: z.enum(['append', 'replace']).default('append') }).strict();

/** `GET /admin/revisions?limit=&before=`: newest first, `limit` (1–500, default 50) older than `before`. */
export const RevisionsQuery = z
  .object({ limit: z.coerce.number().int().min(1).max(500).default(50), before: z.coerce.number().int().min(1).optional() })
  .strict();

/**
 * `PUT /admin/triggers/reorder`: `{ "trigger_ids": [...] }`, the ids in their new order (positions
 * 1..n; the shape of Zendesk's former `PUT /api/v2/triggers/reorder`).
 */
export const ReorderBody = z
  .object({ trigger_ids: z.array(z.union([z.string().min(1).max(128), z.number().int().nonnegative()])).min(1).max(10_000) })
  .strict();

/** `PUT /admin/messaging_triggers/reorder`: `{ "messaging_trigger_ids": [...] }`, the ids in their new order (positions 1..n). */
export const MessagingReorderBody = z
  .object({ messaging_trigger_ids: z.array(z.union([z.string().min(1).max(128), z.number().int().nonnegative()])).min(1).max(10_000) })
  .strict();

/**
 * `PUT /admin/trigger_categories`: `{ "category_ids": [...] }` in evaluation order, or Zendesk's
 * `{ "trigger_categories": [{ id, position }] }` (sorted by position).
 */
export const CategoryOrderBody = z.union([
  z.object({ category_ids: z.array(z.union([z.string().min(1).max(128), z.number().int()]).transform(String)).max(10_000) }).strict(),
  z
    .object({ trigger_categories: z.array(z.looseObject({ id: z.union([z.string().min(1).max(128), z.number().int()]), position: z.number().int() })).max(10_000) })
    .strict()
    .transform((b) => ({ category_ids: [...b.trigger_categories].sort((x, y) => x.position - y.position).map((c) => String(c.id)) })),
], { error: 'expected {"category_ids": [ids in order]} or {"trigger_categories": [{"id", "position"}]}' });
