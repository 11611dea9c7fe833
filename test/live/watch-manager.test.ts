// issue 12, watches in fleet mode: two instances on one store (here one in-memory store shared by
// two WatchManagers, as two gateways share PostgreSQL) hold the same watches. One added through
// either is listed and applied by both; one removed through either stops being collected by both;
// a watch is never applied twice on one instance, whatever order a sync and an add run in.
import { describe, expect, it } from 'vitest';
import { WatchManager, type WatchTargets } from '../../src/live/watches/watch-manager.ts';
import type { MonitorStore, StoredWatch } from '../../src/store/monitor-store.ts';

type WatchStore = Pick<MonitorStore, 'addWatch' | 'removeWatch' | 'watches'>;

/** `inserted` runs as a new row becomes visible, before its insert answers (to start a race there). */
function sharedStore(inserted: () => void = () => undefined): WatchStore {
  const rows = new Map<string, StoredWatch>();
  return {
    async addWatch(watch) {
      const existing = [...rows.values()].find((row) => row.kind === watch.kind && row.target === watch.target);
      if (existing !== undefined) return { row: existing, created: false };
      rows.set(watch.id, watch);
      inserted();
      // As with a database, the row is visible to other reads before the insert's own answer
      // arrives: a read started meanwhile sees it first.
      for (let hop = 0; hop < 3; hop += 1) await Promise.resolve();
      return { row: watch, created: true };
    },
    removeWatch: async (id) => rows.delete(id),
    watches: async () => [...rows.values()],
  };
}

/** What one instance's supervisor was asked to collect: room id → open watches. */
function targets(): WatchTargets & { open: Map<string, number> } {
  const open = new Map<string, number>();
  return {
    open,
    watch(roomId) {
      open.set(roomId, (open.get(roomId) ?? 0) + 1);
      let released = false;
      return () => {
        if (released) throw new Error(`room ${roomId} released twice`);
        released = true;
        const left = (open.get(roomId) ?? 0) - 1;
        if (left === 0) open.delete(roomId);
        else open.set(roomId, left);
      };
    },
    connectionState: () => null,
  };
}

const api = {
  roomByWebRid: async () => {
    throw new Error('no anchor lookups in this test');
  },
  roomBySecUid: async () => {
    throw new Error('no anchor lookups in this test');
  },
};

function instance(store: WatchStore) {
  const rooms = targets();
  // The poll is not what this test drives: list() syncs with the store before it answers.
  const manager = new WatchManager({ store, api: api as never, rooms, pollMs: 3_600_000 });
  return { manager, rooms };
}

const ROOM_A = '7300000000000000001';
const ROOM_B = '7300000000000000002';

describe('watches shared by two instances', () => {
  it('lists and applies on both a watch added through either, and lets go on both of one removed through either', async () => {
    const store = sharedStore();
    const a = instance(store);
    const b = instance(store);
    await a.manager.start();
    await b.manager.start();
    try {
      const added = await a.manager.add({ roomId: ROOM_A, label: 'one' });
      expect((await b.manager.list()).map((watch) => watch.id)).toEqual([added.id]);
      expect([...a.rooms.open]).toEqual([[ROOM_A, 1]]);
      expect([...b.rooms.open]).toEqual([[ROOM_A, 1]]);

      // Removed through B: A stops collecting it too (at its next poll, or here its next list).
      expect(await b.manager.remove(added.id)).toBe(true);
      expect(b.rooms.open.size).toBe(0);
      expect(await a.manager.list()).toEqual([]);
      expect(a.rooms.open.size).toBe(0);
    } finally {
      a.manager.stop();
      b.manager.stop();
    }
  });

  it('applies a watch once when an add and a sync of the same instance overlap', async () => {
    let listing: Promise<unknown> | null = null;
    const store = sharedStore(() => (listing ??= a.manager.list()));
    const a = instance(store);
    await a.manager.start();
    try {
      // A list reads the store after the add's insert and before the add hears back: the
      // list's sync applies the row first, and the add must not apply it again.
      const added = await a.manager.add({ roomId: ROOM_B });
      expect(listing).not.toBeNull();
      await listing;
      expect([...a.rooms.open]).toEqual([[ROOM_B, 1]]);
      expect((await a.manager.list()).map((watch) => watch.id)).toEqual([added.id]);
      // The same target again is the same watch, still applied once.
      expect((await a.manager.add({ roomId: ROOM_B })).id).toBe(added.id);
      expect([...a.rooms.open]).toEqual([[ROOM_B, 1]]);
    } finally {
      a.manager.stop();
    }
    expect(a.rooms.open.size).toBe(0);
  });
});
