/**
 * `messagingThread` workflow (`thread:<id>`): one per messaging thread (Sunshine conversation).
 * Ingress reaches it with update-with-start, so one thread's traffic is serialized here and
 * deduplicated by provider event id and message id (DOMAIN.md §9 rule 7, scenarios S10, S17).
 * It knows the current conversation; a message that arrives when there is none, or when its
 * session has ended, starts a new conversation (DOMAIN.md §3 "End user", S1, S2, S11).
 */
import {
  ApplicationFailure,
  ParentClosePolicy,
  allHandlersFinished,
  condition,
  continueAsNew,
  setHandler,
  startChild,
  workflowInfo,
} from '@temporalio/workflow';
import { local } from './activityOptions';
import { conversation } from './conversation';
import {
  conversationChangedSignal,
  ingestMessageUpdate,
  threadHandOffUpdate,
  threadQuery,
  workflowIds,
  type IngestResult,
  type ThreadInput,
  type ThreadMessageInput,
  type ThreadState,
} from './definitions';
import { serializer } from './serial';
import { jsonBytes } from '../domain/conversation';
import { SA } from '../worker/searchAttributes';


/** How many provider ids a thread remembers for deduplication (oldest forgotten first). */
export const SEEN_IDS_LIMIT = 3_000;
/** Serialized size the dedup memory may take (bytes), so the thread's state always fits one payload. */
export const SEEN_BYTES_LIMIT = 600_000;

const entryBytes = (key: string, conversationId: string): number => 2 * jsonBytes(key) + jsonBytes(conversationId) + 4;

/** Dedup keys: message ids and event ids live in separate key spaces (`m:` / `e:`), never prototype names. */
const messageKey = (messageId: string): string => `m:${messageId}`;
const eventKey = (eventId: string): string => `e:${eventId}`;

function lookup(state: ThreadState, key: string): string | undefined {
  return Object.prototype.hasOwnProperty.call(state.seen, key) ? state.seen[key] : undefined;
}

/** Remembers a provider id, forgetting the oldest beyond {@link SEEN_IDS_LIMIT} ids or {@link SEEN_BYTES_LIMIT} bytes. */
export function remember(state: ThreadState, key: string, conversationId: string): void {
  if (lookup(state, key) !== undefined) return;
  state.seen[key] = conversationId;
  state.seenOrder.push(key);
  state.seenBytes += entryBytes(key, conversationId);
  while (state.seenOrder.length > SEEN_IDS_LIMIT || state.seenBytes > SEEN_BYTES_LIMIT) {
    const oldest = state.seenOrder.shift() as string;
    state.seenBytes -= entryBytes(oldest, state.seen[oldest]);
    delete state.seen[oldest];
  }
}

/** The messaging-thread workflow. Runs for the life of the thread (continue-as-new keeps history small). */
export async function messagingThread(input: ThreadInput): Promise<void> {
  const serial = serializer();
  const state: ThreadState = input.state ?? {
    threadId: input.threadId,
    seq: 0,
    current: null,
    seen: {},
    seenOrder: [],
    seenBytes: 0,
    accepted: 0,
    duplicates: 0,
  };

  const startConversation = async (message: ThreadMessageInput['message']): Promise<string> => {
    state.seq += 1;
    const conversationId = `${state.threadId}-${state.seq}`;
    await startChild(conversation, {
      workflowId: workflowIds.conversation(conversationId),
      args: [{ conversationId, threadId: state.threadId, first: message }],
      parentClosePolicy: ParentClosePolicy.ABANDON,
      typedSearchAttributes: [
        { key: SA.ThreadId, value: state.threadId },
        { key: SA.Channel, value: 'messaging' },
        { key: SA.SessionState, value: 'active' },
      ],
    });
    state.current = { conversationId, sessionEnded: false, closed: false };
    return conversationId;
  };

  setHandler(ingestMessageUpdate, (request) =>
    serial(async (): Promise<IngestResult> => {
      const { message, eventId } = request;
      const known = lookup(state, messageKey(message.messageId)) ?? (eventId ? lookup(state, eventKey(eventId)) : undefined);
      if (known !== undefined) {
        state.duplicates += 1;
        return { status: 'duplicate', conversationId: known, messageId: message.messageId, newConversation: false };
      }
      let conversationId: string | null = null;
      let newConversation = false;
      const current = state.current;
      if (current && !current.sessionEnded && !current.closed) {
        const result = await local.deliverToConversation({
          workflowId: workflowIds.conversation(current.conversationId),
          message,
        });
        if (result.accepted) conversationId = current.conversationId;
        else if (result.reason === 'ticket_closed') current.closed = true;
        else current.sessionEnded = true;
      }
      if (conversationId === null) {
        conversationId = await startConversation(message);
        newConversation = true;
      }
      remember(state, messageKey(message.messageId), conversationId);
      if (eventId) remember(state, eventKey(eventId), conversationId);
      state.accepted += 1;
      return { status: 'accepted', conversationId, messageId: message.messageId, newConversation };
    }),
  );

  setHandler(threadHandOffUpdate, (request) =>
    serial(async () => {
      const current = state.current;
      if (!current || current.sessionEnded || current.closed) {
        throw ApplicationFailure.create({
          type: 'invalid_state',
          message: `thread ${state.threadId} has no live conversation to hand off`,
          nonRetryable: true,
        });
      }
      return local.handOffConversation({
        workflowId: workflowIds.conversation(current.conversationId),
        handOff: request.handOff,
        requestId: request.eventId ?? `${current.conversationId}:handoff`,
      });
    }),
  );

  setHandler(conversationChangedSignal, ({ conversationId, change }) => {
    if (state.current?.conversationId !== conversationId) return;
    if (change === 'session_ended') state.current.sessionEnded = true;
    else state.current.closed = true;
  });

  setHandler(threadQuery, () => state);

  await condition(() => workflowInfo().continueAsNewSuggested);
  await condition(allHandlersFinished);
  await continueAsNew<typeof messagingThread>({ threadId: state.threadId, state });
}
