// The body of GET /webcast/room/reflow/info/: the full room plus the (anonymous) visitor.
import type { RoomModel } from '../room-model.ts';
import type { BuildContext } from './context.ts';
import { envelope } from './envelope.ts';
import { fullRoomJson } from './room.ts';

/** The visitor: anonymous, so every field is empty, as in the capture. */
const ANONYMOUS_USER = {
  id: 0,
  short_id: 0,
  nickname: '',
  gender: 0,
  signature: '',
  level: 0,
  verified: false,
  sec_uid: '',
  web_rid: '',
  id_str: '',
  display_id: '',
  badge_image_list: [],
  top_fans: [],
  user_open_id: '',
};

export function reflowBody(ctx: BuildContext, room: RoomModel) {
  return envelope({ room: fullRoomJson(ctx, room), user: ANONYMOUS_USER }, ctx.nowMs);
}
