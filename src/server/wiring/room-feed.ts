// The source behind roomEvents: with a resume cursor it replays stored history first and then
// continues live, with no gap and no duplicate at the seam; without one it is live only.
import type { EventBus } from '../../bus/event-bus.ts';
import type { RoomEvent, RoomEventType } from '../../domain/events.ts';
import type { EventStore } from '../../store/event-store.ts';
import { decodeCursor } from '../../store/cursor.ts';
import { StoreError } from '../../store/errors.ts';
import { EventQueue } from './event-queue.ts';

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
    const abort = () => queue.end();
    subscribe.signal?.addEventListener('abort', abort, { once: true });

    if (resumeFrom === null) {
      release = this.options.bus.subscribe(roomId, (event) => {
        if (wanted === null || wanted.has(event.type)) queue.push(event);
      });
      return queue;
    }
    // Live events that arrive while history is replayed wait here, then join after the seam.
    const held: RoomEvent[] = [];
    let replaying = true;
    let lastReplayed = resumeFrom;
    release = this.options.bus.subscribe(roomId, (event) => {
      if (wanted !== null && !wanted.has(event.type)) return;
      if (replaying) held.push(event);
      else if (sequenceOf(event) === null || (sequenceOf(event) as number) > lastReplayed) queue.push(event);
    });
    void this.replay(roomId, subscribe.after as string, subscribe.types ?? null, queue, (seq) => (lastReplayed = seq))
      .then(() => {
        replaying = false;
        for (const event of held) {
          const seq = sequenceOf(event);
          if (seq === null || seq > lastReplayed) queue.push(event);
        }
        held.length = 0;
      })
      .catch((error: unknown) => queue.fail(error));
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

  private async replay(
    roomId: string,
    after: string,
    types: readonly RoomEventType[] | null,
    queue: EventQueue<RoomEvent>,
    onReplayed: (seq: number) => void,
  ): Promise<void> {
    const store = this.options.store as EventStore;
    const pageSize = Math.max(1, Math.min(this.options.replayPageSize ?? 500, Math.floor(this.options.bufferLimit / 2)));
    let cursor: string | null = after;
    for (;;) {
      // History waits for a slow reader instead of overflowing its buffer.
      await queue.waitForRoom(this.options.bufferLimit - pageSize);
      if (queue.closed) return;
      const page = await store.listEvents(roomId, { first: pageSize, after: cursor, types });
      for (const event of page.events) {
        queue.push(event);
        const seq = sequenceOf(event);
        if (seq !== null) onReplayed(seq);
      }
      if (!page.hasNextPage || page.endCursor === null) return;
      cursor = page.endCursor;
    }
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
