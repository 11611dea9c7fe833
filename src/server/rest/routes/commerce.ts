// /douyin/liveroom/promotions: the products on sale in a room.
import { VendorError } from '../errors.ts';
import { optionalUserId, requireRoomId } from '../params.ts';
import { vendorPromotions } from '../shapes/promotion.ts';
import type { Route, RouteContext } from './route.ts';
import { overDomain, parseVendorJson } from '../json.ts';

export const promotionsRoute: Route = {
  method: 'GET',
  envelope: 'liveroom',
  async run(context) {
    const roomId = requireRoomId(context.params);
    // Douyin wants the anchor's uid; the vendor only took room_id, so look it up unless given.
    const authorId = optionalUserId(context.params, 'author_id') ?? (await anchorOf(context, roomId));
    const answers = context.douyin.answers;
    if (answers === undefined) return vendorPromotions(await context.douyin.promotions({ roomId, authorId }));
    // pop/v3's body is the vendor's data as it is (flat, no {data, extra} wrapper).
    const { value, json } = await answers.promotions({ roomId, authorId });
    return overDomain(vendorPromotions(value), json === null ? undefined : parseVendorJson(json));
  },
};

async function anchorOf({ douyin }: RouteContext, roomId: string): Promise<string> {
  const room = await douyin.roomByRoomId(roomId);
  const ownerId = room.owner?.id;
  if (ownerId === undefined || ownerId === '0') {
    throw new VendorError(502, 'UPSTREAM_UNAVAILABLE', `Douyin did not say who hosts room ${roomId}; pass author_id`);
  }
  return ownerId;
}
