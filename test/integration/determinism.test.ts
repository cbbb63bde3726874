/**
 * Replay test: the histories of real runs (thread, conversation, routing, account) replay against
 * the current workflow bundle without non-determinism errors.
 */
import { Worker } from '@temporalio/worker';
import { bundleWorkflows } from '../../worker/worker';
import { workflowIds } from '../../workflows/definitions';
import { assigned, startHarness, type Harness } from '../helpers/parley';

let h: Harness;
beforeAll(async () => {
  h = await startHarness();
});
afterAll(async () => h?.stop());

test('a full lifecycle replays deterministically (thread, conversation, routing, account)', async () => {
  const request = { type: 'request', requestId: 'det' } as const;
  const threadId = `${h.prefix}-det`;
  await h.parley.upsertAgent({ id: 'det-agent', status: 'online', capacity: { messaging: 2, email: 2 } });
  const r = await h.parley.ingestEndUserMessage(threadId, { message: { messageId: `${threadId}-m1`, text: 'hello', author: { id: 'u', email: 'u@example.com' }, cause: request } });
  await h.parley.handOffThread(threadId, { eventId: `${threadId}-h`, handOff: { actor: { type: 'system' }, cause: request } });
  await assigned(h, r.conversationId);
  await h.parley.agentReply(r.conversationId, { agentId: 'det-agent', text: 'hi', visibility: 'public', messageId: `${threadId}-r1`, cause: request });
  await h.parley.endSession(r.conversationId, { actor: { type: 'agent', id: 'det-agent' }, reason: 'agent', cause: request });
  await h.parley.ingestEndUserMessage(threadId, { message: { messageId: `${threadId}-m2`, text: 'thanks', author: { id: 'u' }, cause: request } });
  await h.parley.updateTicket(r.conversationId, { actor: { type: 'agent', id: 'det-agent' }, cause: request, changes: { status: 'closed' } });
  await h.client.workflow.getHandle(`conversation:${r.conversationId}`).result();

  const ids = [workflowIds.thread(threadId), `conversation:${r.conversationId}`, workflowIds.routing(h.taskQueue), workflowIds.account(h.taskQueue)];
  const bundle = await bundleWorkflows();
  for (const workflowId of ids) {
    const history = await h.client.workflow.getHandle(workflowId).fetchHistory();
    expect(history.events?.length).toBeGreaterThan(3);
    await expect(Worker.runReplayHistory({ workflowBundle: bundle }, history, workflowId)).resolves.toBeUndefined();
  }
});
