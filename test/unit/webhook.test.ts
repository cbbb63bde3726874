/**
 * Trigger side effects outside the workflow: Liquid placeholders (activities/templates.ts) and
 * signed webhooks (activities/webhook.ts, DOMAIN.md §8) against a real local HTTP receiver.
 */
import { createHmac } from 'node:crypto';
import { mkdtempSync } from 'node:fs';
import { createServer, type IncomingHttpHeaders, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { ApplicationFailure } from '@temporalio/common';
import { renderTemplate } from '../../activities/templates';
import { checkWebhookTarget, createWebhookSender, webhookSignature } from '../../activities/webhook';

const values = { ticket: { id: 'c1', title: 'Late "order"\nplease', requester: { name: 'Ann Lee', first_name: 'Ann' } } };

test('placeholders render like Zendesk: known values inserted, unknown ones empty', async () => {
  expect(await renderTemplate('Ticket {{ticket.id}} for {{ticket.requester.name}}{{ticket.nope}}', values)).toBe('Ticket c1 for Ann Lee');
});

test('in JSON bodies inserted values are escaped, so the body stays valid JSON', async () => {
  const body = await renderTemplate('{"id":"{{ticket.id}}","title":"{{ticket.title}}"}', values, 'json');
  expect(JSON.parse(body)).toEqual({ id: 'c1', title: 'Late "order"\nplease' });
});

test('a template Liquid cannot parse is sent as written', async () => {
  expect(await renderTemplate('Hi {{ ticket.id', values)).toBe('Hi {{ ticket.id');
});

describe('signed webhooks', () => {
  let server: Server;
  let url: string;
  const received: { headers: IncomingHttpHeaders; body: string }[] = [];
  let status = 200;
  beforeAll(async () => {
    server = createServer((req, res) => {
      let body = '';
      req.on('data', (c: Buffer) => (body += c.toString('utf8')));
      req.on('end', () => {
        received.push({ headers: req.headers, body });
        res.statusCode = status;
        res.end();
      });
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    url = `http://127.0.0.1:${(server.address() as AddressInfo).port}/hook`;
  });
  afterAll(() => new Promise<void>((resolve) => server.close(() => resolve())));
  beforeEach(() => {
    received.length = 0;
    status = 200;
  });
  const webhook = () => ({ id: 'wh1', name: 'CRM', endpoint: url, signingSecret: 'dGhpcyBpcyBhIHNlY3JldA==' });

  test('the receiver can verify base64(HMAC-SHA256(secret, timestamp + body)); a second post of the same key is not sent', async () => {
    const sender = createWebhookSender({ ledgerDir: mkdtempSync(path.join(os.tmpdir(), 'parley-wh-')), allowPrivateAddresses: true });
    const body = '{"ticket":"c1"}';
    expect(await sender.post({ idempotencyKey: 'k1', webhook: webhook(), body })).toEqual({ status: 200, alreadySent: false });
    expect(received).toHaveLength(1);
    const h = received[0].headers;
    const ts = String(h['x-zendesk-webhook-signature-timestamp']);
    expect(ts).toMatch(/^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ$/);
    const expected = createHmac('sha256', 'dGhpcyBpcyBhIHNlY3JldA==').update(ts + body).digest('base64');
    expect(h['x-zendesk-webhook-signature']).toBe(expected);
    expect(webhookSignature('dGhpcyBpcyBhIHNlY3JldA==', ts, body)).toBe(expected);
    expect(h['x-parley-idempotency-key']).toBe('k1');
    expect(h['content-type']).toBe('application/json');
    expect(received[0].body).toBe(body);
    expect(await sender.post({ idempotencyKey: 'k1', webhook: webhook(), body })).toEqual({ status: 200, alreadySent: true });
    expect(received).toHaveLength(1);
  });

  test('4xx is final (non-retryable), 5xx and 429 are retried', async () => {
    const sender = createWebhookSender({ ledgerDir: mkdtempSync(path.join(os.tmpdir(), 'parley-wh-')), allowPrivateAddresses: true });
    status = 404;
    const rejected = await sender.post({ idempotencyKey: 'k2', webhook: webhook(), body: '{}' }).catch((e: unknown) => e);
    expect(rejected).toBeInstanceOf(ApplicationFailure);
    expect(rejected).toMatchObject({ type: 'webhook_rejected', nonRetryable: true });
    for (const s of [500, 429]) {
      status = s;
      const err = await sender.post({ idempotencyKey: `k-${s}`, webhook: webhook(), body: '{}' }).catch((e: unknown) => e);
      expect(err).toBeInstanceOf(Error);
      expect(err).not.toBeInstanceOf(ApplicationFailure);
    }
  });
});

test('a template that would loop for long or allocate without end is cut off quickly and sent as written', async () => {
  for (const bomb of ['{% for i in (1..50000000) %}x{% endfor %}', '{% for i in (1..5000) %}{% for j in (1..5000) %}x{% endfor %}{% endfor %}']) {
    const started = Date.now();
    expect(await renderTemplate(bomb, values)).toBe(bomb);
    expect(Date.now() - started).toBeLessThan(2_000);
  }
});

describe('endpoints that would reach inside the network are refused (server-side request forgery)', () => {
  test.each([
    'http://127.0.0.1:8080/threads/x/messages',
    'http://[::1]:8080/',
    'http://2130706433/',
    'http://169.254.169.254/latest/meta-data/',
    'http://10.0.0.7/',
    'http://192.168.1.1/',
    'http://localhost:8080/',
  ])('%s', async (endpoint) => {
    const err = await checkWebhookTarget(endpoint, false, 'w1').catch((e: unknown) => e);
    expect(err).toBeInstanceOf(ApplicationFailure);
    expect(err).toMatchObject({ nonRetryable: true, message: expect.stringMatching(/^webhook w1: the endpoint resolves to a \w+ address/) });
  });

  test('credentials in the URL and other schemes are refused even when private addresses are allowed; a public address passes', async () => {
    await expect(checkWebhookTarget('http://user:pass@127.0.0.1/', true, 'w1')).rejects.toMatchObject({ message: expect.stringContaining('credentials') });
    await expect(checkWebhookTarget('ftp://example.com/', true, 'w1')).rejects.toMatchObject({ message: expect.stringContaining('only http and https') });
    await expect(checkWebhookTarget('https://93.184.215.14/hook', false, 'w1')).resolves.toBeUndefined();
  });
});
