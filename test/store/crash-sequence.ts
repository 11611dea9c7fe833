// The deterministic event sequence the crash test writes: the same index always yields the same
// event, so the parent can re-append exactly what the killed child was writing.
import type { RoomEvent } from '../../src/domain/events.ts';
import { ROCKET, ROSE, T0, chat, gift, like, user } from './fixtures.ts';

export function crashEvent(roomId: string, index: number): RoomEvent {
  const at = T0 + index * 10;
  const who = user(String(5_000_000 + (index % 37)));
  switch (index % 5) {
    case 0:
      return like(roomId, `crash-${index}`, at, 3, 3 * index, who);
    case 1:
      return gift(roomId, `crash-${index}`, at, { gift: index % 2 === 0 ? ROCKET : ROSE, deltaCount: 1 + (index % 4), totalCount: 1 + (index % 4), who });
    default:
      return chat(roomId, `crash-${index}`, at, `message ${index}`, who);
  }
}

export function crashSequence(roomId: string, count: number): RoomEvent[] {
  return Array.from({ length: count }, (_, i) => crashEvent(roomId, i));
}
