/** zod schemas of the agent/admin HTTP API bodies (see README "HTTP API"). */
import { z } from 'zod';
import { MAX_MESSAGE_TEXT_CHARS } from '../domain/conversation';
import { AgentStatusSchema, PrioritySchema, SessionEndedReasonSchema, TicketStatusSchema } from '../domain/vocabulary';

/** Ids from outside (threads, messages, agents, groups): 1–128 characters (**ours**). */
export const IdSchema = z.string().min(1).max(128);
const id = IdSchema;

/** `POST /threads/:threadId/messages`: an end-user message through the API (no webhook). */
export const EndUserMessageBody = z
  .object({
    messageId: id,
    text: z.string().max(MAX_MESSAGE_TEXT_CHARS),
    author: z.object({ id, name: z.string().max(200).optional(), email: z.email().optional() }).strict(),
    providerAt: z.iso.datetime().optional(),
  })
  .strict();

/** `POST /threads/:threadId/handoff` and `POST /conversations/:id/handoff`. */
export const HandOffBody = z
  .object({
    groupId: id.optional(),
    priority: PrioritySchema.optional(),
    subject: z.string().max(500).optional(),
    tags: z.array(z.string().min(1).max(200)).max(100).optional(),
    agentId: id.optional(),
  })
  .strict();

/** `POST /conversations/:id/replies`: public reply or internal note by an agent. */
export const ReplyBody = z
  .object({
    agentId: id,
    text: z.string().min(1).max(MAX_MESSAGE_TEXT_CHARS),
    visibility: z.enum(['public', 'internal']).default('public'),
    messageId: id.optional(),
  })
  .strict();

/**
 * `POST /conversations/:id/end-session`. The actor follows from the reason: `agent` needs
 * `agentId`, `end_user` needs `endUserId`, `trigger` needs `triggerId`, `inactivity` is the system.
 */
export const EndSessionBody = z
  .object({
    reason: SessionEndedReasonSchema.default('agent'),
    agentId: id.optional(),
    endUserId: id.optional(),
    triggerId: id.optional(),
    routingChannel: z.literal('email').optional(),
  })
  .strict()
  .superRefine((body, ctx) => {
    const needs = { agent: 'agentId', end_user: 'endUserId', trigger: 'triggerId', inactivity: null } as const;
    const field = needs[body.reason];
    if (field && !body[field]) ctx.addIssue({ code: 'custom', path: [field], message: `required when reason is "${body.reason}"` });
  });

/** `PATCH /conversations/:id/ticket`. */
export const TicketPatchBody = z
  .object({
    agentId: id,
    status: TicketStatusSchema.optional(),
    priority: PrioritySchema.optional(),
    addTags: z.array(z.string().min(1).max(200)).max(100).optional(),
    removeTags: z.array(z.string().min(1).max(200)).max(100).optional(),
    requesterEmail: z.email().optional(),
  })
  .strict();

/** `PUT /agents/:agentId/status`. */
export const AgentStatusBody = z.object({ status: AgentStatusSchema }).strict();

/** `GET /conversations?query=...&limit=...`. */
export const ListQuery = z.object({ query: z.string().max(2000).optional(), limit: z.coerce.number().int().min(1).max(1000).default(100) }).strict();

/** `POST /conversations/:id/emails`: an inbound email on the ticket (requester reply, auto-reply, bounce). */
export const InboundEmailBody = z
  .object({
    /** The email's Message-ID: the dedup key. */
    messageId: z.string().min(1).max(998),
    from: z.email(),
    subject: z.string().max(998).optional(),
    text: z.string().max(MAX_MESSAGE_TEXT_CHARS),
    /** Raw headers (`Auto-Submitted`, `Precedence`, `X-Autoreply`, `Message-ID`, …); names are case-insensitive. */
    headers: z.record(z.string().max(200), z.string().max(2000)).optional(),
  })
  .strict();
