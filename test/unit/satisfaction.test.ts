/** CSAT answers (domain/satisfaction.ts): bounded re-rating, the size budget, the event ceiling. */
import * as rules from '../../domain/conversation';
import { HARD_CEILING_BYTES } from '../../domain/conversationCore';
import { MAX_RATING_CHANGES, rateSatisfaction, satisfactionScoreOf } from '../../domain/satisfaction';
import { DEFAULT_ACCOUNT_SETTINGS } from '../../domain/settings';

const T = '2026-11-30T10:00:00.000Z';
const cause = { type: 'request', requestId: 'r' } as const;

function surveyed(): rules.ConversationState {
  const { state } = rules.startConversation({ conversationId: 'c1', threadId: 't1' }, { messageId: 'm1', text: 'hi', author: { id: 'u', email: 'u@example.com' }, cause }, T);
  rules.handOff(state, { actor: { type: 'system' }, cause }, DEFAULT_ACCOUNT_SETTINGS, T);
  rules.endSession(state, { actor: { type: 'agent', id: 'amy' }, reason: 'agent', cause }, DEFAULT_ACCOUNT_SETTINGS, T);
  expect(state.csat.status).toBe('sent');
  return state;
}

test('the last rating counts; a repeat changes nothing; the rating may change at most 20 times', () => {
  const state = surveyed();
  expect(rateSatisfaction(state, { score: 'good' }, cause, T)).toBe(true);
  expect(rateSatisfaction(state, { score: 'good' }, cause, T)).toBe(false);
  expect(satisfactionScoreOf(state)).toBe('good');
  for (let i = 1; i < MAX_RATING_CHANGES; i++) rateSatisfaction(state, { score: i % 2 ? 'bad' : 'good', comment: `c${i}` }, cause, T);
  expect(state.events.filter((e) => e.type === 'satisfaction_rated')).toHaveLength(MAX_RATING_CHANGES);
  expect(() => rateSatisfaction(state, { score: 'good', comment: 'once more' }, cause, T)).toThrow(/changed 20 times/);
});

test('at the size budget a rating is refused rather than growing the conversation', () => {
  const state = surveyed();
  state.sizeBytes = rules.CONVERSATION_BUDGET.bytes;
  expect(() => rateSatisfaction(state, { score: 'bad', comment: 'x' }, cause, T)).toThrow(/size budget/);
});

test('past the hard ceiling events keep type, actor and cause but lose their data', () => {
  const state = surveyed();
  state.sizeBytes = HARD_CEILING_BYTES;
  const e = rules.record(state, T, 'email_auto_reply', { type: 'system' }, cause, { big: 'x'.repeat(10_000) });
  expect(e).toMatchObject({ type: 'email_auto_reply', data: { truncated: true } });
  expect(state.sizeBytes - HARD_CEILING_BYTES).toBeLessThan(300);
});
