// One webhook attempt against real sockets, for the "safe by default" bounds: a receiver
// that sends an endless body is read only up to the cap and kept as a short excerpt; one that
// never answers is given up on at the response timeout; the request carries the Standard
// Webhooks headers, checked with node:crypto alone (receiver.ts), and the secret is not among them.
import { once } from 'node:events';
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterEach, describe, expect, it } from 'vitest';
import { createWebhookSender, EXCERPT_CHARS } from '../../../src/live/webhooks/sender.ts';
import { generateWebhookSecret } from '../../../src/live/webhooks/signing.ts';
import { verifySignature } from './receiver.ts';

const servers: Server[] = [];
afterEach(async () => {
  for (const server of servers.splice(0)) {
    server.closeAllConnections();
    await new Promise((resolve) => server.close(resolve));
  }
});

async function serve(handler: (request: IncomingMessage, response: ServerResponse) => void): Promise<string> {
  const server = createServer(handler);
  servers.push(server);
  server.listen(0, '127.0.0.1');
  await once(server, 'listening');
  return `http://127.0.0.1:${(server.address() as AddressInfo).port}/hook`;
}

describe('webhook sender', () => {
  // A sender that read the whole answer would never return here: the test would time out.
  it('reads at most the cap of an endless answer and keeps only a short excerpt', async () => {
    const url = await serve((_request, response) => {
      response.writeHead(500, { 'content-type': 'text/plain' });
      // Writes for as long as the client reads: a body with no end.
      const more = () => {
        while (!response.destroyed && response.write('x'.repeat(16_384)));
        if (!response.destroyed) response.once('drain', more);
      };
      response.on('close', () => response.removeListener('drain', more));
      more();
    });
    const sender = createWebhookSender({ allowPrivate: true, connectTimeoutMs: 5_000, responseTimeoutMs: 5_000, maxResponseBytes: 4_096 });
    try {
      const outcome = await sender.send({ id: 'msg_cap', url, secret: generateWebhookSecret(), body: '{}', timestamp: 1 });
      expect(outcome).toMatchObject({ kind: 'response', status: 500 });
      expect(outcome.kind === 'response' && outcome.excerpt).toBe('x'.repeat(EXCERPT_CHARS));
    } finally {
      await sender.close();
    }
  });

  it('gives up on a receiver that never answers, with a coded failure', async () => {
    const url = await serve(() => {
      // Takes the request and says nothing.
    });
    const sender = createWebhookSender({ allowPrivate: true, connectTimeoutMs: 1_000, responseTimeoutMs: 300 });
    try {
      const outcome = await sender.send({ id: 'msg_silent', url, secret: generateWebhookSecret(), body: '{}', timestamp: 1 });
      expect(outcome.kind).toBe('failure');
      expect(outcome.kind === 'failure' && outcome.code).toMatch(/TIMEOUT|ABORT/);
    } finally {
      await sender.close();
    }
  });

  it('signs per Standard Webhooks and never sends the secret itself', async () => {
    const seen: { headers: IncomingMessage['headers']; body: string }[] = [];
    const url = await serve((request, response) => {
      let body = '';
      request.on('data', (chunk: Buffer) => (body += chunk.toString()));
      request.on('end', () => {
        seen.push({ headers: request.headers, body });
        response.writeHead(204).end();
      });
    });
    const secret = generateWebhookSecret();
    const sender = createWebhookSender({ allowPrivate: true, connectTimeoutMs: 5_000, responseTimeoutMs: 5_000 });
    try {
      const body = JSON.stringify({ type: 'follow', timestamp: '2026-12-06T00:00:00.000Z', data: { roomId: '1' } });
      expect(await sender.send({ id: 'msg_signed', url, secret, body, timestamp: 1_764_979_200 })).toEqual({ kind: 'response', status: 204, excerpt: '' });
      const [request] = seen;
      expect(request?.headers['webhook-id']).toBe('msg_signed');
      expect(request?.headers['webhook-timestamp']).toBe('1764979200');
      expect(request?.headers['webhook-signature']).toMatch(/^v1,[A-Za-z0-9+/]+=*$/);
      expect(verifySignature(secret, 'msg_signed', '1764979200', body, String(request?.headers['webhook-signature']))).toBe(true);
      expect(request?.body).toBe(body);
      const key = secret.replace(/^whsec_/, '');
      expect(JSON.stringify(request?.headers)).not.toContain(key);
    } finally {
      await sender.close();
    }
  });
});
