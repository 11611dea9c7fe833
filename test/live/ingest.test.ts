// Ingest between the collectors and the bus: an event is published once its batch is stored,
// carrying its cursor, in arrival order per room; redeliveries are not published again; a store
// failure is waited out and published with cursors afterwards, a refusal leaves a stored gap;
// nothing a callback does stalls a room.
import { describe, expect, it } from 'vitest';
import { MemoryEventBus } from '../../src/bus/memory-bus.ts';
import type { RoomEvent, StreamGapEvent } from '../../src/domain/events.ts';
import { decodeCursor } from '../../src/store/cursor.ts';
import type { StoreError } from '../../src/store/errors.ts';
import type { EventStore, StoredEventRef } from '../../src/store/event-store.ts';
import { IngestWriter, type IngestWriterOptions } from '../../src/store/ingest-writer.ts';
import { Ingest, type IngestOptions, type IngestTarget } from '../../src/live/ingest.ts';
import { ControlledStore, refusedByDatabase } from '../store/controlled-store.ts';
import { until } from '../support/until.ts';
import { T0, chat, newRoomId, useMemoryStore } from '../store/fixtures.ts';
import { chats, ids, pipeline, turn } from './pipeline.ts';

let store: EventStore;
useMemoryStore((opened) => (store = opened));

/** Everything published on the bus for these rooms, in publication order. */
function listen(bus: MemoryEventBus, ...roomIds: string[]): RoomEvent[] {
  const seen: RoomEvent[] = [];
  for (const roomId of roomIds) bus.subscribe(roomId, (event) => seen.push(event));
  return seen;
}

/** Ingest over a real writer on a store the test can hold or fail (ControlledStore). */
function overControlledStore(writerOptions: Omit<IngestWriterOptions, 'store'>, ingestOptions: Omit<IngestOptions, 'bus' | 'writer'> = {}) {
  const controlled = new ControlledStore(store);
  const bus = new MemoryEventBus();
  const writer = new IngestWriter({ store: controlled, flushIntervalMs: 1, ...writerOptions });
  const ingest = new Ingest({ bus, writer, ...ingestOptions });
  return { controlled, bus, writer, ingest };
}

/** A target whose answers the test gives by hand, in any order. */
class ManualTarget implements IngestTarget {
  private readonly answers = new Map<string, { resolve: (ref: StoredEventRef) => void; reject: (error: unknown) => void }>();
  enqueue(event: RoomEvent): Promise<StoredEventRef> {
    return new Promise((resolve, reject) => this.answers.set(event.id, { resolve, reject }));
  }

  store(id: string, isNew = true): void {
    const answer = this.answers.get(id);
    if (answer === undefined) throw new Error(`no pending event ${id}`);
    answer.resolve({ roomId: 'r', id, cursor: `cursor-of-${id}`, isNew });
  }
}

describe('Ingest', () => {
  it('publishes each event only after its batch is stored, with the cursor the store gave it', async () => {
    const roomId = newRoomId();
    const p = pipeline(store);
    const storedWhenPublished: number[] = [];
    p.bus.subscribe(roomId, () => storedWhenPublished.push(p.writer.stats().stored));
    const seen = listen(p.bus, roomId);
    await p.record(roomId, chats(roomId, 0, 120));

    expect(ids(seen)).toEqual(ids(chats(roomId, 0, 120)));
    storedWhenPublished.forEach((stored, i) => expect(stored, `event ${i}`).toBeGreaterThan(i));
    const page = await store.listEvents(roomId, { first: 1000 });
    expect(seen.map((event) => event.cursor)).toEqual(page.events.map((event) => event.cursor));
    expect(p.busErrors).toEqual([]);
    await p.close();
  });

  it('publishes in arrival order per room even when later batches are stored first, without holding up other rooms', async () => {
    const bus = new MemoryEventBus();
    const target = new ManualTarget();
    const ingest = new Ingest({ bus, writer: target });
    const seen = listen(bus, 'A', 'B');
    ingest.accept('A', [chat('A', 'a1', T0), chat('A', 'a2', T0 + 1)]);
    ingest.accept('A', [chat('A', 'a3', T0 + 2)]);
    ingest.accept('B', [chat('B', 'b1', T0)]);

    target.store('a3');
    target.store('b1');
    await turn();
    expect(ids(seen)).toEqual(['b1']);
    target.store('a2');
    await turn();
    expect(ids(seen)).toEqual(['b1']);
    target.store('a1');
    await ingest.settled();
    expect(ids(seen)).toEqual(['b1', 'a1', 'a2', 'a3']);
    expect(seen.map((event) => event.cursor)).toEqual(['cursor-of-b1', 'cursor-of-a1', 'cursor-of-a2', 'cursor-of-a3']);
  });

  it('does not publish an event the store already had (redelivered after a restart), and says so', async () => {
    const roomId = newRoomId();
    const redelivered: string[] = [];
    const p = pipeline(store, { onRedelivered: (event) => redelivered.push(event.id) });
    await p.record(roomId, chats(roomId, 0, 5));
    const seen = listen(p.bus, roomId);
    await p.record(roomId, [...chats(roomId, 3, 8), ...chats(roomId, 0, 2)]);

    expect(ids(seen)).toEqual(['c5', 'c6', 'c7']);
    expect(seen.map((event) => decodeCursor(event.cursor ?? '').seq)).toEqual([6, 7, 8]);
    expect(redelivered).toEqual(['c3', 'c4', 'c0', 'c1']);
    expect(await store.countEvents(roomId)).toBe(8);
    await p.close();
  });

  it('publishes nothing while the store is unreachable, then each event once, with its cursor, in order', async () => {
    const roomId = newRoomId();
    const failures: string[] = [];
    const { controlled, bus, writer, ingest } = overControlledStore(
      { maxBatch: 50, retry: { firstMs: 1, capMs: 2 } },
      { onStoreError: (error: StoreError) => failures.push(error.code) },
    );
    const seen = listen(bus, roomId);
    controlled.hold();
    controlled.failNext(new Error('connection reset'));
    controlled.failAfterCommitNext(new Error('Connection terminated unexpectedly'));
    ingest.accept(roomId, chats(roomId, 0, 3));
    await until(() => controlled.calls === 1, 'the first attempt');
    ingest.accept(roomId, chats(roomId, 3, 5));
    expect(seen).toEqual([]);
    controlled.release();
    await ingest.settled();

    expect(ids(seen)).toEqual(['c0', 'c1', 'c2', 'c3', 'c4']);
    expect(seen.map((event) => decodeCursor(event.cursor ?? '').seq)).toEqual([1, 2, 3, 4, 5]);
    expect(failures).toEqual([]);
    expect((await store.listEvents(roomId, { first: 10 })).events.map((event) => event.id)).toEqual(['c0', 'c1', 'c2', 'c3', 'c4']);
    await writer.close();
  });

  it('publishes no event the store refused for good: a stored gap from the first to the last says so', async () => {
    const roomId = newRoomId();
    const failures: [string, string][] = [];
    const { controlled, bus, writer, ingest } = overControlledStore(
      { maxBatch: 50 },
      { onStoreError: (error: StoreError, event) => failures.push([error.code, event.id]) },
    );
    const seen = listen(bus, roomId);
    controlled.failNext(refusedByDatabase());
    const refused = chats(roomId, 0, 3);
    ingest.accept(roomId, refused);
    await ingest.settled();
    ingest.accept(roomId, chats(roomId, 3, 5));
    await ingest.settled();

    expect(seen.map((event) => event.type)).toEqual(['StreamGapEvent', 'ChatEvent', 'ChatEvent']);
    expect(seen.every((event) => event.cursor !== null)).toBe(true);
    const gap = seen[0] as StreamGapEvent;
    expect([gap.from, gap.to]).toEqual([refused[0]!.createdAt, refused[2]!.createdAt]);
    expect(gap.reason).toMatch(/store refused 3 event/);
    expect(failures.map(([code]) => code)).toEqual(['STORE_UNAVAILABLE', 'STORE_UNAVAILABLE', 'STORE_UNAVAILABLE']);
    const history = await store.listEvents(roomId, { first: 10 });
    expect(history.events.map((event) => event.type)).toEqual(['StreamGapEvent', 'ChatEvent', 'ChatEvent']);
    expect(history.events[0]!.cursor).toBe(gap.cursor);
    await writer.close();
  });

  it('saves no upstream position past a loss that even the gap could not mark', async () => {
    const roomId = newRoomId();
    const { controlled, bus, writer, ingest } = overControlledStore({ maxBatch: 50 });
    const saved: string[] = [];
    ingest.accept(roomId, chats(roomId, 0, 2), () => saved.push('before'));
    await ingest.settled();
    // The batch and then its gap are refused.
    controlled.failNext(refusedByDatabase());
    controlled.failNext(refusedByDatabase());
    ingest.accept(roomId, chats(roomId, 2, 4), () => saved.push('lost'));
    await ingest.settled();
    ingest.accept(roomId, chats(roomId, 4, 6), () => saved.push('after'));
    await ingest.settled();
    expect(saved).toEqual(['before']);
    // Another room is not held back.
    const other = newRoomId();
    ingest.accept(other, chats(other, 0, 2), () => saved.push('other'));
    await ingest.settled();
    expect(saved).toEqual(['before', 'other']);
    await writer.close();
  });

  it('publishes an event the store refuses as malformed live, reporting BAD_EVENT, and keeps the room going', async () => {
    const roomId = newRoomId();
    const failures: string[] = [];
    const p = pipeline(store, { onStoreError: (error) => failures.push(error.code) });
    const seen = listen(p.bus, roomId);
    await p.record(roomId, [chat(roomId, 'ok1', T0), chat(roomId, '', T0 + 1), chat(roomId, 'ok2', T0 + 2)]);
    expect(ids(seen)).toEqual(['ok1', '', 'ok2']);
    expect(seen.map((event) => event.cursor !== null)).toEqual([true, false, true]);
    expect(failures).toEqual(['BAD_EVENT']);
    await p.close();
  });

  it('without a store publishes at once, without cursors', () => {
    const bus = new MemoryEventBus();
    const published: string[] = [];
    const ingest = new Ingest({ bus, writer: null, onPublished: (_roomId, event) => published.push(event.id) });
    const seen = listen(bus, 'A');
    ingest.accept('A', [chat('A', 'x', T0), chat('A', 'y', T0 + 1)]);
    expect(ids(seen)).toEqual(['x', 'y']);
    expect(seen.every((event) => event.cursor === null)).toBe(true);
    expect(published).toEqual(['x', 'y']);
  });

  it('keeps publishing a room after a publication or an observer throws, and reports the failure', async () => {
    const roomId = newRoomId();
    const problems: string[] = [];
    let calls = 0;
    const p = pipeline(store, {
      onPublished: () => {
        calls += 1;
        if (calls === 2) throw new Error('metrics exporter broke');
      },
      onPublishError: (error: unknown, event: RoomEvent) => problems.push(`${event.id}: ${(error as Error).message}`),
      onRedelivered: () => {
        throw new Error('log sink broke');
      },
    });
    const seen = listen(p.bus, roomId);
    await p.record(roomId, chats(roomId, 0, 3));
    await p.record(roomId, chats(roomId, 3, 5));
    await p.record(roomId, chats(roomId, 0, 6));
    expect(ids(seen)).toEqual(['c0', 'c1', 'c2', 'c3', 'c4', 'c5']);
    expect(problems).toEqual(['c1: metrics exporter broke']);
    await p.close();
  });

  it('settled() waits until everything accepted is stored and published', async () => {
    const roomId = newRoomId();
    const { controlled, bus, writer, ingest } = overControlledStore({ maxBatch: 10 });
    const seen = listen(bus, roomId);
    controlled.hold();
    ingest.accept(roomId, chats(roomId, 0, 4));
    let settled = false;
    const waiting = ingest.settled().then(() => (settled = true));
    while (controlled.calls === 0) await turn();
    await turn();
    expect(settled).toBe(false);
    expect(seen).toEqual([]);
    controlled.release();
    await waiting;
    expect(ids(seen)).toEqual(['c0', 'c1', 'c2', 'c3']);
    await writer.close();
  });
});
