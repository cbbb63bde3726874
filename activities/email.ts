/**
 * Email delivery through nodemailer: by default every message is rendered as a real RFC 822 file
 * (`.eml`) in a local outbox folder; with an SMTP URL it is sent through SMTP. Idempotent per key:
 * the outbox file (or, for SMTP, a ledger file written after the send) marks a key as done, and the
 * Message-ID is derived from the key so receivers can drop a duplicate after a crash mid-send.
 */
import { access } from 'node:fs/promises';
import { join } from 'node:path';
import nodemailer from 'nodemailer';
import { OWN_MESSAGE_ID_DOMAIN } from '../domain/inboundEmail';
import { csatLink } from './csatLink';
import { fileNameFor, writeOnce } from './outbox';

/** One email to send. `idempotencyKey` decides "the same email". */
export interface OutgoingEmail {
  idempotencyKey: string;
  to: string;
  subject: string;
  text: string;
}

/** Sends email at most once per idempotency key (see module doc for the SMTP caveat). */
export interface Mailer {
  send(mail: OutgoingEmail): Promise<void>;
}

/** Options: `outboxDir` always; `smtpUrl` (e.g. `smtp://user:pass@host:587`) switches to SMTP. */
export interface MailerOptions {
  outboxDir: string;
  from: string;
  smtpUrl?: string;
}

/**
 * Headers on every email Parley sends: `Auto-Submitted` (RFC 3834, so well-behaved auto-responders
 * stay quiet) and the idempotency key, by which an inbound email is recognised as our own mail
 * coming back (domain/inboundEmail.ts, scenario S13).
 */
function ownHeaders(key: string): Record<string, string> {
  return { 'Auto-Submitted': 'auto-generated', 'X-Parley-Idempotency-Key': key };
}

/** Builds the nodemailer-backed {@link Mailer}. */
export function createMailer(options: MailerOptions): Mailer {
  const messageId = (key: string): string => `<${fileNameFor(key, 'parley')}@${OWN_MESSAGE_ID_DOMAIN}>`;
  if (options.smtpUrl) {
    const transport = nodemailer.createTransport(options.smtpUrl);
    const ledger = join(options.outboxDir, 'smtp-sent');
    return {
      async send(mail) {
        const done = await access(join(ledger, fileNameFor(mail.idempotencyKey, 'sent'))).then(
          () => true,
          () => false,
        );
        if (done) return;
        await transport.sendMail({ from: options.from, to: mail.to, subject: mail.subject, text: mail.text, messageId: messageId(mail.idempotencyKey), headers: ownHeaders(mail.idempotencyKey) });
        await writeOnce(ledger, mail.idempotencyKey, 'sent', new Date().toISOString());
      },
    };
  }
  const transport = nodemailer.createTransport({ streamTransport: true, buffer: true, newline: 'unix' });
  return {
    async send(mail) {
      const info = await transport.sendMail({
        from: options.from,
        to: mail.to,
        subject: mail.subject,
        text: mail.text,
        messageId: messageId(mail.idempotencyKey),
        headers: ownHeaders(mail.idempotencyKey),
      });
      await writeOnce(options.outboxDir, mail.idempotencyKey, 'eml', info.message as Buffer);
    },
  };
}

/** The CSAT survey email (DOMAIN.md §3 "CSAT"): good/bad links (signed, see csatLink.ts) plus a comment prompt. */
export function csatEmail(
  input: { idempotencyKey: string; to: string; ticketId: string; requesterName?: string },
  baseUrl: string,
  secret: string,
): OutgoingEmail {
  const hello = input.requesterName ? `Hello ${input.requesterName},` : 'Hello,';
  return {
    idempotencyKey: input.idempotencyKey,
    to: input.to,
    subject: `How would you rate the support you received? [Ticket ${input.ticketId}]`,
    text:
      `${hello}\n\nWe'd love to hear what you think of our customer service.\n\n` +
      `Good, I'm satisfied: ${csatLink(baseUrl, secret, input.ticketId, 'good')}\n` +
      `Bad, I'm unsatisfied: ${csatLink(baseUrl, secret, input.ticketId, 'bad')}\n\nYou can add a comment after choosing.\n`,
  };
}
