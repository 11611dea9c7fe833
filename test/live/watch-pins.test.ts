// A watch's pin (issue 13) over a real store: set before the room is watched, so its first
// connection already goes through a fitting pair; kept across a restart on the same data dir;
// followed to an anchor's next broadcast; released with the watch. Refused with BAD_WATCH_INPUT
// when malformed, when no pair fits it, or when the gateway has no pool.
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, afterEach, describe, expect, it } from 'vitest';
import { cookieId, pairEntries, UpstreamPool } from '../../src/collectors/pool/upstream-pool.ts';
import type { ConnectionState } from '../../src/domain/events.ts';
import type { LiveRoom } from '../../src/domain/model.ts';
import { WatchManager, type WatchTargets } from '../../src/live/watches/watch-manager.ts';
import { openStores, type OpenedStores } from '../../src/store/open-store.ts';
import { PGLITE_TIMEOUT_MS } from '../store/fixtures.ts';

const COOKIES = ['sessionid=w-a', 'sessionid=w-b'];
const ROOM = '7400000000000000011';
const NEXT_ROOM = '7400000000000000012';
const WEB_RID = '802345678901';

const dirs: string[] = [];
const opened: OpenedStores[] = [];
const managers: WatchManager[] = [];
const pools: UpstreamPool[] = [];

afterEach(async () => {
  for (const manager of managers.splice(0)) manager.stop();
  for (const pool of pools.splice(0)) pool.stop();
  for (const stores of opened.splice(0)) await stores.store.close();
});
afterAll(async () => {
  for (const dir of dirs) await rm(dir, { recursive: true, force: true });
});

async function dataDir(): Promise<string> {
  const dir = await mkdtemp(join(tmpdir(), 'watch-pins-'));
  dirs.push(dir);
  return dir;
}

/** The supervisor's side, recording which pin held each room when it was watched. */
function targets(pool: UpstreamPool | null) {
  const watched = new Map<string, number>();
  const pinnedAtWatch: Record<string, string | null> = {};
  const states = new Map<string, ConnectionState>();
  const rooms: WatchTargets = {
    watch: (roomId) => {
      pinnedAtWatch[roomId] = pool?.pinOf(roomId)?.cookie ?? null;
      watched.set(roomId, (watched.get(roomId) ?? 0) + 1);
      return () => watched.set(roomId, watched.get(roomId)! - 1);
    },
    connectionState: (roomId) => states.get(roomId) ?? null,
  };
  return { rooms, watched, pinnedAtWatch, states };
}

function anchorApi(roomIds: string[]) {
  let call = 0;
  const room = (): LiveRoom => ({ id: roomIds[Math.min(call++, roomIds.length - 1)]!, webRid: WEB_RID, status: 'LIVE' }) as LiveRoom;
  return { roomByWebRid: async () => room(), roomBySecUid: async () => room() };
}

async function start(dir: string, pool: UpstreamPool | null, rooms: WatchTargets, api = anchorApi([ROOM])): Promise<WatchManager> {
  const stores = await openStores({ dataDir: dir });
  opened.push(stores);
  const manager = new WatchManager({ store: stores.monitor, api, rooms, pins: pool, pollMs: 3_600_000 });
  managers.push(manager);
  await manager.start();
  return manager;
}

function newPool(): UpstreamPool {
  const pool = new UpstreamPool(pairEntries(COOKIES, []), { quarantineMs: 60_000, maxQuarantineMs: 600_000 });
  pools.push(pool);
  return pool;
}

const pinB = cookieId(COOKIES[1]!);

describe('pinned watches', () => {
  it('pins the room before watching it, keeps the pin across a restart, and releases it with the watch', { timeout: PGLITE_TIMEOUT_MS }, async () => {
    const dir = await dataDir();
    const pool = newPool();
    const first = targets(pool);
    const manager = await start(dir, pool, first.rooms);
    const view = await manager.add({ roomId: ROOM, pin: { cookie: pinB } });
    expect(view.pin).toEqual({ cookie: pinB, proxy: null });
    expect(first.pinnedAtWatch[ROOM]).toBe(pinB);
    expect(pool.pairForRoom(ROOM)?.cookie).toBe(COOKIES[1]);
    manager.stop();
    pool.releaseRoom(ROOM);
    expect(pool.pinOf(ROOM)).toBeUndefined();
    for (const stores of opened.splice(0)) await stores.store.close();

    // Restarted on the same data dir, with a new pool (the lists read afresh).
    const again = newPool();
    const second = targets(again);
    const restarted = await start(dir, again, second.rooms);
    expect(await restarted.list()).toEqual([expect.objectContaining({ id: view.id, roomId: ROOM, pin: { cookie: pinB, proxy: null } })]);
    expect(second.pinnedAtWatch[ROOM]).toBe(pinB);
    expect(await restarted.remove(view.id)).toBe(true);
    expect(second.watched.get(ROOM)).toBe(0);
    expect(again.pinOf(ROOM)).toBeUndefined();
  });

  it("pins each broadcast an anchor watch follows to, and lets the ended one's pin go", { timeout: PGLITE_TIMEOUT_MS }, async () => {
    const pool = newPool();
    const side = targets(pool);
    const manager = await start(await dataDir(), pool, side.rooms, anchorApi([ROOM, NEXT_ROOM]));
    await manager.add({ anchor: WEB_RID, pin: { cookie: pinB } });
    expect(side.pinnedAtWatch[ROOM]).toBe(pinB);
    side.states.set(ROOM, 'ENDED');
    // The poll would do this; called directly so the test does not wait for a timer.
    await (manager as unknown as { follow(): Promise<void> }).follow();
    expect(side.pinnedAtWatch[NEXT_ROOM]).toBe(pinB);
    expect(pool.pinOf(ROOM)).toBeUndefined();
    expect(pool.pinOf(NEXT_ROOM)?.cookie).toBe(pinB);
  });

  it('holds a watch made or removed on another instance of a fleet, with its pin in this one\'s pool', { timeout: PGLITE_TIMEOUT_MS }, async () => {
    const dir = await dataDir();
    const stores = await openStores({ dataDir: dir });
    opened.push(stores);
    const [poolA, poolB] = [newPool(), newPool()];
    const [sideA, sideB] = [targets(poolA), targets(poolB)];
    const instance = (pool: UpstreamPool, rooms: WatchTargets) => {
      const manager = new WatchManager({ store: stores.monitor, api: anchorApi([ROOM]), rooms, pins: pool, pollMs: 3_600_000 });
      managers.push(manager);
      return manager;
    };
    const [a, b] = [instance(poolA, sideA.rooms), instance(poolB, sideB.rooms)];
    await a.start();
    await b.start();
    const view = await a.add({ roomId: ROOM, pin: { cookie: pinB } });
    expect(sideB.watched.get(ROOM) ?? 0).toBe(0);
    // B's poll (or its `watches` answer) reads the store: it now holds the watch, pinned in its own pool.
    await b.sync();
    expect(await b.list()).toEqual([expect.objectContaining({ id: view.id, pin: { cookie: pinB, proxy: null } })]);
    expect(sideB.pinnedAtWatch[ROOM]).toBe(pinB);
    expect(poolB.pairForRoom(ROOM)?.cookie).toBe(COOKIES[1]);
    await b.sync();
    expect(sideB.watched.get(ROOM)).toBe(1);

    expect(await a.remove(view.id)).toBe(true);
    await b.sync();
    expect(await b.list()).toEqual([]);
    expect(sideB.watched.get(ROOM)).toBe(0);
    expect(poolB.pinOf(ROOM)).toBeUndefined();
  });

  it.each([
    ['a malformed cookie id', { cookie: 'sessionid=w-b' }, /pin\.cookie: a cookie id/],
    ['a malformed proxy id', { proxy: 'http://10.0.0.1:8080' }, /pin\.proxy: a proxy id/],
    ['a cookie no pair has', { cookie: 'cookie-00000000' }, /pin: no pair of the upstream pool has cookie cookie-00000000/],
  ])('refuses %s with BAD_WATCH_INPUT and watches nothing', { timeout: PGLITE_TIMEOUT_MS }, async (_name, pin, message) => {
    const pool = newPool();
    const side = targets(pool);
    const manager = await start(await dataDir(), pool, side.rooms);
    await expect(manager.add({ roomId: ROOM, pin })).rejects.toMatchObject({ code: 'BAD_WATCH_INPUT', message: expect.stringMatching(message) });
    expect(await manager.list()).toEqual([]);
    expect(side.watched.size).toBe(0);
  });

  it('refuses a pin on a gateway without a pool', { timeout: PGLITE_TIMEOUT_MS }, async () => {
    const side = targets(null);
    const manager = await start(await dataDir(), null, side.rooms);
    await expect(manager.add({ roomId: ROOM, pin: { cookie: pinB } })).rejects.toMatchObject({ code: 'BAD_WATCH_INPUT', message: expect.stringMatching(/no upstream pool/) });
    // Without a pin the same watch is fine.
    expect((await manager.add({ roomId: ROOM })).pin).toBeNull();
  });
});
