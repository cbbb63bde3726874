/** Inbound email classification (domain/inboundEmail.ts): S12 auto-replies, S13 our own mail. */
import { classifyInboundEmail } from '../../domain/inboundEmail';

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
