// The source behind roomEvents: with a resume cursor it replays stored history first and then
// continues live, with no gap and no duplicate at the seam; without one it is live only.
import type { EventBus } from '../../bus/event-bus.ts';
import type { RoomEvent, RoomEventType } from '../../domain/events.ts';
import type { EventStore } from '../../store/event-store.ts';
import { decodeCursor } from '../../store/cursor.ts';
import { StoreError } from '../../store/errors.ts';
import { EventQueue, SlowConsumerError } from './event-queue.ts';

export interface RoomFeedSubscribeOptions {
  types?: readonly RoomEventType[] | null;
  /** Resume after this cursor: replay what was stored since, then go live. */
  after?: string | null;
  signal?: AbortSignal;
}

export interface RoomFeedOptions {
  bus: EventBus;
  store: EventStore | null;
  /** Events one subscriber may fall behind before it is cut off. */
  bufferLimit: number;
  replayPageSize?: number;
}

export class RoomFeed {
  constructor(private readonly options: RoomFeedOptions) {}

  subscribe(roomId: string, subscribe: RoomFeedSubscribeOptions = {}): AsyncIterableIterator<RoomEvent> {
    const wanted = subscribe.types && subscribe.types.length > 0 ? new Set(subscribe.types) : null;
    const resumeFrom = subscribe.after ? this.resumePosition(roomId, subscribe.after) : null;
    let release = () => {};
    const queue = new EventQueue<RoomEvent>(this.options.bufferLimit, () => release());
    const signal = subscribe.signal;
    if (signal?.aborted) {
      queue.end();
      return queue;
    }
    signal?.addEventListener('abort', () => queue.end(), { once: true });

    const catchUp =
      resumeFrom === null
        ? null
        : new CatchUp({
            roomId,
            store: this.options.store as EventStore,
            queue,
            types: subscribe.types ?? null,
            from: { seq: resumeFrom, cursor: subscribe.after as string },
            limit: this.options.bufferLimit,
            pageSize: Math.max(1, Math.min(this.options.replayPageSize ?? 500, Math.floor(this.options.bufferLimit / 2))),
          });
    release = this.options.bus.subscribe(roomId, (event) => {
      if (wanted !== null && !wanted.has(event.type)) return;
      if (catchUp === null) queue.push(event);
      else catchUp.onLive(event);
    });
    // The queue may have closed while subscribing (a handler saw it fail): do not leak the subscription.
    if (queue.closed) release();
    void catchUp?.run().catch((error: unknown) => queue.fail(error));
    return queue;
  }

  private resumePosition(roomId: string, cursor: string): number {
    if (this.options.store === null) {
      throw new StoreError('BAD_CURSOR', 'this gateway keeps no history, so it cannot resume from a cursor');
    }
    const position = decodeCursor(cursor);
    if (position.roomId !== roomId) throw new StoreError('BAD_CURSOR', 'the cursor belongs to another room');
    return position.seq;
  }
}

interface Position {
  seq: number;
  cursor: string;
}

interface CatchUpOptions {
  roomId: string;
  store: EventStore;
  queue: EventQueue<RoomEvent>;
  types: readonly RoomEventType[] | null;
  from: Position;
  limit: number;
  pageSize: number;
}

/**
 * One resuming subscriber until it is live. Every event with a cursor was stored before it was
 * published, so the store is the truth: live events that arrive meanwhile are held only as a
 * shortcut, at most `limit` of them. When more arrive the held stored ones are let go and read
 * from the store on another pass, so a long replay never fails nor grows memory because the
 * room is busy. Order and uniqueness come from delivering sequence numbers strictly upwards.
 */
class CatchUp {
  private held: RoomEvent[] = [];
  private replaying = true;
  /** Live events were let go since the current store read began: another read must find them. */
  private letGo = false;
  private last: Position;

  constructor(private readonly options: CatchUpOptions) {
    this.last = options.from;
  }

  onLive(event: RoomEvent): void {
    if (!this.replaying) return this.deliver(event);
    if (this.held.length >= this.options.limit) this.letGoStored();
    if (this.held.length >= this.options.limit) return this.options.queue.fail(new SlowConsumerError(this.options.limit));
    this.held.push(event);
  }

  async run(): Promise<void> {
    await this.checkCursorIsKnown();
    for (;;) {
      await this.replayStored();
      if (this.options.queue.closed) return;
      if (this.letGo) continue;
      await this.releaseHeld();
      if (this.options.queue.closed) return;
      if (this.letGo) continue;
      // No await since the held events ran out: from here on the bus handler delivers.
      this.replaying = false;
      return;
    }
  }

  /** A cursor past the newest stored event (a reset store) would silently swallow live events. */
  private async checkCursorIsKnown(): Promise<void> {
    const latest = await this.options.store.latestCursor(this.options.roomId);
    if (latest === null || decodeCursor(latest).seq < this.options.from.seq) {
      throw new StoreError('BAD_CURSOR', 'the cursor is ahead of the stored history (was the store reset?); subscribe without it');
    }
  }

  private async replayStored(): Promise<void> {
    const { store, roomId, types, pageSize, queue } = this.options;
    for (;;) {
      // History waits for a slow reader instead of overflowing its buffer.
      await queue.waitForRoom(this.roomBelow());
      if (queue.closed) return;
      this.letGo = false;
      const page = await store.listEvents(roomId, { first: pageSize, after: this.last.cursor, types });
      for (const event of page.events) this.deliver(event);
      if (!page.hasNextPage) return;
    }
  }

  private async releaseHeld(): Promise<void> {
    const { queue, pageSize } = this.options;
    while (this.held.length > 0) {
      await queue.waitForRoom(this.roomBelow());
      if (queue.closed || this.letGo) return;
      for (const event of this.held.splice(0, pageSize)) this.deliver(event);
    }
  }

  private letGoStored(): void {
    const before = this.held.length;
    this.held = this.held.filter((event) => sequenceOf(event) === null);
    if (this.held.length < before) this.letGo = true;
  }

  /** Pushes events after the last one delivered; events never stored (no cursor) always pass. */
  private deliver(event: RoomEvent): void {
    const seq = sequenceOf(event);
    if (seq !== null) {
      if (seq <= this.last.seq) return;
      this.last = { seq, cursor: event.cursor as string };
    }
    this.options.queue.push(event);
  }

  private roomBelow(): number {
    return Math.max(1, this.options.limit - this.options.pageSize);
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
