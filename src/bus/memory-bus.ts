// The default bus: one process, synchronous fan-out. A handler that throws is isolated so one
// broken subscriber never stops delivery to the others.
import type { RoomEvent } from '../domain/events.ts';
import type { EventBus, Unsubscribe } from './event-bus.ts';

export class MemoryEventBus implements EventBus {
  private readonly rooms = new Map<string, Set<(event: RoomEvent) => void>>();

  constructor(private readonly onHandlerError: (error: unknown) => void = () => {}) {}

  publish(roomId: string, event: RoomEvent): void {
    const handlers = this.rooms.get(roomId);
    if (handlers === undefined) return;
    for (const handler of handlers) {
      try {
        handler(event);
      } catch (error) {
        this.onHandlerError(error);
      }
    }
  }

  subscribe(roomId: string, handler: (event: RoomEvent) => void): Unsubscribe {
    let handlers = this.rooms.get(roomId);
    if (handlers === undefined) {
      handlers = new Set();
      this.rooms.set(roomId, handlers);
    }
    // A wrapper makes each subscription distinct even when one handler subscribes twice.
    const entry = (event: RoomEvent) => handler(event);
    handlers.add(entry);
    return () => {
      handlers.delete(entry);
      if (handlers.size === 0 && this.rooms.get(roomId) === handlers) this.rooms.delete(roomId);
    };
  }

  isUp(): boolean {
    return true;
  }

  /** Nothing to report: an in-process bus never goes down. */
  onAvailability(): Unsubscribe {
    return () => undefined;
  }

  subscriberCount(roomId: string): number {
    return this.rooms.get(roomId)?.size ?? 0;
  }

  async close(): Promise<void> {
    this.rooms.clear();
  }
}
