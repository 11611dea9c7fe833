// The body of GET /webcast/room/check_alive/: one {alive, room_id} per asked id, in order.
// room_id is a bare number as in the vendor's sample; room_id_str carries the exact digits.
import { bareId } from '../json.ts';
import { envelope } from './envelope.ts';

export function checkAliveBody(nowMs: number, roomIds: readonly string[], isAlive: (roomId: string) => boolean) {
  return envelope(
    roomIds.map((roomId) => ({ alive: isAlive(roomId), room_id: bareId(roomId), room_id_str: roomId })),
    nowMs,
  );
}
