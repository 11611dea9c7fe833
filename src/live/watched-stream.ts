// The lifecycle every subscription shares: watch the rooms while someone listens, and let go of
// them, of the source and of the subscriber counts the moment the subscriber leaves.
import { Repeater } from 'graphql-yoga';
import type { RoomWatcher, SchemaObserver } from './ports.ts';
import { forward, releasingOnReturn } from './stream.ts';

export interface WatchPorts {
  rooms: Pick<RoomWatcher, 'watch'>;
  observer?: SchemaObserver | null;
}

/**
 * Opens the stream (`open` throws at once for a request it refuses: then nothing is watched),
 * watches `roomIds` and iterates the stream. Ending it (return(), the source finishing or
 * failing) aborts the source's signal and releases every watch exactly once. A return() while
 * a next() is pending resolves that next() at once. Failures pass through `mapError`.
 */
export function watchedStream<T>(
  ports: WatchPorts,
  roomIds: readonly string[],
  open: (signal: AbortSignal) => AsyncIterable<T>,
  mapError: (error: unknown) => unknown = (error) => error,
): Repeater<T> {
  const controller = new AbortController();
  let iterator: AsyncIterator<T>;
  try {
    iterator = open(controller.signal)[Symbol.asyncIterator]();
  } catch (error) {
    throw mapError(error);
  }
  const releases = roomIds.map((roomId) => ports.rooms.watch(roomId));
  for (const roomId of roomIds) ports.observer?.subscriberJoined(roomId);
  let finished = false;
  const finish = (): void => {
    if (finished) return;
    finished = true;
    controller.abort();
    for (const release of releases) release();
    for (const roomId of roomIds) ports.observer?.subscriberLeft(roomId);
    // The source may be mid-next(); it ends on the aborted signal, so do not wait for it.
    Promise.resolve(iterator.return?.()).catch(() => undefined);
  };
  const stream = new Repeater<T>(async (push, stop) => {
    try {
      await forward(iterator, push, stop);
      stop();
    } catch (error) {
      stop(mapError(error));
    } finally {
      finish();
    }
  });
  return releasingOnReturn(stream, finish);
}
