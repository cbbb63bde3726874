/**
 * Which search attributes a conversation must upsert (DESIGN.md "Search attributes"), computed from
 * its state and the values it upserted last time, so only changes are sent.
 */
import type { SearchAttributeUpdatePair } from '@temporalio/common';
import type { ConversationState } from '../domain/conversation';
import { SA } from '../worker/searchAttributes';

/** Returns the pairs to upsert and the new "last upserted" fingerprint map. */
export function searchAttributeUpdates(
  state: ConversationState,
  previous: Record<string, string>,
): { updates: SearchAttributeUpdatePair[]; current: Record<string, string> } {
  const t = state.ticket;
  const end = state.session.end;
  const wanted: Array<[SearchAttributeUpdatePair, string]> = [
    [{ key: SA.ThreadId, value: state.threadId }, state.threadId],
    [{ key: SA.Channel, value: 'messaging' }, 'messaging'],
    [{ key: SA.SessionState, value: state.session.state }, state.session.state],
  ];
  if (t) {
    wanted.push(
      [{ key: SA.TicketId, value: t.id }, t.id],
      [{ key: SA.TicketStatus, value: t.status }, t.status],
      [{ key: SA.RoutingChannel, value: t.routingChannel }, t.routingChannel],
      [{ key: SA.GroupId, value: t.groupId }, t.groupId],
      [{ key: SA.TicketTags, value: [...t.tags] }, JSON.stringify(t.tags)],
    );
    if (t.assigneeId) wanted.push([{ key: SA.AssigneeId, value: t.assigneeId }, t.assigneeId]);
  }
  if (end) {
    wanted.push(
      [{ key: SA.SessionEndedReason, value: end.reason }, end.reason],
      [{ key: SA.SessionEndedAt, value: new Date(end.endedAt) }, end.endedAt],
    );
  }
  const current: Record<string, string> = {};
  const updates: SearchAttributeUpdatePair[] = [];
  for (const [pair, fingerprint] of wanted) {
    current[pair.key.name] = fingerprint;
    if (previous[pair.key.name] !== fingerprint) updates.push(pair);
  }
  return { updates, current };
}
