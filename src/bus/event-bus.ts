// Fan-out of room events to subscribers. In-process by default; Redis when several gateway
// instances share rooms. Publishing never blocks on a slow subscriber.
import type { RoomEvent } from '../domain/events.ts';

export type Unsubscribe = () => void;

export interface EventBus {
  publish(roomId: string, event: RoomEvent): void;
  subscribe(roomId: string, handler: (event: RoomEvent) => void): Unsubscribe;
  /** False while the bus cannot deliver (Redis unreachable); the in-process bus is always up. */
  isUp(): boolean;
  /** Calls `listener` on every change of isUp(). */
  onAvailability(listener: (up: boolean) => void): Unsubscribe;
  close(): Promise<void>;
}
