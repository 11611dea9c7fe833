// The response cache on its own: freshness per endpoint, single flight, bounded size, tags for
// push updates, and views derived once from one stored body. The clock is injected.
import { describe, expect, it } from 'vitest';
import { entrySize, UpstreamResponseCache, type CacheOutcome, type CacheRequest, type Loaded } from '../../../src/collectors/cache/response-cache.ts';
import type { UpstreamEndpoint } from '../../../src/collectors/http/observer.ts';

const encoder = new TextEncoder();

interface Rig {
  cache: UpstreamResponseCache;
  clock: { now: number };
  lookups: CacheOutcome[];
  pushUpdates: string[];
}

function rig(maxBytes = 1 << 20, freshMs: Partial<Record<UpstreamEndpoint, number>> = { 'room.reflow': 1000, 'ranklist.audience': 5000 }): Rig {
  const clock = { now: 0 };
  const lookups: CacheOutcome[] = [];
  const pushUpdates: string[] = [];
  const cache = new UpstreamResponseCache({
    maxBytes,
    freshMs,
    now: () => clock.now,
    observer: { onLookup: (_endpoint, outcome) => lookups.push(outcome), onPushUpdate: (action, entries) => pushUpdates.push(`${action}:${entries}`) },
  });
  return { cache, clock, lookups, pushUpdates };
}

/** A request whose upstream call is counted and answers `{"n": <call number>}`. */
function counted(key: string, options: { endpoint?: UpstreamEndpoint; view?: string; tags?: string[]; bodyBytes?: number } = {}) {
  const state = { calls: 0 };
  const request = (): CacheRequest<{ n: number }> => ({
    endpoint: options.endpoint ?? 'room.reflow',
    key,
    view: options.view ?? 'model',
    tags: () => options.tags ?? [`room:${key}`],
    read: (body) => JSON.parse(new TextDecoder().decode(body)) as { n: number },
    load: async (): Promise<Loaded<{ n: number }>> => {
      state.calls += 1;
      const text = JSON.stringify({ n: state.calls, pad: 'x'.repeat(options.bodyBytes ?? 0) });
      return { body: encoder.encode(text), value: { n: state.calls } };
    },
  });
  return { state, request };
}

describe('UpstreamResponseCache', () => {
  it('answers from memory within the endpoint\'s freshness window and asks again after it', async () => {
    const { cache, clock, lookups } = rig();
    const room = counted('1');
    expect((await cache.get(room.request())).n).toBe(1);
    clock.now = 999;
    expect((await cache.get(room.request())).n).toBe(1);
    clock.now = 1000;
    expect((await cache.get(room.request())).n).toBe(2);
    expect(room.state.calls).toBe(2);
    expect(lookups).toEqual(['miss', 'hit', 'miss']);
  });

  it('keeps each endpoint to its own window', async () => {
    const { cache, clock } = rig();
    const ranks = counted('r', { endpoint: 'ranklist.audience' });
    const room = counted('i');
    await cache.get(ranks.request());
    await cache.get(room.request());
    clock.now = 4000;
    await cache.get(ranks.request());
    await cache.get(room.request());
    expect([ranks.state.calls, room.state.calls]).toEqual([1, 2]);
  });

  it('never keeps an endpoint without a window', async () => {
    const { cache } = rig();
    expect(cache.covers('feed')).toBe(false);
    expect(cache.covers('room.reflow')).toBe(true);
  });

  it('shares one upstream call among callers that ask while it is in flight', async () => {
    const { cache, lookups } = rig();
    let release!: () => void;
    const gate = new Promise<void>((resolve) => (release = resolve));
    let calls = 0;
    const request: CacheRequest<string> = {
      endpoint: 'room.reflow',
      key: 'k',
      view: 'model',
      tags: () => [],
      read: () => 'derived',
      load: async () => {
        calls += 1;
        await gate;
        return { body: encoder.encode('{}'), value: 'loaded' };
      },
    };
    const answers = Promise.all([cache.get(request), cache.get(request), cache.get(request)]);
    release();
    expect(await answers).toEqual(['loaded', 'loaded', 'loaded']);
    expect(calls).toBe(1);
    expect(lookups).toEqual(['miss', 'joined', 'joined']);
  });

  it('hands a failed call\'s error to everyone who joined it and keeps nothing', async () => {
    const { cache } = rig();
    let calls = 0;
    const request: CacheRequest<string> = {
      endpoint: 'room.reflow',
      key: 'k',
      view: 'model',
      tags: () => [],
      read: () => 'x',
      load: async () => {
        calls += 1;
        throw new Error(`upstream down ${calls}`);
      },
    };
    const results = await Promise.allSettled([cache.get(request), cache.get(request)]);
    expect(results.map((r) => (r.status === 'rejected' ? (r.reason as Error).message : 'ok'))).toEqual(['upstream down 1', 'upstream down 1']);
    await expect(cache.get(request)).rejects.toThrow('upstream down 2');
    expect(cache.size.entries).toBe(0);
  });

  it('stores the body once and derives each other view from it once', async () => {
    const { cache } = rig();
    let reads = 0;
    const base = counted('v');
    await cache.get(base.request());
    const raw: CacheRequest<string> = {
      ...base.request(),
      tags: () => [],
      load: async () => ({ body: new Uint8Array(0), value: 'never loaded' }),
      view: 'raw',
      read: (body) => {
        reads += 1;
        return new TextDecoder().decode(body);
      },
    };
    expect(await cache.get(raw)).toBe('{"n":1,"pad":""}');
    expect(await cache.get(raw)).toBe('{"n":1,"pad":""}');
    expect([reads, base.state.calls, cache.size.entries]).toEqual([1, 1, 1]);
  });

  it('stays within its byte bound, dropping the least recently used answer first', async () => {
    const bodyBytes = 1000;
    const one = entrySize(encoder.encode(JSON.stringify({ n: 1, pad: 'x'.repeat(bodyBytes) })));
    const { cache } = rig(one * 3);
    const rooms = ['a', 'b', 'c', 'd'].map((key) => counted(key, { bodyBytes }));
    for (const room of rooms.slice(0, 3)) await cache.get(room.request());
    await cache.get(rooms[0]!.request()); // a is now the most recently used
    await cache.get(rooms[3]!.request());
    expect(cache.size.entries).toBe(3);
    expect(cache.size.bytes).toBeLessThanOrEqual(one * 3);
    await cache.get(rooms[0]!.request());
    await cache.get(rooms[1]!.request());
    expect(rooms.map((room) => room.state.calls)).toEqual([1, 2, 1, 1]);
  });

  it('does not keep an answer larger than the whole bound, but still returns it', async () => {
    const { cache } = rig(100);
    const big = counted('big', { bodyBytes: 500 });
    expect((await cache.get(big.request())).n).toBe(1);
    expect((await cache.get(big.request())).n).toBe(2);
    expect(cache.size).toEqual({ entries: 0, bytes: 0 });
  });

  it('drops the entries of an invalidated tag, and only those', async () => {
    const { cache, pushUpdates } = rig();
    const a = counted('a');
    const b = counted('b');
    await cache.get(a.request());
    await cache.get(b.request());
    expect(cache.invalidate('room:a')).toBe(1);
    expect(cache.invalidate('room:nobody')).toBe(0);
    await cache.get(a.request());
    await cache.get(b.request());
    expect([a.state.calls, b.state.calls]).toEqual([2, 1]);
    expect(pushUpdates).toEqual(['invalidated:1']);
  });

  it('does not store an answer whose call started before its tag was invalidated', async () => {
    const { cache, clock } = rig();
    let release!: () => void;
    const gate = new Promise<void>((resolve) => (release = resolve));
    let calls = 0;
    const request: CacheRequest<number> = {
      endpoint: 'room.reflow',
      key: 'k',
      view: 'model',
      tags: () => ['room:k'],
      read: () => -1,
      load: async () => {
        calls += 1;
        if (calls === 1) await gate;
        return { body: encoder.encode('{}'), value: calls };
      },
    };
    const first = cache.get(request);
    clock.now = 10;
    cache.invalidate('room:k'); // e.g. the room ended while its info was being fetched
    release();
    expect(await first).toBe(1);
    expect(await cache.get(request)).toBe(2);
    expect(await cache.get(request)).toBe(2);
  });

  it('patches a derived view in place, and a view derived later gets the patch too', async () => {
    const { cache, pushUpdates } = rig();
    const room = counted('p');
    await cache.get(room.request());
    expect(cache.patch('room:p', 'model', (value) => ({ ...(value as object), n: 41 }))).toBe(1);
    expect((await cache.get(room.request())).n).toBe(41);
    expect(cache.patch('room:p', 'other', (value) => ({ ...(value as object), patched: true }))).toBe(1);
    expect(await cache.get({ ...room.request(), view: 'other' })).toEqual({ n: 1, pad: '', patched: true });
    expect(room.state.calls).toBe(1);
    expect(pushUpdates).toEqual(['patched:1', 'patched:1']);
  });
});
