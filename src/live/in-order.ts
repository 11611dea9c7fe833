// One subscriber's events in the store's sequence order. The bus may hand events over out of
// order (two instances publishing one room), twice (the store poll and the bus both), or not at
// all (Redis dropped a message, an instance blinked before publishing): an event is delivered
// only right after its predecessor. A later one is held; if the hole is not filled by the bus
// within `holeFillMs`, it is read from the store, which has every event that got a sequence.
// Only what the store no longer has becomes a StreamGapEvent. A resume replays the store the
// same way before the first live event is let through.
import { streamGap, type RoomEvent, type RoomEventType } from '../domain/events.ts';
import { decodeCursor, encodeCursor } from '../store/cursor.ts';
import type { EventStore } from '../store/event-store.ts';
import { StoreError } from '../store/errors.ts';
import type { StreamSink } from './stream.ts';

/** What the live layer reports about holes, for metrics. */
export interface HoleObserver {
  /** Events read from the store because the bus had not brought them in time. */
  holeFilled(roomId: string, events: number): void;
  /** A StreamGapEvent was delivered for sequences the store no longer has. */
  gapEmitted(roomId: string): void;
}

export interface InOrderOptions {
  roomId: string;
  store: EventStore;
  sink: StreamSink<RoomEvent>;
  types: readonly RoomEventType[] | null;
  /** Resume after this sequence (replaying the store first); null: start at the first live event. */
  after: number | null;
  /** Live events held while a hole is open or the store is read; past it they are let go and re-read. */
  limit: number;
  pageSize: number;
  holeFillMs: number;
  observer?: HoleObserver;
}

export class InOrder {
  /** Every sequence up to this one was delivered, filtered out, or read past in the store. */
  private covered: number | null;
  private readonly held = new Map<number, RoomEvent>();
  private readonly wanted: ReadonlySet<RoomEventType> | null;
  private reading = false;
  /** Live events were let go during a store read: the read must go on until it has them. */
  private letGo = false;
  private holeTimer: NodeJS.Timeout | null = null;

  constructor(private readonly options: InOrderOptions) {
    this.covered = options.after;
    this.wanted = options.types === null ? null : new Set(options.types);
  }

  /** Starts the replay of a resume; a no-op for a live-only subscriber. */
  start(): void {
    if (this.covered === null) return;
    void this.readStore(true);
  }

  /** For a live-only stream: where the store stood when it began, if no event came first. */
  startAfter(seq: number): void {
    if (this.covered === null) this.covered = seq;
  }

  stop(): void {
    this.clearHoleTimer();
    this.held.clear();
  }

  onLive(event: RoomEvent): void {
    const seq = sequenceOf(event);
    // Never stored (the store failed): it has no place in the order, so it passes at once.
    if (seq === null) return this.deliverFiltered(event);
    if (this.covered === null) this.covered = seq - 1;
    if (seq <= this.covered) return;
    if (!this.reading && seq === this.covered + 1) {
      this.accept(seq, event);
      this.releaseHeld();
      return;
    }
    this.hold(seq, event);
  }

  private hold(seq: number, event: RoomEvent): void {
    if (this.held.size >= this.options.limit) {
      // Every held event is stored: let them go and read them back rather than grow memory.
      this.held.clear();
      this.letGo = true;
      if (!this.reading) void this.readStore(false);
      return;
    }
    this.held.set(seq, event);
    if (!this.reading) this.armHoleTimer();
  }

  private armHoleTimer(): void {
    if (this.holeTimer !== null) return;
    this.holeTimer = setTimeout(() => {
      this.holeTimer = null;
      if (!this.reading && this.held.size > 0) void this.readStore(false);
    }, this.options.holeFillMs);
    this.holeTimer.unref?.();
  }

  private clearHoleTimer(): void {
    if (this.holeTimer === null) return;
    clearTimeout(this.holeTimer);
    this.holeTimer = null;
  }

  /** Delivers what is held right after `covered`; a hole that stays open gets its timer. */
  private releaseHeld(): void {
    for (let next = this.held.get((this.covered as number) + 1); next !== undefined; next = this.held.get((this.covered as number) + 1)) {
      const seq = (this.covered as number) + 1;
      this.held.delete(seq);
      this.accept(seq, next);
      if (this.options.sink.closed) return;
    }
    if (this.held.size === 0) this.clearHoleTimer();
    else this.armHoleTimer();
  }

  private async readStore(resuming: boolean): Promise<void> {
    this.reading = true;
    this.clearHoleTimer();
    try {
      if (resuming) await this.checkCursorIsKnown();
      let filled = 0;
      do {
        this.letGo = false;
        filled += await this.readPages();
        if (this.options.sink.closed) return;
        this.dropHeldUpToCovered();
      } while (this.letGo);
      if (!resuming && filled > 0) this.options.observer?.holeFilled(this.options.roomId, filled);
      this.reading = false;
      // A hole still open here opened during the read (its events came after the head was
      // read): it gets its own wait for the bus.
      this.releaseHeld();
    } catch (error) {
      this.options.sink.fail(error);
    } finally {
      this.reading = false;
    }
  }

  /** Reads the store after `covered` up to its head; returns how many it delivered that the bus had not brought. */
  private async readPages(): Promise<number> {
    const { store, roomId, types, pageSize, sink } = this.options;
    // Sequences commit in order, so a page that ends below the head read first covers to it.
    const head = await this.headSequence();
    let delivered = 0;
    for (;;) {
      // History waits for a slow reader instead of overflowing its buffer.
      await sink.waitUntilFewerThan(this.pageFitsBelow());
      if (sink.closed) return delivered;
      const covered = this.covered as number;
      const page = await store.listEvents(roomId, { first: pageSize, after: covered > 0 ? encodeCursor(roomId, covered) : null, types });
      if (sink.closed) return delivered;
      for (const event of page.events) {
        const seq = sequenceOf(event);
        if (seq === null || seq <= (this.covered as number)) continue;
        if (types === null && seq > (this.covered as number) + 1) this.gap((this.covered as number) + 1, seq - 1, event.createdAt);
        // What was held came over the bus: only the rest filled a hole.
        if (!this.held.delete(seq)) delivered += 1;
        this.accept(seq, event);
      }
      if (!page.hasNextPage) break;
    }
    this.covered = Math.max(this.covered as number, head);
    return delivered;
  }

  private async headSequence(): Promise<number> {
    const latest = await this.options.store.latestCursor(this.options.roomId);
    return latest === null ? 0 : decodeCursor(latest).seq;
  }

  /** A cursor past the newest stored event (a reset store) would silently swallow live events. */
  private async checkCursorIsKnown(): Promise<void> {
    const head = await this.headSequence();
    if (head < (this.covered as number)) {
      throw new StoreError('BAD_CURSOR', 'the cursor is ahead of the stored history (was the store reset?); subscribe without it');
    }
  }

  private dropHeldUpToCovered(): void {
    for (const seq of this.held.keys()) if (seq <= (this.covered as number)) this.held.delete(seq);
  }

  private gap(fromSeq: number, toSeq: number, resumedAt: number): void {
    const { roomId, sink, observer } = this.options;
    const event = streamGap({
      id: `gap:${roomId}:${fromSeq}-${toSeq}`,
      roomId,
      createdAt: resumedAt,
      from: resumedAt,
      to: resumedAt,
      reason: `events ${fromSeq}..${toSeq} of this room are no longer in the store`,
    });
    // Whatever the type filter: the subscriber must learn that it missed something.
    sink.push(event);
    observer?.gapEmitted(roomId);
    this.covered = toSeq;
  }

  private accept(seq: number, event: RoomEvent): void {
    this.covered = seq;
    this.deliverFiltered(event);
  }

  private deliverFiltered(event: RoomEvent): void {
    if (this.wanted !== null && !this.wanted.has(event.type)) return;
    this.options.sink.push(event);
  }

  /** The queue length under which one more page read from the store fits in the subscriber's buffer. */
  private pageFitsBelow(): number {
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
