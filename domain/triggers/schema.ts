/**
 * Ticket triggers in the exact JSON shape of the Zendesk Support REST API (DOMAIN.md §4):
 * `GET /api/v2/triggers/{id}` returns `{ "trigger": {...} }`, `GET /api/v2/triggers` returns
 * `{ "triggers": [...], "count", "next_page", "previous_page" }`, and `POST` bodies carry a bare or
 * wrapped trigger. These schemas check the structure only (types of each key); what the fields,
 * operators and values may be is checked against the catalogue by `validate.ts`.
 *
 * The parsed {@link Trigger} keeps the values exactly as written (a `via_id` of `0` stays a number,
 * `comment_is_public` may be `true` or `"true"`), so exporting gives the same JSON back.
 */
import { z } from 'zod';

/** A condition value as Zendesk writes it (string, number, boolean or null). */
export const ConditionValueSchema = z.union([z.string(), z.number(), z.boolean(), z.null()]);
export type ConditionValue = z.infer<typeof ConditionValueSchema>;

/** One condition: `{ field, operator, value }`. `value` may be absent for `changed`-like operators. */
export const ConditionSchema = z.object({
  field: z.string().min(1),
  operator: z.string().min(1),
  value: ConditionValueSchema.optional(),
});
export type Condition = z.infer<typeof ConditionSchema>;

/** An action value: a scalar, or a list (notifications: `[recipient, subject, body]`; webhooks: `[id, body]`). */
export const ActionValueSchema = z.union([
  z.string(),
  z.number(),
  z.boolean(),
  z.null(),
  z.array(z.union([z.string(), z.number()])),
]);
export type ActionValue = z.infer<typeof ActionValueSchema>;

/** One action: `{ field, value }`. */
export const ActionSchema = z.object({
  field: z.string().min(1),
  value: ActionValueSchema,
});
export type Action = z.infer<typeof ActionSchema>;

/** `conditions`: ALL (every one true) and ANY (at least one true; empty or absent = true). */
export const ConditionsSchema = z.object({
  all: z.array(ConditionSchema).optional(),
  any: z.array(ConditionSchema).optional(),
});

/**
 * One ticket trigger, as the API returns it. Only `title`, `conditions` and `actions` are required
 * (what a `POST /api/v2/triggers` body needs). `active` absent means active; `position` absent means
 * after every positioned trigger of its category.
 */
export const TriggerSchema = z.object({
  url: z.string().optional(),
  /** Zendesk ids are integers; ids are kept as written. */
  id: z.union([z.number().int().nonnegative(), z.string().min(1)]).optional(),
  title: z.string().min(1),
  active: z.boolean().optional(),
  position: z.number().int().optional(),
  /** Trigger category (Zendesk returns a string id). */
  category_id: z.union([z.string(), z.number()]).nullable().optional(),
  description: z.string().nullable().optional(),
  raw_title: z.string().optional(),
  /** True for Zendesk's standard triggers. */
  default: z.boolean().optional(),
  created_at: z.string().optional(),
  updated_at: z.string().optional(),
  conditions: ConditionsSchema,
  actions: z.array(ActionSchema).min(1),
  /** **Ours**: the trigger's revision number, carried into the firing log and causes when given. */
  revision: z.number().int().nonnegative().optional(),
});
export type Trigger = z.infer<typeof TriggerSchema>;

/** The keys of a trigger object that the model keeps (anything else is reported as ignored). */
export const TRIGGER_KEYS = [
  'url',
  'id',
  'title',
  'active',
  'position',
  'category_id',
  'description',
  'raw_title',
  'default',
  'created_at',
  'updated_at',
  'conditions',
  'actions',
  'revision',
] as const;

/** Page keys of a `GET /api/v2/triggers` list (offset and cursor pagination). */
export const TriggerPageSchema = z.object({
  count: z.number().int().nonnegative().optional(),
  next_page: z.string().nullable().optional(),
  previous_page: z.string().nullable().optional(),
  meta: z.object({ has_more: z.boolean().optional(), after_cursor: z.string().nullable().optional(), before_cursor: z.string().nullable().optional() }).optional(),
  links: z.object({ next: z.string().nullable().optional(), prev: z.string().nullable().optional() }).optional(),
});
export type TriggerPage = z.infer<typeof TriggerPageSchema>;
