// The store behind a lossy bus: while the bus is down a room's subscribers get what is stored
// by polling; a room whose last event the bus lost gets it once the room has been quiet.
import { describe, expect, it } from 'vitest';
import type { EventBus, Unsubscribe } from '../../src/bus/event-bus.ts';
import { MemoryEventBus } from '../../src/bus/memory-bus.ts';
import type { RoomEvent } from '../../src/domain/events.ts';
import { BusBackstop } from '../../src/live/bus-backstop.ts';
import { RoomFeed } from '../../src/live/room-feed.ts';
import { decodeCursor } from '../../src/store/cursor.ts';
import type { EventStore } from '../../src/store/event-store.ts';
import { newRoomId, useMemoryStore } from '../store/fixtures.ts';
import { chats, take, turn } from './pipeline.ts';

let store: EventStore;
useMemoryStore((opened) => (store = opened));

/** An in-process bus the test can take down: while down it delivers nothing. */
class SwitchableBus implements EventBus {
  readonly inner = new MemoryEventBus();
  private up = true;
  private readonly listeners = new Set<(up: boolean) => void>();
  publish(roomId: string, event: RoomEvent): void {
    if (this.up) this.inner.publish(roomId, event);
  }
  subscribe(roomId: string, handler: (event: RoomEvent) => void): Unsubscribe {
    return this.inner.subscribe(roomId, handler);
  }
  isUp(): boolean {
    return this.up;
  }
  onAvailability(listener: (up: boolean) => void): Unsubscribe {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }
  set(up: boolean): void {
    this.up = up;
    for (const listener of this.listeners) listener(up);
  }
  async close(): Promise<void> {}
}

async function stored(events: readonly RoomEvent[]): Promise<RoomEvent[]> {
  const refs = await store.appendEvents(events);
  return events.map((event, i) => ({ ...event, cursor: refs[i]?.cursor ?? null }));
}

const seqOf = (event: RoomEvent) => decodeCursor(event.cursor as string).seq;

/** Resolves once the backstop has read where the room's history stands. */
async function settle(): Promise<void> {
  for (let i = 0; i < 20; i += 1) await turn();
}

describe('BusBackstop', () => {
  it('feeds subscribers from the store while the bus is down, then hands back to the bus', async () => {
    const roomId = newRoomId();
    const bus = new SwitchableBus();
    const backstop = new BusBackstop({ bus, store, pollMs: 20 });
    await stored(chats(roomId, 0, 3));
    const stream = new RoomFeed({ bus: backstop, store, bufferLimit: 100, holeFillMs: 20 }).subscribe(roomId);
    await settle();
    const before = await stored(chats(roomId, 3, 5));
    for (const event of before) bus.publish(roomId, event);
    expect((await take(stream, 2)).map(seqOf)).toEqual([4, 5]);

    bus.set(false);
    const during = await stored(chats(roomId, 5, 12));
    for (const event of during) bus.publish(roomId, event);
    expect((await take(stream, 7)).map(seqOf)).toEqual([6, 7, 8, 9, 10, 11, 12]);

    bus.set(true);
    const after = await stored(chats(roomId, 12, 14));
    for (const event of after) bus.publish(roomId, event);
    expect((await take(stream, 2)).map(seqOf)).toEqual([13, 14]);
    await stream.return?.();
    await backstop.close();
    expect(bus.inner.subscriberCount(roomId)).toBe(0);
  });

  it('delivers the last event of a burst that the bus lost once the room is quiet', async () => {
    const roomId = newRoomId();
    const bus = new SwitchableBus();
    const backstop = new BusBackstop({ bus, store, pollMs: 20 });
    const stream = new RoomFeed({ bus: backstop, store, bufferLimit: 100, holeFillMs: 20 }).subscribe(roomId);
    await settle();
    const burst = await stored(chats(roomId, 0, 5));
    // 5 never comes over the bus and nothing follows it.
    for (const event of burst.slice(0, 4)) bus.publish(roomId, event);
    expect((await take(stream, 5)).map(seqOf)).toEqual([1, 2, 3, 4, 5]);
    await stream.return?.();
    await backstop.close();
  });
});

describe('BusBackstop hole filling', () => {
  it('fills a hole once per room, however many subscribers wait on it', async () => {
    const roomId = newRoomId();
    const bus = new SwitchableBus();
    let reads = 0;
    const counted: EventStore = {
      ...store,
      listEvents: (room, options) => {
        reads += 1;
        return store.listEvents(room, options);
      },
    };
    const backstop = new BusBackstop({ bus, store: counted, pollMs: 20 });
    const feed = new RoomFeed({ bus: backstop, store: counted, bufferLimit: 100, holeFillMs: 20 });
    const streams = Array.from({ length: 50 }, () => feed.subscribe(roomId));
    await settle();
    const events = await stored(chats(roomId, 0, 4));
    // 2 is lost on the bus; 4 follows, so the hole shows.
    for (const index of [0, 2, 3]) bus.publish(roomId, events[index] as RoomEvent);
    for (const stream of streams) expect((await take(stream, 4)).map(seqOf)).toEqual([1, 2, 3, 4]);
    expect(reads).toBe(1);
    for (const stream of streams) await stream.return?.();
    await backstop.close();
  });
});
