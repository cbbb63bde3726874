/**
 * Admin routes for business-hours schedules and outbound webhooks (registered by `server/admin.ts`
 * inside its authenticated scope). Webhook secrets appear only in the create answer and in
 * `GET /admin/webhooks/:id/signing_secret` (Zendesk's shape: `{ signing_secret: { algorithm, secret } }`).
 */
import type { FastifyInstance } from 'fastify';
import type { ConfigStore } from '../config/store';
import { actorOf, idOf } from './adminRequest';
import { ImportQuery } from './adminSchemas';
import { parseOrThrow } from './validation';

/** Registers `/schedules…` and `/webhooks…` on the (prefixed, authenticated) admin scope. */
export function registerScheduleAndWebhookRoutes(app: FastifyInstance, store: ConfigStore): void {
  app.get('/schedules', async () => store.listSchedules());
  app.post('/schedules/import', async (req) => {
    const { mode } = parseOrThrow(ImportQuery, req.query, 'query');
    return store.importSchedules(req.body, mode, actorOf(req));
  });
  app.get('/schedules/:id', async (req) => ({ schedule: store.getSchedule(idOf(req)) }));
  app.post('/schedules', async (req, reply) => reply.code(201).send(store.createSchedule(req.body, actorOf(req))));
  app.put('/schedules/:id', async (req) => store.updateSchedule(idOf(req), req.body, actorOf(req)));
  app.delete('/schedules/:id', async (req) => store.deleteSchedule(idOf(req), actorOf(req)));
  app.put('/schedules/:id/default', async (req) => {
    const r = store.setDefaultSchedule(idOf(req), actorOf(req));
    return { ...r, default_schedule_id: store.listSchedules().default_schedule_id };
  });

  app.get('/webhooks', async () => ({ webhooks: store.listWebhooks() }));
  app.get('/webhooks/:id', async (req) => ({ webhook: store.getWebhook(idOf(req)) }));
  app.get('/webhooks/:id/signing_secret', async (req) => ({ signing_secret: { algorithm: 'SHA256', secret: store.webhookSecret(idOf(req)) } }));
  app.post('/webhooks', async (req, reply) => reply.code(201).send(store.createWebhook(req.body, actorOf(req))));
  app.put('/webhooks/:id', async (req) => store.updateWebhook(idOf(req), req.body, actorOf(req)));
  app.delete('/webhooks/:id', async (req) => store.deleteWebhook(idOf(req), actorOf(req)));
}
