// The source behind roomEvents: with a resume cursor it replays stored history first and then
// continues live, with no gap and no duplicate at the seam; without one it is live only. Either
// way each subscriber gets the room's events in the store's sequence order (in-order.ts). The
// resume cursor is checked and the type filter applied here, once, for every transport.
import type { EventBus } from '../bus/event-bus.ts';
import type { RoomEvent, RoomEventType } from '../domain/events.ts';
import type { EventStore } from '../store/event-store.ts';
import { InOrder, type HoleObserver } from './in-order.ts';
import { resumeSequence } from './resume-cursor.ts';
import { boundedStream, type BoundedStream } from './stream.ts';

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
  /** How long a later event waits for a missing earlier one before the store is read. */
  holeFillMs?: number;
  observer?: HoleObserver;
}

/** The default wait for a missing event before it is read from the store (HOLE_FILL_MS). */
export const DEFAULT_HOLE_FILL_MS = 500;

export class RoomFeed {
  constructor(private readonly options: RoomFeedOptions) {}

  /** Throws at once (BAD_CURSOR, HISTORY_DISABLED) for a cursor it cannot resume from. */
  subscribe(roomId: string, subscribe: RoomFeedSubscribeOptions = {}): BoundedStream<RoomEvent> {
    const types = subscribe.types && subscribe.types.length > 0 ? subscribe.types : null;
    const after = subscribe.after ?? null;
    const resumeFrom = after === null ? null : resumeSequence(roomId, after, this.options.store !== null);
    const { store, bufferLimit } = this.options;
    return boundedStream<RoomEvent>(
      bufferLimit,
      (sink) => {
        if (store === null) {
          // No history, so no order to restore: what the bus brings goes straight through.
          const wanted = types === null ? null : new Set(types);
          return this.options.bus.subscribe(roomId, (event) => {
            if (wanted === null || wanted.has(event.type)) sink.push(event);
          });
        }
        const inOrder = new InOrder({
          roomId,
          store,
          sink,
          types,
          after: resumeFrom,
          limit: bufferLimit,
          pageSize: Math.max(1, Math.min(this.options.replayPageSize ?? 500, Math.floor(bufferLimit / 2))),
          holeFillMs: this.options.holeFillMs ?? DEFAULT_HOLE_FILL_MS,
          ...(this.options.observer ? { observer: this.options.observer } : {}),
        });
        const release = this.options.bus.subscribe(roomId, (event) => inOrder.onLive(event));
        inOrder.start();
        return () => {
          release();
          inOrder.stop();
        };
      },
      subscribe.signal,
    );
  }
}
