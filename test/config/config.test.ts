import { describe, expect, it } from 'vitest';
import { ConfigError, describeConfig, loadConfig, startupWarnings } from '../../src/config.ts';
import { REDACTED } from '../../src/server/auth/redact.ts';

function problemsOf(env: Record<string, string>): { variable: string; message: string }[] {
  try {
    loadConfig(env);
  } catch (error) {
    expect(error).toBeInstanceOf(ConfigError);
    return [...(error as ConfigError).problems];
  }
  throw new Error('expected loadConfig to reject the environment');
}

describe('loadConfig', () => {
  it('gives the documented defaults for an empty environment', () => {
    const config = loadConfig({});
    expect(config.server).toEqual({ port: 4000, host: '127.0.0.1', logLevel: 'info', drainMs: 5000 });
    expect(config.upstream.mode).toBe('simulator');
    expect(config.upstream.webUrl).toBe('https://live.douyin.com');
    expect(config.upstream.reflowUrl).toBe('https://webcast.amemv.com');
    expect(config.upstream.signer).toEqual({ kind: 'none' });
    expect(config.upstream).toMatchObject({ httpTimeoutMs: 8000, httpRetries: 3, cookie: null, httpsProxy: null });
    expect(config.upstream.simulator).toEqual({ port: 4100, seed: null });
    expect(config.push).toEqual({ url: 'wss://webcast100-ws-web-lq.douyin.com', stallMs: 45_000, watchRooms: [], lingerMs: 30_000, statusPollMs: 30_000, giftComboIdleMs: 15_000 });
    expect(config.store).toEqual({ dataDir: './data', databaseUrl: null, pgliteSharedBuffersMb: 16, recordDir: null, retentionDays: 30 });
    expect(config.limits).toEqual({
      maxQueryDepth: 12,
      maxQueryCost: 10_000,
      maxResponseBytes: 4 * 1024 * 1024,
      maxAliases: 30,
      maxTokens: 2000,
      subscriberBuffer: 1000,
      rateLimitPerMin: 600,
      maxSubscriptionsPerConnection: 50,
      maxSubscriptionsPerToken: 200,
      persistedOperations: 'off',
    });
  });

  it('routes reflow to DOUYIN_WEB_URL when it is set, so one stand-in serves every call', () => {
    const config = loadConfig({ DOUYIN_WEB_URL: 'http://127.0.0.1:4100/' });
    expect(config.upstream.webUrl).toBe('http://127.0.0.1:4100');
    expect(config.upstream.reflowUrl).toBe('http://127.0.0.1:4100');
  });

  it('parses lists, numbers and the signer choice', () => {
    const config = loadConfig({
      PORT: '0',
      WATCH_ROOMS: ' 148108118778, 7690183442860198697 ,148108118778,',
      CORS_ORIGINS: 'https://a.example, https://b.example',
      UPSTREAM_RATE_PER_SEC: '0.5',
      DOUYIN_SIGN_SCRIPT: '/opt/sign.js',
      DOUYIN_SIGN_TIMEOUT_MS: '500',
      https_proxy: 'http://proxy.local:3128',
    });
    expect(config.server.port).toBe(0);
    expect(config.push.watchRooms).toEqual(['148108118778', '7690183442860198697']);
    expect(config.security.corsOrigins).toEqual(['https://a.example', 'https://b.example']);
    expect(config.upstream.ratePerSec).toBe(0.5);
    expect(config.upstream.signer).toEqual({ kind: 'script', path: '/opt/sign.js', timeoutMs: 500 });
    expect(config.upstream.httpsProxy).toBe('http://proxy.local:3128');
  });

  it('takes socks5 proxies and refuses other schemes without echoing the password', () => {
    expect(loadConfig({ HTTPS_PROXY: 'socks5://127.0.0.1:1080' }).upstream.httpsProxy).toBe('socks5://127.0.0.1:1080');
    const error = (() => {
      try {
        loadConfig({ HTTPS_PROXY: 'ftp://user:hunter2@proxy.local:21' });
      } catch (caught) {
        return caught as ConfigError;
      }
      return null;
    })();
    expect(error?.problems).toEqual([{ variable: 'HTTPS_PROXY', message: expect.stringContaining('proxy scheme "ftp" is not supported') }]);
    expect(error?.message).not.toContain('hunter2');
  });

  it('reads the pool\'s session judgement: 5 minutes and 1000 viewers by default, 0 turning it off, a bad value named', () => {
    expect(loadConfig({}).upstream.pool.sessionWatch).toEqual({ silentMs: 300_000, busyViewers: 1000 });
    expect(loadConfig({ DOUYIN_POOL_SILENT_MS: '120000', DOUYIN_POOL_BUSY_VIEWERS: '200' }).upstream.pool.sessionWatch).toEqual({ silentMs: 120_000, busyViewers: 200 });
    expect(loadConfig({ DOUYIN_POOL_SILENT_MS: '0' }).upstream.pool.sessionWatch).toBeNull();
    expect(problemsOf({ DOUYIN_POOL_SILENT_MS: '5m', DOUYIN_POOL_BUSY_VIEWERS: '-1' }).map((p) => p.variable).sort()).toEqual(['DOUYIN_POOL_BUSY_VIEWERS', 'DOUYIN_POOL_SILENT_MS']);
  });

  it('treats an empty variable as unset', () => {
    const config = loadConfig({ PORT: '', DOUYIN_COOKIE: '  ', DOUYIN_UPSTREAM: '' });
    expect(config.server.port).toBe(4000);
    expect(config.upstream.cookie).toBeNull();
    expect(config.upstream.mode).toBe('simulator');
  });

  it('returns a deeply frozen object', () => {
    const config = loadConfig({ WATCH_ROOMS: '148108118778' });
    expect(Object.isFrozen(config.upstream.signer)).toBe(true);
    expect(() => (config.push.watchRooms as string[]).push('1')).toThrow(TypeError);
    expect(() => {
      (config.server as { port: number }).port = 1;
    }).toThrow(TypeError);
  });

  it('lists every bad variable at once, each with what it got', () => {
    const problems = problemsOf({
      PORT: 'eighty',
      HTTP_RETRIES: '-1',
      DOUYIN_UPSTREAM: 'production',
      DOUYIN_PUSH_URL: 'https://webcast.example',
      DATABASE_URL: 'not a url',
      WATCH_ROOMS: '148108118778,abc,-5',
      LOG_LEVEL: 'loud',
    });
    const byVariable = Object.fromEntries(problems.map((p) => [p.variable, p.message]));
    expect(Object.keys(byVariable).sort()).toEqual(
      ['DATABASE_URL', 'DOUYIN_PUSH_URL', 'DOUYIN_UPSTREAM', 'HTTP_RETRIES', 'LOG_LEVEL', 'PORT', 'WATCH_ROOMS'].sort(),
    );
    expect(byVariable.PORT).toContain('"eighty"');
    expect(byVariable.HTTP_RETRIES).toContain('0 to 10');
    expect(byVariable.DOUYIN_UPSTREAM).toContain('simulator, live');
    expect(byVariable.DOUYIN_PUSH_URL).toContain('"https"');
    expect(byVariable.WATCH_ROOMS).toContain('"abc", "-5"');
    expect(byVariable.WATCH_ROOMS).not.toContain('148108118778');
  });

  it('puts the whole list in the error message', () => {
    expect(() => loadConfig({ PORT: '70000', MAX_ALIASES: '0' })).toThrow(/2 problems\):\n {2}- PORT: .*70000.*\n {2}- MAX_ALIASES/);
  });

  it('refuses two signers, even when another variable is also wrong', () => {
    const problems = problemsOf({ DOUYIN_SIGN_URL: 'http://127.0.0.1:9/sign', DOUYIN_SIGN_SCRIPT: './sign.js', PORT: 'x' });
    expect(problems.map((p) => p.variable)).toEqual(['PORT', 'DOUYIN_SIGN_URL + DOUYIN_SIGN_SCRIPT']);
  });

  it('refuses REDIS_URL with the embedded store and says to set DATABASE_URL', () => {
    const problems = problemsOf({ REDIS_URL: 'redis://127.0.0.1:6379' });
    expect(problems).toEqual([{ variable: 'REDIS_URL without DATABASE_URL', message: expect.stringContaining('set DATABASE_URL') }]);
    expect(loadConfig({ REDIS_URL: 'redis://127.0.0.1:6379', DATABASE_URL: 'postgres://127.0.0.1/test' }).bus.redisUrl).toBe('redis://127.0.0.1:6379');
  });

  it('refuses a cookie that would inject a header', () => {
    const problems = problemsOf({ DOUYIN_COOKIE: 'ttwid=1\r\nX-Evil: 1' });
    expect(problems).toEqual([{ variable: 'DOUYIN_COOKIE', message: expect.stringContaining('single line') }]);
  });
});

describe('describeConfig', () => {
  const config = loadConfig({
    DOUYIN_COOKIE: 'sessionid=supersecretcookie',
    DATABASE_URL: 'postgres://gateway:dbpassw0rd@db.local:5432/live',
    REDIS_URL: 'redis://:redispassw0rd@cache.local:6379',
    HTTPS_PROXY: 'http://user:proxypassw0rd@proxy.local:3128',
    DOUYIN_SIGN_URL: 'https://signer.local/sign?key=signkey123',
  });
  const text = JSON.stringify(describeConfig(config));

  it('never prints a secret', () => {
    for (const secret of ['supersecretcookie', 'dbpassw0rd', 'redispassw0rd', 'proxypassw0rd', 'signkey123']) {
      expect(text).not.toContain(secret);
    }
  });

  it('keeps what an operator needs to check the settings', () => {
    const description = describeConfig(config);
    expect(description.upstream.cookie).toBe(REDACTED);
    expect(description.store.databaseUrl).toBe(`postgres://gateway:${REDACTED}@db.local:5432/live`);
    expect(description.upstream.signer).toEqual({ kind: 'service', url: `https://signer.local/sign?key=${REDACTED}`, timeoutMs: 2000 });
    expect(description.server.port).toBe(4000);
  });

  it('says null for an unset secret rather than pretending it is set', () => {
    expect(describeConfig(loadConfig({})).upstream.cookie).toBeNull();
  });
});

describe('startupWarnings', () => {
  it('warns that a live upstream without a signer sends an unsigned push URL', () => {
    const warnings = startupWarnings(loadConfig({ DOUYIN_UPSTREAM: 'live' }));
    expect(warnings).toContainEqual(expect.stringContaining('push URL goes unsigned'));
  });

  it('stays quiet about signing with a signer or with the simulator', () => {
    const signed = startupWarnings(loadConfig({ DOUYIN_UPSTREAM: 'live', DOUYIN_SIGN_URL: 'http://127.0.0.1:1/s', DOUYIN_COOKIE: 'a=b' }));
    expect(signed).toEqual([]);
    expect(startupWarnings(loadConfig({}))).toEqual([]);
  });

  it('warns about an open API on a public address and about ignored URLs in simulator mode', () => {
    const warnings = startupWarnings(loadConfig({ HOST: '0.0.0.0', DOUYIN_WEB_URL: 'http://127.0.0.1:4100', CORS_ORIGINS: '*' }));
    expect(warnings).toHaveLength(3);
    expect(warnings.join('\n')).toMatch(/API_TOKENS_FILE/);
    expect(warnings.join('\n')).toMatch(/ignored while DOUYIN_UPSTREAM=simulator/);
    expect(warnings.join('\n')).toMatch(/CORS_ORIGINS=\*/);
  });

  it('warns about a stall timeout shorter than a heartbeat cycle', () => {
    expect(startupWarnings(loadConfig({ PUSH_STALL_MS: '5000' }))).toEqual([expect.stringContaining('PUSH_STALL_MS=5000')]);
  });
});
