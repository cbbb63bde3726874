/**
 * Parley's custom search attributes (DESIGN.md "Search attributes"): operators filter on these in
 * the Web UI, and visibility queries use them.
 *
 * Workflows import the keys from here, so this module must stay workflow-sandbox safe: it imports
 * only from `@temporalio/common`. Registration against a cluster lives in `./ensureSearchAttributes`.
 *
 * Usage in a workflow:
 *   upsertSearchAttributes([{ key: TicketStatusKey, value: 'open' }]);
 *   upsertSearchAttributes([{ key: SA.TicketTags, value: ['vip'] }]);
 */
import { defineSearchAttributeKey, SearchAttributeType } from '@temporalio/common';

export const TicketStatusKey = defineSearchAttributeKey('TicketStatus', SearchAttributeType.KEYWORD);
export const SessionStateKey = defineSearchAttributeKey('SessionState', SearchAttributeType.KEYWORD);
export const SessionEndedReasonKey = defineSearchAttributeKey('SessionEndedReason', SearchAttributeType.KEYWORD);
export const RoutingChannelKey = defineSearchAttributeKey('RoutingChannel', SearchAttributeType.KEYWORD);
export const ChannelKey = defineSearchAttributeKey('Channel', SearchAttributeType.KEYWORD);
export const AssigneeIdKey = defineSearchAttributeKey('AssigneeId', SearchAttributeType.KEYWORD);
export const GroupIdKey = defineSearchAttributeKey('GroupId', SearchAttributeType.KEYWORD);
export const ThreadIdKey = defineSearchAttributeKey('ThreadId', SearchAttributeType.KEYWORD);
export const TicketIdKey = defineSearchAttributeKey('TicketId', SearchAttributeType.KEYWORD);
export const TicketTagsKey = defineSearchAttributeKey('TicketTags', SearchAttributeType.KEYWORD_LIST);
export const SessionEndedAtKey = defineSearchAttributeKey('SessionEndedAt', SearchAttributeType.DATETIME);

/** All Parley search attribute keys, by attribute name (e.g. `SA.TicketStatus`). */
export const SA = {
  TicketStatus: TicketStatusKey,
  SessionState: SessionStateKey,
  SessionEndedReason: SessionEndedReasonKey,
  RoutingChannel: RoutingChannelKey,
  Channel: ChannelKey,
  AssigneeId: AssigneeIdKey,
  GroupId: GroupIdKey,
  ThreadId: ThreadIdKey,
  TicketId: TicketIdKey,
  TicketTags: TicketTagsKey,
  SessionEndedAt: SessionEndedAtKey,
} as const;

/** Search attribute type names as the Temporal CLI spells them (`--search-attribute Name=Type`). */
export type CliSearchAttributeType = 'Keyword' | 'KeywordList' | 'Datetime';

const CLI_TYPE_NAMES: Partial<Record<SearchAttributeType, CliSearchAttributeType>> = {
  [SearchAttributeType.KEYWORD]: 'Keyword',
  [SearchAttributeType.KEYWORD_LIST]: 'KeywordList',
  [SearchAttributeType.DATETIME]: 'Datetime',
};

function cliTypeName(type: SearchAttributeType): CliSearchAttributeType {
  const name = CLI_TYPE_NAMES[type];
  if (name === undefined) throw new Error(`No CLI type name for search attribute type ${type}`);
  return name;
}

/**
 * Every Parley search attribute with its CLI type name, for the dev server's
 * `--search-attribute Name=Type` flags. (9 Keyword, 1 KeywordList, 1 Datetime: within the SQL
 * visibility limit of 10 Keyword and 3 of each other type per namespace.)
 */
export const PARLEY_SEARCH_ATTRIBUTES: ReadonlyArray<{ name: string; type: CliSearchAttributeType }> = Object.values(
  SA,
).map((key) => ({ name: key.name, type: cliTypeName(key.type) }));
