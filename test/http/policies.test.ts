// The client's pure pieces: token bucket, backoff, response classification, cookie parsing.
import { describe, expect, it } from 'vitest';
import { fullJitterDelay } from '../../src/collectors/backoff.ts';
import { isTransient, parseRetryAfter } from '../../src/collectors/http/retry.ts';
import { randomMsToken, randomVisitorId } from '../../src/collectors/http/browser-profile.ts';
import { classifyResponse } from '../../src/collectors/http/classify.ts';
import { InFlight } from '../../src/collectors/http/coalesce.ts';
import { parseInternalExt } from '../../src/collectors/http/im-fetch.ts';
import { HostRateLimiter, TokenBucket } from '../../src/collectors/http/token-bucket.ts';
import { cookieHas, ttwidFromSetCookies, TtwidStore } from '../../src/collectors/http/ttwid.ts';
import { blocked, rateLimited, roomNotFound, unavailable } from '../../src/collectors/errors.ts';

describe('TokenBucket', () => {
  it('serves a full burst at once, then one token per 1/rate seconds', () => {
    const clock = { now: 0 };
    const bucket = new TokenBucket(5, 2, () => clock.now);
    expect(Array.from({ length: 5 }, () => bucket.reserve())).toEqual([0, 0, 200, 400, 600]);
  });

  it('refills with time, never above the burst', () => {
    const clock = { now: 0 };
    const bucket = new TokenBucket(10, 3, () => clock.now);
    for (let i = 0; i < 3; i += 1) bucket.reserve();
    clock.now = 150; // 1.5 tokens back
    expect(bucket.reserve()).toBe(0);
    expect(bucket.reserve()).toBeCloseTo(50);
    clock.now = 60_000;
    expect([bucket.reserve(), bucket.reserve(), bucket.reserve(), bucket.reserve()]).toEqual([0, 0, 0, 100]);
  });
});

describe('HostRateLimiter', () => {
  it('keeps one bucket per host', async () => {
    const clock = { now: 0 };
    const sleeps: [string, number][] = [];
    let current = '';
    const limiter = new HostRateLimiter({
      ratePerSec: 2,
      burst: 1,
      now: () => clock.now,
      sleep: async (ms) => {
        sleeps.push([current, ms]);
        clock.now += ms;
      },
    });
    for (const host of ['a:1', 'b:1', 'a:1', 'b:1']) {
      current = host;
      await limiter.acquire(host);
    }
    // a's second call waits for a's refill; by then b's bucket has refilled on its own.
    expect(sleeps).toEqual([['a:1', 500]]);
  });
});

describe('backoff', () => {
  it('draws full jitter from a window that doubles up to the cap', () => {
    const options = { baseMs: 100, capMs: 1000 };
    expect([0, 1, 2, 3, 4, 5].map((n) => fullJitterDelay(n, options, () => 0.999999))).toEqual([99, 199, 399, 799, 999, 999]);
    expect(fullJitterDelay(3, options, () => 0)).toBe(0);
  });

  it('retries only what a later attempt may not repeat', () => {
    expect(isTransient(unavailable('HTTP 502'))).toBe(true);
    expect(isTransient(rateLimited(1000))).toBe(true);
    expect(isTransient(roomNotFound('x'))).toBe(false);
    expect(isTransient(blocked('captcha'))).toBe(false);
  });

  it('reads Retry-After as seconds or as an HTTP date', () => {
    const now = Date.parse('Sun, 27 Sep 2026 09:52:40 GMT');
    expect(parseRetryAfter('3', now)).toBe(3000);
    expect(parseRetryAfter('Sun, 27 Sep 2026 09:52:50 GMT', now)).toBe(10_000);
    expect(parseRetryAfter('Sun, 27 Sep 2026 09:52:30 GMT', now)).toBe(0);
    expect(parseRetryAfter('soon', now)).toBeNull();
    expect(parseRetryAfter(null, now)).toBeNull();
  });
});

describe('classifyResponse', () => {
  const raw = (status: number, headers: Record<string, string> = {}, body = '{"status_code":0}') => ({
    status,
    headers: new Headers(headers),
    body: new TextEncoder().encode(body),
  });

  it.each([
    ['200 JSON', raw(200), 'ok', null],
    ['200 empty', raw(200, {}, ''), 'empty', null],
    ['429', raw(429, { 'retry-after': '7' }), 'failed', 'RATE_LIMITED'],
    ['503', raw(503), 'failed', 'UPSTREAM_UNAVAILABLE'],
    ['captcha header on 200', raw(200, { 'bdturing-verify': '{"code":10000}' }, ''), 'failed', 'BLOCKED'],
    ['passport verification', raw(200, { 'x-tt-verify-passport-decision': '{}' }), 'failed', 'BLOCKED'],
    ['acrawler page', raw(200, { 'content-type': 'text/html' }, '  <html><script>var _$jsvmprt=1</script>'), 'failed', 'BLOCKED'],
    ['other HTML', raw(200, { 'content-type': 'text/html' }, '<html>hello</html>'), 'ok', null],
  ])('%s', (_name, response, kind, code) => {
    const result = classifyResponse(response, 0);
    expect(result.kind).toBe(kind);
    if (result.kind === 'failed') expect(result.error.code).toBe(code);
  });

  it('keeps the 429 wait and marks captcha as permanent, 5xx as transient', () => {
    const limited = classifyResponse(raw(429, { 'retry-after': '7' }), 0);
    expect(limited.kind === 'failed' && limited.error.retryAfterMs).toBe(7000);
    expect(classifyResponse(raw(200, { 'x-vc-bdturing-parameters': '{}' }), 0)).toMatchObject({ permanent: true });
    expect(classifyResponse(raw(502), 0)).toMatchObject({ permanent: false });
  });
});

describe('ttwid', () => {
  it('finds ttwid among Set-Cookie headers', () => {
    expect(ttwidFromSetCookies(['__ac_nonce=1; Path=/', 'ttwid=1%7Cabc; Path=/; HttpOnly'])).toBe('1%7Cabc');
    expect(ttwidFromSetCookies(['ttwid=; Max-Age=0', 'other=1'])).toBeNull();
    expect(ttwidFromSetCookies([])).toBeNull();
  });

  it('tells whether a cookie string has a given cookie', () => {
    expect(cookieHas('sessionid=1; ttwid=2', 'ttwid')).toBe(true);
    expect(cookieHas('my_ttwid=2', 'ttwid')).toBe(false);
    expect(cookieHas(null, 'ttwid')).toBe(false);
  });

  it('shares one fetch between concurrent callers and asks again only after retryMs when none was set', async () => {
    const clock = { now: 0 };
    let fetches = 0;
    const store = new TtwidStore({ now: () => clock.now, ttlMs: 10_000, retryMs: 1000, fetchSetCookies: async () => (fetches += 1, []) });
    const results = await Promise.all([store.get(), store.get(), store.get()]);
    expect(fetches).toBe(1);
    expect(results.map((r) => r.ttwid)).toEqual([null, null, null]);
    clock.now = 999;
    await store.get();
    expect(fetches).toBe(1);
    clock.now = 1000;
    await store.get();
    expect(fetches).toBe(2);
  });

  it('keeps the last good ttwid when a refresh finds none', async () => {
    const answers = [['ttwid=first'], []];
    const clock = { now: 0 };
    const store = new TtwidStore({ now: () => clock.now, ttlMs: 100, retryMs: 100, fetchSetCookies: async () => answers.shift() ?? [] });
    expect((await store.get()).ttwid).toBe('first');
    store.invalidate();
    expect(await store.get()).toEqual({ ttwid: 'first', cached: false });
  });
});

describe('small helpers', () => {
  it('InFlight forgets a failed call so the next one runs', async () => {
    const inFlight = new InFlight();
    let runs = 0;
    const failing = () => {
      runs += 1;
      return Promise.reject(new Error('x'));
    };
    await Promise.allSettled([inFlight.run('k', failing), inFlight.run('k', failing)]);
    await inFlight.run('k', failing).catch(() => undefined);
    expect(runs).toBe(2);
    expect(inFlight.size).toBe(0);
  });

  it('parses internal_ext, keeping colons inside values', () => {
    const fields = parseInternalExt('internal_src:dim|wss_push_did:7345|wss_info:0-1790519970100-0-0|bad|x:a:b');
    expect(Object.fromEntries(fields)).toEqual({ internal_src: 'dim', wss_push_did: '7345', wss_info: '0-1790519970100-0-0', x: 'a:b' });
  });

  it('makes msTokens and visitor ids of the right shape', () => {
    let seed = 0;
    const random = () => ((seed = (seed * 9301 + 49297) % 233280) / 233280);
    expect(randomMsToken(random)).toMatch(/^[A-Za-z0-9_-]{184}$/);
    expect(randomVisitorId(random)).toMatch(/^7\d{18}$/);
  });
});
