/** Errors the typed client throws; each carries a code the HTTP API maps to a status. */
import { ServiceError, WorkflowNotFoundError, WorkflowUpdateFailedError } from '@temporalio/client';
import { ApplicationFailure } from '@temporalio/common';

/** Error codes of {@link ParleyError}: what went wrong, in the terms of the API. */
export type ParleyErrorCode =
  | 'not_found' // 404: unknown conversation, thread or agent
  | 'ticket_closed' // 409: closed tickets are immutable
  | 'invalid_state' // 409: the action does not fit the current state
  | 'not_allowed' // 403: an account setting forbids it
  | 'invalid_input' // 400: the request's values are unacceptable
  | 'busy'; // 429: too many requests in flight on one conversation right now; retry shortly

/** A failed Parley operation. `code` is stable; `message` says what and why. */
export class ParleyError extends Error {
  constructor(
    readonly code: ParleyErrorCode,
    message: string,
  ) {
    super(message);
    this.name = 'ParleyError';
  }
}

const CODES = new Set<ParleyErrorCode>(['not_found', 'ticket_closed', 'invalid_state', 'not_allowed', 'invalid_input']);

/** The messages of an error and its causes, joined (gRPC details sit in nested causes). */
export function messagesOf(err: unknown): string {
  const parts: string[] = [];
  for (let e = err as { message?: unknown; cause?: unknown; details?: unknown } | undefined, depth = 0; e && depth < 5; e = e.cause as typeof e, depth++) {
    parts.push(String(e.message ?? ''), String(e.details ?? ''));
  }
  return parts.join(' | ');
}

/**
 * Turns a Temporal client error into a {@link ParleyError} where it is one; rethrows anything else
 * (a real infrastructure failure, which the API reports as 503/500).
 * @param what names the target for "not found" messages, e.g. `conversation "abc-1"`.
 */
export function translateError(err: unknown, what: string): never {
  if (err instanceof ParleyError) throw err;
  if (err instanceof WorkflowNotFoundError) throw new ParleyError('not_found', `${what} does not exist`);
  if (err instanceof WorkflowUpdateFailedError) {
    const cause = err.cause;
    if (cause instanceof ApplicationFailure && cause.type && CODES.has(cause.type as ParleyErrorCode)) {
      throw new ParleyError(cause.type as ParleyErrorCode, cause.message);
    }
    if (cause instanceof ApplicationFailure && cause.type === 'not_found') throw new ParleyError('not_found', cause.message);
  }
  const message = String((err as Error)?.message ?? err);
  if (/workflow execution already completed/i.test(message)) {
    throw new ParleyError('ticket_closed', `${what} has ended: its ticket is closed and cannot be changed`);
  }
  if (err instanceof ServiceError && /not found/i.test(message)) throw new ParleyError('not_found', `${what} does not exist`);
  // Temporal caps concurrent in-flight updates per workflow (10 by default) and may abort updates
  // in flight under such a burst: a "slow down, retry", not a server error.
  if (/RESOURCE_EXHAUSTED|concurrent in-flight updates|update was aborted/i.test(messagesOf(err))) {
    throw new ParleyError('busy', `${what} is handling too many requests at once; retry in a second`);
  }
  throw err;
}
