// A real HTTP webhook receiver for tests: records every request, answers with the status the
// test scripts (default 204), and verifies Standard Webhooks signatures with node:crypto alone,
// independently of the gateway's signing code.
import { createHmac, timingSafeEqual } from 'node:crypto';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';

export interface Received {
  id: string;
  timestamp: string;
  signature: string;
  body: string;
  json: { type: string; timestamp: string; data: Record<string, unknown> };
  verified: boolean;
  status: number;
}

export interface Receiver {
  url: string;
  received: Received[];
  /** Answers the next requests with these statuses, in order; then 204. */
  answer(...statuses: number[]): void;
  /** Forgets statuses scripted and not yet used. */
  clearScript(): void;
  secret: string | null;
  close(): Promise<void>;
}

/** Standard Webhooks verification, written from the spec: HMAC-SHA256 over "id.timestamp.body". */
export function verifySignature(secret: string, id: string, timestamp: string, body: string, header: string): boolean {
  const key = Buffer.from(secret.replace(/^whsec_/, ''), 'base64');
  const expected = createHmac('sha256', key).update(`${id}.${timestamp}.${body}`).digest();
  return header.split(' ').some((entry) => {
    const [version, mac] = entry.split(',');
    if (version !== 'v1' || mac === undefined) return false;
    const given = Buffer.from(mac, 'base64');
    return given.length === expected.length && timingSafeEqual(given, expected);
  });
}

/** `port`: listen on a given port, e.g. to bring a receiver back where the gateway keeps sending. */
export async function startReceiver(port = 0): Promise<Receiver> {
  const scripted: number[] = [];
  const receiver: Receiver = {
    url: '',
    received: [],
    secret: null,
    answer: (...statuses) => void scripted.push(...statuses),
    clearScript: () => void scripted.splice(0),
    close: () => new Promise((resolve) => server.close(() => resolve())),
  };
  const server: Server = createServer((request, response) => {
    const chunks: Buffer[] = [];
    request.on('data', (chunk: Buffer) => chunks.push(chunk));
    request.on('end', () => {
      const body = Buffer.concat(chunks).toString('utf8');
      const id = String(request.headers['webhook-id'] ?? '');
      const timestamp = String(request.headers['webhook-timestamp'] ?? '');
      const signature = String(request.headers['webhook-signature'] ?? '');
      const status = scripted.shift() ?? 204;
      receiver.received.push({
        id,
        timestamp,
        signature,
        body,
        json: JSON.parse(body),
        verified: receiver.secret !== null && verifySignature(receiver.secret, id, timestamp, body, signature),
        status,
      });
      response.writeHead(status).end(status >= 300 ? 'receiver says no' : '');
    });
  });
  await new Promise<void>((resolve) => server.listen(port, '127.0.0.1', () => resolve()));
  receiver.url = `http://127.0.0.1:${(server.address() as AddressInfo).port}/hook`;
  return receiver;
}
