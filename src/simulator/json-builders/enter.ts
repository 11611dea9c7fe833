// The body of GET /webcast/room/web/enter/ for a known web_rid.
import type { RoomModel } from '../room-model.ts';
import type { BuildContext } from './context.ts';
import { envelope } from './envelope.ts';
import { enterEndedRoomJson, enterLiveRoomJson } from './room.ts';
import { enterUserJson } from './user.ts';

const ROOM_STATUS_LIVE = 0;
const ROOM_STATUS_NOT_LIVE = 2;

export function enterBody(ctx: BuildContext, room: RoomModel) {
  const live = room.status === 'live';
  const data = {
    data: [live ? enterLiveRoomJson(ctx, room) : enterEndedRoomJson(room)],
    enter_room_id: room.roomId,
    ...(live ? { extra: { digg_color: '0', pay_scores: '0', is_official_channel: false, signature: '', vr_type: 0 } } : {}),
    user: enterUserJson(ctx, room.anchor),
    qrcode_url: '',
    enter_mode: 0,
    room_status: live ? ROOM_STATUS_LIVE : ROOM_STATUS_NOT_LIVE,
    partition_road_map: {},
    similar_rooms: [],
    shark_decision_conf: '',
    ...(live
      ? {
          web_stream_url: { flv_pull_url: {}, default_resolution: '', hls_pull_url_map: {}, hls_pull_url: '', stream_orientation: 0, pull_datas: {} },
          login_lead: { is_login: false, level: 0, items: {} },
        }
      : {}),
    auth_cert_info: '',
  };
  return envelope(data, ctx.nowMs);
}
