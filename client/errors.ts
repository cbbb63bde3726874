/** Errors the typed client throws; each carries a code the HTTP API maps to a status. */
import { ServiceError, WorkflowNotFoundError, WorkflowUpdateFailedError } from '@temporalio/client';
import { ApplicationFailure } from '@temporalio/common';

/** Error codes of {@link ParleyError}: what went wrong, in the terms of the API. */
export type ParleyErrorCode =
  | 'not_found' // 404: unknown conversation, thread or agent
  | 'ticket_closed' // 409: closed tickets are immutable
  | 'invalid_state' // 409: the action does not fit the current state
  | 'not_allowed' // 403: an account setting forbids it
  | 'invalid_input'; // 400: the request's values are unacceptable

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
  throw err;
}
