// Supervisor → store → bus. Each event is published once its batch is stored, carrying its
// cursor, so a subscriber that reconnects can resume exactly after the last event it saw.
// Per room, events are published in the order they arrived whatever order batches commit in.
import type { EventBus } from '../bus/event-bus.ts';
import type { RoomEvent } from '../domain/events.ts';
import type { StoredEventRef } from '../store/event-store.ts';
import type { StoreError } from '../store/errors.ts';

export interface IngestTarget {
  enqueue(event: RoomEvent): Promise<StoredEventRef>;
}

export interface IngestOptions {
  bus: EventBus;
  /** Null when the gateway keeps no history: events go straight to the bus. */
  writer: IngestTarget | null;
  /** A store failure: the events still reach live subscribers, without a cursor. */
  onStoreError?: (error: StoreError, event: RoomEvent) => void;
  /** An event the store already had (redelivered after a restart): not published again. */
  onRedelivered?: (event: RoomEvent) => void;
  onPublished?: (roomId: string, event: RoomEvent) => void;
  /** Publishing threw (a bus or an onPublished bug): the event is skipped, the room carries on. */
  onPublishError?: (error: unknown, event: RoomEvent) => void;
}

type Outcome = { event: RoomEvent; publish: boolean; stored: boolean };

export class Ingest {
  private readonly tails = new Map<string, Promise<void>>();

  constructor(private readonly options: IngestOptions) {}

  /**
   * `afterStored` runs once these events are stored and published (not when storing failed): the
   * moment the upstream position they came from can be saved as the point to resume from.
   */
  accept(roomId: string, events: readonly RoomEvent[], afterStored?: () => void): void {
    const writer = this.options.writer;
    if (writer === null) {
      for (const event of events) this.publishSafely(roomId, event);
      return;
    }
    const outcomes = Promise.all(events.map((event) => this.store(writer, event)));
    const previous = this.tails.get(roomId) ?? Promise.resolve();
    // The chain never rejects: one failed publication must not stall the room or go unhandled.
    const tail = previous.then(() => outcomes).then((results) => {
      for (const { event, publish } of results) if (publish) this.publishSafely(roomId, event);
      if (afterStored !== undefined && results.every((result) => result.stored)) callSafely(afterStored);
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

  private async store(writer: IngestTarget, event: RoomEvent): Promise<Outcome> {
    try {
      const ref = await writer.enqueue(event);
      if (!ref.isNew) {
        callSafely(() => this.options.onRedelivered?.(event));
        return { event, publish: false, stored: true };
      }
      return { event: { ...event, cursor: ref.cursor }, publish: true, stored: true };
    } catch (error) {
      callSafely(() => this.options.onStoreError?.(error as StoreError, event));
      return { event, publish: true, stored: false };
    }
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

/** An observer's own bug must not reject the room's chain, which would stall every later event. */
function callSafely(callback: () => void): void {
  try {
    callback();
  } catch {
    // Nothing to report to: the observer is what failed.
  }
}
