// The body of GET /webcast/feed/: `data[]` of {type, data: Room}. Douyin's feed is a fresh
// random sample on every call, so callers pass rooms in the order to show.
import type { RoomModel } from '../room-model.ts';
import type { BuildContext } from './context.ts';
import { envelope } from './envelope.ts';
import { fullRoomJson } from './room.ts';

export function feedBody(ctx: BuildContext, rooms: readonly RoomModel[]) {
  return envelope(
    rooms.map((room) => ({ type: 0, rid: room.roomId, data: fullRoomJson(ctx, room) })),
    ctx.nowMs,
  );
}
