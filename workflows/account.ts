/**
 * `account` workflow (`parley:account`): the account settings (DOMAIN.md §3, §5), durable in
 * Temporal. Conversations read them through an activity at the instants the rules name (start,
 * each session end, each inactivity check). Capacity-counting settings are forwarded to routing.
 */
import {
  ApplicationFailure,
  allHandlersFinished,
  condition,
  continueAsNew,
  getExternalWorkflowHandle,
  setHandler,
  upsertMemo,
  workflowInfo,
} from '@temporalio/workflow';
import { AccountSettingsPatchSchema, DEFAULT_ACCOUNT_SETTINGS, applySettingsPatch } from '../domain/settings';
import { patchSettingsUpdate, routingOptionsSignal, settingsQuery, workflowIds, type AccountInput } from './definitions';

/** The account workflow. Runs forever; continue-as-new carries the settings. */
export async function account(input: AccountInput): Promise<void> {
  let settings = input.settings ?? DEFAULT_ACCOUNT_SETTINGS;
  let forwarding = 0;
  // Published in the memo too: readers use `describe()` (a server read) instead of a query, which
  // would need a workflow task of this single workflow for every conversation start and end.
  upsertMemo({ settings });

  setHandler(
    patchSettingsUpdate,
    async (patch) => {
      const before = settings;
      settings = applySettingsPatch(settings, AccountSettingsPatchSchema.parse(patch));
      upsertMemo({ settings });
      if (before.count_inactive_towards_capacity !== settings.count_inactive_towards_capacity) {
        forwarding += 1;
        try {
          await getExternalWorkflowHandle(workflowIds.routing(workflowInfo().taskQueue)).signal(routingOptionsSignal, {
            countInactiveTowardsCapacity: settings.count_inactive_towards_capacity,
          });
        } catch {
          // Routing not started yet: it starts with defaults and gets the option on its next change.
        } finally {
          forwarding -= 1;
        }
      }
      return settings;
    },
    {
      validator: (patch) => {
        const parsed = AccountSettingsPatchSchema.safeParse(patch);
        if (!parsed.success) throw ApplicationFailure.create({ type: 'invalid_input', message: parsed.error.message, nonRetryable: true });
      },
    },
  );
  setHandler(settingsQuery, () => settings);

  await condition(() => workflowInfo().continueAsNewSuggested);
  await condition(() => allHandlersFinished() && forwarding === 0);
  await continueAsNew<typeof account>({ settings });
}
