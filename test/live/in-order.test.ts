// Strict order per subscriber over a bus that misbehaves: the test stores events itself and
// hands them to an in-process bus in the order (and with the losses) a fleet can produce. The
// subscriber must see each stored sequence once, upwards, holes filled from the store after
// the hole-fill wait, and a StreamGapEvent only for what the store no longer has.
import { describe, expect, it } from 'vitest';
import { MemoryEventBus } from '../../src/bus/memory-bus.ts';
import type { RoomEvent } from '../../src/domain/events.ts';
import type { HoleObserver } from '../../src/live/in-order.ts';
import { RoomFeed } from '../../src/live/room-feed.ts';
import { decodeCursor } from '../../src/store/cursor.ts';
import type { EventStore } from '../../src/store/event-store.ts';
import { T0, like, newRoomId, useMemoryStore } from '../store/fixtures.ts';
import { chats, probedStore, take, turn } from './pipeline.ts';

let store: EventStore;
useMemoryStore((opened) => (store = opened));

/** Stores the events (nothing is published) and returns them with their cursors. */
async function stored(events: readonly RoomEvent[]): Promise<RoomEvent[]> {
  const refs = await store.appendEvents(events);
  return events.map((event, i) => ({ ...event, cursor: refs[i]?.cursor ?? null }));
}

const seqOf = (event: RoomEvent) => (event.cursor === null ? null : decodeCursor(event.cursor).seq);

class CountingObserver implements HoleObserver {
  filled = 0;
  gaps = 0;
  holeFilled(_roomId: string, events: number): void {
    this.filled += events;
  }
  gapEmitted(): void {
    this.gaps += 1;
  }
}

function feed(source: EventStore, bus: MemoryEventBus, holeFillMs: number, observer?: HoleObserver, bufferLimit = 100): RoomFeed {
  return new RoomFeed({ bus, store: source, bufferLimit, holeFillMs, ...(observer ? { observer } : {}) });
}

describe('in-order delivery', () => {
  it('holds a later sequence until the earlier one arrives, without reading the store', async () => {
    const roomId = newRoomId();
    const bus = new MemoryEventBus();
    const events = await stored(chats(roomId, 0, 4));
    const probed = probedStore(store);
    const stream = feed(probed, bus, 60_000).subscribe(roomId);
    for (const index of [0, 2, 1, 3]) bus.publish(roomId, events[index] as RoomEvent);
    expect((await take(stream, 4)).map(seqOf)).toEqual([1, 2, 3, 4]);
    expect(probed.calls).toHaveLength(0);
    await stream.return?.();
  });

  it('delivers a sequence published twice once', async () => {
    const roomId = newRoomId();
    const bus = new MemoryEventBus();
    const events = await stored(chats(roomId, 0, 3));
    const stream = feed(store, bus, 60_000).subscribe(roomId);
    for (const index of [0, 1, 1, 0, 2, 1]) bus.publish(roomId, events[index] as RoomEvent);
    expect((await take(stream, 3)).map(seqOf)).toEqual([1, 2, 3]);
    bus.publish(roomId, (await stored(chats(roomId, 3, 4)))[0] as RoomEvent);
    expect((await take(stream, 1)).map(seqOf)).toEqual([4]);
    await stream.return?.();
  });

  it('reads a dropped sequence from the store once the hole-fill wait passes, and counts it', async () => {
    const roomId = newRoomId();
    const bus = new MemoryEventBus();
    const observer = new CountingObserver();
    const events = await stored(chats(roomId, 0, 6));
    const probed = probedStore(store);
    const stream = feed(probed, bus, 20, observer).subscribe(roomId);
    // 2 and 4 never come over the bus.
    for (const index of [0, 2, 4, 5]) bus.publish(roomId, events[index] as RoomEvent);
    const read = await take(stream, 6);
    expect(read.map(seqOf)).toEqual([1, 2, 3, 4, 5, 6]);
    expect(read.map((event) => event.id)).toEqual(events.map((event) => event.id));
    expect(observer.filled).toBe(2);
    expect(observer.gaps).toBe(0);
    expect(probed.calls.length).toBeGreaterThan(0);
    await stream.return?.();
  });

  it('applies the type filter after ordering, so a hole of other kinds does not stall it', async () => {
    const roomId = newRoomId();
    const bus = new MemoryEventBus();
    const mixed = await stored([
      like(roomId, 'l0', T0, 1, 1),
      ...chats(roomId, 1, 3),
      like(roomId, 'l3', T0 + 3, 1, 2),
      like(roomId, 'l4', T0 + 4, 1, 3),
    ]);
    const probed = probedStore(store);
    const stream = feed(probed, bus, 20).subscribe(roomId, { types: ['LikeEvent'] });
    // The chats (2, 3) and the like 4 are lost on the bus.
    for (const index of [0, 4]) bus.publish(roomId, mixed[index] as RoomEvent);
    expect((await take(stream, 3)).map((event) => event.id)).toEqual(['l0', 'l3', 'l4']);
    expect(probed.calls.every((call) => call.types?.join() === 'LikeEvent')).toBe(true);
    await stream.return?.();
  });

  it('turns sequences the store no longer has into one StreamGapEvent, then goes on', async () => {
    const roomId = newRoomId();
    const bus = new MemoryEventBus();
    const observer = new CountingObserver();
    const events = await stored(chats(roomId, 0, 5));
    // As if retention had deleted 2 and 3 before the hole was read.
    const forgetful: EventStore = {
      ...store,
      listEvents: async (room, options) => {
        const page = await store.listEvents(room, options);
        return { ...page, events: page.events.filter((event) => ![2, 3].includes(seqOf(event) ?? 0)) };
      },
    };
    const stream = feed(forgetful, bus, 20, observer).subscribe(roomId);
    for (const index of [0, 3]) bus.publish(roomId, events[index] as RoomEvent);
    const read = await take(stream, 3);
    expect(read.map((event) => event.type)).toEqual(['ChatEvent', 'StreamGapEvent', 'ChatEvent']);
    expect(read[1]).toMatchObject({ type: 'StreamGapEvent', cursor: null, reason: expect.stringContaining('2..3') });
    expect(read.map(seqOf)).toEqual([1, null, 4]);
    bus.publish(roomId, events[4] as RoomEvent);
    expect((await take(stream, 1)).map(seqOf)).toEqual([5]);
    expect(observer.gaps).toBe(1);
    await stream.return?.();
  });

  it('keeps a resumer strictly increasing while the bus reorders, repeats and drops (seeded)', async () => {
    const roomId = newRoomId();
    const bus = new MemoryEventBus();
    let seed = 4242;
    const random = (below: number) => {
      seed = (seed * 1103515245 + 12345) % 2147483648;
      return seed % below;
    };
    const history = await stored(chats(roomId, 0, 50));
    const stream = feed(store, bus, 5, undefined, 60).subscribe(roomId, { after: history[9]?.cursor ?? null });
    const read: RoomEvent[] = [];
    const TOTAL = 400;
    let last: RoomEvent | undefined;
    for (let next = 50; next < TOTAL; next += 10) {
      const batch = await stored(chats(roomId, next, next + 10));
      const shuffled = [...batch].sort(() => random(3) - 1);
      for (const event of shuffled) {
        const roll = random(10);
        if (roll === 0) continue;
        bus.publish(roomId, event);
        if (roll === 1) bus.publish(roomId, event);
      }
      last = batch.at(-1);
      while (read.length < next - 10 - 30) read.push(...(await take(stream, 1)));
      await turn();
    }
    // A lost last event shows no hole until something follows it (the room's tail check covers that).
    bus.publish(roomId, last as RoomEvent);
    while (read.length < TOTAL - 10) read.push(...(await take(stream, 1)));
    const sequences = read.map(seqOf);
    expect(sequences).toEqual(Array.from({ length: TOTAL - 10 }, (_, i) => i + 11));
    await stream.return?.();
  });

  it('lets held events go when more than its buffer wait behind a hole, and reads them back', async () => {
    const roomId = newRoomId();
    const bus = new MemoryEventBus();
    const events = await stored(chats(roomId, 0, 40));
    const stream = feed(store, bus, 60_000, undefined, 10).subscribe(roomId);
    bus.publish(roomId, events[0] as RoomEvent);
    // 2 is missing and 3..40 pile up behind it: past the buffer the store is read at once.
    for (const event of events.slice(2)) bus.publish(roomId, event);
    const read: RoomEvent[] = [];
    while (read.length < 40) read.push(...(await take(stream, 1)));
    expect(read.map(seqOf)).toEqual(Array.from({ length: 40 }, (_, i) => i + 1));
    await stream.return?.();
  });
});
