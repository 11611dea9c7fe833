// roomStatus(roomIds): each room's current collector state first, then every change. Watching
// the rooms is what gives them a state; the schema's watchedStream holds that watch on each room
// before subscribing here, so this source only reads states.
import type { RoomSupervisor } from '../../collectors/supervisor.ts';
import type { ConnectionState } from '../../domain/events.ts';
import type { RoomStatus } from '../../domain/model.ts';
import type { RoomStatusChange, RoomStatusSource } from '../../schema/context.ts';
import { EventQueue } from './event-queue.ts';

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
      let stopListening = () => {};
      const queue = new EventQueue<RoomStatusChange>(1_000, () => stopListening());
      stopListening = supervisor.onStateChange((roomId, event) => {
        if (!wanted.has(roomId)) return;
        queue.push({ roomId, at: event.createdAt, connectionState: event.state, status: statusOf(event.state), reason: event.reason });
      });
      for (const roomId of wanted) {
        const state = supervisor.connectionState(roomId);
        queue.push({ roomId, at: now(), connectionState: state, status: statusOf(state), reason: null });
      }
      if (signal.aborted) queue.end();
      else signal.addEventListener('abort', () => queue.end(), { once: true });
      return queue;
    },
  };
}
