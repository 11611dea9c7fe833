import { writeFile, mkdtemp, rm } from 'node:fs/promises';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import pg from 'pg';
import { afterAll, describe, expect, it } from 'vitest';
import { openStore } from '../../src/store/open-store.ts';
import { createPgliteEngine, DEFAULT_SHARED_BUFFERS_MB, IN_MEMORY } from '../../src/store/pglite-store.ts';
import { T0, chat, newRoomId } from './fixtures.ts';
import { TEST_DATABASE_URL, createTestSchema, pgUnavailableReason } from './pg-harness.ts';

const pgUnavailable = await pgUnavailableReason();

/** A 127.0.0.1 port nothing listens on: bound, then released. */
async function closedPort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as { port: number };
  await new Promise((resolve) => server.close(resolve));
  return port;
}

describe('openStore', () => {
  const cleanups: (() => Promise<void>)[] = [];
  afterAll(async () => {
    for (const cleanup of cleanups.reverse()) await cleanup();
  });

  it.skipIf(pgUnavailable !== null)('uses PostgreSQL when a database URL is given, migrated and ready', async () => {
    const schema = await createTestSchema('store_open');
    cleanups.push(() => schema.drop());
    const store = await openStore({ databaseUrl: `${TEST_DATABASE_URL}?options=-c%20search_path%3D${schema.schema}`, dataDir: '/nonexistent/never-used' });
    cleanups.push(() => store.close());
    const roomId = newRoomId();
    await store.appendEvents([chat(roomId, 'pg', T0)]);

    const client = new pg.Client({ connectionString: TEST_DATABASE_URL });
    await client.connect();
    try {
      const rows = await client.query(`SELECT msg_id FROM ${schema.schema}.room_events WHERE room_id = $1`, [roomId]);
      expect(rows.rows).toEqual([{ msg_id: 'pg' }]);
    } finally {
      await client.end();
    }
  });

  it('fails with STORE_UNAVAILABLE when PostgreSQL cannot be reached', async () => {
    const port = await closedPort();
    await expect(openStore({ databaseUrl: `postgres://postgres@127.0.0.1:${port}/test`, dataDir: 'memory://' })).rejects.toMatchObject({
      code: 'STORE_UNAVAILABLE',
    });
  });

  it('runs the embedded store with the shared_buffers it is given, 16 MB unless told, on a new directory, after a restart and in memory', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'store-open-'));
    cleanups.push(() => rm(dir, { recursive: true, force: true }));
    const sharedBuffers = async (engine: Awaited<ReturnType<typeof createPgliteEngine>>) => {
      try {
        return (await engine.query<{ shared_buffers: string }>('SHOW shared_buffers'))[0]?.shared_buffers;
      } finally {
        await engine.close();
      }
    };
    // A new directory is unpacked from the template and then opened again: the setting holds on the second opening.
    expect(await sharedBuffers(await createPgliteEngine({ dataDir: dir }))).toBe(`${DEFAULT_SHARED_BUFFERS_MB}MB`);
    expect(await sharedBuffers(await createPgliteEngine({ dataDir: dir, sharedBuffersMb: 24 }))).toBe('24MB');
    expect(await sharedBuffers(await createPgliteEngine({ dataDir: IN_MEMORY, sharedBuffersMb: 8 }))).toBe('8MB');
    const store = await openStore({ dataDir: dir, sharedBuffersMb: 24 });
    cleanups.push(() => store.close());
    const roomId = newRoomId();
    await store.appendEvents([chat(roomId, 'kept', T0)]);
    expect((await store.listEvents(roomId, { first: 10 })).events.map((event) => event.id)).toEqual(['kept']);
  });

  it('fails with STORE_UNAVAILABLE when the data directory is a file', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'store-open-'));
    cleanups.push(() => rm(dir, { recursive: true, force: true }));
    const file = join(dir, 'not-a-dir');
    await writeFile(file, 'x');
    await expect(openStore({ dataDir: file })).rejects.toMatchObject({ code: 'STORE_UNAVAILABLE' });
  });
});
