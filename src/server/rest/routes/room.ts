// /douyin/liveroom/info, /status and /feed: rooms and their live status.
import { douyinBody } from '../envelope.ts';
import { requireRoomIdList, requireRoomRef } from '../params.ts';
import { vendorRoom, vendorStatusList } from '../shapes/room.ts';
import type { Route } from './route.ts';

export const roomInfoRoute: Route = {
  method: 'GET',
  envelope: 'liveroom',
  async run({ params, douyin, now }) {
    const ref = requireRoomRef(params);
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
