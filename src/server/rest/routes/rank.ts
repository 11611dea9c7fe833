// The gift rank routes: /douyin/liveroom/audience, /douyin/liveroom/ranklist and the POST
// /dy/live/get_room_ranklist. All three are Douyin's ranklist/audience in one shape.
import { douyinBody } from '../envelope.ts';
import { optionalSecUid, optionalUserId, requireRoomId } from '../params.ts';
import { vendorRankList } from '../shapes/rank.ts';
import type { Route } from './route.ts';

export const audienceRoute: Route = {
  method: 'GET',
  envelope: 'liveroom',
  async run({ params, douyin, now }) {
    const roomId = requireRoomId(params);
    return douyinBody(vendorRankList(await douyin.rankList({ roomId })), now);
  },
};

/** anchor_id (the anchor's uid) is optional; Douyin fills fans-club data only with it. */
export const rankListRoute: Route = {
  method: 'GET',
  envelope: 'liveroom',
  async run({ params, douyin, now }) {
    const roomId = requireRoomId(params);
    const anchorId = optionalUserId(params, 'anchor_id');
    return douyinBody(vendorRankList(await douyin.rankList({ roomId, anchorId })), now);
  },
};

/**
 * Multipart form: room_id, optional sec_anchor_id, and wcid (the vendor's own session id). The
 * gateway keeps its own Douyin session, so wcid is accepted and not needed.
 */
export const roomRankListPostRoute: Route = {
  method: 'POST',
  envelope: 'dy',
  async run({ params, douyin, now }) {
    const roomId = requireRoomId(params);
    const secAnchorId = optionalSecUid(params, 'sec_anchor_id');
    return douyinBody(vendorRankList(await douyin.rankList({ roomId, secAnchorId })), now);
  },
};
