// Bounded room_id label values for per-room metrics. Every made-up room id a client subscribes to
// would otherwise leave a series behind for as long as the process runs: a room's series exists
// only while it has subscribers, and at most `maxRooms` rooms have their own; the others are
// counted together under room_id="_other".

export const OTHER_ROOMS = '_other';

export interface LabelChange {
  label: string;
  /** The label has no subscribers left: its series can be removed. */
  emptied: boolean;
}

export class RoomLabels {
  private readonly rooms = new Map<string, { label: string; count: number }>();
  private readonly totals = new Map<string, number>();
  private ownLabels = 0;

  constructor(readonly maxRooms: number) {}

  join(roomId: string): string {
    let room = this.rooms.get(roomId);
    if (room === undefined) {
      const own = this.ownLabels < this.maxRooms && roomId !== OTHER_ROOMS;
      if (own) this.ownLabels += 1;
      room = { label: own ? roomId : OTHER_ROOMS, count: 0 };
      this.rooms.set(roomId, room);
    }
    room.count += 1;
    this.totals.set(room.label, (this.totals.get(room.label) ?? 0) + 1);
    return room.label;
  }

  /** Null for a room that has no subscriber counted (a leave without a join). */
  leave(roomId: string): LabelChange | null {
    const room = this.rooms.get(roomId);
    if (room === undefined) return null;
    room.count -= 1;
    if (room.count === 0) {
      this.rooms.delete(roomId);
      if (room.label !== OTHER_ROOMS) this.ownLabels -= 1;
    }
    const total = (this.totals.get(room.label) ?? 1) - 1;
    if (total === 0) this.totals.delete(room.label);
    else this.totals.set(room.label, total);
    return { label: room.label, emptied: total === 0 };
  }

  /** Labels in use now, for tests and /metrics sanity. */
  get labels(): number {
    return this.totals.size;
  }
}
