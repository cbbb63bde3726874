/** Inbound email classification (domain/inboundEmail.ts): S12 auto-replies, S13 our own mail. */
import { handOff, startConversation } from '../../domain/conversation';
import { classifyInboundEmail, receiveInboundEmail } from '../../domain/inboundEmail';
import { DEFAULT_ACCOUNT_SETTINGS } from '../../domain/settings';

test.each([
  [{ 'Auto-Submitted': 'auto-replied' }, 'auto_reply'],
  [{ 'auto-submitted': 'auto-generated' }, 'auto_reply'],
  [{ 'Auto-Submitted': 'no' }, 'requester_reply'],
  [{ Precedence: 'bulk' }, 'auto_reply'],
  [{ Precedence: 'first-class' }, 'requester_reply'],
  [{ 'X-Autorespond': 'Out of office' }, 'auto_reply'],
  [{ 'X-Parley-Idempotency-Key': 'trigger:c1:9:1/0' }, 'own_message'],
  [{ 'Message-ID': '<trigger_c1_9_1_0@parley.local>' }, 'own_message'],
  [{}, 'requester_reply'],
] as const)('headers %j → %s', (headers, kind) => {
  expect(classifyInboundEmail({ messageId: '<m@mail.example.com>', headers })).toBe(kind);
});

test('our own Message-ID as the email id is our own mail even without headers', () => {
  expect(classifyInboundEmail({ messageId: '<csat_c1@PARLEY.local>' })).toBe('own_message');
});

test('every spelling of a header counts; Precedence auto-reply with a hyphen is an auto-reply', () => {
  expect(classifyInboundEmail({ messageId: '<m@x.y>', headers: { 'Auto-Submitted': 'auto-replied', 'AUTO-SUBMITTED': 'no' } })).toBe('auto_reply');
  expect(classifyInboundEmail({ messageId: '<m@x.y>', headers: { Precedence: 'auto-reply' } })).toBe('auto_reply');
});

test('Message-IDs are compared without brackets, spaces or case: one reply, however it is spelled', () => {
  const cause = { type: 'request', requestId: 'r' } as const;
  const { state } = startConversation({ conversationId: 'c1', threadId: 't1' }, { messageId: 'm1', text: 'hi', author: { id: 'u', email: 'u@example.com' }, cause }, '2026-11-30T10:00:00.000Z');
  handOff(state, { actor: { type: 'system' }, cause }, DEFAULT_ACCOUNT_SETTINGS, '2026-11-30T10:00:01.000Z');
  const outcomes = ['<abc@mail.x>', ' <abc@mail.x> ', 'abc@mail.x', '<ABC@MAIL.X>'].map(
    (messageId) => receiveInboundEmail(state, { messageId, from: 'u@example.com', text: 'reply', cause }, '2026-11-30T10:01:00.000Z').outcome,
  );
  expect(outcomes).toEqual(['requester_reply', 'duplicate', 'duplicate', 'duplicate']);
  expect(state.messages.filter((m) => m.channel === 'email')).toHaveLength(1);
  expect(() => receiveInboundEmail(state, { messageId: '<>', from: 'u@example.com', text: 'x', cause }, '2026-11-30T10:02:00.000Z')).toThrow(/messageId: empty/);
});
