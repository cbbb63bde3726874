/**
 * Messaging triggers as JSON (DOMAIN.md §4; the shape is **ours**, close to ticket triggers):
 *
 * ```json
 * { "id": 1, "title": "After hours", "active": true, "position": 1,
 *   "event": "conversation_requested",
 *   "conditions": { "all": [{ "field": "in_business_hours", "operator": "is", "value": false }] },
 *   "actions": [{ "field": "send_message", "value": "We're closed now" }, { "field": "wait", "value": 30 }] }
 * ```
 *
 * These schemas check the structure only (the type of each key); which events, fields, operators
 * and values are allowed is checked against the catalogue by `validate.ts`. Values are kept as
 * written, so exporting gives the same JSON back.
 */
import { z } from 'zod';

const IdSchema = z.union([z.number().int().nonnegative(), z.string().min(1).max(128)]);

/** A condition value: scalar, or a list of texts (days, tags). */
export const MessagingConditionValueSchema = z.union([z.string(), z.number(), z.boolean(), z.null(), z.array(z.string())]);
export type MessagingConditionValue = z.infer<typeof MessagingConditionValueSchema>;

/**
 * One condition: `{ field, operator, value }`, plus `time_zone` (hour_of_day, day_of_week) or
 * `group_id` (group_status, queue_size) where the catalogue allows them. Other keys are rejected.
 */
export const MessagingConditionSchema = z
  .object({
    field: z.string().min(1),
    operator: z.string().min(1),
    value: MessagingConditionValueSchema.optional(),
    time_zone: z.string().min(1).max(100).optional(),
    group_id: IdSchema.optional(),
  })
  .strict();
export type MessagingCondition = z.infer<typeof MessagingConditionSchema>;

/** An action value: text, a number (wait seconds), a list of tags, or `{ text }` (send_message). */
export const MessagingActionValueSchema = z.union([
  z.string(),
  z.number(),
  z.array(z.string()),
  z.object({ text: z.string() }).strict(),
]);
export type MessagingActionValue = z.infer<typeof MessagingActionValueSchema>;

/** One action: `{ field, value }`. */
export const MessagingActionSchema = z.object({ field: z.string().min(1), value: MessagingActionValueSchema }).strict();
export type MessagingAction = z.infer<typeof MessagingActionSchema>;

/** ALL (every condition true) or ANY (at least one); giving both non-empty is refused by validation. */
export const MessagingConditionsSchema = z
  .object({
    all: z.array(MessagingConditionSchema).optional(),
    any: z.array(MessagingConditionSchema).optional(),
  })
  .strict();
export type MessagingConditions = z.infer<typeof MessagingConditionsSchema>;

/**
 * One messaging trigger. `active` absent means active; `position` absent sorts after every
 * positioned trigger. `conditions` may be empty (`{}`): the trigger then fires on every event of
 * its kind (**ours**).
 */
export const MessagingTriggerSchema = z.object({
  url: z.string().optional(),
  id: IdSchema.optional(),
  title: z.string().min(1).max(500),
  active: z.boolean().optional(),
  position: z.number().int().optional(),
  description: z.string().nullable().optional(),
  created_at: z.string().optional(),
  updated_at: z.string().optional(),
  /** Event name; checked against the catalogue. */
  event: z.string().min(1),
  conditions: MessagingConditionsSchema,
  actions: z.array(MessagingActionSchema).min(1),
  /** **Ours**: revision number, carried into firings for provenance (DOMAIN.md §9 rule 8). */
  revision: z.number().int().nonnegative().optional(),
});
export type MessagingTrigger = z.infer<typeof MessagingTriggerSchema>;

/** Keys of a trigger object the model keeps; others are reported as ignored. */
export const MESSAGING_TRIGGER_KEYS: readonly (keyof MessagingTrigger)[] = [
  'url',
  'id',
  'title',
  'active',
  'position',
  'description',
  'created_at',
  'updated_at',
  'event',
  'conditions',
  'actions',
  'revision',
];
