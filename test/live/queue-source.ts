// A room event source of real bounded live streams (src/live/stream.ts), one per subscription,
// that the test pushes into, fails, and counts.
import type { RoomEvent } from '../../src/domain/events.ts';
import type { RoomEventSource, RoomEventSubscription } from '../../src/live/ports.ts';
import { boundedStream, type StreamSink } from '../../src/live/stream.ts';

export class QueueSource implements RoomEventSource {
  readonly queues: StreamSink<RoomEvent>[] = [];

  constructor(private readonly limit = 100) {}

  subscribe(_roomId: string, options: RoomEventSubscription): AsyncIterable<RoomEvent> {
    return boundedStream<RoomEvent>(
      this.limit,
      (sink) => {
        this.queues.push(sink);
        return () => undefined;
      },
      options.signal,
    );
  }

  /** Pushes synchronously, so a subscriber cannot drain in between: n > limit + 1 overflows it. */
  emit(events: RoomEvent | RoomEvent[]): void {
    for (const event of Array.isArray(events) ? events : [events]) for (const queue of this.queues) queue.push(event);
  }

  open(): number {
    return this.queues.filter((queue) => !queue.closed).length;
  }
}
