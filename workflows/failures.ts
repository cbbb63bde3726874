/** Turns domain errors into clean update failures (DESIGN.md: only a TemporalFailure fails an update cleanly). */
import { ApplicationFailure } from '@temporalio/workflow';
import { DomainError } from '../domain/errors';

/**
 * Runs `fn`; a {@link DomainError} becomes a non-retryable `ApplicationFailure` whose `type` is the
 * error code, so the caller sees the rule that was broken. Other errors propagate unchanged.
 */
export function asUpdateFailure<T>(fn: () => T): T {
  try {
    return fn();
  } catch (err) {
    if (err instanceof DomainError) throw ApplicationFailure.create({ type: err.code, message: err.message, nonRetryable: true });
    throw err;
  }
}
