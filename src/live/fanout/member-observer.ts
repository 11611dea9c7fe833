// The schema reports subscribers per room (subscriberJoined / subscriberLeft) once per
// execution. A shared group is one execution for many subscribers, so the group's execution
// gets this observer instead: it passes each report on once per current member, and counts
// members that join or leave later against the rooms the execution holds, so the gauge still
// counts subscribers. Event lag is a per-event figure and is reported once per event.
import type { RoomEvent } from '../../domain/events.ts';
import type { SchemaObserver } from '../ports.ts';

export class MemberCountingObserver implements SchemaObserver {
  /** Rooms the execution has joined and not yet left (a room may appear more than once). */
  private readonly rooms: string[] = [];

  constructor(
    private readonly inner: SchemaObserver,
    private readonly members: () => number,
  ) {}

  subscriberJoined(roomId: string): void {
    this.rooms.push(roomId);
    for (let i = this.members(); i > 0; i -= 1) this.inner.subscriberJoined(roomId);
  }

  subscriberLeft(roomId: string): void {
    const index = this.rooms.indexOf(roomId);
    if (index < 0) return;
    this.rooms.splice(index, 1);
    for (let i = this.members(); i > 0; i -= 1) this.inner.subscriberLeft(roomId);
  }

  eventDelivered(event: RoomEvent): void {
    this.inner.eventDelivered(event);
  }

  /** Call after the member count has grown by one. */
  memberJoined(): void {
    for (const roomId of this.rooms) this.inner.subscriberJoined(roomId);
  }

  /** Call after the member count has shrunk by one. */
  memberLeft(): void {
    for (const roomId of this.rooms) this.inner.subscriberLeft(roomId);
  }
}
