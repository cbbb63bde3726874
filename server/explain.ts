/**
 * Trigger explain (issue 3 part 3): `GET /conversations/:id/triggers/explain` replays the last
 * ticket update triggers ran on against the current configuration and lists every active trigger
 * in order with each condition's value and result and what fired; it also returns what was
 * recorded when the update happened (the `trigger_fired` events and the revision used), so a
 * configuration changed since shows as such. `POST` with a body explains a hypothetical update of
 * the ticket as it is now. Neither runs anything. `?only=fired|not_fired` lists just those triggers.
 */
import type { FastifyInstance } from 'fastify';
import { z } from 'zod';
import type { ParleyClient } from '../client/parleyClient';
import { explainUpdate, hypotheticalUpdate, type Explanation } from '../config/evaluate';
import type { ConfigReader } from '../config/types';
import { MAX_MESSAGE_TEXT_CHARS } from '../domain/conversation';
import { ticketViewOf } from '../domain/conversationTriggers';
import { DomainError } from '../domain/errors';
import { CustomFieldValueSchema, INACTIVE_REASONS, SATISFACTION_SCORES, TICKET_TYPES } from '../domain/triggers';
import { PrioritySchema, RoutingChannelSchema, SESSION_STATES, SessionEndedReasonSchema, TicketStatusSchema } from '../domain/vocabulary';
import { IdSchema } from './schemas';
import { parseOrThrow } from './validation';

const nullableId = IdSchema.nullable();
const tag = z.string().min(1).max(200);

/** Body of `POST /conversations/:id/triggers/explain` (every part optional). */
export const ExplainBody = z
  .object({
    update_type: z.enum(['Create', 'Change']).optional(),
    /** Trigger-view fields to set, by their Zendesk names. */
    set: z
      .object({
        status: TicketStatusSchema,
        priority: PrioritySchema.nullable(),
        type: z.enum(TICKET_TYPES).nullable(),
        group_id: nullableId,
        assignee_id: nullableId,
        organization_id: nullableId,
        brand_id: nullableId,
        ticket_form_id: nullableId,
        schedule_id: nullableId,
        routing_channel: RoutingChannelSchema.nullable(),
        messaging_session_state: z.enum(SESSION_STATES).nullable(),
        messaging_session_ended_reason: SessionEndedReasonSchema.nullable(),
        messaging_session_inactive_reason: z.enum(INACTIVE_REASONS).nullable(),
        satisfaction_score: z.enum(SATISFACTION_SCORES),
      })
      .partial()
      .strict()
      .optional(),
    add_tags: z.array(tag).max(200).optional(),
    remove_tags: z.array(tag).max(200).optional(),
    custom_fields: z.record(z.string().regex(/^\d+$/, 'custom field ids are digits'), CustomFieldValueSchema).optional(),
    comment: z.object({ public: z.boolean(), text: z.string().max(MAX_MESSAGE_TEXT_CHARS) }).strict().optional(),
    current_user: z.object({ id: IdSchema, role: z.enum(['agent', 'admin', 'end_user']) }).strict().optional(),
    /** Instant of the hypothetical update; default now. */
    at: z.iso.datetime().optional(),
  })
  .strict();

/** `?only=fired|not_fired` narrows the listed triggers (7,000 traced triggers make a ~3 MB answer). */
export const ExplainQuery = z.object({ only: z.enum(['fired', 'not_fired']).optional() }).strict();

/** Keeps the triggers `only` asks for; counts stay for the whole set. */
function narrowed(explanation: Explanation, only: 'fired' | 'not_fired' | undefined): Explanation {
  if (!only) return explanation;
  return { ...explanation, triggers: explanation.triggers.filter((t) => t.fired === (only === 'fired')) };
}

/** Registers the explain routes. */
export function registerExplainRoutes(app: FastifyInstance, deps: { parley: ParleyClient; config: ConfigReader }): void {
  app.get('/conversations/:id/triggers/explain', async (req) => {
    const id = parseOrThrow(IdSchema.max(200), (req.params as { id: string }).id, 'conversation id');
    const { only } = parseOrThrow(ExplainQuery, req.query ?? {}, 'query');
    const view = await deps.parley.getConversation(id);
    const last = view.lastTriggerUpdate;
    if (!last) throw new DomainError('invalid_state', `conversation "${id}" has no ticket update yet: triggers run once it has a ticket (after hand-off)`);
    const snapshot = deps.config.snapshot();
    return {
      conversationId: id,
      ticketId: view.ticket?.id ?? null,
      recordedRevision: last.revision,
      configChangedSince: snapshot.revision !== last.revision,
      recorded: view.events.filter((e) => e.seq > last.seq && e.type === 'trigger_fired').map((e) => ({ seq: e.seq, at: e.at, ...e.data })),
      explanation: narrowed(explainUpdate(snapshot, last.update), only),
    };
  });

  app.post('/conversations/:id/triggers/explain', async (req) => {
    const id = parseOrThrow(IdSchema.max(200), (req.params as { id: string }).id, 'conversation id');
    const body = parseOrThrow(ExplainBody, req.body ?? {}, 'body');
    const { only } = parseOrThrow(ExplainQuery, req.query ?? {}, 'query');
    const view = await deps.parley.getConversation(id);
    const current = ticketViewOf(view);
    if (!current) throw new DomainError('invalid_state', `conversation "${id}" has no ticket yet: hand it off first`);
    const update = hypotheticalUpdate(current, {
      ...(body.update_type ? { updateType: body.update_type } : {}),
      ...(body.set ? { set: body.set } : {}),
      ...(body.add_tags ? { addTags: body.add_tags } : {}),
      ...(body.remove_tags ? { removeTags: body.remove_tags } : {}),
      ...(body.custom_fields ? { customFields: body.custom_fields } : {}),
      ...(body.comment ? { comment: body.comment } : {}),
      ...(body.current_user ? { currentUser: body.current_user } : {}),
      now: body.at ? Date.parse(body.at) : Date.now(),
    });
    return { conversationId: id, ticketId: current.id, hypothetical: true, explanation: narrowed(explainUpdate(deps.config.snapshot(), update), only) };
  });
}
