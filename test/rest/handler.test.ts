// The vendor handler's gatekeeping and error mapping: tokens, rate limits, parameter checks
// before any upstream call, upstream failures in the vendor's error form, CORS and secrecy.
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { UpstreamError, type UpstreamErrorCode } from '../../src/collectors/errors.ts';
import { createOpenAuthenticator } from '../../src/server/auth/authenticator.ts';
import { createCorsPolicy } from '../../src/server/auth/cors.ts';
import { TokenBucketRateLimiter } from '../../src/server/auth/rate-limiter.ts';
import { createVendorRestHandler, type VendorRestDeps, type VendorRestHandler } from '../../src/server/rest/handler.ts';
import { StoreError } from '../../src/store/errors.ts';
import { FakeDouyin, FakeHistory, FakeRooms, OTHER_ROOM_ID, ROOM_ID } from './helpers/fakes.ts';
import { tokenFixture, type TokenFixture } from './helpers/tokens.ts';

let tokens: TokenFixture;
let douyin: FakeDouyin;
let clock: number;
let handler: VendorRestHandler;
const errors: unknown[] = [];

function build(overrides: Partial<VendorRestDeps> = {}): VendorRestHandler {
  return createVendorRestHandler({
    douyin,
    rooms: new FakeRooms(),
    history: new FakeHistory(),
    auth: tokens.auth,
    rateLimiter: new TokenBucketRateLimiter({ perMinute: 1000, now: () => clock }),
    now: () => clock,
    onError: (error) => errors.push(error),
    ...overrides,
  });
}

beforeEach(() => {
  tokens = tokenFixture();
  douyin = new FakeDouyin();
  clock = 1_700_000_000_000;
  errors.length = 0;
  handler = build();
});

afterEach(() => {
  handler.close();
  tokens.cleanup();
});

async function call(path: string, init: RequestInit = {}, h: VendorRestHandler = handler) {
  const response = await h(new Request(`http://gateway${path}`, init));
  if (response === null) throw new Error(`handler declined ${path}`);
  return { response, status: response.status, body: JSON.parse(await response.text()) as { code: number; msg: string; data: any } };
}

const info = (token: string) => `/douyin/liveroom/info?room_id=${ROOM_ID}&token=${encodeURIComponent(token)}`;

function postRanklist(form: Record<string, string>, headers: Record<string, string> = {}) {
  const body = new FormData();
  for (const [name, value] of Object.entries(form)) body.set(name, value);
  return call('/dy/live/get_room_ranklist', { method: 'POST', body, headers });
}

describe('routing', () => {
  it('declines paths it does not own, so yoga can answer them', async () => {
    expect(await handler(new Request('http://gateway/graphql'))).toBeNull();
    expect(await handler(new Request('http://gateway/douyin/liveroom/unknown'))).toBeNull();
  });

  it('accepts a trailing slash', async () => {
    const { status } = await call(`/douyin/liveroom/info/?room_id=${ROOM_ID}&token=${tokens.good}`);
    expect(status).toBe(200);
  });

  it('answers the wrong method with 405 and Allow, before checking the token', async () => {
    const { status, response, body } = await call('/douyin/liveroom/info', { method: 'POST' });
    expect(status).toBe(405);
    expect(response.headers.get('allow')).toBe('GET');
    expect(body).toEqual({ code: -1, msg: expect.stringContaining('GET'), data: null });
  });

  it('wraps success in {code: 200, data, msg: "success"} on GET routes and {code: 0, msg: "成功"} on the POST route', async () => {
    const get = await call(info(tokens.good));
    expect(get.body).toMatchObject({ code: 200, msg: 'success', data: { status_code: 0, extra: { now: clock } } });
    const post = await postRanklist({ room_id: ROOM_ID, wcid: 'w' }, { 'Access-Token': tokens.good });
    expect(post.body).toMatchObject({ code: 0, msg: '成功', data: { status_code: 0 } });
  });
});

describe('tokens', () => {
  it.each([
    ['no token', '', 'MISSING_TOKEN'],
    ['a malformed token', 'not-a-token', 'BAD_TOKEN'],
    ['an unknown token', 'UNKNOWN', 'BAD_TOKEN'],
    ['a revoked token', 'REVOKED', 'REVOKED_TOKEN'],
  ])('refuses %s in the query with 401 %s and makes no upstream call', async (_name, token, code) => {
    const value = token === 'UNKNOWN' ? tokens.unknown : token === 'REVOKED' ? tokens.revoked : token;
    const { status, body, response } = await call(info(value));
    expect(status).toBe(401);
    expect(response.headers.get('x-error-code')).toBe(code);
    expect(body.code).toBe(-1);
    expect(body.data).toBeNull();
    expect(douyin.calls).toEqual([]);
  });

  it.each([
    ['no token', undefined, 'MISSING_TOKEN'],
    ['a malformed token', 'garbage', 'BAD_TOKEN'],
    ['an unknown token', 'UNKNOWN', 'BAD_TOKEN'],
    ['a revoked token', 'REVOKED', 'REVOKED_TOKEN'],
  ])('refuses %s in the Access-Token header with 401 %s', async (_name, token, code) => {
    const value = token === 'UNKNOWN' ? tokens.unknown : token === 'REVOKED' ? tokens.revoked : token;
    const { status, response } = await postRanklist({ room_id: ROOM_ID, wcid: 'w' }, value === undefined ? {} : { 'Access-Token': value });
    expect(status).toBe(401);
    expect(response.headers.get('x-error-code')).toBe(code);
    expect(douyin.calls).toEqual([]);
  });

  it('accepts a good token in the query, the Access-Token header or as a bearer token', async () => {
    expect((await call(info(tokens.good))).status).toBe(200);
    expect((await call(`/douyin/liveroom/info?room_id=${ROOM_ID}`, { headers: { 'Access-Token': tokens.good } })).status).toBe(200);
    expect((await call(`/douyin/liveroom/info?room_id=${ROOM_ID}`, { headers: { Authorization: `Bearer ${tokens.good}` } })).status).toBe(200);
    expect(douyin.calls).toHaveLength(3);
  });

  it('lets everyone in when no token file is configured', async () => {
    const open = build({ auth: createOpenAuthenticator() });
    expect((await call(`/douyin/liveroom/info?room_id=${ROOM_ID}`, {}, open)).status).toBe(200);
    open.close();
  });
});

describe('rate limits', () => {
  it('answers 429 with Retry-After once a token spends its minute, and recovers as time passes', async () => {
    const limited = build({ rateLimiter: new TokenBucketRateLimiter({ perMinute: 2, now: () => clock }) });
    expect((await call(info(tokens.good), {}, limited)).status).toBe(200);
    expect((await call(info(tokens.good), {}, limited)).status).toBe(200);
    const refused = await call(info(tokens.good), {}, limited);
    expect(refused.status).toBe(429);
    expect(refused.response.headers.get('retry-after')).toBe('30');
    expect(refused.body.code).toBe(-1);
    expect(douyin.calls).toHaveLength(2);
    // Another token has its own budget.
    expect((await call(info(tokens.other), {}, limited)).status).toBe(200);
    clock += 30_000;
    expect((await call(info(tokens.good), {}, limited)).status).toBe(200);
    limited.close();
  });

  it('limits open-mode callers per client address', async () => {
    const limited = build({ auth: createOpenAuthenticator(), rateLimiter: new TokenBucketRateLimiter({ perMinute: 1, now: () => clock }) });
    const path = `http://gateway/douyin/liveroom/info?room_id=${ROOM_ID}`;
    expect((await limited(new Request(path), { clientAddress: '10.0.0.1' }))?.status).toBe(200);
    expect((await limited(new Request(path), { clientAddress: '10.0.0.1' }))?.status).toBe(429);
    expect((await limited(new Request(path), { clientAddress: '10.0.0.2' }))?.status).toBe(200);
    limited.close();
  });
});

describe('parameters are checked before any upstream call', () => {
  const token = () => `token=${tokens.good}`;
  it.each([
    ['info without room_id', () => `/douyin/liveroom/info?${token()}`],
    ['info with letters', () => `/douyin/liveroom/info?room_id=abc&${token()}`],
    ['info with a negative id', () => `/douyin/liveroom/info?room_id=-7690183442860198697&${token()}`],
    ['info beyond 64 bits', () => `/douyin/liveroom/info?room_id=99999999999999999999&${token()}`],
    ['status with one bad id among good', () => `/douyin/liveroom/status?room_id=${ROOM_ID},12x4&${token()}`],
    ['status with a web_rid', () => `/douyin/liveroom/status?room_id=148108118778&${token()}`],
    ['status with only commas', () => `/douyin/liveroom/status?room_id=,,&${token()}`],
    ['chat with a web_rid', () => `/douyin/liveroom/chat?room_id=148108118778&${token()}`],
    ['promotions without room_id', () => `/douyin/liveroom/promotions?${token()}`],
    ['promotions with a bad author_id', () => `/douyin/liveroom/promotions?room_id=${ROOM_ID}&author_id=me&${token()}`],
    ['audience with a bad id', () => `/douyin/liveroom/audience?room_id=1e19&${token()}`],
    ['ranklist with a bad anchor_id', () => `/douyin/liveroom/ranklist?room_id=${ROOM_ID}&anchor_id=x1&${token()}`],
  ])('%s → 400', async (_name, path) => {
    const { status, body, response } = await call(path());
    expect(status).toBe(400);
    expect(response.headers.get('x-error-code')).toBe('BAD_REQUEST');
    expect(body).toEqual({ code: -1, msg: expect.any(String), data: null });
    expect(douyin.calls).toEqual([]);
  });

  it('refuses more than 100 rooms in one status call', async () => {
    const ids = Array.from({ length: 101 }, (_, i) => (7690183442860198000n + BigInt(i)).toString()).join(',');
    const { status, body } = await call(`/douyin/liveroom/status?room_id=${ids}&token=${tokens.good}`);
    expect(status).toBe(400);
    expect(body.msg).toContain('at most 100');
    expect(douyin.calls).toEqual([]);
  });

  it.each([
    ['no room_id', { wcid: 'w' }],
    ['a bad room_id', { wcid: 'w', room_id: '12' }],
    ['a sec_anchor_id with spaces', { wcid: 'w', room_id: ROOM_ID, sec_anchor_id: 'MS4w LjAB' }],
  ])('the POST route refuses %s with 400', async (_name, form) => {
    const { status } = await postRanklist(form, { 'Access-Token': tokens.good });
    expect(status).toBe(400);
    expect(douyin.calls).toEqual([]);
  });

  it('the POST route also takes a urlencoded form or a JSON object, but not a JSON number beyond 2^53', async () => {
    const headers = { 'Access-Token': tokens.good };
    const urlencoded = await call('/dy/live/get_room_ranklist', {
      method: 'POST',
      headers: { ...headers, 'Content-Type': 'application/x-www-form-urlencoded' },
      body: `room_id=${ROOM_ID}&wcid=w`,
    });
    expect(urlencoded.status).toBe(200);
    const json = await call('/dy/live/get_room_ranklist', {
      method: 'POST',
      headers: { ...headers, 'Content-Type': 'application/json' },
      body: `{"room_id":"${ROOM_ID}","sec_anchor_id":"MS4wLjABAAAAd7M5","wcid":"w"}`,
    });
    expect(json.status).toBe(200);
    expect(douyin.calls.map((c) => c.args[0])).toEqual([
      { roomId: ROOM_ID, secAnchorId: null },
      { roomId: ROOM_ID, secAnchorId: 'MS4wLjABAAAAd7M5' },
    ]);
    const rounded = await call('/dy/live/get_room_ranklist', {
      method: 'POST',
      headers: { ...headers, 'Content-Type': 'application/json' },
      body: `{"room_id":${ROOM_ID}}`,
    });
    expect(rounded.status).toBe(400);
    expect(rounded.body.msg).toContain('as a string');
  });

  it('refuses a body over 64 KiB with 413', async () => {
    const { status } = await call('/dy/live/get_room_ranklist', {
      method: 'POST',
      headers: { 'Access-Token': tokens.good, 'Content-Type': 'application/x-www-form-urlencoded' },
      body: `room_id=${ROOM_ID}&pad=${'x'.repeat(70_000)}`,
    });
    expect(status).toBe(413);
    expect(douyin.calls).toEqual([]);
  });
});

describe('upstream calls', () => {
  it('info takes a room_id or a web_rid', async () => {
    await call(info(tokens.good));
    await call(`/douyin/liveroom/info?room_id=148108118778&token=${tokens.good}`);
    expect(douyin.calls).toEqual([
      { method: 'roomByRoomId', args: [ROOM_ID] },
      { method: 'roomByWebRid', args: ['148108118778'] },
    ]);
  });

  it('status asks for all rooms in one call, without duplicates', async () => {
    douyin.statuses = [{ roomId: OTHER_ROOM_ID, isLive: true }];
    const { body } = await call(`/douyin/liveroom/status?room_id=${ROOM_ID}, ${OTHER_ROOM_ID},${ROOM_ID}&token=${tokens.good}`);
    expect(douyin.calls).toEqual([{ method: 'liveStatus', args: [[ROOM_ID, OTHER_ROOM_ID]] }]);
    expect(body.data.data.map((entry: { alive: boolean }) => entry.alive)).toEqual([false, true]);
  });

  it('promotions look up the anchor unless author_id is given', async () => {
    await call(`/douyin/liveroom/promotions?room_id=${ROOM_ID}&token=${tokens.good}`);
    await call(`/douyin/liveroom/promotions?room_id=${ROOM_ID}&author_id=123&token=${tokens.good}`);
    expect(douyin.calls).toEqual([
      { method: 'roomByRoomId', args: [ROOM_ID] },
      { method: 'promotions', args: [{ roomId: ROOM_ID, authorId: '95760275230' }] },
      { method: 'promotions', args: [{ roomId: ROOM_ID, authorId: '123' }] },
    ]);
  });

  it('ranklist passes anchor_id; audience and feed pass nothing extra', async () => {
    await call(`/douyin/liveroom/ranklist?room_id=${ROOM_ID}&anchor_id=95760275230&token=${tokens.good}`);
    await call(`/douyin/liveroom/audience?room_id=${ROOM_ID}&token=${tokens.good}`);
    const feed = await call(`/douyin/liveroom/feed?token=${tokens.good}`);
    expect(douyin.calls).toEqual([
      { method: 'rankList', args: [{ roomId: ROOM_ID, anchorId: '95760275230' }] },
      { method: 'rankList', args: [{ roomId: ROOM_ID }] },
      { method: 'feed', args: [] },
    ]);
    expect(feed.body.data.data).toHaveLength(2);
  });
});

describe('upstream failures in the vendor\'s error form', () => {
  it.each<[UpstreamErrorCode, number]>([
    ['ROOM_NOT_FOUND', 404],
    ['RATE_LIMITED', 429],
    ['LOGIN_REQUIRED', 503],
    ['BLOCKED', 502],
    ['UPSTREAM_UNAVAILABLE', 503],
  ])('%s → HTTP %i', async (code, status) => {
    douyin.failure = new UpstreamError(code, `upstream said ${code}`);
    const result = await call(info(tokens.good));
    expect(result.status).toBe(status);
    expect(result.body).toEqual({ code: -1, msg: `upstream said ${code}`, data: null });
    expect(result.response.headers.get('x-error-code')).toBe(code);
    expect(errors).toEqual([]);
  });

  it('passes the upstream\'s Retry-After on, rounded up to seconds, else 30 s', async () => {
    douyin.failure = new UpstreamError('RATE_LIMITED', 'slow down', { retryAfterMs: 2_500 });
    expect((await call(info(tokens.good))).response.headers.get('retry-after')).toBe('3');
    douyin.failure = new UpstreamError('RATE_LIMITED', 'slow down');
    expect((await call(info(tokens.good))).response.headers.get('retry-after')).toBe('30');
  });

  it('masks unexpected failures as 500 and reports them to onError', async () => {
    const failure = new Error('db password=hunter2 at 10.0.0.5');
    douyin.failure = failure;
    const { status, body } = await call(info(tokens.good));
    expect(status).toBe(500);
    expect(body).toEqual({ code: -1, msg: 'internal error', data: null });
    expect(errors).toEqual([failure]);
  });

  it('never echoes a cookie or token an upstream message happened to contain', async () => {
    douyin.failure = new UpstreamError('BLOCKED', `refused with Cookie: sessionid=abc123; ttwid=xyz for ${tokens.good}`);
    const { body } = await call(info(tokens.good));
    expect(body.msg).not.toContain('abc123');
    expect(body.msg).not.toContain('xyz');
    expect(body.msg).not.toContain(tokens.good);
  });

  it('chat answers 503 without an event store, and 503 when the store is down', async () => {
    const storeless = build({ history: null });
    const none = await call(`/douyin/liveroom/chat?room_id=${ROOM_ID}&token=${tokens.good}`, {}, storeless);
    expect(none.status).toBe(503);
    expect(none.response.headers.get('x-error-code')).toBe('HISTORY_UNAVAILABLE');
    storeless.close();
    const broken = build({
      history: {
        latestCursor: () => Promise.reject(new StoreError('STORE_UNAVAILABLE', 'connection refused')),
        listEvents: () => Promise.reject(new StoreError('STORE_UNAVAILABLE', 'connection refused')),
      },
    });
    const down = await call(`/douyin/liveroom/chat?room_id=${ROOM_ID}&token=${tokens.good}`, {}, broken);
    expect(down.status).toBe(503);
    expect(down.response.headers.get('x-error-code')).toBe('STORE_UNAVAILABLE');
    broken.close();
  });
});

describe('CORS', () => {
  it('adds the allowed origin to answers (errors too) and nothing for other origins', async () => {
    const withCors = build({ cors: createCorsPolicy(['https://app.example.com']) });
    const allowed = await call(info(tokens.good), { headers: { Origin: 'https://app.example.com' } }, withCors);
    expect(allowed.response.headers.get('access-control-allow-origin')).toBe('https://app.example.com');
    expect(allowed.response.headers.get('vary')).toBe('Origin');
    const refused = await call(info('bad'), { headers: { Origin: 'https://app.example.com' } }, withCors);
    expect(refused.status).toBe(401);
    expect(refused.response.headers.get('access-control-allow-origin')).toBe('https://app.example.com');
    const stranger = await call(info(tokens.good), { headers: { Origin: 'https://evil.example' } }, withCors);
    expect(stranger.response.headers.get('access-control-allow-origin')).toBeNull();
    withCors.close();
  });

  it('answers preflights without a token', async () => {
    const withCors = build({ cors: createCorsPolicy(['https://app.example.com']) });
    const preflight = await withCors(
      new Request('http://gateway/dy/live/get_room_ranklist', {
        method: 'OPTIONS',
        headers: { Origin: 'https://app.example.com', 'Access-Control-Request-Method': 'POST', 'Access-Control-Request-Headers': 'access-token' },
      }),
    );
    expect(preflight?.status).toBe(204);
    expect(preflight?.headers.get('access-control-allow-headers')).toContain('Access-Token');
    withCors.close();
  });
});

describe('logging', () => {
  it('does not call onError for expected refusals', async () => {
    const spy = vi.fn();
    const quiet = build({ onError: spy });
    await call(info('bad'), {}, quiet);
    await call(`/douyin/liveroom/info?room_id=x&token=${tokens.good}`, {}, quiet);
    expect(spy).not.toHaveBeenCalled();
    quiet.close();
  });
});
