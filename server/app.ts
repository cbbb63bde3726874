/**
 * Parley's HTTP API (Fastify), built on the typed client: Sunshine Conversations webhook ingest,
 * agent endpoints, routing and account settings. Bad input gets a 400 naming the JSON path; an
 * unknown conversation 404; a closed ticket 409; never a 500 for bad input.
 */
import { randomUUID } from 'node:crypto';
import Fastify, { type FastifyInstance, type FastifyRequest } from 'fastify';
import { messagesOf, ParleyError } from '../client/errors';
import type { ParleyClient } from '../client/parleyClient';
import type { ConfigStore } from '../config/store';
import type { ConfigReader } from '../config/types';
import { AgentInputSchema } from '../domain/routing';
import { AccountSettingsPatchSchema } from '../domain/settings';
import type { Actor, Cause } from '../domain/vocabulary';
import { adminRoutes } from './admin';
import { registerExplainRoutes } from './explain';
import { registerReportRoutes } from './reports';
import { registerCsatRoutes } from './csat';
import { EMPTY_CONFIG } from '../activities/triggers';
import { safeEqual } from './auth';
import { sendError } from './errors';
import { IdSchema, AgentStatusBody, InboundEmailBody, EndSessionBody, EndUserMessageBody, HandOffBody, ListQuery, ReplyBody, TicketPatchBody } from './schemas';
import { actionsOf, parseSunshineWebhook } from './sunshine';
import { parseOrThrow } from './validation';

/** Options of {@link buildServer}. */
export interface ServerOptions {
  parley: ParleyClient;
  /** Shared secret Sunshine Conversations sends in `X-API-Key`. Unset: webhooks are refused (401). */
  webhookSecret?: string;
  /** Bearer token for agent endpoints. Unset: those endpoints are open (local development). */
  apiToken?: string;
  /** Configuration store behind `/admin` (server/admin.ts). Unset: no admin routes. */
  config?: ConfigStore;
  /** Secret of the CSAT survey links (the worker's `csatSecret`); unset: no `/csat` route. */
  csatSecret?: string;
  /** What explain reads (defaults to `config`; tests may give a plain reader). */
  configReader?: ConfigReader;
  /** Bearer token of the `/admin` routes (its own; `apiToken` does not apply there). Required with `config`. */
  adminToken?: string;
  logger?: boolean | object;
}

const requestCause = (req: FastifyRequest): Cause => ({ type: 'request', requestId: String(req.id) });

/** Builds (does not start) the Fastify app. */
export function buildServer(options: ServerOptions): FastifyInstance {
  const { parley } = options;
  // maxParamLength: conversation ids are a 128-character thread id plus "-<n>".
  const app = Fastify({ logger: options.logger ?? false, genReqId: () => randomUUID(), bodyLimit: 2 * 1024 * 1024, routerOptions: { maxParamLength: 200 } });
  app.setErrorHandler((err, req, reply) => sendError(err, req, reply));
  app.setNotFoundHandler((req, reply) => reply.code(404).send({ error: 'not_found', message: `no route ${req.method} ${req.url}` }));

  app.addHook('onRequest', async (req, reply) => {
    if (!options.apiToken || req.url.startsWith('/webhooks/') || req.url.startsWith('/csat/') || req.url === '/health' || /^\/admin(?:[/?]|$)/.test(req.url)) return;
    const header = req.headers.authorization ?? '';
    if (!safeEqual(header, `Bearer ${options.apiToken}`)) {
      await reply.code(401).send({ error: 'unauthorized', message: 'missing or wrong Authorization: Bearer <token>' });
    }
  });

  app.get('/health', async () => ({ ok: true }));

  if (options.config) {
    if (!options.adminToken) throw new Error('buildServer: the admin API needs an adminToken (it is never open)');
    void app.register(adminRoutes, { prefix: '/admin', store: options.config, token: options.adminToken });
  }
  registerExplainRoutes(app, { parley, config: options.configReader ?? options.config ?? EMPTY_CONFIG });
  registerReportRoutes(app, parley);
  if (options.csatSecret) registerCsatRoutes(app, { parley, csatSecret: options.csatSecret });

  // ------------------------------------------------------------------ webhooks
  app.post('/webhooks/sunshine', async (req, reply) => {
    const key = req.headers['x-api-key'];
    if (!options.webhookSecret || typeof key !== 'string' || !safeEqual(key, options.webhookSecret)) {
      return reply.code(401).send({ error: 'unauthorized', message: 'missing or wrong X-API-Key' });
    }
    const body = parseSunshineWebhook(req.body);
    const results: Array<Record<string, unknown>> = [];
    for (const action of actionsOf(body)) {
      if (action.kind === 'message') {
        const r = await parley.ingestEndUserMessage(action.threadId, action.input);
        results.push({ eventId: action.eventId, outcome: r.status, conversationId: r.conversationId, newConversation: r.newConversation });
      } else if (action.kind === 'hand_off') {
        try {
          const ticket = await parley.handOffThread(action.threadId, action.input);
          results.push({ eventId: action.eventId, outcome: 'handed_off', ticketId: ticket.id });
        } catch (err) {
          if (!(err instanceof ParleyError)) throw err;
          results.push({ eventId: action.eventId, outcome: 'ignored', reason: err.message });
        }
      } else {
        results.push({ eventId: action.eventId, outcome: 'ignored', reason: action.reason });
      }
    }
    return { results };
  });

  // ------------------------------------------------------------------ threads
  app.addHook('preHandler', async (req) => {
    const params = req.params as Record<string, string> | undefined;
    if (params?.threadId !== undefined) parseOrThrow(IdSchema, params.threadId, 'thread id');
  });

  app.post<{ Params: { threadId: string } }>('/threads/:threadId/messages', async (req) => {
    const body = parseOrThrow(EndUserMessageBody, req.body, 'end-user message');
    return parley.ingestEndUserMessage(req.params.threadId, {
      message: { ...body, cause: { type: 'message', messageId: body.messageId } },
    });
  });

  app.post<{ Params: { threadId: string } }>('/threads/:threadId/handoff', async (req) => {
    const body = parseOrThrow(HandOffBody, req.body ?? {}, 'hand-off');
    return parley.handOffThread(req.params.threadId, { eventId: `api-${req.id}`, handOff: handOffInput(body, req) });
  });

  app.get<{ Params: { threadId: string } }>('/threads/:threadId', async (req) => parley.getThread(req.params.threadId));

  // ------------------------------------------------------------------ conversations
  app.get('/conversations', async (req) => {
    const q = parseOrThrow(ListQuery, req.query, 'conversation list query');
    try {
      return { conversations: await parley.listConversations(q.query, q.limit) };
    } catch (err) {
      const detail = messagesOf(err);
      if (/invalid|syntax|unknown|not a valid|not defined|unable to parse/i.test(detail)) {
        throw new ParleyError('invalid_input', `query: ${detail.split(' | ').filter(Boolean).pop()}`);
      }
      throw err;
    }
  });

  app.get<{ Params: { id: string } }>('/conversations/:id', async (req) => parley.getConversation(req.params.id));

  app.post<{ Params: { id: string } }>('/conversations/:id/handoff', async (req) => {
    const body = parseOrThrow(HandOffBody, req.body ?? {}, 'hand-off');
    return parley.handOffConversation(req.params.id, handOffInput(body, req), String(req.id));
  });

  app.post<{ Params: { id: string } }>('/conversations/:id/replies', async (req) => {
    const body = parseOrThrow(ReplyBody, req.body, 'reply');
    const idempotencyKey = req.headers['idempotency-key'];
    const messageId = body.messageId ?? (typeof idempotencyKey === 'string' && idempotencyKey ? `api-${idempotencyKey}` : `api-${req.id}`);
    return parley.agentReply(req.params.id, {
      agentId: body.agentId,
      text: body.text,
      visibility: body.visibility,
      messageId,
      cause: requestCause(req),
    });
  });

  app.post<{ Params: { id: string } }>('/conversations/:id/emails', async (req) => {
    const body = parseOrThrow(InboundEmailBody, req.body, 'email');
    return parley.receiveEmail(req.params.id, { ...body, cause: requestCause(req) });
  });

  app.post<{ Params: { id: string } }>('/conversations/:id/end-session', async (req) => {
    const body = parseOrThrow(EndSessionBody, req.body ?? {}, 'end session');
    const actor: Actor =
      body.reason === 'agent'
        ? { type: 'agent', id: body.agentId as string }
        : body.reason === 'end_user'
          ? { type: 'end_user', id: body.endUserId as string }
          : body.reason === 'trigger'
            ? { type: 'trigger', id: body.triggerId as string }
            : { type: 'system' };
    const cause: Cause = body.reason === 'trigger' ? { type: 'trigger', triggerId: body.triggerId as string } : requestCause(req);
    return parley.endSession(req.params.id, {
      actor,
      reason: body.reason,
      cause,
      ...(body.routingChannel ? { routingChannel: body.routingChannel } : {}),
    });
  });

  app.patch<{ Params: { id: string } }>('/conversations/:id/ticket', async (req) => {
    const body = parseOrThrow(TicketPatchBody, req.body, 'ticket change');
    const { agentId, ...changes } = body;
    return parley.updateTicket(req.params.id, { actor: { type: 'agent', id: agentId }, cause: requestCause(req), changes });
  });

  // ------------------------------------------------------------------ agents, routing, settings
  app.get('/agents', async () => ({ agents: (await parley.getRouting()).agents }));
  app.put<{ Params: { agentId: string } }>('/agents/:agentId', async (req) => {
    const body = parseOrThrow(AgentInputSchema, { ...(req.body as object), id: req.params.agentId }, 'agent');
    return parley.upsertAgent(body);
  });
  app.put<{ Params: { agentId: string } }>('/agents/:agentId/status', async (req) => {
    const body = parseOrThrow(AgentStatusBody, req.body, 'agent status');
    return parley.setAgentStatus(req.params.agentId, body.status);
  });
  app.get('/routing', async () => parley.getRouting());
  app.get('/settings', async () => parley.getSettings());
  app.patch('/settings', async (req) => parley.patchSettings(parseOrThrow(AccountSettingsPatchSchema, req.body, 'settings')));

  return app;
}

function handOffInput(body: ReturnType<typeof HandOffBody.parse>, req: FastifyRequest) {
  return {
    actor: body.agentId ? ({ type: 'agent', id: body.agentId } as const) : ({ type: 'system' } as const),
    cause: requestCause(req),
    ...(body.groupId ? { groupId: body.groupId } : {}),
    ...(body.priority ? { priority: body.priority } : {}),
    ...(body.subject ? { subject: body.subject } : {}),
    ...(body.tags ? { tags: body.tags } : {}),
  };
}
