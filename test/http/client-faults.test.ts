// Upstream failures: each becomes its typed UpstreamError, and only transient ones are retried.
import { describe, expect, it } from 'vitest';
import { captureJson, haveCaptures } from '../mappers-json/captures.ts';
import { empty, json, sequence, serverError, useHarness, upstreamFailure } from './client-harness.ts';
import { startTestServer } from './test-server.ts';

const harnessOf = useHarness();

const REFLOW = '/webcast/room/reflow/info/';
const ROOM_ID = '7690183442860198697';
const okRoom = { status_code: 0, data: { room: { id_str: ROOM_ID, status: 2, title: 'ok' } } };

const failure = upstreamFailure;

const reflowRequests = () => harnessOf().server.seen(REFLOW).length;

describe('retries', () => {
  it('retries a 5xx with exponential backoff and full jitter, then succeeds', async () => {
    harnessOf().routes.set(REFLOW, sequence(serverError, serverError, (_req, res) => json(res, okRoom)));
    const { api, sleeps } = harnessOf().client({ random: () => 0.5, backoffBaseMs: 100, backoffCapMs: 10_000 });
    expect((await api.roomByRoomId(ROOM_ID)).title).toBe('ok');
    expect(reflowRequests()).toBe(3);
    // Full jitter: uniform in [0, base·2^n]; random() = 0.5 lands in the middle of each window.
    expect(sleeps).toEqual([50, 100]);
  });

  it('never waits longer than the cap', async () => {
    harnessOf().routes.set(REFLOW, serverError);
    const { api, sleeps } = harnessOf().client({ random: () => 0.999, retries: 6, backoffBaseMs: 100, backoffCapMs: 300 });
    await failure(api.roomByRoomId(ROOM_ID));
    expect(sleeps).toHaveLength(6);
    expect(Math.max(...sleeps)).toBeLessThan(300);
    expect(sleeps.slice(0, 2)).toEqual([99, 199]);
  });

  it('gives up after the configured retries with UpstreamUnavailable', async () => {
    harnessOf().routes.set(REFLOW, serverError);
    const { api } = harnessOf().client({ retries: 2 });
    const error = await failure(api.roomByRoomId(ROOM_ID));
    expect(error.code).toBe('UPSTREAM_UNAVAILABLE');
    expect(error.message).toContain('HTTP 502');
    expect(reflowRequests()).toBe(3);
  });

  it('does not retry a non-idempotent call (im/fetch)', async () => {
    harnessOf().routes.set('/webcast/im/fetch/', serverError);
    const { api, sleeps } = harnessOf().client();
    expect((await failure(api.imFetch(ROOM_ID))).code).toBe('UPSTREAM_UNAVAILABLE');
    expect(harnessOf().server.seen('/webcast/im/fetch/')).toHaveLength(1);
    expect(sleeps).toEqual([]);
  });

  it('waits out a 429 for as long as Retry-After says', async () => {
    harnessOf().routes.set(REFLOW, sequence((_req, res) => json(res, {}, 429, { 'retry-after': '2' }), (_req, res) => json(res, okRoom)));
    const { api, sleeps } = harnessOf().client();
    expect((await api.roomByRoomId(ROOM_ID)).id).toBe(ROOM_ID);
    expect(sleeps).toEqual([2000]);
  });

  it('reports RateLimited with the wait when Retry-After is too long to wait out', async () => {
    harnessOf().routes.set(REFLOW, (_req, res) => json(res, {}, 429, { 'retry-after': '120' }));
    const { api, sleeps } = harnessOf().client({ maxRetryAfterMs: 30_000 });
    const error = await failure(api.roomByRoomId(ROOM_ID));
    expect(error.code).toBe('RATE_LIMITED');
    expect(error.retryAfterMs).toBe(120_000);
    expect(sleeps).toEqual([]);
    expect(reflowRequests()).toBe(1);
  });
});

describe('timeouts and network', () => {
  it('times out a call that never answers, per attempt', async () => {
    harnessOf().routes.set(REFLOW, () => undefined);
    const { api } = harnessOf().client({ timeoutMs: 150, retries: 1 });
    const error = await failure(api.roomByRoomId(ROOM_ID));
    expect(error.code).toBe('UPSTREAM_UNAVAILABLE');
    expect(error.message).toContain('no answer within 150 ms');
    expect(reflowRequests()).toBe(2);
  });

  it('reports a refused connection as unavailable', async () => {
    const gone = await startTestServer();
    const origin = gone.origin;
    await gone.close();
    const { api } = harnessOf().client({ webUrl: origin, reflowUrl: origin, retries: 1 });
    const error = await failure(api.roomByRoomId(ROOM_ID));
    expect(error.code).toBe('UPSTREAM_UNAVAILABLE');
    expect(error.message).toMatch(/network error/);
  });
});

describe('risk control', () => {
  it('a captcha header is Blocked at once, with no retry', async () => {
    harnessOf().routes.set(REFLOW, (_req, res) => {
      res.writeHead(200, { 'x-vc-bdturing-parameters': '{"code":10000,"type":"verify","subtype":"whirl"}', 'content-length': '0' });
      res.end();
    });
    const { api, sleeps } = harnessOf().client();
    const error = await failure(api.roomByRoomId(ROOM_ID));
    expect(error.code).toBe('BLOCKED');
    expect(error.message).toContain('captcha');
    expect(reflowRequests()).toBe(1);
    expect(sleeps).toEqual([]);
  });

  it('an acrawler challenge page is Blocked', async () => {
    harnessOf().routes.set(REFLOW, (_req, res) => {
      res.writeHead(200, { 'content-type': 'text/html', 'set-cookie': '__ac_nonce=0123456789abcdef' });
      res.end('<html><head><script>window.__ac_nonce="0123";</script></head></html>');
    });
    expect((await failure(harnessOf().client().api.roomByRoomId(ROOM_ID))).code).toBe('BLOCKED');
  });

  it('an empty body stays Blocked after one ttwid refresh', async () => {
    harnessOf().routes.set(REFLOW, sequence((_req, res) => json(res, okRoom), empty));
    const { api } = harnessOf().client();
    await api.roomByRoomId(ROOM_ID);
    const error = await failure(api.roomByRoomId('7690183442860198698'));
    expect(error.code).toBe('BLOCKED');
    expect(reflowRequests()).toBe(3);
    expect(harnessOf().server.requests.filter((r) => r.path === '/')).toHaveLength(2);
  });

  it.skipIf(!haveCaptures)('replays S04-enter-no-cookie\'s recorded response headers: Blocked', async () => {
    const recorded = captureJson('S04-enter-no-cookie', 'meta.json').response;
    harnessOf().routes.set('/webcast/room/web/enter/', (_req, res) => {
      const headers = Object.fromEntries(
        Object.entries(recorded.headers as Record<string, string | string[]>).filter(([name]) => !['connection', 'content-length'].includes(name)),
      );
      res.writeHead(recorded.status, headers);
      res.end();
    });
    expect((await failure(harnessOf().client().api.roomByWebRid('547977714661'))).code).toBe('BLOCKED');
  });

  it('a 403 is Blocked and a 404 is unavailable; neither is retried', async () => {
    harnessOf().routes.set(REFLOW, sequence((_req, res) => json(res, {}, 403), (_req, res) => json(res, {}, 404)));
    const { api } = harnessOf().client();
    expect((await failure(api.roomByRoomId(ROOM_ID))).code).toBe('BLOCKED');
    expect((await failure(api.roomByRoomId('7690183442860198698'))).code).toBe('UPSTREAM_UNAVAILABLE');
    expect(reflowRequests()).toBe(2);
  });

  it('a body that is not JSON or not the expected shape is unavailable, not retried', async () => {
    harnessOf().routes.set(REFLOW, sequence((_req, res) => res.end('{"status_code":0,'), (_req, res) => json(res, { status_code: 0 })));
    const { api } = harnessOf().client();
    expect((await failure(api.roomByRoomId(ROOM_ID))).message).toContain('not JSON');
    expect((await failure(api.roomByRoomId('7690183442860198698'))).message).toContain('unexpected answer');
    expect(reflowRequests()).toBe(2);
  });

  it('status_code 20003 is LoginRequired', async () => {
    harnessOf().routes.set(REFLOW, (_req, res) => json(res, { status_code: 20003, data: { message: "User doesn't login" } }));
    expect((await failure(harnessOf().client().api.roomByRoomId(ROOM_ID))).code).toBe('LOGIN_REQUIRED');
  });
});

describe('observer', () => {
  it('reports every request with its endpoint, outcome, status, attempt and duration', async () => {
    harnessOf().routes.set(REFLOW, sequence(serverError, (_req, res) => json(res, okRoom)));
    let clock = 0;
    const { api, calls } = harnessOf().client({ now: () => (clock += 5) });
    await api.roomByRoomId(ROOM_ID);
    expect(calls.map(({ endpoint, outcome, status, attempt }) => ({ endpoint, outcome, status, attempt }))).toEqual([
      { endpoint: 'ttwid', outcome: 'ok', status: 200, attempt: 0 },
      { endpoint: 'room.reflow', outcome: 'UPSTREAM_UNAVAILABLE', status: 502, attempt: 0 },
      { endpoint: 'room.reflow', outcome: 'ok', status: 200, attempt: 1 },
    ]);
    for (const call of calls) expect(call.durationMs).toBeGreaterThan(0);
  });

  it('reports a timeout with no status', async () => {
    harnessOf().routes.set(REFLOW, () => undefined);
    const { api, calls } = harnessOf().client({ timeoutMs: 100, retries: 0 });
    await failure(api.roomByRoomId(ROOM_ID));
    expect(calls.at(-1)).toMatchObject({ endpoint: 'room.reflow', outcome: 'UPSTREAM_UNAVAILABLE', status: null });
  });
});
