// The pool's rules on a clock the test moves: pairs from the lists, healthy pairs in turn,
// rooms spread evenly and sticky, quarantine with a doubling backoff that a success resets,
// UPSTREAM_DEGRADED with a retry time when none is left, secrets never shown.
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { UpstreamError } from '../../../src/collectors/errors.ts';
import { parseListText, PoolListError, readPoolEntries } from '../../../src/collectors/pool/pool-files.ts';
import { maskCookie, pairEntries, UpstreamPool, type PoolChange, type PoolEntry } from '../../../src/collectors/pool/upstream-pool.ts';
import { parseProxyUrl } from '../../../src/collectors/proxy/proxy-url.ts';

const clock = { now: 1_000_000 };
const pools: UpstreamPool[] = [];
afterEach(() => {
  for (const pool of pools.splice(0)) pool.stop();
});

function poolOf(entries: PoolEntry[], options: Partial<ConstructorParameters<typeof UpstreamPool>[1]> = {}): UpstreamPool {
  const pool = new UpstreamPool(entries, { quarantineMs: 1000, maxQuarantineMs: 5000, now: () => clock.now, ...options });
  pools.push(pool);
  return pool;
}

const cookies = (n: number) => Array.from({ length: n }, (_, i) => `sessionid=secret${i}; uid_tt=u${i}`);
const proxy = (port: number) => parseProxyUrl(`socks5://user:pw@127.0.0.1:${port}`);

function thrown(run: () => unknown): UpstreamError {
  try {
    run();
  } catch (error) {
    expect(error).toBeInstanceOf(UpstreamError);
    return error as UpstreamError;
  }
  throw new Error('expected a throw');
}

describe('pool pairs', () => {
  it('pairs each cookie with one proxy, reusing the shorter list in turn', () => {
    const entries = pairEntries(cookies(3), [proxy(1081), proxy(1082)]);
    expect(entries.map((e) => [e.cookie?.slice(0, 18), e.proxy?.port])).toEqual([
      ['sessionid=secret0;', 1081],
      ['sessionid=secret1;', 1082],
      ['sessionid=secret2;', 1081],
    ]);
    expect(pairEntries([], [proxy(1081)])).toEqual([{ cookie: null, proxy: proxy(1081) }]);
    // The same pair twice is one pair.
    expect(pairEntries(['a=1', 'a=1'], [])).toHaveLength(1);
  });

  it('shows cookie names and proxy hosts, never a value or a password', () => {
    const pool = poolOf(pairEntries(cookies(1), [proxy(1081)]));
    const [pair] = pool.snapshot().pairs;
    expect(pair!.cookie).toBe('sessionid=***; uid_tt=***');
    expect(pair!.proxy).toBe('socks5://user:***@127.0.0.1:1081');
    expect(JSON.stringify(pool.snapshot())).not.toMatch(/secret0|u0|pw/);
    expect(maskCookie('a=1;b=2; ')).toBe('a=***; b=***');
  });
});

describe('picking and quarantine', () => {
  it('takes the healthy pairs in turn and skips a quarantined one', () => {
    const pool = poolOf(pairEntries(cookies(3), []));
    const ids = pool.snapshot().pairs.map((p) => p.id);
    expect([1, 2, 3, 4].map(() => pool.pick().id)).toEqual([ids[0], ids[1], ids[2], ids[0]]);
    pool.failed(ids[1]!, { kind: 'refused', reason: 'captcha' });
    expect([1, 2, 3, 4].map(() => pool.pick().id)).toEqual([ids[2], ids[0], ids[2], ids[0]]);
    expect(pool.pick(ids[1]!).id).not.toBe(ids[1]);
    expect(pool.pick(ids[2]!).id).toBe(ids[2]);
  });

  it('quarantines for 1, 2, 4… times the base up to the cap, and a success after it resets the count', () => {
    const pool = poolOf(pairEntries(cookies(2), []));
    const id = pool.snapshot().pairs[0]!.id;
    const untils: number[] = [];
    for (let i = 0; i < 4; i += 1) {
      pool.failed(id, { kind: 'refused', reason: `refusal ${i}` });
      const snapshot = pool.snapshot().pairs[0]!;
      expect(snapshot.state).toBe('QUARANTINED');
      untils.push(snapshot.quarantinedUntil! - clock.now);
      clock.now = snapshot.quarantinedUntil!;
      expect(pool.isHealthy(id)).toBe(true);
    }
    expect(untils).toEqual([1000, 2000, 4000, 5000]);
    pool.succeeded(id);
    pool.failed(id, { kind: 'refused', reason: 'again' });
    expect(pool.snapshot().pairs[0]!.quarantinedUntil! - clock.now).toBe(1000);
    expect(pool.snapshot().pairs[0]).toMatchObject({ lastFailure: 'again', quarantines: 5, failures: 5, calls: 6 });
  });

  it('quarantines a proxy after three calls in a row without an answer, never a direct pair', () => {
    const pool = poolOf(pairEntries(['a=1', 'b=2'], [proxy(1081), null]));
    const [viaProxy, direct] = pool.snapshot().pairs.map((p) => p.id);
    for (let i = 0; i < 2; i += 1) pool.failed(viaProxy!, { kind: 'no-answer', reason: 'timeout' });
    pool.answered(viaProxy!);
    for (let i = 0; i < 2; i += 1) pool.failed(viaProxy!, { kind: 'no-answer', reason: 'timeout' });
    expect(pool.isHealthy(viaProxy!)).toBe(true);
    pool.failed(viaProxy!, { kind: 'no-answer', reason: 'timeout' });
    expect(pool.isHealthy(viaProxy!)).toBe(false);
    for (let i = 0; i < 10; i += 1) pool.failed(direct!, { kind: 'no-answer', reason: 'timeout' });
    expect(pool.isHealthy(direct!)).toBe(true);
  });

  it('fails at once with UPSTREAM_DEGRADED and the wait when every pair is quarantined, and says so once', () => {
    const pool = poolOf(pairEntries(cookies(2), []));
    const changes: PoolChange[] = [];
    pool.onChange((change) => changes.push(change));
    const [a, b] = pool.snapshot().pairs.map((p) => p.id);
    pool.failed(a!, { kind: 'refused', reason: 'x' });
    clock.now += 400;
    pool.failed(b!, { kind: 'refused', reason: 'y' });
    const error = thrown(() => pool.pick());
    expect(error.code).toBe('UPSTREAM_DEGRADED');
    expect(error.retryAfterMs).toBe(600);
    expect(pool.snapshot()).toMatchObject({ degraded: true, healthy: 0 });
    expect(changes.filter((c) => c.kind === 'pool')).toEqual([{ kind: 'pool', degraded: true }]);
    clock.now += 600;
    expect(pool.pick().id).toBe(a);
    expect(changes.filter((c) => c.kind === 'pool')).toEqual([
      { kind: 'pool', degraded: true },
      { kind: 'pool', degraded: false },
    ]);
  });
});

describe('rooms', () => {
  it('spreads rooms evenly, keeps each on its pair, and moves only the rooms of a quarantined pair', () => {
    const pool = poolOf(pairEntries(cookies(3), []));
    const first = ['r1', 'r2', 'r3', 'r4', 'r5', 'r6'].map((room) => pool.pairForRoom(room)!.id);
    expect(new Set(first).size).toBe(3);
    expect(pool.snapshot().pairs.map((p) => p.rooms.length)).toEqual([2, 2, 2]);
    expect(pool.pairForRoom('r1')!.id).toBe(first[0]);
    pool.failed(first[0]!, { kind: 'refused', reason: 'handshake 415' });
    const moved = pool.pairForRoom('r1')!.id;
    expect(moved).not.toBe(first[0]);
    expect(pool.pairForRoom('r2')!.id).toBe(first[1]);
    pool.releaseRoom('r2');
    expect(pool.snapshot().pairs.flatMap((p) => p.rooms)).not.toContain('r2');
  });

  it('answers null for a room when no pair is healthy', () => {
    const pool = poolOf(pairEntries(cookies(1), []));
    pool.failed(pool.pick().id, { kind: 'refused', reason: 'x' });
    expect(pool.pairForRoom('r1')).toBeNull();
  });

  it('keeps the health of pairs that stay when the lists change', () => {
    const pool = poolOf(pairEntries(cookies(2), []));
    const [a] = pool.snapshot().pairs.map((p) => p.id);
    pool.failed(a!, { kind: 'refused', reason: 'x' });
    pool.replaceEntries(pairEntries([...cookies(2), 'sessionid=new'], []));
    expect(pool.snapshot().pairs.map((p) => p.state)).toEqual(['QUARANTINED', 'HEALTHY', 'HEALTHY']);
  });
});

describe('the list files', () => {
  let dir: string | null = null;
  afterEach(() => {
    if (dir !== null) rmSync(dir, { recursive: true, force: true });
    dir = null;
  });

  it('reads one entry per line, skipping blanks and comments, and names a bad line without its password', () => {
    expect(parseListText('# pool\n a=1 \n\r\nb=2\r\n')).toEqual(['a=1', 'b=2']);
    dir = mkdtempSync(join(tmpdir(), 'pool-'));
    const cookiesFile = join(dir, 'cookies');
    const proxiesFile = join(dir, 'proxies');
    writeFileSync(cookiesFile, 'a=1\nb=2\n');
    writeFileSync(proxiesFile, 'socks5://127.0.0.1:1081\n');
    const entries = readPoolEntries({ cookiesFile, proxiesFile, fallbackCookie: null, fallbackProxy: null });
    expect(entries.map((e) => [e.cookie, e.proxy?.port])).toEqual([
      ['a=1', 1081],
      ['b=2', 1081],
    ]);
    writeFileSync(proxiesFile, 'socks5://127.0.0.1:1081\nftp://user:hunter2@host\n');
    const bad = (() => {
      try {
        readPoolEntries({ cookiesFile, proxiesFile, fallbackCookie: null, fallbackProxy: null });
      } catch (error) {
        return error as Error;
      }
      return null;
    })();
    expect(bad).toBeInstanceOf(PoolListError);
    expect(bad!.message).toContain('entry 2');
    expect(bad!.message).not.toContain('hunter2');
    writeFileSync(cookiesFile, '# nothing\n');
    expect(() => readPoolEntries({ cookiesFile, proxiesFile: null, fallbackCookie: null, fallbackProxy: null })).toThrow(/lists no cookie/);
    // Without a cookies file every pair takes DOUYIN_COOKIE.
    writeFileSync(proxiesFile, 'socks5://127.0.0.1:1081\nhttp://127.0.0.1:3128\n');
    const fallback = readPoolEntries({ cookiesFile: null, proxiesFile, fallbackCookie: 'c=9', fallbackProxy: null });
    expect(fallback.map((e) => e.cookie)).toEqual(['c=9', 'c=9']);
  });
});
