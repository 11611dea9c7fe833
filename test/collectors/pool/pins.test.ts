// A watch may pin its room to a cookie or a proxy of the pool (issue 13): the room then streams
// only through fitting pairs, waits degraded rather than use another, and is free again once
// the pin is released. Pure pool logic with a fake connection, driven by hand.
import { afterEach, describe, expect, it } from 'vitest';
import type { ConnectionState } from '../../../src/domain/events.ts';
import { PooledRoomStream } from '../../../src/collectors/pool/pooled-room-stream.ts';
import { cookieId, pairEntries, proxyId, UpstreamPool, type PoolPair } from '../../../src/collectors/pool/upstream-pool.ts';
import { parseProxyUrl } from '../../../src/collectors/proxy/proxy-url.ts';

const COOKIES = ['sessionid=a', 'sessionid=b', 'sessionid=c'];
const PROXIES = ['http://user:pw@10.0.0.1:8080', 'socks5://10.0.0.2:1080', 'http://10.0.0.3:3128'].map(parseProxyUrl);
const ROOM = '7400000000000000001';
const OTHER = '7400000000000000002';

const clock = { now: 1_000_000 };
const cleanups: (() => void)[] = [];
afterEach(() => {
  for (const cleanup of cleanups.splice(0)) cleanup();
});

function pool(): UpstreamPool {
  const made = new UpstreamPool(pairEntries(COOKIES, PROXIES), { quarantineMs: 60_000, maxQuarantineMs: 600_000, now: () => clock.now });
  cleanups.push(() => made.stop());
  return made;
}

const pairWith = (p: UpstreamPool, cookie: string) => p.snapshot().pairs.find((pair) => pair.cookieId === cookieId(cookie))!;

describe('pins in the pool', () => {
  it('shows each pair\'s cookie and proxy ids, hashes that carry neither secret', () => {
    const pairs = pool().snapshot().pairs;
    expect(pairs.map((p) => p.cookieId)).toEqual(COOKIES.map(cookieId));
    expect(pairs.map((p) => p.proxyId)).toEqual(PROXIES.map(proxyId));
    expect(pairs.every((p) => /^cookie-[0-9a-f]{8}$/.test(p.cookieId!) && /^proxy-[0-9a-f]{8}$/.test(p.proxyId!))).toBe(true);
    expect(JSON.stringify(pairs)).not.toMatch(/sessionid=a|:pw@/);
  });

  it('gives a pinned room only a fitting pair, whatever the spread', () => {
    const p = pool();
    // Fill the pair of cookie c first, so the spread alone would never choose it next.
    p.pinRoom(OTHER, { cookie: cookieId(COOKIES[2]!), proxy: null });
    expect(p.pairForRoom(OTHER)?.cookie).toBe(COOKIES[2]);
    p.pinRoom(ROOM, { cookie: null, proxy: proxyId(PROXIES[2]!) });
    expect(p.pairForRoom(ROOM)?.proxy?.host).toBe('10.0.0.3');
    expect(pairWith(p, COOKIES[2]!).rooms).toEqual([ROOM, OTHER].sort());
  });

  it('keeps a pinned room off other pairs while its own is quarantined, and says why', () => {
    const p = pool();
    const pin = { cookie: cookieId(COOKIES[1]!), proxy: null };
    p.pinRoom(ROOM, pin);
    const pinned = p.pairForRoom(ROOM)!;
    p.failed(pinned.id, { kind: 'refused', reason: 'handshake refused (415)' });
    expect(p.snapshot()).toMatchObject({ degraded: false, healthy: 2 });
    expect(p.pairForRoom(ROOM)).toBeNull();
    expect(p.noPairReason(ROOM)).toBe(`the room is pinned (cookie ${pin.cookie}) and every pair that fits is quarantined`);
    // The quarantine ends: the room has its pair back.
    clock.now += 60_001;
    expect(p.pairForRoom(ROOM)?.id).toBe(pinned.id);
  });

  it('frees the room when the pin is released, and the oldest of two pins applies', () => {
    const p = pool();
    const first = p.pinRoom(ROOM, { cookie: cookieId(COOKIES[0]!), proxy: null });
    const second = p.pinRoom(ROOM, { cookie: cookieId(COOKIES[1]!), proxy: null });
    expect(p.pairForRoom(ROOM)?.cookie).toBe(COOKIES[0]);
    first();
    first();
    expect(p.pairForRoom(ROOM)?.cookie).toBe(COOKIES[1]);
    second();
    expect(p.pinOf(ROOM)).toBeUndefined();
    expect(p.suits(ROOM, pairWith(p, COOKIES[2]!).id)).toBe(true);
  });

  it('says which part of a pin no pair fits', () => {
    const p = pool();
    expect(p.checkPin({ cookie: cookieId(COOKIES[0]!), proxy: proxyId(PROXIES[0]!) })).toBeNull();
    expect(p.checkPin({ cookie: 'cookie-00000000', proxy: null })).toMatch(/no pair of the upstream pool has cookie cookie-00000000/);
    expect(p.checkPin({ cookie: null, proxy: 'proxy-00000000' })).toMatch(/has proxy proxy-00000000/);
    // Both exist, but cookie a is paired with the first proxy only.
    expect(p.checkPin({ cookie: cookieId(COOKIES[0]!), proxy: proxyId(PROXIES[1]!) })).toMatch(/has both cookie/);
  });

  it('keeps a pin the lists no longer fit: the room waits until they do', () => {
    const p = pool();
    p.pinRoom(ROOM, { cookie: cookieId(COOKIES[2]!), proxy: null });
    p.replaceEntries(pairEntries(COOKIES.slice(0, 2), PROXIES.slice(0, 2)));
    expect(p.pairForRoom(ROOM)).toBeNull();
    expect(p.noPairReason(ROOM)).toMatch(/no pair of the pool fits it any more/);
    p.replaceEntries(pairEntries(COOKIES, PROXIES));
    expect(p.pairForRoom(ROOM)?.cookie).toBe(COOKIES[2]);
  });
});

describe('a pooled room stream under a pin', () => {
  function setup() {
    const p = pool();
    const connections: { pair: PoolPair; stopped: boolean }[] = [];
    const states: { state: ConnectionState; reason: string | null }[] = [];
    const moves: string[] = [];
    const stream = new PooledRoomStream({
      roomId: ROOM,
      pool: p,
      hooks: { onEvents: () => undefined, onState: (state, _previous, reason) => states.push({ state, reason }) },
      resumeFrom: null,
      sessionWatch: null,
      now: () => clock.now,
      connect: (pair) => {
        const connection = { pair, stopped: false };
        connections.push(connection);
        return { start: () => undefined, stop: () => void (connection.stopped = true) };
      },
      onMove: (_from, _to, reason) => moves.push(reason),
    });
    cleanups.push(() => stream.stop());
    return { p, stream, connections, states, moves };
  }

  it('moves an open room onto the pinned pair at once, and waits degraded while that pair is refused', () => {
    const { p, stream, connections, states, moves } = setup();
    stream.start();
    const unpinnedPair = connections[0]!.pair;
    const target = COOKIES.find((cookie) => cookie !== unpinnedPair.cookie)!;
    p.pinRoom(ROOM, { cookie: cookieId(target), proxy: null });
    expect(connections[0]!.stopped).toBe(true);
    expect(connections).toHaveLength(2);
    expect(connections[1]!.pair.cookie).toBe(target);
    expect(moves).toEqual(['pinned to another cookie or proxy']);

    p.failed(connections[1]!.pair.id, { kind: 'refused', reason: 'handshake refused (415)' });
    expect(connections[1]!.stopped).toBe(true);
    // Two healthy pairs are left, and the room takes neither.
    expect(connections).toHaveLength(2);
    expect(states.at(-1)).toEqual({ state: 'UPSTREAM_DEGRADED', reason: expect.stringMatching(/pinned .* every pair that fits is quarantined/) });
  });

  it('moves a room whose pair was taken out of the lists, at once, and keeps the others where they are', () => {
    const { p, stream, connections, moves } = setup();
    stream.start();
    const gone = connections[0]!.pair;
    const keep = pairEntries(COOKIES, PROXIES).filter((entry) => entry.cookie !== gone.cookie);
    p.replaceEntries(keep);
    expect(connections[0]!.stopped).toBe(true);
    expect(connections).toHaveLength(2);
    expect(connections[1]!.pair.cookie).not.toBe(gone.cookie);
    expect(moves).toEqual(['its cookie or proxy was taken out of the lists']);
    // Lists that keep the room's pair leave the room alone.
    p.replaceEntries(pairEntries(COOKIES, PROXIES));
    expect(connections).toHaveLength(2);
    expect(connections[1]!.stopped).toBe(false);
  });

  it('takes any healthy pair once the pin is released', () => {
    const { p, stream, connections, states } = setup();
    const unpin = p.pinRoom(ROOM, { cookie: cookieId(COOKIES[0]!), proxy: null });
    stream.start();
    p.failed(connections[0]!.pair.id, { kind: 'refused', reason: 'captcha' });
    expect(states.at(-1)?.state).toBe('UPSTREAM_DEGRADED');
    unpin();
    expect(connections).toHaveLength(2);
    expect(connections[1]!.pair.cookie).not.toBe(COOKIES[0]);
  });
});
