// issue 11 proof, resumed subscribers in a fleet: two ingesting instances store one room's events
// into one PostgreSQL (so their publications interleave out of sequence order, as 2648 before
// 2647 did) and publish them through one Redis; a subscriber on a third instance resumes with
// `after` while they run flat out. It must see strictly increasing sequences with no duplicate
// and nothing missing. One ingesting instance publishes late (as a paused one would), so the bus
// hands sequences over out of order; the test checks that it did.
import { randomBytes } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { RedisEventBus } from '../../src/bus/redis-bus.ts';
import type { RoomEvent } from '../../src/domain/events.ts';
import { createLivePipeline, type LivePipeline } from '../../src/live/pipeline.ts';
import { decodeCursor } from '../../src/store/cursor.ts';
import type { EventStore } from '../../src/store/event-store.ts';
import { IngestWriter } from '../../src/store/ingest-writer.ts';
import { openPgStore } from '../../src/store/pg-store.ts';
import { TEST_DATABASE_URL, createTestSchema, pgUnavailableReason, type TestSchema } from '../store/pg-harness.ts';
import { chats, take } from './pipeline.ts';

const pgUnavailable = await pgUnavailableReason();
const REDIS_URL = 'redis://127.0.0.1:6379';

interface Instance {
  store: EventStore;
  bus: RedisEventBus;
  writer: IngestWriter;
  live: LivePipeline;
}

describe.skipIf(pgUnavailable !== null)('a resumed subscriber on another instance while two instances ingest', () => {
  let schema: TestSchema;
  const instances: Instance[] = [];
  const channelPrefix = `test:fleet-resume:${randomBytes(4).toString('hex')}:`;

  /** `lateBy` delays each stored event's publication, as a slow or paused instance would. */
  async function instance(lateBy: () => number = () => 0): Promise<Instance> {
    const store = openPgStore({ connectionString: TEST_DATABASE_URL, schema: schema.schema, maxConnections: 4 });
    await store.migrate();
    const bus = new RedisEventBus({ url: REDIS_URL, channelPrefix });
    await bus.ready();
    const writer = new IngestWriter({ store, maxBatch: 50, flushIntervalMs: 2 });
    const fail = (error: unknown) => {
      throw error;
    };
    const live = createLivePipeline({
      bus,
      store,
      writer: {
        enqueue: async (event) => {
          const ref = await writer.enqueue(event);
          const late = lateBy();
          if (late > 0) await new Promise((resolve) => setTimeout(resolve, late));
          return ref;
        },
      },
      bufferLimit: 5000,
      holeFillMs: 100,
      busCanLose: true,
      onStoreError: fail,
      onPublishError: fail,
      onResumeSaveError: fail,
    });
    const created = { store, bus, writer, live };
    instances.push(created);
    return created;
  }

  beforeAll(async () => {
    schema = await createTestSchema('fleet_resume');
  });
  afterAll(async () => {
    for (const { live, writer, bus, store } of instances) {
      await live.close();
      await writer.close();
      await bus.close();
      await store.close();
    }
    await schema?.drop();
  });

  it('delivers strictly increasing sequences, each once, none missing', async () => {
    let seed = 7;
    const random = (below: number) => {
      seed = (seed * 1103515245 + 12345) % 2147483648;
      return seed % below;
    };
    const [a1, a2, b] = [await instance(), await instance(() => random(25)), await instance()];
    const roomId = `fleet${randomBytes(3).toString('hex')}`;
    a1!.live.ingest.accept(roomId, chats(roomId, 0, 300));
    await a1!.live.ingest.settled();
    const page = await b!.store.listEvents(roomId, { first: 1, after: null });
    const resumeFrom = (await b!.store.listEvents(roomId, { first: 100, after: page.events[0]?.cursor ?? null })).events.at(-1)?.cursor as string;
    expect(decodeCursor(resumeFrom).seq).toBe(101);

    const raw: number[] = [];
    const stopRaw = b!.bus.subscribe(roomId, (event) => raw.push(decodeCursor(event.cursor as string).seq));
    const subscription = b!.live.events.subscribe(roomId, { after: resumeFrom, signal: new AbortController().signal });
    const stream = subscription[Symbol.asyncIterator]();
    // Both ingesting instances at once, as fast as they can store, in batches of 25.
    const TOTAL = 4000;
    const ingesting = (async () => {
      for (let next = 300; next < TOTAL; next += 50) {
        a1!.live.ingest.accept(roomId, chats(roomId, next, next + 25));
        a2!.live.ingest.accept(roomId, chats(roomId, next + 25, next + 50));
        if (next % 500 === 0) await Promise.all([a1!.live.ingest.settled(), a2!.live.ingest.settled()]);
      }
      await Promise.all([a1!.live.ingest.settled(), a2!.live.ingest.settled()]);
    })();
    const read: RoomEvent[] = await take(stream, TOTAL - 101, 60_000);
    await ingesting;
    const sequences = read.map((event) => decodeCursor(event.cursor as string).seq);
    expect(sequences).toEqual(Array.from({ length: TOTAL - 101 }, (_, i) => i + 102));
    expect(new Set(read.map((event) => event.id)).size).toBe(read.length);
    const outOfOrder = raw.filter((seq, i) => i > 0 && seq < (raw[i - 1] as number)).length;
    // The bus really did hand sequences over out of order.
    expect(outOfOrder).toBeGreaterThan(0);
    stopRaw();
    await stream.return?.();
  });
});
