/**
 * Types shared by the engine (`engine.ts`) and its actions (`actions.ts`): the update the triggers
 * see, and the provenance, effects and field changes that come back. Re-exported by `engine.ts`.
 */
import type { CurrentUser, UpdateComment } from './conditions';
import type { TriggerTicket } from './ticket';

/** One ticket create or update, as the triggers see it. */
export interface TicketUpdate {
  /** The ticket before the update; null on create. */
  before: TriggerTicket | null;
  /** The ticket after the update, before any trigger ran. */
  after: TriggerTicket;
  /** The update's comment, if any (public reply or internal note). */
  comment: UpdateComment | null;
  /** `Create` exactly when `before` is null. */
  update_type: 'Create' | 'Change';
  /** Instant of the update, ms since the Unix epoch (for business hours). */
  now: number;
  /** Who made the update (conditions `role`, `current_user`; action `assignee_id: current_user`); null for the system. */
  current_user?: CurrentUser | null;
  /** Channel (`via_id`) of this update, for `current_via_id`; default: the ticket's `via_id`. */
  via_id?: number;
}

/** Which trigger did something (DOMAIN.md §9 rule 8). */
export interface TriggerSource {
  /** Zendesk trigger id as a string; null for a trigger without id. */
  triggerId: string | null;
  title: string;
  revision?: number;
}

export interface EffectBase {
  source: TriggerSource;
  /**
   * Stable key of the action inside this evaluation: `<trigger id or title>/<action index>`. Combine
   * it with the update's own id for an idempotency key.
   */
  key: string;
}

/** A side effect for the caller to run (through activities). Recipients are tokens as written (`requester_id`, an id...). */
export type TriggerEffect =
  | (EffectBase & { type: 'notify_user'; recipient: string; subject: string; body: string })
  | (EffectBase & { type: 'notify_group'; group: string; subject: string; body: string })
  | (EffectBase & { type: 'notify_webhook'; webhookId: string; body: string })
  | (EffectBase & { type: 'send_satisfaction_survey'; channel: 'email' | 'messaging' })
  | (EffectBase & { type: 'set_schedule'; scheduleId: string })
  | (EffectBase & { type: 'add_comment'; text: string; html: boolean; public: boolean })
  | (EffectBase & { type: 'end_session' })
  | (EffectBase & { type: 'set_routing_channel'; routingChannel: 'email'; endsSession: boolean });

/** One field an action changed. `field` is the ticket view's property (`tags`, `status`, `custom_fields_<id>`...). */
export interface FieldChange {
  field: string;
  from: unknown;
  to: unknown;
}
