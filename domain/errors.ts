/**
 * Errors raised by domain rules. Workflows turn them into `ApplicationFailure`s whose `type` is the
 * code; the HTTP API maps the code to a status (see `server/errors.ts`).
 */

/** Machine-readable error codes of domain rules. */
export type DomainErrorCode =
  | 'ticket_closed' // acting on a closed ticket (immutable, DOMAIN.md §1) → HTTP 409
  | 'not_allowed' // an account setting forbids the action (DOMAIN.md §3) → HTTP 403
  | 'invalid_state' // the action does not fit the conversation's state → HTTP 409
  | 'invalid_input' // well-formed but unacceptable values → HTTP 400
  | 'not_found'; // the named trigger, schedule, webhook... does not exist → HTTP 404

/** One problem of an `invalid_input` error: where (JSONPath, `$` = the input), what, and whose. */
export interface DomainIssue {
  /** JSONPath of the offending value, e.g. `$.triggers[3].conditions.all[0].operator`. */
  path: string;
  /** What is wrong, with the allowed values where there is a list. */
  message: string;
  /** Title of the trigger (or name of the item) the problem belongs to, when there is one. */
  title?: string | null;
}

/** A rule was broken; `code` says which kind, `message` says what and why in plain words. */
export class DomainError extends Error {
  constructor(
    readonly code: DomainErrorCode,
    message: string,
    /** Every problem, each with its JSON path (input errors that have more than one cause). */
    readonly issues?: readonly DomainIssue[],
  ) {
    super(message);
    this.name = 'DomainError';
  }
}
