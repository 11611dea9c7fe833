// The vendor routes over a real socket, as a client switching hosts would call them.
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { createSchema, createYoga } from 'graphql-yoga';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createCorsPolicy, yogaCorsOptions } from '../../src/server/auth/cors.ts';
import { TokenBucketRateLimiter } from '../../src/server/auth/rate-limiter.ts';
import { useTokenAuth } from '../../src/server/auth/yoga-auth-plugin.ts';
import { createVendorRestHandler, type VendorRestHandler } from '../../src/server/rest/handler.ts';
import { useVendorRest } from '../../src/server/rest/yoga-plugin.ts';
import { chatEvent, FakeDouyin, FakeHistory, FakeRooms, OTHER_ROOM_ID, ROOM_ID } from './helpers/fakes.ts';
import { serve, type Served } from './helpers/serve.ts';
import { tokenFixture, type TokenFixture } from './helpers/tokens.ts';

let tokens: TokenFixture;
let douyin: FakeDouyin;
let history: FakeHistory;

beforeAll(() => {
  tokens = tokenFixture();
  douyin = new FakeDouyin();
  history = new FakeHistory();
});
afterAll(() => tokens.cleanup());

function vendorHandler(perMinute = 1000): VendorRestHandler {
  return createVendorRestHandler({
    douyin,
    rooms: new FakeRooms(),
    history,
    auth: tokens.auth,
    rateLimiter: new TokenBucketRateLimiter({ perMinute }),
  });
}

describe('vendor routes on node:http', () => {
  let served: Served;
  let handler: VendorRestHandler;
  beforeAll(async () => {
    handler = vendorHandler();
    served = await serve(handler);
  });
  afterAll(async () => {
    handler.close();
    await served.close();
  });

  it('GET /douyin/liveroom/info with ?token answers the vendor envelope with exact ids in the raw body', async () => {
    const response = await fetch(`${served.url}/douyin/liveroom/info?token=${tokens.good}&room_id=${ROOM_ID}`);
    expect(response.status).toBe(200);
    expect(response.headers.get('content-type')).toBe('application/json; charset=utf-8');
    const text = await response.text();
    expect(text).toContain(`"id":${ROOM_ID},"id_str":"${ROOM_ID}"`);
    expect(JSON.parse(text)).toMatchObject({ code: 200, msg: 'success', data: { status_code: 0, data: { title: '小鱼家正在直播' } } });
  });

  it('POST /dy/live/get_room_ranklist takes a multipart form and the Access-Token header', async () => {
    const form = new FormData();
    form.set('wcid', 'xzzz');
    form.set('room_id', ROOM_ID);
    form.set('sec_anchor_id', 'MS4wLjABAAAAd7M5_hVqarquigSl3t-Kuw-e8_ehsovZvmKmfXvyg8KyjWTPZZFQo-K5BtkA8_zZ');
    const response = await fetch(`${served.url}/dy/live/get_room_ranklist`, { method: 'POST', body: form, headers: { 'Access-Token': tokens.good } });
    expect(response.status).toBe(200);
    const body = (await response.json()) as { code: number; data: { data: { ranks: unknown[] } } };
    expect(body.code).toBe(0);
    expect(body.data.data.ranks).toHaveLength(2);
  });

  it('a revoked token gets 401 in the vendor error form', async () => {
    const response = await fetch(`${served.url}/douyin/liveroom/status?token=${tokens.revoked}&room_id=${ROOM_ID}`);
    expect(response.status).toBe(401);
    expect(await response.json()).toEqual({ code: -1, msg: 'the API token has been revoked', data: null });
  });

  it('a bad room id gets 400 before any upstream call', async () => {
    const before = douyin.calls.length;
    const response = await fetch(`${served.url}/douyin/liveroom/status?token=${tokens.other}&room_id=${ROOM_ID},abc`);
    expect(response.status).toBe(400);
    expect(douyin.calls.length).toBe(before);
  });

  it('chat polling over HTTP returns a stored message once', async () => {
    const url = `${served.url}/douyin/liveroom/chat?token=${tokens.other}&room_id=${OTHER_ROOM_ID}`;
    await fetch(url);
    history.append(chatEvent('over the wire', OTHER_ROOM_ID));
    const first = (await (await fetch(url)).json()) as { data: { messages: unknown[] } };
    const second = (await (await fetch(url)).json()) as { data: { messages: unknown[] } };
    expect([first.data.messages.length, second.data.messages.length]).toEqual([1, 0]);
  });

  it('answers 429 with Retry-After once the token spent its minute', async () => {
    const limited = vendorHandler(2);
    const own = await serve(limited);
    try {
      const responses = [];
      for (let i = 0; i < 3; i += 1) responses.push(await fetch(`${own.url}/douyin/liveroom/feed?token=${tokens.good}`));
      expect(responses.map((response) => response.status)).toEqual([200, 200, 429]);
      expect(responses[2]?.headers.get('retry-after')).toBe('30');
      expect(await responses[2]?.json()).toMatchObject({ code: -1, data: null });
      await Promise.all(responses.map((response) => response.arrayBuffer().catch(() => undefined)));
    } finally {
      limited.close();
      await own.close();
    }
  });
});

describe('mounted in yoga in front of GraphQL', () => {
  let server: Server;
  let base: string;
  let handler: VendorRestHandler;
  beforeAll(async () => {
    handler = vendorHandler();
    const rateLimiter = new TokenBucketRateLimiter({ perMinute: 1000 });
    const yoga = createYoga({
      schema: createSchema({ typeDefs: 'type Query { ok: Boolean }', resolvers: { Query: { ok: () => true } } }),
      logging: false,
      cors: yogaCorsOptions(createCorsPolicy(['https://app.example.com'])),
      plugins: [useVendorRest(handler), useTokenAuth({ auth: tokens.auth, rateLimiter })],
    });
    server = createServer(yoga);
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  });
  afterAll(async () => {
    handler.close();
    server.closeAllConnections();
    await new Promise<void>((resolve) => server.close(() => resolve()));
  });

  it('answers vendor paths with their ?token and leaves /graphql to yoga behind a bearer token', async () => {
    const vendor = await fetch(`${base}/douyin/liveroom/status?token=${tokens.good}&room_id=${ROOM_ID}`);
    expect(vendor.status).toBe(200);
    expect(((await vendor.json()) as { code: number }).code).toBe(200);

    const post = (headers: Record<string, string>) =>
      fetch(`${base}/graphql`, { method: 'POST', headers: { 'Content-Type': 'application/json', ...headers }, body: '{"query":"{ ok }"}' });
    expect((await post({})).status).toBe(401);
    const ok = await post({ Authorization: `Bearer ${tokens.good}` });
    expect(ok.status).toBe(200);
    expect(await ok.json()).toEqual({ data: { ok: true } });
  });

  it('yoga\'s CORS covers the vendor answers, so the handler needs no cors of its own there', async () => {
    const allowed = await fetch(`${base}/douyin/liveroom/info?room_id=${ROOM_ID}`, { headers: { Origin: 'https://app.example.com' } });
    expect(allowed.headers.get('access-control-allow-origin')).toBe('https://app.example.com');
    expect(allowed.headers.get('access-control-expose-headers')).toContain('Retry-After');
    const stranger = await fetch(`${base}/douyin/liveroom/info?room_id=${ROOM_ID}`, { headers: { Origin: 'https://evil.example' } });
    // yoga names the one allowed origin (or none); a browser on another origin is refused either way.
    expect(stranger.headers.get('access-control-allow-origin')).not.toBe('https://evil.example');
  });

  it('refuses vendor requests without a token in the vendor form, not GraphQL\'s', async () => {
    const response = await fetch(`${base}/douyin/liveroom/info?room_id=${ROOM_ID}`);
    expect(response.status).toBe(401);
    expect(await response.json()).toEqual({ code: -1, msg: 'an API token is required', data: null });
  });
});
