// Supervisor → store → bus. Each event is published once its batch is stored, carrying its
// cursor, so a subscriber that reconnects can resume exactly after the last event it saw.
// Per room, events are published in the order they arrived whatever order batches commit in.
// What the store did not take is never published: the writer waits out an unreachable store,
// and events it refused for good leave a StreamGapEvent in history (from, to, reason) instead.
import { callSafely } from '../call-safely.ts';
import type { EventBus } from '../bus/event-bus.ts';
import { streamGap, type RoomEvent } from '../domain/events.ts';
import type { StoredEventRef } from '../store/event-store.ts';
import type { StoreError } from '../store/errors.ts';

export interface IngestTarget {
  /** `retried`: the write took more than one attempt, so an event found already stored may be ours. */
  enqueue(event: RoomEvent, epoch?: number | null): Promise<StoredEventRef & { retried?: boolean }>;
}

export interface IngestOptions {
  bus: EventBus;
  /** Null when the gateway keeps no history: events go straight to the bus. */
  writer: IngestTarget | null;
  /**
   * An event the store did not take. A malformed one (BAD_EVENT) can never be stored and still
   * reaches live subscribers without a cursor; any other is not published, and a gap marks it.
   */
  onStoreError?: (error: StoreError, event: RoomEvent) => void;
  /** An event the store already had (redelivered after a restart): not published again. */
  onRedelivered?: (event: RoomEvent) => void;
  onPublished?: (roomId: string, event: RoomEvent) => void;
  /** Publishing threw (a bus or an onPublished bug): the event is skipped, the room carries on. */
  onPublishError?: (error: unknown, event: RoomEvent) => void;
  /**
   * The store refused these events because their lease epoch is stale: another instance owns the
   * room and collects (and stores) them itself, so they are neither published nor a gap.
   */
  onFenced?: (roomId: string, epoch: number) => void;
}

type Outcome = { event: RoomEvent; publish: boolean; stored: boolean; lost?: StoreError; fenced?: boolean };

export class Ingest {
  private readonly tails = new Map<string, Promise<void>>();
  /**
   * Rooms that lost events with no stored gap to say so. Their upstream position is not saved
   * again in this process: a later save would move it past the loss, and the next collector of
   * the room (after a restart or a takeover) could then never fetch those events again.
   */
  private readonly unmarkedLoss = new Set<string>();

  constructor(private readonly options: IngestOptions) {}

  /**
   * `afterStored` runs once these events are stored and published (not when storing failed): the
   * moment the upstream position they came from can be saved as the point to resume from.
   */
  accept(roomId: string, events: readonly RoomEvent[], afterStored?: () => void, epoch: number | null = null): void {
    const writer = this.options.writer;
    if (writer === null) {
      for (const event of events) this.publishSafely(roomId, event);
      return;
    }
    const outcomes = Promise.all(events.map((event) => this.store(writer, event, epoch)));
    const previous = this.tails.get(roomId) ?? Promise.resolve();
    // The chain never rejects: one failed publication must not stall the room or go unhandled.
    const tail = previous.then(() => outcomes).then(async (results) => {
      for (const { event, publish } of results) if (publish) this.publishSafely(roomId, event);
      if (epoch !== null && results.some((result) => result.fenced)) callSafely(() => this.options.onFenced?.(roomId, epoch));
      const lost = results.filter((result) => result.lost !== undefined);
      if (lost.length > 0) await this.markLost(writer, roomId, lost, epoch);
      if (afterStored !== undefined && results.every((result) => result.stored) && !this.unmarkedLoss.has(roomId)) callSafely(afterStored);
    });
    this.tails.set(roomId, tail);
    void tail.finally(() => {
      if (this.tails.get(roomId) === tail) this.tails.delete(roomId);
    });
  }

  /**
   * Publishes without storing, in order with what was accepted before: for gateway events of a
   * room not known to exist, which must leave no history (and so carry no cursor).
   */
  announce(roomId: string, events: readonly RoomEvent[]): void {
    const previous = this.tails.get(roomId);
    if (previous === undefined) {
      for (const event of events) this.publishSafely(roomId, event);
      return;
    }
    const tail = previous.then(() => {
      for (const event of events) this.publishSafely(roomId, event);
    });
    this.tails.set(roomId, tail);
    void tail.finally(() => {
      if (this.tails.get(roomId) === tail) this.tails.delete(roomId);
    });
  }

  /** Resolves once everything accepted so far has been stored and published. */
  async settled(): Promise<void> {
    await Promise.all([...this.tails.values()]);
  }

  private async store(writer: IngestTarget, event: RoomEvent, epoch: number | null): Promise<Outcome> {
    try {
      const ref = await writer.enqueue(event, epoch);
      if (!ref.isNew && ref.retried !== true) {
        callSafely(() => this.options.onRedelivered?.(event));
        return { event, publish: false, stored: true };
      }
      return { event: { ...event, cursor: ref.cursor }, publish: true, stored: true };
    } catch (error) {
      const failure = error as StoreError;
      if (failure.code === 'FENCED') return { event, publish: false, stored: false, fenced: true };
      callSafely(() => this.options.onStoreError?.(failure, event));
      if (failure.code === 'BAD_EVENT') return { event, publish: true, stored: false };
      return { event, publish: false, stored: false, lost: failure };
    }
  }

  /**
   * Stores a gap over events the store refused, so a client resuming through this stretch
   * learns of the hole; published like any stored event. If even the gap cannot be stored, the
   * room's resume point stops moving, so the next start fetches them again.
   */
  private async markLost(writer: IngestTarget, roomId: string, lost: readonly Outcome[], epoch: number | null): Promise<void> {
    const times = lost.map((outcome) => outcome.event.createdAt);
    const from = Math.min(...times);
    const to = Math.max(...times);
    const gap = streamGap({
      id: `gap:store:${roomId}:${to}:${lost[0]?.event.id ?? ''}`,
      roomId,
      createdAt: to,
      from,
      to,
      reason: `the store refused ${lost.length} event(s): ${lost[0]?.lost?.message ?? 'unknown error'}`,
    });
    const outcome = await this.store(writer, gap, epoch);
    if (outcome.publish && outcome.stored) this.publishSafely(roomId, outcome.event);
    else if (outcome.fenced !== true) this.unmarkedLoss.add(roomId);
  }

  private publish(roomId: string, event: RoomEvent): void {
    this.options.bus.publish(roomId, event);
    this.options.onPublished?.(roomId, event);
  }

  private publishSafely(roomId: string, event: RoomEvent): void {
    try {
      this.publish(roomId, event);
    } catch (error) {
      callSafely(() => this.options.onPublishError?.(error, event));
    }
  }
}

