// roomStatus(roomIds): each room's current collector state first, then every change. Watching
// the rooms is what gives them a state; the schema's watchedStream holds that watch on each room
// before subscribing here, so this source only reads states.
import type { RoomSupervisor } from '../collectors/supervisor.ts';
import type { ConnectionState } from '../domain/events.ts';
import type { RoomStatus } from '../domain/model.ts';
import type { RoomStatusChange, RoomStatusSource } from './ports.ts';
import { boundedStream } from './stream.ts';

const STATUS_BY_STATE: Partial<Record<ConnectionState, RoomStatus>> = {
  LIVE: 'LIVE',
  STALLED: 'LIVE',
  RECONNECTING: 'LIVE',
  ENDED: 'ENDED',
};

export function statusOf(state: ConnectionState | null): RoomStatus | null {
  return state === null ? null : (STATUS_BY_STATE[state] ?? null);
}

export function createStatusChanges(supervisor: RoomSupervisor, now: () => number = Date.now): RoomStatusSource {
  return {
    subscribe(roomIds, signal) {
      const wanted = new Set(roomIds);
      return boundedStream<RoomStatusChange>(
        STATUS_BUFFER,
        (sink) => {
          const stopListening = supervisor.onStateChange((roomId, event) => {
            if (!wanted.has(roomId)) return;
            sink.push({ roomId, at: event.createdAt, connectionState: event.state, status: statusOf(event.state), reason: event.reason });
          });
          for (const roomId of wanted) {
            const state = supervisor.connectionState(roomId);
            sink.push({ roomId, at: now(), connectionState: state, status: statusOf(state), reason: null });
          }
          return stopListening;
        },
        signal,
      );
    },
  };
}

/** State changes are rare; a subscriber this far behind is not reading. */
const STATUS_BUFFER = 1_000;
