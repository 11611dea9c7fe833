// /douyin/liveroom/info, /status and /feed: rooms and their live status.
import { douyinBody } from '../envelope.ts';
import { requireRoomIdList, requireRoomRef } from '../params.ts';
import { vendorRoom, vendorStatusList } from '../shapes/room.ts';
import { overDomain, parseVendorJson, type VendorJson } from '../json.ts';
import type { Route } from './route.ts';
import type { DouyinAnswers } from '../../../collectors/douyin-api.ts';

type Fields = { readonly [key: string]: VendorJson | undefined };

/** reflow's `data.room`, the room as Douyin sent it; undefined when the body has none. */
function reflowRoom(json: string): { room: VendorJson | undefined; envelope: Fields } {
  const body = parseVendorJson(json) as Fields;
  const data = body.data as Fields | undefined;
  return { room: typeof data === 'object' && data !== null ? data.room : undefined, envelope: body };
}

/** enter's `data.data[0]`, the room as the web page gets it; undefined when the body has none. */
function enterRoom(json: string | null): VendorJson | undefined {
  if (json === null) return undefined;
  const data = (parseVendorJson(json) as Fields).data as Fields | undefined;
  const rooms = typeof data === 'object' && data !== null ? data.data : undefined;
  return Array.isArray(rooms) ? (rooms[0] as VendorJson | undefined) : undefined;
}

/** reflow's room over the domain shape, Douyin's envelope kept. */
async function infoByRoomId(answers: DouyinAnswers, roomId: string, now: number, under?: VendorJson): Promise<VendorJson> {
  const { value, json } = await answers.roomByRoomId(roomId);
  const domain = douyinBody(vendorRoom(value), now);
  if (json === null) return under === undefined ? domain : overDomain(domain, { data: under });
  const { room, envelope } = reflowRoom(json);
  return overDomain(domain, { data: under === undefined ? room : overDomain(under, room), extra: envelope.extra, status_code: envelope.status_code });
}

export const roomInfoRoute: Route = {
  method: 'GET',
  envelope: 'liveroom',
  async run({ params, douyin, now }) {
    const ref = requireRoomRef(params);
    if (douyin.answers !== undefined) {
      if (ref.kind === 'roomId') return infoByRoomId(douyin.answers, ref.roomId, now);
      // enter knows the anchor's current broadcast but sends a slimmer room: the full room is
      // reflow's, with enter's keys kept beneath it (two calls; the cache shares them with GraphQL).
      const entered = await douyin.answers.roomByWebRid(ref.webRid);
      return infoByRoomId(douyin.answers, entered.value.id, now, enterRoom(entered.json));
    }
    const room = ref.kind === 'roomId' ? await douyin.roomByRoomId(ref.roomId) : await douyin.roomByWebRid(ref.webRid);
    return douyinBody(vendorRoom(room), now);
  },
};

export const roomStatusRoute: Route = {
  method: 'GET',
  envelope: 'liveroom',
  async run({ params, douyin, now }) {
    const roomIds = requireRoomIdList(params);
    const statuses = await douyin.liveStatus(roomIds);
    return douyinBody(vendorStatusList(roomIds, statuses), now);
  },
};

/** The feed's rooms as Douyin sent them: its `data[]` items carry the room in their own `data`. */
function feedRooms(json: string): { rooms: VendorJson[]; envelope: Fields } {
  const envelope = parseVendorJson(json) as Fields;
  const items = Array.isArray(envelope.data) ? (envelope.data as VendorJson[]) : [];
  const rooms = items.flatMap((item) => {
    const room = typeof item === 'object' && item !== null && !Array.isArray(item) ? (item as Fields).data : undefined;
    return room === undefined || room === null ? [] : [room];
  });
  return { rooms, envelope };
}

export const feedRoute: Route = {
  method: 'GET',
  envelope: 'liveroom',
  async run({ douyin, now }) {
    if (douyin.answers === undefined) return douyinBody((await douyin.feed()).map(vendorRoom), now);
    const { value, json } = await douyin.answers.feed();
    const domain = value.map(vendorRoom);
    if (json === null) return douyinBody(domain, now);
    const { rooms, envelope } = feedRooms(json);
    // The vendor lists rooms, not Douyin's {type, data} items; rooms are matched by position, as
    // the mapper keeps Douyin's order.
    const merged = rooms.length === domain.length ? rooms.map((room, i) => overDomain(domain[i]!, room)) : domain;
    return { data: merged, extra: envelope.extra ?? { now }, status_code: envelope.status_code ?? 0 };
  },
};
