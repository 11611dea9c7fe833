// The lifecycle every subscription shares: watch the rooms while someone listens, and let go of
// them, of the source and of the metrics the moment the subscriber leaves.
import type { RoomRef } from '../domain/ids.ts';
import type { SchemaContext } from './context.ts';
import { toCodedError } from './errors.ts';
import { loadRoom } from './loaders.ts';

/** room_ids as given; web_rids through the room loader (one upstream call each, deduplicated). */
export async function resolveRoomIds(context: SchemaContext, refs: readonly RoomRef[]): Promise<string[]> {
  return Promise.all(refs.map(async (ref) => (ref.kind === 'roomId' ? ref.roomId : (await loadRoom(context, ref)).id)));
}

const DONE: IteratorReturnResult<undefined> = { done: true, value: undefined };

/**
 * Watches `roomIds` and iterates the stream `open` returns. Ending it (return(), the source
 * finishing or failing) aborts the source's signal and releases every watch exactly once.
 * A return() while a next() is pending resolves that next() at once: an async generator would
 * hold the rooms until the source's next event.
 */
export function watchedStream<T>(
  context: SchemaContext,
  roomIds: readonly string[],
  open: (signal: AbortSignal) => AsyncIterable<T>,
): AsyncIterableIterator<T> {
  const controller = new AbortController();
  const releases = roomIds.map((roomId) => context.rooms.watch(roomId));
  for (const roomId of roomIds) context.observer?.subscriberJoined(roomId);
  let finished = false;
  const finish = (): void => {
    if (finished) return;
    finished = true;
    controller.abort();
    for (const release of releases) release();
    for (const roomId of roomIds) context.observer?.subscriberLeft(roomId);
  };
  const aborted = new Promise<IteratorResult<T>>((resolve) => {
    controller.signal.addEventListener('abort', () => resolve(DONE), { once: true });
  });

  let source: AsyncIterator<T>;
  try {
    source = open(controller.signal)[Symbol.asyncIterator]();
  } catch (error) {
    finish();
    throw toCodedError(error);
  }
  const closeSource = (): void => {
    // The source may be mid-next(); it ends on the aborted signal, so do not wait for it.
    Promise.resolve(source.return?.()).catch(() => undefined);
  };

  return {
    [Symbol.asyncIterator]() {
      return this;
    },
    async next() {
      if (finished) return DONE;
      try {
        const pending = source.next();
        // When the abort wins the race, a late failure of this next() has no one to tell.
        pending.catch(() => undefined);
        const result = await Promise.race([pending, aborted]);
        if (result.done) finish();
        return result;
      } catch (error) {
        finish();
        throw toCodedError(error);
      }
    },
    async return() {
      if (!finished) {
        finish();
        closeSource();
      }
      return DONE;
    },
    async throw(error?: unknown) {
      if (!finished) {
        finish();
        closeSource();
      }
      throw error;
    },
  };
}

/** Passes on only the events whose `type` is listed; everything when the list is null or empty. */
export async function* onlyTypes<T extends { type: string }>(
  source: AsyncIterable<T>,
  types: readonly string[] | null,
): AsyncGenerator<T> {
  const wanted = types !== null && types.length > 0 ? new Set(types) : null;
  for await (const item of source) {
    if (wanted === null || wanted.has(item.type)) yield item;
  }
}
