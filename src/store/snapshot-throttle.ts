// Folds the figures events report into one running state per room and decides when that state
// is worth a snapshot: at most one per room per interval of event time, plus the last state
// when asked (on close). Event time, not the wall clock, so replayed history samples the same way.
import type { RoomEvent } from '../domain/events.ts';
import { snapshotFigures } from './derive.ts';
import type { SnapshotInput } from './event-store.ts';

export interface DueSnapshot {
  roomId: string;
  snapshot: SnapshotInput;
  /** The lease epoch of the newest event folded in: the snapshot is written under it. */
  epoch: number | null;
}

interface RoomFigures {
  state: SnapshotInput;
  epoch: number | null;
  dirty: boolean;
  lastSavedAt: number | null;
}

export class SnapshotThrottle {
  private readonly rooms = new Map<string, RoomFigures>();

  constructor(private readonly intervalMs: number) {}

  observe(event: RoomEvent, epoch: number | null = null): void {
    const figures = snapshotFigures(event);
    if (figures === null) return;
    const room = this.rooms.get(event.roomId) ?? {
      state: { at: event.createdAt, viewerCount: null, totalViewers: null, likeCount: null, status: null },
      dirty: false,
      lastSavedAt: null,
      epoch,
    };
    room.state = { ...room.state, ...figures, at: Math.max(room.state.at, event.createdAt) };
    room.dirty = true;
    room.epoch = epoch;
    this.rooms.set(event.roomId, room);
  }

  /** Rooms whose state changed and whose last snapshot is at least one interval old; marks them saved. */
  takeDue(): DueSnapshot[] {
    return this.take((room) => room.lastSavedAt === null || room.state.at - room.lastSavedAt >= this.intervalMs);
  }

  /** Every room whose state changed since its last snapshot; marks them saved. */
  takeAll(): DueSnapshot[] {
    return this.take(() => true);
  }

  private take(isDue: (room: RoomFigures) => boolean): DueSnapshot[] {
    const due: DueSnapshot[] = [];
    for (const [roomId, room] of this.rooms) {
      if (!room.dirty || !isDue(room)) continue;
      room.dirty = false;
      room.lastSavedAt = room.state.at;
      due.push({ roomId, snapshot: { ...room.state }, epoch: room.epoch });
    }
    return due;
  }
}
