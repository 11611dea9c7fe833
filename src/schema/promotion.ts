import type { LiveRoom, Promotion, PromotionList } from '../domain/model.ts';
import { builder } from './builder.ts';
import type { SchemaContext } from './context.ts';
import { promotionLists } from './loaders.ts';
import { LiveRoomRef } from './room.ts';

export const PromotionRef = builder.objectRef<Promotion>('Promotion').implement({
  description: "A product in the room's shopping cart (小黄车), from Douyin's promotions list.",
  fields: (t) => ({
    id: t.exposeID('id', { description: 'The promotion id in this room.' }),
    productId: t.exposeID('productId', { nullable: true }),
    title: t.exposeString('title'),
    shortTitle: t.exposeString('shortTitle', { nullable: true }),
    priceFen: t.expose('priceFen', { type: 'SafeInt', nullable: true, description: 'Price in fen (1/100 yuan).' }),
    minPriceFen: t.expose('minPriceFen', { type: 'SafeInt', nullable: true, description: 'Lowest SKU price in fen.' }),
    cover: t.exposeString('cover', { nullable: true, description: 'Product image URL.' }),
    detailUrl: t.exposeString('detailUrl', { nullable: true }),
    stock: t.expose('stock', { type: 'SafeInt', nullable: true, description: 'Units left, when Douyin says.' }),
    inStock: t.exposeBoolean('inStock'),
    sales: t.expose('sales', { type: 'SafeInt', nullable: true, description: 'Units sold, as Douyin shows it.' }),
    shop: t.string({
      nullable: true,
      description: 'The shop selling it.',
      resolve: (promotion) => promotion.shopName,
    }),
    shopId: t.exposeID('shopId', { nullable: true }),
    index: t.exposeInt('index', { nullable: true, description: 'Position in the cart, 1 first.' }),
    isExplaining: t.exposeBoolean('isExplaining', { description: 'The anchor is presenting this product right now.' }),
  }),
});

/** Products need the anchor's uid; a room without a known owner has no product list to ask for. */
async function promotionsOf(room: LiveRoom, context: SchemaContext): Promise<PromotionList | null> {
  if (room.owner === null) return null;
  return promotionLists(context).load({ roomId: room.id, authorId: room.owner.id });
}

builder.objectFields(LiveRoomRef, (t) => ({
  promotions: t.field({
    type: [PromotionRef],
    nullable: true,
    description: "The room's cart, in cart order (one upstream call per room per operation, shared with currentPromotion).",
    resolve: async (room, _args, context) => (await promotionsOf(room, context))?.promotions ?? [],
  }),
  currentPromotion: t.field({
    type: PromotionRef,
    nullable: true,
    description: 'The product being presented now, if any.',
    resolve: async (room, _args, context) => {
      const list = await promotionsOf(room, context);
      if (list === null) return null;
      return (
        list.promotions.find((promotion) => promotion.id === list.currentPromotionId) ??
        list.promotions.find((promotion) => promotion.isExplaining) ??
        null
      );
    },
  }),
}));
