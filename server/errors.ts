/** Maps errors to HTTP answers: 400 bad input (with JSON paths), 403/404/409 rule failures, 503 for infrastructure. */
import type { FastifyReply, FastifyRequest } from 'fastify';
import { messagesOf, ParleyError, type ParleyErrorCode } from '../client/errors';
import { DomainError, type DomainErrorCode } from '../domain/errors';
import { RequestValidationError } from './validation';

const STATUS: Record<ParleyErrorCode | DomainErrorCode, number> = {
  invalid_input: 400,
  not_allowed: 403,
  not_found: 404,
  ticket_closed: 409,
  invalid_state: 409,
  busy: 429,
};

/** Sends the error response for `err`. Only unexpected errors are logged as errors. */
export function sendError(err: unknown, req: FastifyRequest, reply: FastifyReply): FastifyReply {
  if (err instanceof RequestValidationError) {
    return reply.code(400).send({ error: 'invalid_input', message: err.message, issues: err.issues });
  }
  if (err instanceof ParleyError) {
    if (err.code === 'busy') void reply.header('retry-after', '1');
    return reply.code(STATUS[err.code]).send({ error: err.code, message: err.message });
  }
  if (err instanceof DomainError) {
    return reply.code(STATUS[err.code]).send({ error: err.code, message: err.message, ...(err.issues ? { issues: err.issues } : {}) });
  }
  const e = err as { statusCode?: number; code?: string; message?: string };
  if (typeof e.statusCode === 'number' && e.statusCode >= 400 && e.statusCode < 500) {
    // Fastify's own client errors: malformed JSON, wrong content type, body too large.
    return reply.code(e.statusCode).send({ error: 'invalid_input', message: e.message ?? 'bad request', code: e.code });
  }
  req.log.error({ err }, 'request failed');
  const transient = /unavailable|deadline|connect|ECONNREFUSED|timed out|failed state|precondition/i.test(messagesOf(err));
  return reply
    .code(transient ? 503 : 500)
    .send({ error: transient ? 'unavailable' : 'internal', message: transient ? 'Temporal is unreachable; retry later' : 'internal error' });
}

