/**
 * The admin API under `/admin` (Fastify plugin): triggers, their import/export and history, trigger
 * categories, messaging triggers, schedules, webhooks and the configuration summary, all backed by the configuration
 * store. Every route needs `Authorization: Bearer <admin token>` (compared in constant time);
 * `X-Parley-Actor` names who makes a change (default `admin`). Errors: 400 with every problem's
 * JSON path, 401, 404 unknown id, 409 exists/in use/stale revision — never a 500 for bad input.
 */
import type { FastifyInstance } from 'fastify';
import type { ConfigStore } from '../config/store';
import { exportTrigger } from '../domain/triggers';
import { registerScheduleAndWebhookRoutes } from './adminConfig';
import { registerMessagingTriggerRoutes } from './adminMessagingTriggers';
import { actorOf, idOf } from './adminRequest';
import { CategoryOrderBody, ImportQuery, MAX_IMPORT_BYTES, ReorderBody, RevisionParams, RevisionsQuery, TriggerListQuery } from './adminSchemas';
import { safeEqual } from './auth';
import { parseOrThrow } from './validation';

/** Options of {@link adminRoutes}. */
export interface AdminOptions {
  store: ConfigStore;
  /** Bearer token every admin request must carry. */
  token: string;
}

/** Registers the admin routes; mount with `{ prefix: '/admin' }`. */
export async function adminRoutes(app: FastifyInstance, options: AdminOptions): Promise<void> {
  const { store } = options;
  app.addHook('onRequest', async (req, reply) => {
    if (!safeEqual(req.headers.authorization ?? '', `Bearer ${options.token}`)) {
      await reply.code(401).send({ error: 'unauthorized', message: 'missing or wrong Authorization: Bearer <admin token> (PARLEY_ADMIN_TOKEN, or the admin-token file in the data folder)' });
    }
  });

  app.get('/config', async () => store.summary());

  // ------------------------------------------------------------------ triggers
  app.get('/triggers', async (req) => {
    const q = parseOrThrow(TriggerListQuery, req.query, 'query');
    return store.exportTriggers(q.active === undefined ? undefined : q.active === 'true');
  });
  app.post('/triggers/import', { bodyLimit: MAX_IMPORT_BYTES }, async (req) => {
    const { mode } = parseOrThrow(ImportQuery, req.query, 'query');
    return store.importTriggers(req.body, mode, actorOf(req));
  });
  app.put('/triggers/reorder', async (req) => store.reorderTriggers(parseOrThrow(ReorderBody, req.body, 'reorder').trigger_ids, actorOf(req)));
  app.get('/triggers/:id', async (req) => ({ trigger: exportTrigger(store.getTrigger(idOf(req))) }));
  app.post('/triggers', async (req, reply) => {
    const r = store.createTrigger(req.body, actorOf(req));
    return reply.code(201).send({ ...r, trigger: exportTrigger(r.trigger) });
  });
  app.put('/triggers/:id', async (req) => {
    const r = store.updateTrigger(idOf(req), req.body, actorOf(req));
    return { ...r, trigger: exportTrigger(r.trigger) };
  });
  app.delete('/triggers/:id', async (req) => store.deleteTrigger(idOf(req), actorOf(req)));
  for (const [verb, active] of [['activate', true], ['deactivate', false]] as const) {
    app.post(`/triggers/:id/${verb}`, async (req) => {
      const r = store.setTriggerActive(idOf(req), active, actorOf(req));
      return { ...r, trigger: exportTrigger(r.trigger) };
    });
  }
  app.get('/triggers/:id/revisions', async (req) => ({ revisions: store.triggerRevisions(idOf(req)) }));

  app.get('/trigger_categories', async () => ({ category_ids: store.snapshot().categoryOrder }));
  app.put('/trigger_categories', async (req) => store.setCategoryOrder(parseOrThrow(CategoryOrderBody, req.body, 'category order').category_ids, actorOf(req)));

  // ------------------------------------------------------------------ history
  app.get('/revisions', async (req) => {
    const q = parseOrThrow(RevisionsQuery, req.query, 'query');
    const revisions = store.revisions(q.limit, q.before);
    const last = revisions.at(-1);
    return { revisions, next_before: revisions.length === q.limit && last && last.revision > 1 ? last.revision : null };
  });
  app.get('/revisions/:revision', async (req) => store.revisionDetail(parseOrThrow(RevisionParams, req.params, 'path').revision));

  registerMessagingTriggerRoutes(app, store);
  registerScheduleAndWebhookRoutes(app, store);
}
