// The source behind roomEvents: with a resume cursor it replays stored history first and then
// continues live, with no gap and no duplicate at the seam; without one it is live only. The
// resume cursor is checked and the type filter applied here, once, for every transport.
import type { EventBus } from '../bus/event-bus.ts';
import type { RoomEvent, RoomEventType } from '../domain/events.ts';
import type { EventStore } from '../store/event-store.ts';
import { decodeCursor } from '../store/cursor.ts';
import { StoreError } from '../store/errors.ts';
import { resumeSequence } from './resume-cursor.ts';
import { SlowConsumerError } from './slow-consumer.ts';
import { boundedStream, type BoundedStream, type StreamSink } from './stream.ts';

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

  /** Throws at once (BAD_CURSOR, HISTORY_DISABLED) for a cursor it cannot resume from. */
  subscribe(roomId: string, subscribe: RoomFeedSubscribeOptions = {}): BoundedStream<RoomEvent> {
    const types = subscribe.types && subscribe.types.length > 0 ? subscribe.types : null;
    const wanted = types === null ? null : new Set(types);
    const after = subscribe.after ?? null;
    const resumeFrom = after === null ? null : resumeSequence(roomId, after, this.options.store !== null);
    return boundedStream<RoomEvent>(
      this.options.bufferLimit,
      (sink) => {
        const catchUp =
          resumeFrom === null
            ? null
            : new CatchUp({
                roomId,
                store: this.options.store as EventStore,
                sink,
                types,
                from: { seq: resumeFrom, cursor: after as string },
                limit: this.options.bufferLimit,
                pageSize: Math.max(1, Math.min(this.options.replayPageSize ?? 500, Math.floor(this.options.bufferLimit / 2))),
              });
        const release = this.options.bus.subscribe(roomId, (event) => {
          if (wanted !== null && !wanted.has(event.type)) return;
          if (catchUp === null) sink.push(event);
          else catchUp.onLive(event);
        });
        void catchUp?.run().catch((error: unknown) => sink.fail(error));
        return release;
      },
      subscribe.signal,
    );
  }
}

interface Position {
  seq: number;
  cursor: string;
}

interface CatchUpOptions {
  roomId: string;
  store: EventStore;
  sink: StreamSink<RoomEvent>;
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
    if (this.held.length >= this.options.limit) return this.options.sink.fail(new SlowConsumerError(this.options.limit));
    this.held.push(event);
  }

  async run(): Promise<void> {
    await this.checkCursorIsKnown();
    for (;;) {
      await this.replayStored();
      if (this.options.sink.closed) return;
      if (this.letGo) continue;
      await this.releaseHeld();
      if (this.options.sink.closed) return;
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
    const { store, roomId, types, pageSize, sink } = this.options;
    for (;;) {
      // History waits for a slow reader instead of overflowing its buffer.
      await sink.waitForRoom(this.roomBelow());
      if (sink.closed) return;
      this.letGo = false;
      const page = await store.listEvents(roomId, { first: pageSize, after: this.last.cursor, types });
      for (const event of page.events) this.deliver(event);
      if (!page.hasNextPage) return;
    }
  }

  private async releaseHeld(): Promise<void> {
    const { sink, pageSize } = this.options;
    while (this.held.length > 0) {
      await sink.waitForRoom(this.roomBelow());
      if (sink.closed || this.letGo) return;
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
    this.options.sink.push(event);
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
