/**
 * What the rest of Parley reads from the configuration store (DOMAIN.md §4, §6): one consistent
 * snapshot per configuration revision. Writers live in `config/store.ts`; readers (the trigger
 * evaluation activity, the explain endpoint) only need {@link ConfigReader}.
 */
import type { ScheduleBook } from '../domain/schedules';
import type { MessagingTrigger } from '../domain/messagingTriggers';
import type { Trigger } from '../domain/triggers';

/** An outbound webhook that `notification_webhook` actions name by id (DOMAIN.md §8). */
export interface WebhookConfig {
  id: string;
  name: string;
  /** http(s) URL the JSON body is POSTed to. */
  endpoint: string;
  /** Signing secret: `base64(HMAC-SHA256(secret, timestamp + body))` (DOMAIN.md §8). */
  signingSecret: string;
}

/**
 * The whole configuration at one revision. `revision` grows by one on every accepted change
 * (any trigger, schedule or webhook); a conversation records the revision each evaluation used.
 */
export interface ConfigSnapshot {
  revision: number;
  /**
   * Every stored ticket trigger (active and inactive) as Zendesk JSON, with `id` (string or number as
   * stored), `position`, `active` and `revision` (the trigger's own revision number) filled in.
   * The same array object is returned while the revision is unchanged (the engine memoises by object).
   */
  triggers: readonly Trigger[];
  /** Trigger category ids in category order (empty: categories by ascending id). */
  categoryOrder: readonly string[];
  /** Schedules; the first is the account default (DOMAIN.md §6). Empty: no business hours configured. */
  schedules: ScheduleBook;
  webhooks: readonly WebhookConfig[];
  /**
   * Messaging triggers (DOMAIN.md §4), with `id`, `position`, `active` and `revision` filled in;
   * the same array object while the revision is unchanged. Absent = none.
   */
  messagingTriggers?: readonly MessagingTrigger[];
}

/** Read side of the configuration store. `snapshot()` must be cheap when nothing changed. */
export interface ConfigReader {
  snapshot(): ConfigSnapshot;
}
