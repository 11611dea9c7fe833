// The request body cap: a body over MAX_REQUEST_BODY_BYTES is refused with yoga's 413, whether
// its size is declared (Content-Length) or only found while reading (chunked), over a real
// socket and through yoga.fetch alike; a body within the cap is served.
import { request as httpRequest } from 'node:http';
import { afterEach, describe, expect, it } from 'vitest';
import { MAX_REQUEST_BODY_BYTES } from '../../src/server/yoga.ts';
import { roomIdFor } from '../schema/fakes.ts';
import { createTestApp, type TestApp } from './helpers.ts';

let current: TestApp | null = null;
afterEach(async () => {
  await current?.app.stop();
  current = null;
});

const QUERY = 'query ($id: ID!) { liveRoom(roomId: $id) { id } }';

/** A JSON body of exactly `bytes` bytes that asks for room 1 (the padding is an unused variable). */
function bodyOf(bytes: number): string {
  const bare = JSON.stringify({ query: QUERY, variables: { id: roomIdFor(1), pad: '' } });
  return JSON.stringify({ query: QUERY, variables: { id: roomIdFor(1), pad: 'x'.repeat(bytes - bare.length) } });
}

interface Answer {
  status: number;
  body: { data?: unknown; errors?: { extensions?: { code?: string } }[] };
}

/** POSTs over a real socket; `chunked` sends the body in pieces without a Content-Length. */
function post(url: string, body: string, chunked: boolean): Promise<Answer> {
  return new Promise((resolve, reject) => {
    const headers: Record<string, string> = { 'content-type': 'application/json', accept: 'application/graphql-response+json' };
    if (!chunked) headers['content-length'] = String(Buffer.byteLength(body));
    const req = httpRequest(url, { method: 'POST', headers }, (res) => {
      const chunks: Buffer[] = [];
      res.on('data', (chunk: Buffer) => chunks.push(chunk));
      res.on('end', () => resolve({ status: res.statusCode ?? 0, body: JSON.parse(Buffer.concat(chunks).toString('utf8')) as Answer['body'] }));
    });
    // The server may answer and close before reading everything: that is the refusal, not a failure.
    req.on('error', reject);
    if (chunked) {
      for (let at = 0; at < body.length; at += 64 * 1024) req.write(body.slice(at, at + 64 * 1024));
      req.end();
    } else {
      req.end(body);
    }
  });
}

const codes = (answer: Answer) => answer.body.errors?.map((error) => error.extensions?.code);

describe('request body cap', () => {
  for (const chunked of [false, true]) {
    const how = chunked ? 'chunked, no Content-Length' : 'with Content-Length';
    it(`serves a body at the cap and refuses one byte more with 413 (${how})`, async () => {
      current = createTestApp();
      const { url } = await current.app.start(0, '127.0.0.1');
      const atCap = await post(url, bodyOf(MAX_REQUEST_BODY_BYTES), chunked);
      expect(atCap.status).toBe(200);
      expect(atCap.body.data).toEqual({ liveRoom: { id: roomIdFor(1) } });
      const over = await post(url, bodyOf(MAX_REQUEST_BODY_BYTES + 1), chunked);
      expect(over.status).toBe(413);
      expect(codes(over)).toEqual(['REQUEST_ENTITY_TOO_LARGE']);
    });
  }

  it('counts the bytes of a body that did not come through node:http, whatever its Content-Length says', async () => {
    current = createTestApp();
    const body = bodyOf(MAX_REQUEST_BODY_BYTES + 1);
    const response = await current.app.yoga.fetch('http://gateway.test/graphql', {
      method: 'POST',
      // Understated: only node:http's framing makes a Content-Length a bound on the body.
      headers: { 'content-type': 'application/json', accept: 'application/graphql-response+json', 'content-length': '100' },
      body,
    });
    expect(response.status).toBe(413);
  });

  it('refuses a Content-Length over the cap before reading the body', async () => {
    current = createTestApp();
    const response = await current.app.yoga.fetch('http://gateway.test/graphql', {
      method: 'POST',
      headers: { 'content-type': 'application/json', 'content-length': String(MAX_REQUEST_BODY_BYTES + 1) },
      body: '{}',
    });
    expect(response.status).toBe(413);
  });
});
