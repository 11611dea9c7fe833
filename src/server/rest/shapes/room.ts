// Domain LiveRoom / LiveStatus → Douyin's Room object and check_alive entries, as the vendor's
// info, feed and status routes return them.
import { roomStartMs } from '../../../domain/ids.ts';
import type { LiveRoom, LiveStatus, RoomStatus, StreamUrl } from '../../../domain/model.ts';
import { idLiteral, type VendorJson } from '../json.ts';
import { vendorImage, vendorUser } from './user.ts';

/** Room.status values (protocol §1.2). */
const STATUS_CODES: Record<RoomStatus, number> = { UNKNOWN: 0, PREPARING: 1, LIVE: 2, PAUSED: 3, ENDED: 4 };

/** Douyin's quality keys, best first; ORIGION (sic) is the source stream. */
const QUALITY_ORDER = ['ORIGION', 'FULL_HD1', 'HD1', 'SD1', 'SD2'];

function seconds(ms: number | null): number {
  return ms === null ? 0 : Math.floor(ms / 1000);
}

function urlsByQuality(urls: readonly StreamUrl[], protocol: StreamUrl['protocol']): Record<string, string> {
  const map: Record<string, string> = {};
  for (const stream of urls) if (stream.protocol === protocol && map[stream.quality] === undefined) map[stream.quality] = stream.url;
  return map;
}

function best(map: Record<string, string>): string {
  for (const quality of QUALITY_ORDER) if (map[quality] !== undefined) return map[quality];
  return Object.values(map)[0] ?? '';
}

function bestQuality(flv: Record<string, string>, hls: Record<string, string>): string {
  return QUALITY_ORDER.find((quality) => flv[quality] !== undefined || hls[quality] !== undefined) ?? Object.keys(flv)[0] ?? Object.keys(hls)[0] ?? '';
}

function vendorStreamUrl(urls: readonly StreamUrl[]): VendorJson {
  const flv = urlsByQuality(urls, 'FLV');
  const hls = urlsByQuality(urls, 'HLS');
  return {
    flv_pull_url: flv,
    hls_pull_url_map: hls,
    hls_pull_url: best(hls),
    rtmp_pull_url: best(flv),
    default_resolution: bestQuality(flv, hls),
  };
}

export function vendorRoom(room: LiveRoom): VendorJson {
  const id = idLiteral(room.id);
  const startedAt = room.startedAt ?? roomStartMs(room.id);
  return {
    id,
    id_str: room.id,
    status: STATUS_CODES[room.status],
    title: room.title,
    ...(room.owner === null ? {} : { owner: vendorUser(room.owner) }),
    owner_user_id: idLiteral(room.owner?.id),
    cover: vendorImage(room.cover),
    user_count: room.viewerCount ?? 0,
    like_count: room.likeCount ?? 0,
    // The high 32 bits of a room_id are the moment the broadcast was created (protocol §1.1).
    create_time: seconds(roomStartMs(room.id) ?? startedAt),
    start_time: seconds(startedAt),
    finish_time: seconds(room.finishedAt),
    has_commerce_goods: room.hasCommerceGoods,
    stats: {
      id,
      id_str: room.id,
      total_user: room.totalViewers ?? 0,
      like_count: room.likeCount ?? 0,
    },
    living_room_attrs: { room_id: id, room_id_str: room.id },
    stream_url: vendorStreamUrl(room.streamUrls),
  };
}

/** One entry per asked room, in the order asked; a room the upstream did not report is not alive. */
export function vendorStatusList(roomIds: readonly string[], statuses: readonly LiveStatus[]): VendorJson {
  const live = new Map(statuses.map((status) => [status.roomId, status.isLive]));
  return roomIds.map((roomId) => ({ alive: live.get(roomId) === true, room_id: idLiteral(roomId) }));
}
