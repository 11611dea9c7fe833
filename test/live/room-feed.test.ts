// RoomFeed over the real pipeline (PGlite store, ingest writer, in-process bus): resuming from a
// cursor replays exactly what was stored after it and joins the live stream with no gap and no
// duplicate, whatever is stored or published while the replay runs; limits hold.
import { describe, expect, it } from 'vitest';
import type { EventBus } from '../../src/bus/event-bus.ts';
import type { RoomEvent } from '../../src/domain/events.ts';
import { decodeCursor, encodeCursor } from '../../src/store/cursor.ts';
import type { EventStore } from '../../src/store/event-store.ts';
import { RoomFeed } from '../../src/live/room-feed.ts';
import { T0, like, newRoomId, useMemoryStore } from '../store/fixtures.ts';
import { HeldAnswers, chats, ids, pipeline, probedStore, take, turn, type ReplayHook } from './pipeline.ts';

let store: EventStore;
useMemoryStore((opened) => (store = opened));

/** The cursor the store gave the event with this id. */
async function cursorOf(roomId: string, id: string): Promise<string> {
  const page = await store.listEvents(roomId, { first: 1000 });
  const event = page.events.find((candidate) => candidate.id === id);
  if (event?.cursor == null) throw new Error(`event ${id} is not stored`);
  return event.cursor;
}

const range = (from: number, to: number, prefix = 'c') => Array.from({ length: to - from }, (_, i) => `${prefix}${from + i}`);
const seqs = (events: readonly RoomEvent[]) => events.map((event) => decodeCursor(event.cursor ?? '').seq);

function feedOver(source: EventStore, bus: EventBus, bufferLimit = 1000, replayPageSize?: number): RoomFeed {
  return new RoomFeed({ bus, store: source, bufferLimit, ...(replayPageSize === undefined ? {} : { replayPageSize }) });
}

describe('RoomFeed live only', () => {
  it('without a cursor delivers only what is published from now on, with cursors', async () => {
    const roomId = newRoomId();
    const p = pipeline(store);
    await p.record(roomId, chats(roomId, 0, 5));
    const events = feedOver(store, p.bus).subscribe(roomId);
    await p.record(roomId, chats(roomId, 5, 8));
    const read = await take(events, 3);
    expect(ids(read)).toEqual(range(5, 8));
    expect(seqs(read)).toEqual([6, 7, 8]);
    await events.return?.();
    expect(p.bus.subscriberCount(roomId)).toBe(0);
    await p.close();
  });
});

describe('RoomFeed resume', () => {
  it('replays what was stored after the cursor, then continues live', async () => {
    const roomId = newRoomId();
    const p = pipeline(store);
    await p.record(roomId, chats(roomId, 0, 30));
    const events = feedOver(store, p.bus, 1000, 7).subscribe(roomId, { after: await cursorOf(roomId, 'c9') });
    expect(ids(await take(events, 20))).toEqual(range(10, 30));
    await p.record(roomId, chats(roomId, 30, 35));
    const live = await take(events, 5);
    expect(ids(live)).toEqual(range(30, 35));
    expect(seqs(live)).toEqual([31, 32, 33, 34, 35]);
    await events.return?.();
    await p.close();
  });

  it('delivers events stored and published while the replay runs exactly once, in order', async () => {
    const roomId = newRoomId();
    let answers: HeldAnswers | null = null;
    const p = pipeline(store, {}, (writer) => (answers = new HeldAnswers(writer)));
    const held = answers as unknown as HeldAnswers;
    await p.record(roomId, chats(roomId, 0, 25));
    const hook: ReplayHook = async (call) => {
      // Stored and published during the replay: held live and read again by a later page.
      if (call === 1) await p.record(roomId, chats(roomId, 25, 30));
      // Stored before the last page is read, published only after the feed went live.
      if (call === 2) {
        held.hold();
        p.ingest.accept(roomId, chats(roomId, 30, 31));
        await p.writer.flush();
      }
      // Stored after the last page was read, published after the feed went live.
      if (call === 3) {
        p.ingest.accept(roomId, chats(roomId, 31, 32));
        await p.writer.flush();
      }
    };
    const probed = probedStore(store, hook);
    const events = feedOver(probed, p.bus, 1000, 10).subscribe(roomId, { after: await cursorOf(roomId, 'c4') });

    expect(ids(await take(events, 26))).toEqual(range(5, 31));
    held.release();
    await p.ingest.settled();
    await p.record(roomId, chats(roomId, 32, 35));
    const rest = await take(events, 4);
    expect(ids(rest)).toEqual(range(31, 35));
    expect(probed.calls).toHaveLength(3);
    await events.return?.();
    await p.close();
  });

  it('takes an event stored after the last page was read, but published before the switch, from the held live events', async () => {
    const roomId = newRoomId();
    const p = pipeline(store);
    await p.record(roomId, chats(roomId, 0, 12));
    let recorded = false;
    const probed = probedStore(store, async (_call, page) => {
      if (!page.hasNextPage && !recorded) {
        recorded = true;
        await p.record(roomId, chats(roomId, 12, 15));
      }
    });
    const events = feedOver(probed, p.bus, 1000, 5).subscribe(roomId, { after: await cursorOf(roomId, 'c2') });
    expect(ids(await take(events, 12))).toEqual(range(3, 15));
    await p.record(roomId, chats(roomId, 15, 16));
    expect(ids(await take(events, 1))).toEqual(['c15']);
    await events.return?.();
    await p.close();
  });

  it('gives every concurrent resumer exactly the stream after its cursor while ingest runs (seeded interleavings)', async () => {
    const roomId = newRoomId();
    const p = pipeline(store);
    await p.record(roomId, chats(roomId, 0, 100));
    let seed = 12345;
    const random = (below: number) => {
      seed = (seed * 1103515245 + 12345) % 2147483648;
      return seed % below;
    };
    const resumeAt = [0, 17, 50, 99];
    const limits = resumeAt.map((_, i) => 40 + i * 20);
    const feeds = await Promise.all(
      resumeAt.map(async (index, i) =>
        feedOver(store, p.bus, limits[i], 3 + i * 4).subscribe(roomId, { after: await cursorOf(roomId, `c${index}`) }),
      ),
    );
    const TOTAL = 1000;
    const reads = feeds.map((): RoomEvent[] => []);
    const readers = feeds.map(async (events, i) => {
      const read = reads[i] as RoomEvent[];
      const want = TOTAL - 1 - (resumeAt[i] as number);
      while (read.length < want) {
        read.push(...(await take(events, 1)));
        if (i % 2 === 1 && random(3) === 0) await turn();
      }
    });
    // A reader that cannot keep up with live traffic is cut off by design (tested below); the
    // producer here never lets a reader's unread events exceed its buffer.
    const unread = (i: number, accepted: number) => accepted - ((resumeAt[i] as number) + 1 + (reads[i] as RoomEvent[]).length);
    for (let next = 100; next < TOTAL; ) {
      const size = Math.min(TOTAL - next, 1 + random(25));
      while (feeds.some((_, i) => unread(i, next + size) >= (limits[i] as number))) await turn();
      p.ingest.accept(roomId, chats(roomId, next, next + size));
      next += size;
      if (random(2) === 0) await turn();
    }
    await Promise.all(readers);
    reads.forEach((read, i) => expect(ids(read), `resumer after c${resumeAt[i]}`).toEqual(range((resumeAt[i] as number) + 1, TOTAL)));
    for (const events of feeds) await events.return?.();
    await p.close();
  });

  it('with types replays and goes live with only those kinds, across the seam', async () => {
    const roomId = newRoomId();
    const p = pipeline(store);
    const mixed = (from: number, to: number): RoomEvent[] =>
      Array.from({ length: to - from }, (_, i) => {
        const n = from + i;
        return n % 3 === 0 ? like(roomId, `l${n}`, T0 + n, 1, n) : chats(roomId, n, n + 1)[0]!;
      });
    await p.record(roomId, mixed(0, 30));
    const probed = probedStore(store, async (call) => {
      if (call === 1) await p.record(roomId, mixed(30, 45));
    });
    const events = feedOver(probed, p.bus, 1000, 2).subscribe(roomId, { after: await cursorOf(roomId, 'c4'), types: ['LikeEvent'] });
    const likesUpTo = (to: number) => Array.from({ length: to }, (_, n) => n).filter((n) => n > 4 && n % 3 === 0).map((n) => `l${n}`);
    expect(ids(await take(events, likesUpTo(45).length))).toEqual(likesUpTo(45));
    await p.record(roomId, mixed(45, 52));
    const live = await take(events, 2);
    expect(ids(live)).toEqual(['l45', 'l48']);
    expect(probed.calls.every((call) => call.types?.join() === 'LikeEvent')).toBe(true);
    await p.record(roomId, mixed(52, 55));
    expect(ids(await take(events, 1))).toEqual(['l51']);
    await events.return?.();
    await p.close();
  });
});

describe('RoomFeed cursors', () => {
  it('refuses a cursor that is not one, or belongs to another room, with BAD_CURSOR', async () => {
    const roomId = newRoomId();
    const p = pipeline(store);
    const feed = feedOver(store, p.bus);
    for (const after of ['not-a-cursor', encodeCursor(roomId, 1).slice(0, -1), encodeCursor(newRoomId(), 3)]) {
      expect(() => feed.subscribe(roomId, { after }), after).toThrow(expect.objectContaining({ name: 'StoreError', code: 'BAD_CURSOR' }));
    }
    expect(p.bus.subscriberCount(roomId)).toBe(0);
    await p.close();
  });

  it('refuses any cursor when the gateway keeps no history', async () => {
    const roomId = newRoomId();
    const p = pipeline(store);
    const feed = new RoomFeed({ bus: p.bus, store: null, bufferLimit: 100 });
    expect(() => feed.subscribe(roomId, { after: encodeCursor(roomId, 1) })).toThrow(expect.objectContaining({ code: 'HISTORY_DISABLED' }));
    expect(p.bus.subscriberCount(roomId)).toBe(0);
    await p.close();
  });

  it('fails a cursor ahead of the stored history (a reset store) instead of silently dropping live events', async () => {
    const roomId = newRoomId();
    const p = pipeline(store);
    await p.record(roomId, chats(roomId, 0, 10));
    const events = feedOver(store, p.bus).subscribe(roomId, { after: encodeCursor(roomId, 500) });
    await expect(events.next()).rejects.toMatchObject({ code: 'BAD_CURSOR' });
    expect(p.bus.subscriberCount(roomId)).toBe(0);
    await p.close();
  });
});

describe('RoomFeed limits', () => {
  it('keeps a slow reader of a replay larger than its buffer: the replay waits for it', async () => {
    const roomId = newRoomId();
    const p = pipeline(store);
    await p.record(roomId, chats(roomId, 0, 120));
    const bufferLimit = 10;
    let consumed = 0;
    const aheadAtFetch: number[] = [];
    let fetched = 0;
    const probed = probedStore(store, (_call, page) => {
      fetched += page.events.length;
      aheadAtFetch.push(fetched - consumed);
    });
    const events = feedOver(probed, p.bus, bufferLimit).subscribe(roomId, { after: await cursorOf(roomId, 'c0') });
    // Nobody reads: the replay fills the buffer and stops asking the store.
    while (probed.calls.length < 1) await turn();
    for (let i = 0; i < 50; i += 1) await turn();
    expect(fetched).toBeLessThanOrEqual(bufferLimit);
    const read: RoomEvent[] = [];
    while (read.length < 119) {
      read.push(...(await take(events, 1)));
      consumed += 1;
      await turn();
    }
    expect(ids(read)).toEqual(range(1, 120));
    expect(Math.max(...aheadAtFetch)).toBeLessThanOrEqual(bufferLimit);
    await events.return?.();
    await p.close();
  });

  it('keeps a slow resumer while live traffic outruns its buffer during the replay, and delivers everything once', async () => {
    const roomId = newRoomId();
    const p = pipeline(store);
    await p.record(roomId, chats(roomId, 0, 50));
    let lastPages = 0;
    const probed = probedStore(store, async (call, page) => {
      if (call === 1) await p.record(roomId, chats(roomId, 50, 90));
      // Stored after the last page was read: these arrive live while the feed still replays.
      if (!page.hasNextPage && (lastPages += 1) === 1) await p.record(roomId, chats(roomId, 90, 150));
    });
    const events = feedOver(probed, p.bus, 10, 5).subscribe(roomId, { after: await cursorOf(roomId, 'c0') });
    const read: RoomEvent[] = [];
    while (read.length < 149) {
      read.push(...(await take(events, 1)));
      await turn();
    }
    expect(ids(read)).toEqual(range(1, 150));
    await p.record(roomId, chats(roomId, 150, 151));
    expect(ids(await take(events, 1))).toEqual(['c150']);
    await events.return?.();
    await p.close();
  });

  it('works with a buffer of one event', async () => {
    const roomId = newRoomId();
    const p = pipeline(store);
    await p.record(roomId, chats(roomId, 0, 6));
    const events = feedOver(store, p.bus, 1).subscribe(roomId, { after: await cursorOf(roomId, 'c0') });
    expect(ids(await take(events, 5))).toEqual(range(1, 6));
    await p.record(roomId, chats(roomId, 6, 7));
    expect(ids(await take(events, 1))).toEqual(['c6']);
    await events.return?.();
    await p.close();
  });

  it('cuts off a live subscriber that falls a buffer behind with SLOW_CONSUMER and lets go of the bus', async () => {
    const roomId = newRoomId();
    const p = pipeline(store);
    const feed = feedOver(store, p.bus, 5);
    const keepsUp = feed.subscribe(roomId);
    const fallsBehind = feed.subscribe(roomId);
    const kept: RoomEvent[] = [];
    for (let i = 0; i < 4; i += 1) {
      await p.record(roomId, chats(roomId, i * 4, i * 4 + 4));
      kept.push(...(await take(keepsUp, 4)));
    }
    expect(ids(kept)).toEqual(range(0, 16));
    await expect(fallsBehind.next()).rejects.toMatchObject({ name: 'SlowConsumerError', code: 'SLOW_CONSUMER' });
    expect(p.bus.subscriberCount(roomId)).toBe(1);
    await keepsUp.return?.();
    expect(p.bus.subscriberCount(roomId)).toBe(0);
    await p.close();
  });

  it('ends on abort, mid-replay too, and stops reading the store', async () => {
    const roomId = newRoomId();
    const p = pipeline(store);
    await p.record(roomId, chats(roomId, 0, 40));
    const controller = new AbortController();
    const probed = probedStore(store);
    const events = feedOver(probed, p.bus, 6, 3).subscribe(roomId, { after: await cursorOf(roomId, 'c0'), signal: controller.signal });
    expect(ids(await take(events, 2))).toEqual(['c1', 'c2']);
    controller.abort();
    const callsAtAbort = probed.calls.length;
    // What was already buffered may still be handed out; then the stream ends.
    const rest: RoomEvent[] = [];
    for (let result = await events.next(); !result.done; result = await events.next()) rest.push(result.value);
    expect(rest.length).toBeLessThanOrEqual(6);
    for (let i = 0; i < 20; i += 1) await turn();
    expect(probed.calls.length).toBeLessThanOrEqual(callsAtAbort + 1);
    expect(p.bus.subscriberCount(roomId)).toBe(0);

    const aborted = new AbortController();
    aborted.abort();
    const never = feedOver(store, p.bus).subscribe(roomId, { signal: aborted.signal });
    expect(p.bus.subscriberCount(roomId)).toBe(0);
    expect((await never.next()).done).toBe(true);
    await p.close();
  });
});
