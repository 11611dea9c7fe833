// issue 16 item 4 proof, fleet mode: 500 made-up room ids watched through one gateway on
// PostgreSQL with REDIS_URL (room ownership on, as in a fleet) leave nothing behind once their
// subscribers leave: no row naming them in any table of the store (room_leases and room_interest
// included), no Redis key under the gateway's prefix, no metric series. The default mode's
// version of this proof is in room-events.test.ts.
import { randomBytes } from 'node:crypto';
import { Redis } from 'ioredis';
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { pgUnavailable, postgresStore, type StoreUnderTest } from './fixtures/stores.ts';
import { startStack, subscribe, until, type Stack } from './stack.ts';
import { STATUS, watchMadeUpRooms, type StatusData } from './helpers/made-up-rooms.ts';


describe.skipIf(pgUnavailable !== null)('500 made-up room ids in fleet mode', () => {
  const prefix = `made-up-${randomBytes(4).toString('hex')}:`;
  let store: StoreUnderTest;
  let stack: Stack;

  beforeAll(async () => {
    store = await postgresStore('made_up_rooms');
    stack = await startStack({
      sim: { seed: `made-up-${randomBytes(4).toString('hex')}`, rooms: 1 },
      // 500 lookups at the politeness rate would take 100 s; the rate is not what is tested.
      env: { ...store.env, REDIS_URL: 'redis://127.0.0.1:6379', REDIS_PREFIX: prefix, UPSTREAM_RATE_PER_SEC: '10000', UPSTREAM_RATE_BURST: '10000', LEASE_TTL_MS: '3000' },
    });
  });
  afterAll(async () => {
    await stack?.close();
    await store?.dispose();
  });

  it('leaves no row in any table, no Redis key and no metric series', async () => {
    const { ids: madeUp, stop } = await watchMadeUpRooms(stack, 7_200_000_000_000_000_000n);
    const client = stack.wsClient();
    // A real room watched alongside is still leased and collected: ownership works, it just never saw the made-up ids.
    const real = stack.sim.liveRooms()[0]!;
    const realSub = subscribe<StatusData>(client, STATUS, { roomIds: [real.id] });
    await until(() => realSub.results.some((r) => r.roomStatus.connectionState === 'LIVE'), 'the real room to go LIVE');

    const db = new pg.Client({ connectionString: store.env.DATABASE_URL });
    await db.connect();
    try {
      const tables = (
        await db.query<{ table_name: string }>(
          `SELECT table_name FROM information_schema.columns WHERE table_schema = current_schema() AND column_name = 'room_id' ORDER BY table_name`,
        )
      ).rows.map((row) => row.table_name);
      // The check covers the ownership tables: if they were renamed it would silently check less.
      expect(tables).toEqual(expect.arrayContaining(['room_events', 'room_heads', 'room_interest', 'room_leases', 'room_snapshots', 'upstream_cursors']));
      const rowsNaming = async (ids: readonly string[]) => {
        const counts: Record<string, number> = {};
        for (const table of tables) {
          const { rows } = await db.query<{ n: string }>(`SELECT count(*) AS n FROM ${table} WHERE room_id = ANY($1::text[])`, [ids]);
          counts[table] = Number(rows[0]!.n);
        }
        const watches = await db.query<{ n: string }>('SELECT count(*) AS n FROM watches WHERE target = ANY($1::text[])', [ids]);
        counts.watches = Number(watches.rows[0]!.n);
        return counts;
      };
      // The real room is in the ownership tables, so a zero below is not a query that finds nothing.
      await until(async () => (await rowsNaming([real.id])).room_leases === 1, 'the real room leased');
      expect((await rowsNaming([real.id])).room_interest).toBe(1);
      // While they are watched...
      const zero = Object.fromEntries([...tables, 'watches'].map((table) => [table, 0]));
      expect(await rowsNaming(madeUp)).toEqual(zero);

      stop();
      await until(() => madeUp.every((id) => stack.gateway.supervisor.connectionState(id) === null), 'the rooms to be let go', 15_000);
      // ...and after.
      expect(await rowsNaming(madeUp)).toEqual(zero);
    } finally {
      await db.end();
    }

    const redis = new Redis('redis://127.0.0.1:6379', { lazyConnect: true, maxRetriesPerRequest: 1 });
    await redis.connect();
    try {
      const keys = await redis.keys(`${prefix}*`);
      expect(keys.filter((key) => madeUp.some((id) => key.includes(id)))).toEqual([]);
    } finally {
      redis.disconnect();
    }

    // The real room subscribed while the made-up ones held the labels, so it is counted in _other.
    realSub.stop();
    await until(async () => !/room_id="(72|_other)/.test(await stack.app.metrics.render()), 'the series to go');
    const metrics = await stack.app.metrics.render();
    expect(madeUp.filter((id) => metrics.includes(id))).toEqual([]);
  });
});
