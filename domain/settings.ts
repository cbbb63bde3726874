/**
 * Account settings (DOMAIN.md §3, §5): who may end sessions, how agent-ended sessions route,
 * inactivity and auto-release. Defaults follow the public help-desk defaults where known.
 */
import { z } from 'zod';

/** Settings fields. Durations are in minutes or days as the field name says. */
const settingsShape = {
    /** Agents may end a messaging session from the composer (public default: on). */
    agents_can_end_sessions: z.boolean(),
    /** End users may end their own session (public default: off). */
    end_users_can_end_sessions: z.boolean(),
    /**
     * On: tickets whose session an agent ended switch to routing channel `email` and stay assigned.
     * Off: routing channel stays `messaging` and the ticket leaves every queue. Read at the instant
     * of each end, so it applies only to sessions ended after it was turned on (DOMAIN.md §3).
     */
    route_agent_ended_sessions_as_email: z.boolean(),
    /** Inactive messaging conversations count against messaging capacity (DOMAIN.md §5). */
    count_inactive_towards_capacity: z.boolean(),
    /** Minutes without an end-user message before a session becomes `inactive` (DOMAIN.md §5; 3–60). */
    inactivity_minutes: z.number().int().min(3).max(60),
    /** Auto-release: end the session (reason `inactivity`) once it becomes inactive. */
    end_session_when_inactive: z.boolean(),
    /** Optional message posted to the end user when inactivity ends the session (S3). */
    inactivity_closing_message: z.string().max(4000).nullable(),
    /**
     * **Ours**, interim for recipe 4 until ticket triggers land: send the CSAT survey by email when an
     * agent ends the session or the ticket is solved, at most once per conversation.
     */
    csat_on_session_end: z.boolean(),
    /** Days after `solved` before the ticket is closed (DOMAIN.md §2: default 4, max 28). */
    close_solved_after_days: z.number().int().min(1).max(28),
    /** Group given to handed-off tickets that name none (standard queue routes by group). */
    default_group_id: z.string().min(1).max(128),
};

/** Full account settings (every field required). */
export const AccountSettingsSchema = z.object(settingsShape).strict();
export type AccountSettings = z.infer<typeof AccountSettingsSchema>;

/**
 * A partial update of account settings, as accepted by `PATCH /settings`: absent keys keep their
 * current value. Unknown keys are rejected with their name.
 */
export const AccountSettingsPatchSchema = AccountSettingsSchema.partial().strict();
export type AccountSettingsPatch = z.infer<typeof AccountSettingsPatchSchema>;

/** The settings a fresh account starts with (public help-desk defaults; ours where marked). */
export const DEFAULT_ACCOUNT_SETTINGS: AccountSettings = {
  agents_can_end_sessions: true,
  end_users_can_end_sessions: false,
  route_agent_ended_sessions_as_email: false,
  count_inactive_towards_capacity: false,
  inactivity_minutes: 10,
  end_session_when_inactive: false,
  inactivity_closing_message: null,
  csat_on_session_end: true,
  close_solved_after_days: 4,
  default_group_id: 'support',
};

/** Applies a validated patch to settings; returns a new object. */
export function applySettingsPatch(current: AccountSettings, patch: AccountSettingsPatch): AccountSettings {
  const next: AccountSettings = { ...current };
  for (const [key, value] of Object.entries(patch)) {
    if (value !== undefined) (next as Record<string, unknown>)[key] = value;
  }
  return next;
}
