// /douyin/liveroom/info, /status and /feed: rooms and their live status.
import { douyinBody } from '../envelope.ts';
import { requireRoomIdList, requireRoomRef } from '../params.ts';
import { vendorRoom, vendorStatusList } from '../shapes/room.ts';
import { overDomain, parseVendorJson, type VendorJson } from '../json.ts';
import type { Route } from './route.ts';

type Fields = { readonly [key: string]: VendorJson | undefined };

/** reflow's `data.room`, the room as Douyin sent it; undefined when the body has none. */
function reflowRoom(json: string): { room: VendorJson | undefined; envelope: Fields } {
  const body = parseVendorJson(json) as Fields;
  const data = body.data as Fields | undefined;
  return { room: typeof data === 'object' && data !== null ? data.room : undefined, envelope: body };
}

export const roomInfoRoute: Route = {
  method: 'GET',
  envelope: 'liveroom',
  async run({ params, douyin, now }) {
    const ref = requireRoomRef(params);
    if (ref.kind === 'roomId' && douyin.answers !== undefined) {
      const { value, json } = await douyin.answers.roomByRoomId(ref.roomId);
      const domain = douyinBody(vendorRoom(value), now);
      if (json === null) return domain;
      const { room, envelope } = reflowRoom(json);
      return overDomain(domain, { data: room, extra: envelope.extra, status_code: envelope.status_code });
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

export const feedRoute: Route = {
  method: 'GET',
  envelope: 'liveroom',
  async run({ douyin, now }) {
    const rooms = await douyin.feed();
    return douyinBody(rooms.map(vendorRoom), now);
  },
};
