/**
 * The requester's answer to the CSAT survey (DOMAIN.md §3 "CSAT"): good or bad, with an optional
 * comment, through the links of the survey email. The answer may change (the last one counts, as in
 * Zendesk); it is a ticket update, so triggers on `satisfaction_score` run.
 */
import { overBudget, record, type ConversationState } from './conversation';
import { DomainError } from './errors';
import type { SATISFACTION_SCORES } from './triggers';
import type { Cause } from './vocabulary';

/** A rating from the survey. */
export interface SatisfactionInput {
  score: 'good' | 'bad';
  comment?: string;
}

/** How often one conversation's rating may change (**ours**): bounds its history (break round: a re-rating loop grew a conversation past Temporal's payload limit). */
export const MAX_RATING_CHANGES = 20;

/** Longest accepted rating comment, in characters (**ours**). */
export const MAX_SATISFACTION_COMMENT_CHARS = 2_000;

/** `satisfaction_score` as triggers see it (Zendesk values). */
export function satisfactionScoreOf(state: Pick<ConversationState, 'csat'>): (typeof SATISFACTION_SCORES)[number] {
  const r = state.csat.rating;
  if (r) return r.comment ? `${r.score}_with_comment` : r.score;
  return state.csat.status === 'sent' ? 'offered' : 'unoffered';
}

/**
 * Records the requester's rating. Returns false when it changes nothing (same score and comment).
 * @throws DomainError `invalid_state` when no survey was sent for this conversation, after
 *   {@link MAX_RATING_CHANGES} changes or at the conversation's size budget; `invalid_input`
 *   for a comment over {@link MAX_SATISFACTION_COMMENT_CHARS}.
 */
export function rateSatisfaction(state: ConversationState, input: SatisfactionInput, cause: Cause, now: string): boolean {
  if (state.csat.status !== 'sent') throw new DomainError('invalid_state', 'no satisfaction survey was sent for this ticket');
  const comment = input.comment?.trim() || undefined;
  if (comment && comment.length > MAX_SATISFACTION_COMMENT_CHARS) {
    throw new DomainError('invalid_input', `comment: at most ${MAX_SATISFACTION_COMMENT_CHARS} characters`);
  }
  const previous = state.csat.rating;
  const keptComment = comment ?? (previous?.score === input.score ? previous.comment : undefined);
  if (previous && previous.score === input.score && previous.comment === keptComment) return false;
  if (state.events.filter((e) => e.type === 'satisfaction_rated').length >= MAX_RATING_CHANGES) {
    throw new DomainError('invalid_state', `this rating has changed ${MAX_RATING_CHANGES} times; it can no longer change`);
  }
  if (overBudget(state, keptComment ?? '')) throw new DomainError('invalid_state', 'this conversation has reached its size budget; the rating can no longer change');
  state.csat.rating = { score: input.score, ...(keptComment ? { comment: keptComment } : {}), at: now };
  record(state, now, 'satisfaction_rated', { type: 'end_user', id: state.requester.id }, cause, {
    score: input.score,
    ...(keptComment ? { comment: keptComment } : {}),
    previous: previous?.score ?? null,
  });
  return true;
}
