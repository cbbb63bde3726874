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

test('conversations with ticket and messaging triggers (session ended by a trigger, waits, tags as updates) replay deterministically', async () => {
  const { TestConfig } = await import('../helpers/config');
  const { importTriggers } = await import('../../domain/triggers');
  const { readFileSync } = await import('node:fs');
  const path = await import('node:path');
  const config = new TestConfig();
  const th = await startHarness({ config });
  try {
    const recipes = importTriggers(JSON.parse(readFileSync(path.resolve(__dirname, '../../examples/triggers/recipes.json'), 'utf8')));
    if (!recipes.ok) throw new Error('recipes do not import');
    config.set({
      triggers: recipes.triggers,
      messagingTriggers: [
        { id: 1, title: 'hello', event: 'conversation_requested', conditions: { all: [] }, actions: [{ field: 'send_message', value: 'An agent will be with you.' }, { field: 'add_tags', value: 'greeted' }] },
        { id: 2, title: 'joined', event: 'assigned_from_queue', conditions: { all: [] }, actions: [{ field: 'wait', value: 1 }, { field: 'send_message', value: 'Agent joined.' }] },
        { id: 3, title: 'refund', event: 'message_sent', conditions: { any: [{ field: 'message_text_includes_word', operator: 'includes', value: 'refund' }] }, actions: [{ field: 'add_tags', value: 'refund' }] },
      ],
    });
    const request = { type: 'request', requestId: 'det2' } as const;
    await th.parley.upsertAgent({ id: 'det-agent', status: 'online', capacity: { messaging: 2, email: 2 } });
    const threadId = `${th.prefix}-det2`;
    const r = await th.parley.ingestEndUserMessage(threadId, { message: { messageId: `${threadId}-m1`, text: 'I want a human', author: { id: 'u', email: 'u@example.com' }, cause: request } });
    await assigned(th, r.conversationId);
    await th.parley.ingestEndUserMessage(threadId, { message: { messageId: `${threadId}-m2`, text: 'refund please', author: { id: 'u' }, cause: request } });
    await new Promise((res) => setTimeout(res, 1_300));
    await th.parley.endSession(r.conversationId, { actor: { type: 'agent', id: 'det-agent' }, reason: 'agent', cause: request });
    await th.parley.updateTicket(r.conversationId, { actor: { type: 'agent', id: 'det-agent' }, cause: request, changes: { status: 'solved' } });
    await th.parley.updateTicket(r.conversationId, { actor: { type: 'agent', id: 'det-agent' }, cause: request, changes: { status: 'closed' } });
    await th.client.workflow.getHandle(`conversation:${r.conversationId}`).result();
    const view = await th.parley.getConversation(r.conversationId);
    expect(view.events.filter((e) => e.type === 'trigger_fired').length).toBeGreaterThanOrEqual(2);
    expect(view.events.filter((e) => e.type === 'messaging_trigger_fired').length).toBe(3);
    const bundle = await bundleWorkflows();
    for (const workflowId of [workflowIds.thread(threadId), `conversation:${r.conversationId}`, workflowIds.routing(th.taskQueue)]) {
      const history = await th.client.workflow.getHandle(workflowId).fetchHistory();
      await expect(Worker.runReplayHistory({ workflowBundle: bundle }, history, workflowId)).resolves.toBeUndefined();
    }
  } finally {
    await th.stop();
  }
});
