/**
 * Admin routes for messaging triggers (DOMAIN.md §4), registered by `server/admin.ts` inside its
 * authenticated scope; the same conventions as the ticket-trigger routes: bare or
 * `{ "messaging_trigger": {...} }` bodies, `{ "messaging_triggers": [...], "count" }` lists in
 * evaluation order, 400 with every problem's JSON path, 404 unknown id, 409 existing id or stale
 * `revision`.
 */
import type { FastifyInstance } from 'fastify';
import type { ConfigStore } from '../config/store';
import { exportMessagingTrigger } from '../domain/messagingTriggers';
import { actorOf, idOf } from './adminRequest';
import { ImportQuery, MAX_IMPORT_BYTES, MessagingReorderBody, TriggerListQuery } from './adminSchemas';
import { parseOrThrow } from './validation';

/** Registers `/messaging_triggers…` on the (prefixed, authenticated) admin scope. */
export function registerMessagingTriggerRoutes(app: FastifyInstance, store: ConfigStore): void {
  const answer = <R extends { trigger: Parameters<typeof exportMessagingTrigger>[0] }>({ trigger, ...rest }: R) => ({
    ...rest,
    messaging_trigger: exportMessagingTrigger(trigger),
  });

  app.get('/messaging_triggers', async (req) => {
    const q = parseOrThrow(TriggerListQuery, req.query, 'query');
    return store.exportMessagingTriggers(q.active === undefined ? undefined : q.active === 'true');
  });
  app.post('/messaging_triggers/import', { bodyLimit: MAX_IMPORT_BYTES }, async (req) => {
    const { mode } = parseOrThrow(ImportQuery, req.query, 'query');
    return store.importMessagingTriggers(req.body, mode, actorOf(req));
  });
  app.put('/messaging_triggers/reorder', async (req) =>
    store.reorderMessagingTriggers(parseOrThrow(MessagingReorderBody, req.body, 'reorder').messaging_trigger_ids, actorOf(req)),
  );
  app.get('/messaging_triggers/:id', async (req) => ({ messaging_trigger: exportMessagingTrigger(store.getMessagingTrigger(idOf(req))) }));
  app.post('/messaging_triggers', async (req, reply) => reply.code(201).send(answer(store.createMessagingTrigger(req.body, actorOf(req)))));
  app.put('/messaging_triggers/:id', async (req) => answer(store.updateMessagingTrigger(idOf(req), req.body, actorOf(req))));
  app.delete('/messaging_triggers/:id', async (req) => store.deleteMessagingTrigger(idOf(req), actorOf(req)));
  for (const [verb, active] of [['activate', true], ['deactivate', false]] as const) {
    app.post(`/messaging_triggers/:id/${verb}`, async (req) => answer(store.setMessagingTriggerActive(idOf(req), active, actorOf(req))));
  }
  app.get('/messaging_triggers/:id/revisions', async (req) => ({ revisions: store.messagingTriggerRevisions(idOf(req)) }));
}
