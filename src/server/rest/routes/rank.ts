// The gift rank routes: /douyin/liveroom/audience, /douyin/liveroom/ranklist and the POST
// /dy/live/get_room_ranklist. All three are Douyin's ranklist/audience in one shape.
import type { RankListQuery } from '../../../collectors/douyin-api.ts';
import { douyinBody } from '../envelope.ts';
import { overDomain, parseVendorJson, type VendorJson } from '../json.ts';
import { optionalSecUid, optionalUserId, requireRoomId } from '../params.ts';
import { vendorRankList } from '../shapes/rank.ts';
import type { Route, RouteContext } from './route.ts';

/** Douyin's whole ranklist body (the vendor's data), over the domain-derived shape. */
async function rankBody({ douyin, now }: RouteContext, query: RankListQuery): Promise<VendorJson> {
  if (douyin.answers === undefined) return douyinBody(vendorRankList(await douyin.rankList(query)), now);
  const { value, json } = await douyin.answers.rankList(query);
  return overDomain(douyinBody(vendorRankList(value), now), json === null ? undefined : parseVendorJson(json));
}

export const audienceRoute: Route = {
  method: 'GET',
  envelope: 'liveroom',
  async run(context) {
    const roomId = requireRoomId(context.params);
    return rankBody(context, { roomId });
  },
};

/** anchor_id (the anchor's uid) is optional; Douyin fills fans-club data only with it. */
export const rankListRoute: Route = {
  method: 'GET',
  envelope: 'liveroom',
  async run(context) {
    const roomId = requireRoomId(context.params);
    const anchorId = optionalUserId(context.params, 'anchor_id');
    return rankBody(context, { roomId, anchorId });
  },
};

/**
 * Multipart form: room_id, optional sec_anchor_id, and wcid (the vendor's own session id). The
 * gateway keeps its own Douyin session, so wcid is accepted and not needed.
 */
export const roomRankListPostRoute: Route = {
  method: 'POST',
  envelope: 'dy',
  async run(context) {
    const roomId = requireRoomId(context.params);
    const secAnchorId = optionalSecUid(context.params, 'sec_anchor_id');
    return rankBody(context, { roomId, secAnchorId });
  },
};
