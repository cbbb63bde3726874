/**
 * The CSAT survey links (DOMAIN.md §3 "CSAT"): `GET /csat/:ticketId?score=good|bad&token=…[&comment=…]`
 * records the requester's rating and answers a small HTML page with a comment form (which GETs the
 * same link with `comment`). The token (activities/csatLink.ts) proves the link came from the
 * survey email; a wrong one is a 403. The last rating counts, as in Zendesk.
 */
import type { FastifyInstance, FastifyReply } from 'fastify';
import { z } from 'zod';
import { validCsatToken } from '../activities/csatLink';
import { ParleyError } from '../client/errors';
import type { ParleyClient } from '../client/parleyClient';
import { MAX_SATISFACTION_COMMENT_CHARS } from '../domain/satisfaction';
import { IdSchema } from './schemas';
import { parseOrThrow } from './validation';

/** Query of a survey link. */
export const CsatQuery = z
  // Not strict: mail tools append their own parameters (utm_source…) to links.
  .object({ score: z.enum(['good', 'bad']), token: z.string().min(1).max(200), comment: z.string().max(MAX_SATISFACTION_COMMENT_CHARS).optional() });

const escapeHtml = (text: string): string => text.replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);

function page(reply: FastifyReply, status: number, title: string, body: string): FastifyReply {
  return reply
    .code(status)
    .type('text/html; charset=utf-8')
    .send(`<!doctype html><html><head><meta charset="utf-8"><title>${escapeHtml(title)}</title></head><body><h1>${escapeHtml(title)}</h1>${body}</body></html>`);
}

/** Registers `GET /csat/:ticketId`. */
export function registerCsatRoutes(app: FastifyInstance, deps: { parley: ParleyClient; csatSecret: string }): void {
  app.get<{ Params: { ticketId: string } }>('/csat/:ticketId', async (req, reply) => {
    const ticketId = parseOrThrow(IdSchema.max(200), req.params.ticketId, 'ticket id');
    const q = parseOrThrow(CsatQuery, req.query ?? {}, 'query');
    if (!validCsatToken(deps.csatSecret, ticketId, q.token)) {
      return page(reply, 403, 'This link is not valid', '<p>Please use the link from your survey email.</p>');
    }
    try {
      // One ticket per conversation: the ticket id is the conversation id (docs/DECISIONS.md 2).
      const r = await deps.parley.rateSatisfaction(ticketId, { score: q.score, ...(q.comment ? { comment: q.comment } : {}), cause: { type: 'request', requestId: String(req.id) } });
      const form =
        `<form method="get"><input type="hidden" name="score" value="${q.score}"><input type="hidden" name="token" value="${escapeHtml(q.token)}">` +
        `<p><label>Anything to add?<br><textarea name="comment" maxlength="${MAX_SATISFACTION_COMMENT_CHARS}"></textarea></label></p><button>Send</button></form>`;
      return page(reply, 200, 'Thank you for your feedback', `<p>Your rating: ${q.score === 'good' ? 'Good, satisfied' : 'Bad, unsatisfied'} (${escapeHtml(r.satisfactionScore)}).</p>${q.comment ? '' : form}`);
    } catch (err) {
      if (err instanceof ParleyError && (err.code === 'ticket_closed' || err.code === 'invalid_state' || err.code === 'not_found')) {
        return page(reply, err.code === 'not_found' ? 404 : 409, 'This survey can no longer be answered', `<p>${escapeHtml(err.message)}</p>`);
      }
      throw err;
    }
  });
}
