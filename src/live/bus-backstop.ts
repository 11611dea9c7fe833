// The store behind a bus that can lose events (Redis). Pub/sub keeps nothing for an instance
// that was cut off, so while the bus is down each room this instance has subscribers for is
// polled from the store every `pollMs` and what is new goes to its subscribers as if it came
// over the bus; once the bus is back one more poll covers what was published while it
// resubscribed. A room that falls quiet is checked once against the store's head, so the last
// event of a burst that the bus lost is not left waiting for the next one. Duplicates and order
// are put right here once per room (in-order.ts, as each subscriber does too), so a hole costs one
// store read per instance, not one per subscriber.
import type { EventBus, Unsubscribe } from '../bus/event-bus.ts';
import { MemoryEventBus } from '../bus/memory-bus.ts';
import type { RoomEvent } from '../domain/events.ts';
import { decodeCursor, encodeCursor } from '../store/cursor.ts';
import type { EventStore } from '../store/event-store.ts';
import { InOrder, type HoleObserver } from './in-order.ts';
import type { StreamSink } from './stream.ts';

export interface BusBackstopOptions {
  bus: EventBus;
  store: EventStore;
  /** The poll interval while the bus is down, and how long a room must be quiet before its tail is checked. */
  pollMs: number;
  pageSize?: number;
  holes?: HoleObserver;
  onError?: (error: unknown) => void;
}

/** Live events a room may hold behind a hole before they are let go and read back from the store. */
const ROOM_HOLD_LIMIT = 10_000;

interface RoomWatch {
  /** The highest sequence seen on the bus or read from the store. */
  lastSeq: number;
  /** lastSeq is known (the store's head was read or an event came): before that a poll would replay all history. */
  known: boolean;
  lastEventAt: number;
  release: Unsubscribe;
  order: InOrder;
  tailTimer: NodeJS.Timeout | null;
  reading: boolean;
}

export class BusBackstop implements EventBus {
  private readonly local: MemoryEventBus;
  private readonly rooms = new Map<string, RoomWatch>();
  private readonly stopWatching: Unsubscribe;
  private pollTimer: NodeJS.Timeout | null = null;
  private readonly onError: (error: unknown) => void;

  constructor(private readonly options: BusBackstopOptions) {
    this.onError = options.onError ?? (() => undefined);
    this.local = new MemoryEventBus(this.onError);
    this.stopWatching = options.bus.onAvailability((up) => (up ? this.afterRecovery() : this.startPolling()));
    if (!options.bus.isUp()) this.startPolling();
  }

  publish(roomId: string, event: RoomEvent): void {
    this.options.bus.publish(roomId, event);
  }

  subscribe(roomId: string, handler: (event: RoomEvent) => void): Unsubscribe {
    const release = this.local.subscribe(roomId, handler);
    if (!this.rooms.has(roomId)) this.watchRoom(roomId);
    return () => {
      release();
      if (this.local.subscriberCount(roomId) > 0) return;
      const watch = this.rooms.get(roomId);
      if (watch === undefined) return;
      this.rooms.delete(roomId);
      watch.release();
      watch.order.stop();
      if (watch.tailTimer !== null) clearTimeout(watch.tailTimer);
    };
  }

  isUp(): boolean {
    return this.options.bus.isUp();
  }

  onAvailability(listener: (up: boolean) => void): Unsubscribe {
    return this.options.bus.onAvailability(listener);
  }

  /** Lets go of the rooms; the bus itself is closed by whoever opened it. */
  async close(): Promise<void> {
    this.stopWatching();
    this.stopPolling();
    for (const watch of this.rooms.values()) {
      watch.release();
      watch.order.stop();
      if (watch.tailTimer !== null) clearTimeout(watch.tailTimer);
    }
    this.rooms.clear();
    await this.local.close();
  }

  private watchRoom(roomId: string): void {
    const order = new InOrder({
      roomId,
      store: this.options.store,
      sink: this.dispatchingSink(roomId),
      types: null,
      after: null,
      limit: ROOM_HOLD_LIMIT,
      pageSize: this.options.pageSize ?? 500,
      holeFillMs: this.options.pollMs,
      ...(this.options.holes ? { observer: this.options.holes } : {}),
    });
    const watch: RoomWatch = { lastSeq: 0, known: false, lastEventAt: Date.now(), release: () => undefined, order, tailTimer: null, reading: false };
    this.rooms.set(roomId, watch);
    watch.release = this.options.bus.subscribe(roomId, (event) => this.dispatch(roomId, watch, event));
    // Where the store stood when the room was first subscribed: a poll reads from there.
    this.options.store.latestCursor(roomId).then(
      (cursor) => {
        if (cursor !== null) watch.lastSeq = Math.max(watch.lastSeq, decodeCursor(cursor).seq);
        watch.order.startAfter(watch.lastSeq);
        watch.known = true;
      },
      (error: unknown) => this.onError(error),
    );
  }

  private dispatch(roomId: string, watch: RoomWatch, event: RoomEvent): void {
    const seq = sequenceOf(event);
    if (seq !== null && seq > watch.lastSeq) watch.lastSeq = seq;
    if (seq !== null) watch.known = true;
    watch.lastEventAt = Date.now();
    this.armTailCheck(roomId, watch);
    watch.order.onLive(event);
  }

  /** The room's ordered events go to its local subscribers; dispatch never waits. */
  private dispatchingSink(roomId: string): StreamSink<RoomEvent> {
    return {
      push: (event) => this.local.publish(roomId, event),
      fail: (error) => this.onError(error),
      end: () => undefined,
      waitUntilFewerThan: () => Promise.resolve(),
      closed: false,
      length: 0,
    };
  }

  private armTailCheck(roomId: string, watch: RoomWatch): void {
    if (watch.tailTimer !== null) return;
    const wait = Math.max(1, watch.lastEventAt + this.options.pollMs - Date.now());
    watch.tailTimer = setTimeout(() => {
      watch.tailTimer = null;
      if (this.rooms.get(roomId) !== watch) return;
      // Still busy: check once it has been quiet for a whole interval.
      if (Date.now() - watch.lastEventAt < this.options.pollMs) return this.armTailCheck(roomId, watch);
      void this.readNew(roomId, watch, true);
    }, wait);
    watch.tailTimer.unref?.();
  }

  /** Delivers what the store has past the room's last sequence; `onlyIfBehind` asks the head first. */
  private async readNew(roomId: string, watch: RoomWatch, onlyIfBehind: boolean): Promise<void> {
    if (watch.reading || !watch.known) return;
    watch.reading = true;
    try {
      const store = this.options.store;
      if (onlyIfBehind) {
        const head = await store.latestCursor(roomId);
        if (head === null || decodeCursor(head).seq <= watch.lastSeq) return;
      }
      for (;;) {
        if (this.rooms.get(roomId) !== watch) return;
        const after = watch.lastSeq > 0 ? encodeCursor(roomId, watch.lastSeq) : null;
        const page = await store.listEvents(roomId, { first: this.options.pageSize ?? 500, after });
        if (this.rooms.get(roomId) !== watch) return;
        for (const event of page.events) {
          const seq = sequenceOf(event);
          if (seq !== null && seq > watch.lastSeq) watch.lastSeq = seq;
          watch.order.onLive(event);
        }
        if (!page.hasNextPage) return;
      }
    } catch (error) {
      // The store is down too: the next poll tries again, and /ready says so meanwhile.
      this.onError(error);
    } finally {
      watch.reading = false;
    }
  }

  private startPolling(): void {
    if (this.pollTimer !== null) return;
    const poll = () => {
      for (const [roomId, watch] of this.rooms) void this.readNew(roomId, watch, false);
    };
    poll();
    this.pollTimer = setInterval(poll, this.options.pollMs);
    this.pollTimer.unref?.();
  }

  private stopPolling(): void {
    if (this.pollTimer === null) return;
    clearInterval(this.pollTimer);
    this.pollTimer = null;
  }

  /** What was published while the bus resubscribed reached nobody: one last poll after it. */
  private afterRecovery(): void {
    this.stopPolling();
    const timer = setTimeout(() => {
      if (!this.options.bus.isUp()) return;
      for (const [roomId, watch] of this.rooms) void this.readNew(roomId, watch, false);
    }, this.options.pollMs);
    timer.unref?.();
  }
}

function sequenceOf(event: RoomEvent): number | null {
  if (event.cursor === null) return null;
  try {
    return decodeCursor(event.cursor).seq;
  } catch {
    return null;
  }
}
