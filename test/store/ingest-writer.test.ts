import { afterEach, describe, expect, it, vi } from 'vitest';
import type { RoomEvent } from '../../src/domain/events.ts';
import { decodeCursor } from '../../src/store/cursor.ts';
import type { EventStore, StoredEventRef } from '../../src/store/event-store.ts';
import { IngestWriter, type IngestWriterStats } from '../../src/store/ingest-writer.ts';
import { until } from '../support/until.ts';
import { ControlledStore, refusedByDatabase } from './controlled-store.ts';
import { ROSE, T0, chat, gift, like, newRoomId, status, user, viewers, useMemoryStore } from './fixtures.ts';

let store: EventStore;
useMemoryStore((opened) => (store = opened));
afterEach(() => {
  vi.useRealTimers();
});

const chats = (roomId: string, count: number, prefix = 'e') =>
  Array.from({ length: count }, (_, i) => chat(roomId, `${prefix}${i}`, T0 + i, `n${i}`));

/** Tracks whether a promise has settled, without awaiting it. */
function watch<T>(promise: Promise<T>): { settled: () => boolean; promise: Promise<T> } {
  let done = false;
  const tracked = promise.finally(() => (done = true));
  tracked.catch(() => undefined);
  return { settled: () => done, promise: tracked };
}

/** Lets queued promise callbacks run; the store's own I/O is awaited through explicit promises instead. */
const microtasks = () => new Promise<void>((resolve) => setImmediate(resolve));

describe('IngestWriter batching', () => {
  it('writes a batch as soon as maxBatch events are queued and keeps enqueue order', async () => {
    const controlled = new ControlledStore(store);
    const writer = new IngestWriter({ store: controlled, maxBatch: 4, flushIntervalMs: 60_000 });
    const roomId = newRoomId();
    const pending = chats(roomId, 10).map((event) => writer.enqueue(event));

    const firstEight = await Promise.all(pending.slice(0, 8));
    expect(controlled.batches.map((batch) => batch.length)).toEqual([4, 4]);
    expect(firstEight.map((ref) => decodeCursor(ref.cursor).seq)).toEqual([1, 2, 3, 4, 5, 6, 7, 8]);
    expect(writer.stats()).toMatchObject({ pending: 2, batches: 2, stored: 8 });

    await writer.flush();
    expect(controlled.batches.map((batch) => batch.length)).toEqual([4, 4, 2]);
    const stored = await store.listEvents(roomId, { first: 100 });
    expect(stored.events.map((event) => event.id)).toEqual(Array.from({ length: 10 }, (_, i) => `e${i}`));
    await writer.close();
  });

  it('writes a partial batch once flushIntervalMs has passed, not before', async () => {
    vi.useFakeTimers({ toFake: ['setTimeout', 'clearTimeout'] });
    const controlled = new ControlledStore(store);
    const writer = new IngestWriter({ store: controlled, maxBatch: 500, flushIntervalMs: 50 });
    const refs = chats(newRoomId(), 3).map((event) => writer.enqueue(event));

    await vi.advanceTimersByTimeAsync(49);
    expect(controlled.calls).toBe(0);
    await vi.advanceTimersByTimeAsync(1);
    expect(controlled.batches.map((batch) => batch.length)).toEqual([3]);
    vi.useRealTimers();
    expect((await Promise.all(refs)).every((ref) => ref.isNew)).toBe(true);
    await writer.close();
  });

  it('reports a redelivered event as a duplicate with its first cursor', async () => {
    const writer = new IngestWriter({ store, maxBatch: 10, flushIntervalMs: 5 });
    const event = chat(newRoomId(), 'twice', T0);
    const first = await writer.enqueue(event);
    const second = await writer.enqueue({ ...event });
    expect(second).toEqual({ ...first, isNew: false });
    expect(writer.stats()).toMatchObject({ stored: 1, duplicates: 1 });
    await writer.close();
  });
});

describe('IngestWriter backpressure', () => {
  it('stops the queue at its bound while the store is slow, makes callers wait, then drains', async () => {
    const controlled = new ControlledStore(store);
    const transitions: [boolean, IngestWriterStats][] = [];
    const writer = new IngestWriter({
      store: controlled,
      maxBatch: 5,
      maxPending: 10,
      flushIntervalMs: 1,
      onBackpressure: (active, stats) => transitions.push([active, stats]),
    });
    const roomId = newRoomId();
    controlled.hold();

    const calls = chats(roomId, 30).map((event) => watch(writer.enqueue(event)));
    await microtasks();
    // One batch of 5 is held in the store, 5 more fill the queue to the bound of 10, 20 callers wait.
    expect(writer.stats()).toMatchObject({ pending: 10, inFlight: 5, waiting: 20, backpressureWaits: 20 });
    expect(calls.filter((call) => call.settled())).toHaveLength(0);
    const capacity = watch(writer.waitForCapacity());
    expect(transitions.map(([active]) => active)).toEqual([true]);

    await microtasks();
    expect(writer.stats().pending).toBe(10);
    expect(capacity.settled()).toBe(false);

    controlled.release();
    const refs = await Promise.all(calls.map((call) => call.promise));
    await capacity.promise;
    expect(refs.map((ref) => decodeCursor(ref.cursor).seq)).toEqual(Array.from({ length: 30 }, (_, i) => i + 1));
    expect(transitions.map(([active]) => active)).toEqual([true, false]);
    expect(Math.max(...controlled.batches.map((batch) => batch.length))).toBeLessThanOrEqual(5);
    expect(writer.stats()).toMatchObject({ pending: 0, waiting: 0, stored: 30 });
    await writer.close();
  });
});

describe('IngestWriter observers', () => {
  it('keeps writing when an observer callback throws', async () => {
    const controlled = new ControlledStore(store);
    controlled.failSnapshots = true;
    const writer = new IngestWriter({
      store: controlled,
      maxBatch: 2,
      maxPending: 2,
      flushIntervalMs: 1,
      onBackpressure: () => {
        throw new Error('observer bug');
      },
      onDeriveError: () => {
        throw new Error('observer bug');
      },
    });
    const roomId = newRoomId();
    controlled.hold();
    const refs = [viewers(roomId, 'v', T0, 5), ...chats(roomId, 5)].map((event) => writer.enqueue(event));
    expect(writer.stats().waiting).toBe(4);
    controlled.release();
    expect((await Promise.all(refs)).map((ref) => ref.isNew)).toEqual([true, true, true, true, true, true]);
    await writer.close();
    expect(writer.stats()).toMatchObject({ deriveFailures: 1, stored: 6 });
  });
});

describe('IngestWriter close', () => {
  it('commits every accepted event, waiting callers included, and refuses new ones', async () => {
    const controlled = new ControlledStore(store);
    const writer = new IngestWriter({ store: controlled, maxBatch: 100, maxPending: 300, flushIntervalMs: 60_000 });
    const roomId = newRoomId();
    const refs = chats(roomId, 1234).map((event) => writer.enqueue(event));
    expect(writer.stats().waiting).toBeGreaterThan(0);

    await writer.close();
    const all = await Promise.all(refs);
    expect(new Set(all.map((ref) => ref.cursor)).size).toBe(1234);
    expect(await store.countEvents(roomId)).toBe(1234);
    await expect(writer.enqueue(chat(roomId, 'late', T0))).rejects.toMatchObject({ code: 'CLOSED' });
  });
});

describe('IngestWriter failures', () => {
  it('holds a batch while the store is unreachable, tries it again with backoff, and stores it once', async () => {
    const controlled = new ControlledStore(store);
    const outages: (string | null)[] = [];
    const writer = new IngestWriter({
      store: controlled,
      maxBatch: 3,
      flushIntervalMs: 60_000,
      retry: { firstMs: 1, capMs: 4 },
      onStoreOutage: (error, stats) => outages.push(error === null ? `back ${stats.unavailableSince}` : error.code),
    });
    const roomId = newRoomId();
    controlled.failNext(new Error('Connection terminated unexpectedly'));
    controlled.failNext(Object.assign(new Error('connect ECONNREFUSED 127.0.0.1:5432'), { code: 'ECONNREFUSED' }));
    controlled.failNext(Object.assign(new Error('terminating connection due to administrator command'), { severity: 'FATAL', code: '57P01' }));

    const refs = await Promise.all(chats(roomId, 3, 'held').map((event) => writer.enqueue(event)));
    expect(refs.map((ref) => [ref.isNew, ref.retried])).toEqual([[true, true], [true, true], [true, true]]);
    expect(controlled.calls).toBe(4);
    expect(writer.stats()).toMatchObject({ failed: 0, retries: 3, stored: 3, unavailableSince: null });
    expect(outages).toEqual(['STORE_UNAVAILABLE', 'back null']);
    expect(await store.countEvents(roomId)).toBe(3);
    await writer.close();
  });

  it('stores a batch whose commit answer was cut off once, and says the retry found it', async () => {
    const controlled = new ControlledStore(store);
    const writer = new IngestWriter({ store: controlled, maxBatch: 2, flushIntervalMs: 60_000, retry: { firstMs: 1, capMs: 1 } });
    const roomId = newRoomId();
    controlled.failAfterCommitNext(new Error('Connection terminated unexpectedly'));
    const refs = await Promise.all(chats(roomId, 2, 'cut').map((event) => writer.enqueue(event)));
    expect(refs.map((ref) => [ref.isNew, ref.retried])).toEqual([[false, true], [false, true]]);
    expect(refs.map((ref) => decodeCursor(ref.cursor).seq)).toEqual([1, 2]);
    expect(await store.countEvents(roomId)).toBe(2);
    await writer.close();
  });

  it('rejects a batch the database refuses for good with STORE_UNAVAILABLE at once, and keeps working', async () => {
    const controlled = new ControlledStore(store);
    const writer = new IngestWriter({ store: controlled, maxBatch: 3, flushIntervalMs: 60_000 });
    const roomId = newRoomId();
    controlled.failNext(refusedByDatabase());

    const lost = chats(roomId, 3, 'lost').map((event) => writer.enqueue(event));
    for (const ref of lost) await expect(ref).rejects.toMatchObject({ code: 'STORE_UNAVAILABLE' });
    expect(writer.stats()).toMatchObject({ failed: 3, pending: 0, retries: 0 });

    const again = await Promise.all(chats(roomId, 3, 'lost').map((event) => writer.enqueue(event)));
    expect(again.map((ref) => ref.isNew)).toEqual([true, true, true]);
    expect(await store.countEvents(roomId)).toBe(3);
    await writer.close();
  });

  it('gives up on an unreachable store a grace period after close(), so shutdown ends', async () => {
    const controlled = new ControlledStore(store);
    const writer = new IngestWriter({ store: controlled, maxBatch: 1, flushIntervalMs: 60_000, retry: { firstMs: 1, capMs: 1 }, closeGraceMs: 20 });
    const roomId = newRoomId();
    for (let i = 0; i < 10_000; i += 1) controlled.failNext(new Error('Connection terminated unexpectedly'));
    const ref = writer.enqueue(chat(roomId, 'stranded', T0));
    ref.catch(() => undefined);
    await until(() => writer.stats().retries >= 2, 'a few attempts');
    await writer.close();
    await expect(ref).rejects.toMatchObject({ code: 'STORE_UNAVAILABLE' });
    expect(writer.stats().failed).toBe(1);
  });

  it('rejects a malformed event alone with BAD_EVENT and stores its neighbours', async () => {
    const writer = new IngestWriter({ store, maxBatch: 3, flushIntervalMs: 60_000 });
    const roomId = newRoomId();
    const good = [writer.enqueue(chat(roomId, 'a', T0)), writer.enqueue(chat(roomId, 'b', T0))];
    await expect(writer.enqueue({ ...chat(roomId, 'bad', T0), id: '' })).rejects.toMatchObject({ code: 'BAD_EVENT' });
    await writer.close();
    expect((await Promise.all(good)).map((ref: StoredEventRef) => ref.isNew)).toEqual([true, true]);
  });

  it('resolves stored events even when deriving a snapshot fails, and reports the failure', async () => {
    const controlled = new ControlledStore(store);
    controlled.failSnapshots = true;
    const errors: string[] = [];
    const writer = new IngestWriter({ store: controlled, flushIntervalMs: 1, onDeriveError: (error) => errors.push(error.code) });
    const ref = await writer.enqueue(viewers(newRoomId(), 'v', T0, 10));
    await writer.close();
    expect(ref.isNew).toBe(true);
    expect(errors).toEqual(['STORE_UNAVAILABLE']);
    expect(writer.stats().deriveFailures).toBe(1);
  });

  it('refuses nonsense limits with BAD_ARGUMENT', () => {
    expect(() => new IngestWriter({ store, maxBatch: 0 })).toThrow(expect.objectContaining({ code: 'BAD_ARGUMENT' }));
    expect(() => new IngestWriter({ store, maxPending: 1.5 })).toThrow(expect.objectContaining({ code: 'BAD_ARGUMENT' }));
  });
});

describe('IngestWriter derived history', () => {
  it('records users seen, throttled snapshots and the gift ledger', async () => {
    const writer = new IngestWriter({ store, maxBatch: 2, flushIntervalMs: 1, snapshotIntervalMs: 5000 });
    const roomId = newRoomId();
    const fan = user('4000001', { nickname: 'fan' });
    const events: RoomEvent[] = [
      viewers(roomId, 'v0', T0, 100, 1000),
      like(roomId, 'l0', T0 + 1000, 3, 50),
      viewers(roomId, 'v1', T0 + 2000, 120, 1100),
      gift(roomId, 'g1', T0 + 3000, { deltaCount: 1, totalCount: 1, phase: 'STARTED', groupId: 'c', who: fan }),
      gift(roomId, 'g2', T0 + 3500, { deltaCount: 9, totalCount: 10, phase: 'FINAL', groupId: 'c', who: fan }),
      viewers(roomId, 'v2', T0 + 6000, 150, 1300),
      status(roomId, 's', T0 + 7000, 'ENDED'),
    ];
    for (const event of events) await writer.enqueue(event);
    await writer.enqueue(events[3] as RoomEvent);
    await writer.close();

    expect(await store.getUser({ id: fan.id })).toEqual(fan);
    expect(await store.snapshots(roomId, { limit: 10 })).toEqual([
      { roomId, at: T0, viewerCount: 100, totalViewers: 1000, likeCount: null, status: null },
      { roomId, at: T0 + 6000, viewerCount: 150, totalViewers: 1300, likeCount: 50, status: null },
      { roomId, at: T0 + 7000, viewerCount: 150, totalViewers: 1300, likeCount: 50, status: 'ENDED' },
    ]);
    expect(await store.topGifters(roomId, 5)).toEqual([{ userId: fan.id, user: fan, giftCount: 10, diamonds: 10 * ROSE.diamondCount }]);
  });

  it('writes a chatty viewer once, and again only when the profile changes', async () => {
    const controlled = new ControlledStore(store);
    const writer = new IngestWriter({ store: controlled, maxBatch: 3, flushIntervalMs: 1 });
    const roomId = newRoomId();
    const regular = user('4000002', { nickname: 'regular' });
    for (let i = 0; i < 9; i += 1) await writer.enqueue(chat(roomId, `r${i}`, T0 + i, 'again', regular));
    await writer.enqueue(chat(roomId, 'renamed', T0 + 10, 'new name', { ...regular, nickname: 'regular2' }));
    await writer.close();
    expect(controlled.usersWritten.filter((id) => id === regular.id)).toHaveLength(2);
    expect((await store.getUser({ id: regular.id }))?.nickname).toBe('regular2');
  });
});
