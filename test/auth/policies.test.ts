// Bind policy, rate limiter, subscription caps, CORS allow-list and token extraction.
import { describe, expect, it } from 'vitest';
import { bindPolicy, isLoopbackHost } from '../../src/server/auth/bind-policy.ts';
import { corsPreflightResponse, corsResponseHeaders, createCorsPolicy, yogaCorsOptions } from '../../src/server/auth/cors.ts';
import {
  tokenFromAccessTokenHeader,
  tokenFromBearer,
  tokenFromConnectionParams,
  tokenFromQuery,
  tokenFromVendorRequest,
} from '../../src/server/auth/extract.ts';
import { rateLimitKey, TokenBucketRateLimiter } from '../../src/server/auth/rate-limiter.ts';
import { SubscriptionCaps } from '../../src/server/auth/subscription-caps.ts';

describe('bindPolicy', () => {
  it.each(['127.0.0.1', '127.1.2.3', 'localhost', '::1', '[::1]', '::ffff:127.0.0.1'])('allows open mode on loopback %s, saying so', (host) => {
    const decision = bindPolicy({ host, tokensConfigured: false });
    expect(decision.ok).toBe(true);
    expect(decision.ok && decision.notice).toContain('open');
  });

  it.each(['0.0.0.0', '::', '192.168.1.10', 'gateway.example.com', '128.0.0.1'])('refuses open mode on %s with a clear message', (host) => {
    const decision = bindPolicy({ host, tokensConfigured: false });
    expect(decision.ok).toBe(false);
    expect(!decision.ok && decision.error).toContain(`refusing to listen on ${host} without API tokens`);
    expect(!decision.ok && decision.error).toContain('API_TOKENS_FILE');
  });

  it('allows any address once tokens are configured', () => {
    const decision = bindPolicy({ host: '0.0.0.0', tokensConfigured: true });
    expect(decision).toEqual({ ok: true, notice: expect.stringContaining('API tokens required') });
  });

  it('does not take a look-alike for loopback', () => {
    expect(isLoopbackHost('127.0.0.1.evil.com')).toBe(false);
    expect(isLoopbackHost('localhost.example')).toBe(false);
  });
});

describe('TokenBucketRateLimiter', () => {
  it('allows a burst of perMinute, then refuses with the seconds until one request is possible', () => {
    let now = 0;
    const limiter = new TokenBucketRateLimiter({ perMinute: 6, now: () => now });
    const results = Array.from({ length: 7 }, () => limiter.take('a'));
    expect(results.slice(0, 6).every((result) => result.ok)).toBe(true);
    // 6 per minute = one every 10 s.
    expect(results[6]).toEqual({ ok: false, retryAfterSeconds: 10 });
    now = 4_000;
    expect(limiter.take('a')).toEqual({ ok: false, retryAfterSeconds: 6 });
    now = 10_000;
    expect(limiter.take('a').ok).toBe(true);
    expect(limiter.take('a').ok).toBe(false);
  });

  it('keeps a separate bucket per key', () => {
    const limiter = new TokenBucketRateLimiter({ perMinute: 1, now: () => 0 });
    expect(limiter.take('token:a').ok).toBe(true);
    expect(limiter.take('token:a').ok).toBe(false);
    expect(limiter.take('token:b').ok).toBe(true);
  });

  it('forgets the least recently seen key beyond maxKeys (which then starts full)', () => {
    const limiter = new TokenBucketRateLimiter({ perMinute: 1, now: () => 0, maxKeys: 2 });
    limiter.take('a');
    limiter.take('b');
    limiter.take('c');
    expect(limiter.take('a').ok).toBe(true);
    expect(limiter.take('c').ok).toBe(false);
  });

  it('refuses a non-positive rate', () => {
    expect(() => new TokenBucketRateLimiter({ perMinute: 0 })).toThrow(RangeError);
  });

  it('keys by token, else by address', () => {
    expect(rateLimitKey('abc', '10.0.0.1')).toBe('token:abc');
    expect(rateLimitKey(null, '10.0.0.1')).toBe('addr:10.0.0.1');
    expect(rateLimitKey(null, null)).toBe('addr:unknown');
  });
});

describe('SubscriptionCaps', () => {
  it('caps one connection, and frees a slot on release (release twice counts once)', () => {
    const caps = new SubscriptionCaps({ perConnection: 2, perToken: 10 });
    const connection = {};
    const first = caps.acquire(connection, 't');
    expect(caps.acquire(connection, 't').ok).toBe(true);
    expect(caps.acquire(connection, 't')).toEqual({ ok: false, code: 'CONNECTION_LIMIT', limit: 2 });
    if (first.ok) {
      first.release();
      first.release();
    }
    expect(caps.connectionCount(connection)).toBe(1);
    expect(caps.acquire(connection, 't').ok).toBe(true);
    expect(caps.acquire(connection, 't').ok).toBe(false);
  });

  it('caps one token across connections', () => {
    const caps = new SubscriptionCaps({ perConnection: 10, perToken: 3 });
    expect([caps.acquire({}, 't'), caps.acquire({}, 't'), caps.acquire({}, 't')].every((d) => d.ok)).toBe(true);
    expect(caps.acquire({}, 't')).toEqual({ ok: false, code: 'TOKEN_LIMIT', limit: 3 });
    expect(caps.acquire({}, 'u').ok).toBe(true);
    expect(caps.tokenCount('t')).toBe(3);
  });

  it('a refused acquire takes nothing', () => {
    const caps = new SubscriptionCaps({ perConnection: 1, perToken: 1 });
    const a = {};
    caps.acquire(a, 't');
    caps.acquire({}, 't');
    expect(caps.connectionCount(a)).toBe(1);
    expect(caps.tokenCount('t')).toBe(1);
  });
});

describe('CORS allow-list', () => {
  it('allows listed origins only, however the entry was written', () => {
    const policy = createCorsPolicy(['https://App.example.com/', ' http://localhost:5173 ']);
    expect(policy.allows('https://app.example.com')).toBe(true);
    expect(policy.allows('http://localhost:5173')).toBe(true);
    expect(policy.allows('https://app.example.com.evil.com')).toBe(false);
    expect(policy.allows('http://app.example.com')).toBe(false);
    expect(policy.allows(null)).toBe(false);
  });

  it('allows any origin only when * is listed', () => {
    expect(createCorsPolicy([]).allows('https://a.example')).toBe(false);
    expect(createCorsPolicy(['*']).allows('https://a.example')).toBe(true);
    expect(corsResponseHeaders(createCorsPolicy(['*']), 'https://a.example')).toMatchObject({ 'Access-Control-Allow-Origin': '*' });
  });

  it.each(['app.example.com', 'https://app.example.com/path', 'ftp://files.example.com', 'https://user:pw@app.example.com'])(
    'refuses the entry %s',
    (entry) => {
      expect(() => createCorsPolicy([entry])).toThrow(expect.objectContaining({ code: 'BAD_CORS_ORIGIN' }));
    },
  );

  it('answers a preflight with the allowed methods and headers for a listed origin only', () => {
    const policy = createCorsPolicy(['https://app.example.com']);
    const ok = corsPreflightResponse(policy, new Request('http://g/x', { method: 'OPTIONS', headers: { Origin: 'https://app.example.com' } }));
    expect(ok.status).toBe(204);
    expect(ok.headers.get('access-control-allow-methods')).toContain('POST');
    const refused = corsPreflightResponse(policy, new Request('http://g/x', { method: 'OPTIONS', headers: { Origin: 'https://x.example' } }));
    expect(refused.headers.get('access-control-allow-origin')).toBeNull();
  });

  it('turns an empty list into cors: false for yoga (yoga reads [] as allow-all)', () => {
    expect(yogaCorsOptions(createCorsPolicy([]))).toBe(false);
    expect(yogaCorsOptions(createCorsPolicy(['https://app.example.com']))).toMatchObject({ origin: ['https://app.example.com'] });
    expect(yogaCorsOptions(createCorsPolicy(['*']))).toMatchObject({ origin: '*' });
  });
});

describe('token extraction', () => {
  it('reads each transport\'s place and nothing else', () => {
    expect(tokenFromQuery('http://g/x?token=abc')).toBe('abc');
    expect(tokenFromQuery('http://g/x?token=')).toBeNull();
    expect(tokenFromAccessTokenHeader(new Headers({ 'Access-Token': ' abc ' }))).toBe('abc');
    expect(tokenFromBearer(new Headers({ Authorization: 'Bearer abc' }))).toBe('abc');
    expect(tokenFromBearer(new Headers({ Authorization: 'Basic abc' }))).toBeNull();
    expect(tokenFromBearer(new Headers({ Authorization: 'Bearer a b' }))).toBeNull();
    expect(tokenFromConnectionParams({ token: 'abc' })).toBe('abc');
    expect(tokenFromConnectionParams({ Authorization: 'Bearer abc' })).toBe('abc');
    expect(tokenFromConnectionParams({ token: 42 })).toBeNull();
    expect(tokenFromConnectionParams(undefined)).toBeNull();
  });

  it('vendor routes look at the query, then Access-Token, then a bearer token', () => {
    const headers = { 'Access-Token': 'header', Authorization: 'Bearer bearer' };
    expect(tokenFromVendorRequest(new Request('http://g/x?token=query', { headers }))).toBe('query');
    expect(tokenFromVendorRequest(new Request('http://g/x', { headers }))).toBe('header');
    expect(tokenFromVendorRequest(new Request('http://g/x', { headers: { Authorization: 'Bearer bearer' } }))).toBe('bearer');
    expect(tokenFromVendorRequest(new Request('http://g/x'))).toBeNull();
  });
});
