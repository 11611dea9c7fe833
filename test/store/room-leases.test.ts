// Room leases and fencing on both engines: who gets a lease, when it can be taken over, and that
// a write under a superseded epoch writes nothing — events, resume points and snapshots alike.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createSqlLeaseStore, type LeaseStore } from '../../src/store/lease-store.ts';
import { FencedError, type EventStore } from '../../src/store/event-store.ts';
import { createPgEngine } from '../../src/store/pg-store.ts';
import { IN_MEMORY, createPgliteEngine } from '../../src/store/pglite-store.ts';
import { createSqlEventStore } from '../../src/store/sql-event-store.ts';
import type { SqlEngine } from '../../src/store/sql.ts';
import { T0, chat, newRoomId } from './fixtures.ts';
import { TEST_DATABASE_URL, createTestSchema, pgUnavailableReason } from './pg-harness.ts';

interface Engines {
  engine: SqlEngine;
  dispose(): Promise<void>;
}

const pgUnavailable = await pgUnavailableReason();

const ENGINES: { name: string; skip: string | null; open(): Promise<Engines> }[] = [
  {
    name: 'PGlite',
    skip: null,
    open: async () => {
      const engine = await createPgliteEngine({ dataDir: IN_MEMORY });
      return { engine, dispose: () => engine.close() };
    },
  },
  {
    name: 'PostgreSQL',
    skip: pgUnavailable,
    open: async () => {
      const schema = await createTestSchema('lease_test');
      const engine = createPgEngine({ connectionString: TEST_DATABASE_URL, schema: schema.schema, maxConnections: 4 });
      return {
        engine,
        dispose: async () => {
          await engine.close();
          await schema.drop();
        },
      };
    },
  },
];

const A = 'gw-a#1';
const B = 'gw-b#2';
const TTL = 60_000;

for (const { name, skip, open } of ENGINES) {
  describe.skipIf(skip !== null)(`room leases on ${name}`, () => {
    let engines: Engines;
    let store: EventStore;
    let leases: LeaseStore;

    beforeAll(async () => {
      engines = await open();
      store = createSqlEventStore(engines.engine);
      await store.migrate();
      leases = createSqlLeaseStore(engines.engine);
    });
    afterAll(async () => engines.dispose());

    const interested = (roomId: string, holder = A, forMs = TTL) => leases.recordInterest(holder, [{ roomId, forMs }]);
    const expire = async (roomId: string) => {
      await engines.engine.query(`UPDATE room_leases SET expires_at = now() - interval '1 second' WHERE room_id = $1`, [roomId]);
    };

    it('grants a room only while some instance is interested in it', async () => {
      const room = newRoomId();
      expect(await leases.claim(A, [room], TTL)).toEqual([]);
      await interested(room, B);
      expect(await leases.claim(A, [room], TTL)).toEqual([{ roomId: room, epoch: 1 }]);
    });

    it('renews its own lease at the same epoch and refuses it to another holder until it expires', async () => {
      const room = newRoomId();
      await interested(room);
      expect(await leases.claim(A, [room], TTL)).toEqual([{ roomId: room, epoch: 1 }]);
      expect(await leases.claim(B, [room], TTL)).toEqual([]);
      expect(await leases.claim(A, [room], TTL)).toEqual([{ roomId: room, epoch: 1 }]);
      const [remaining] = (await leases.expiries([room])).values();
      expect(remaining).toBeGreaterThan(TTL - 5_000);
      await expire(room);
      expect(await leases.claim(B, [room], TTL)).toEqual([{ roomId: room, epoch: 2 }]);
      expect(await leases.claim(A, [room], TTL)).toEqual([]);
    });

    it('keeps the epoch growing across a release, so no later holder reuses one', async () => {
      const room = newRoomId();
      await interested(room);
      await leases.claim(A, [room], TTL);
      await leases.release(A, [{ roomId: room, epoch: 1 }]);
      expect((await leases.expiries([room])).get(room)).toBe(0);
      expect(await leases.claim(B, [room], TTL)).toEqual([{ roomId: room, epoch: 2 }]);
      // A release under an epoch the holder no longer has changes nothing.
      await leases.release(A, [{ roomId: room, epoch: 1 }]);
      expect(await leases.claim(A, [room], TTL)).toEqual([]);
    });

    it('stops granting once every interest has run out', async () => {
      const room = newRoomId();
      await interested(room, A, 0);
      expect(await leases.claim(A, [room], TTL)).toEqual([]);
    });

    it('lists the other live instances and forgets one removed', async () => {
      const others = await leases.heartbeatInstance(A, 'gw-a', 'redis', TTL);
      expect(others.map((o) => o.instanceId)).not.toContain('gw-a');
      expect((await leases.heartbeatInstance(B, 'gw-b', 'none', TTL)).map((o) => [o.instanceId, o.bus])).toContainEqual(['gw-a', 'redis']);
      await leases.removeInstance(A);
      expect((await leases.heartbeatInstance(B, 'gw-b', 'none', TTL)).map((o) => o.instanceId)).not.toContain('gw-a');
    });

    describe('fencing', () => {
      it('writes events under the current epoch, each row carrying it', async () => {
        const room = newRoomId();
        await interested(room);
        const [lease] = await leases.claim(A, [room], TTL);
        const refs = await store.appendEvents([chat(room, 'm1', T0), chat(room, 'm2', T0 + 1)], { epochs: [lease!.epoch, lease!.epoch] });
        expect(refs.map((ref) => ref.isNew)).toEqual([true, true]);
        const rows = await engines.engine.query<{ epoch: unknown }>('SELECT epoch FROM room_events WHERE room_id = $1', [room]);
        expect(rows.map((row) => Number(row.epoch))).toEqual([1, 1]);
      });

      it('refuses a stale epoch: zero rows of the batch written, the stale pair named', async () => {
        const room = newRoomId();
        const other = newRoomId();
        await interested(room);
        await leases.claim(A, [room], TTL);
        await expire(room);
        await leases.claim(B, [room], TTL);
        const write = store.appendEvents([chat(other, 'o1', T0), chat(room, 's1', T0)], { epochs: [null, 1] });
        await expect(write).rejects.toBeInstanceOf(FencedError);
        await expect(write).rejects.toMatchObject({ code: 'FENCED', stale: [{ roomId: room, epoch: 1 }] });
        expect(await store.countEvents(room)).toBe(0);
        expect(await store.countEvents(other)).toBe(0);
        await store.appendEvents([chat(room, 's2', T0)], { epochs: [2] });
        expect(await store.countEvents(room)).toBe(1);
      });

      it('refuses an epoch for a room that has no lease at all', async () => {
        const room = newRoomId();
        await expect(store.appendEvents([chat(room, 'x', T0)], { epochs: [7] })).rejects.toMatchObject({ code: 'FENCED' });
        expect(await store.countEvents(room)).toBe(0);
      });

      it('writes the snapshots of rooms whose epoch holds and answers the others, in one call', async () => {
        const [held, lost] = [newRoomId(), newRoomId()];
        await interested(held);
        await interested(lost);
        await leases.claim(A, [held, lost], TTL);
        await expire(lost);
        await leases.claim(B, [lost], TTL);
        const snapshot = { at: T0, viewerCount: 5, totalViewers: null, likeCount: null, status: 'LIVE' as const };
        const refused = await store.saveSnapshots([
          { roomId: held, snapshot, epoch: 1 },
          { roomId: lost, snapshot, epoch: 1 },
        ]);
        expect(refused).toEqual([{ roomId: lost, epoch: 1 }]);
        expect((await store.snapshots(held, { limit: 10 })).map((s) => s.viewerCount)).toEqual([5]);
        expect(await store.snapshots(lost, { limit: 10 })).toEqual([]);
      });

      it('refuses a stale resume point and a stale snapshot, and keeps the current holder’s', async () => {
        const room = newRoomId();
        await interested(room);
        await leases.claim(A, [room], TTL);
        await store.saveResumePoint(room, { cursor: 'c1', internalExt: 'e1', at: T0 }, 1);
        await store.saveSnapshot(room, { at: T0, viewerCount: 10, totalViewers: 20, likeCount: 1, status: 'LIVE' }, 1);
        await expire(room);
        await leases.claim(B, [room], TTL);
        await expect(store.saveResumePoint(room, { cursor: 'c2', internalExt: 'e2', at: T0 + 1 }, 1)).rejects.toMatchObject({ code: 'FENCED' });
        await expect(store.saveSnapshot(room, { at: T0 + 1, viewerCount: 99, totalViewers: 99, likeCount: 9, status: 'LIVE' }, 1)).rejects.toMatchObject({
          code: 'FENCED',
        });
        expect(await store.resumePoint(room)).toMatchObject({ cursor: 'c1' });
        expect((await store.snapshots(room, { limit: 10 })).map((s) => s.viewerCount)).toEqual([10]);
        await store.saveResumePoint(room, { cursor: 'c3', internalExt: 'e3', at: T0 + 2 }, 2);
        expect(await store.resumePoint(room)).toMatchObject({ cursor: 'c3' });
      });

      it('makes a takeover wait for a write already past the fence, so nothing lands after it', async () => {
        if (name === 'PGlite') return; // one connection: there is no concurrent takeover to order
        const room = newRoomId();
        await interested(room);
        await leases.claim(A, [room], TTL);
        await expire(room);
        // Many writes race one takeover; whatever committed under epoch 1 precedes every epoch-2 row.
        const writes = Array.from({ length: 20 }, (_, i) => store.appendEvents([chat(room, `r${i}`, T0 + i)], { epochs: [1] }).then(
          () => 'stored',
          (error: unknown) => (error instanceof FencedError ? 'fenced' : 'failed'),
        ));
        const taken = leases.claim(B, [room], TTL);
        const outcomes = await Promise.all(writes);
        expect(await taken).toEqual([{ roomId: room, epoch: 2 }]);
        expect(outcomes).not.toContain('failed');
        await store.appendEvents([chat(room, 'after', T0 + 100)], { epochs: [2] });
        const late = await engines.engine.query<{ n: unknown }>(
          `SELECT count(*) AS n FROM room_events WHERE room_id = $1 AND epoch = 1
             AND seq > (SELECT min(seq) FROM room_events WHERE room_id = $1 AND epoch = 2)`,
          [room],
        );
        expect(Number(late[0]?.n)).toBe(0);
        expect(await store.countEvents(room)).toBe(outcomes.filter((o) => o === 'stored').length + 1);
      });
    });
  });
}
