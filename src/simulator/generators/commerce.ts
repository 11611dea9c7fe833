// E-commerce messages: the cart changes, the anchor explains another product or one sells out,
// and purchase toasts. They update the room's products, so the promotions endpoint agrees.
import { encodeProto } from '../proto.ts';
import { makeProduct, type Product } from '../room-model.ts';
import type { GenerateContext, GeneratedMessage } from './context.ts';
import { commonBody } from './proto-bodies.ts';

const MAX_PRODUCTS = 15;

function productInfo(product: Product, index: number) {
  return { promotion_id: product.promotionId, index, explain_type: 0 };
}

/** Adds, removes or pins a product. */
export function productChange(ctx: GenerateContext): GeneratedMessage {
  const method = 'WebcastProductChangeMessage';
  const msgId = ctx.nextId();
  const room = ctx.room;
  const roll = ctx.prng.next();
  let changed: Product;
  let toast: string;
  if ((roll < 0.4 && room.products.length < MAX_PRODUCTS) || room.products.length <= 1) {
    changed = makeProduct(ctx.prng, room.products.length);
    room.products.push(changed);
    toast = '主播上新了宝贝';
  } else if (roll < 0.7) {
    const index = ctx.prng.int(0, room.products.length - 1);
    changed = room.products.splice(index, 1)[0] as Product;
    if (room.explainingId === changed.promotionId) room.explainingId = null;
    toast = '';
  } else {
    const index = ctx.prng.int(0, room.products.length - 1);
    changed = room.products.splice(index, 1)[0] as Product;
    room.products.unshift(changed);
    toast = '主播置顶了宝贝';
  }
  const index = room.products.indexOf(changed);
  const payload = encodeProto('ProductChangeMessage', {
    common: commonBody(ctx, method, msgId),
    update_timestamp: Math.floor(ctx.nowMs / 1000),
    update_toast: toast,
    update_product_info: [productInfo(changed, index)],
    total: room.products.length,
    target_uid: room.anchor.id,
    sec_target_uid: room.anchor.secUid,
  });
  return { kind: 'product', method, msgId, payload, userId: null };
}

/** msg_type 1: the anchor now explains this product; msg_type 3 with sold_out: it sold out. */
export function liveShopping(ctx: GenerateContext): GeneratedMessage {
  const method = 'WebcastLiveShoppingMessage';
  const msgId = ctx.nextId();
  const room = ctx.room;
  const inStock = room.products.filter((p) => p.stock > 0);
  const soldOut = inStock.length > 0 && ctx.prng.chance(0.25);
  const product = soldOut ? ctx.prng.pick(inStock) : ctx.prng.pick(room.products);
  if (soldOut) product.stock = 0;
  else room.explainingId = product.promotionId;
  const payload = encodeProto('LiveShoppingMessage', {
    common: commonBody(ctx, method, msgId),
    msg_type: soldOut ? 3 : 1,
    promotion_id: product.promotionId,
    target_uid: room.anchor.id,
    sec_target_uid: room.anchor.secUid,
    bubble_type: soldOut ? 0 : 1,
    updated_product_ids: [product.promotionId],
    update_type: soldOut ? 3 : 1,
    sold_out: soldOut,
    update_timestamp: Math.floor(ctx.nowMs / 1000),
    promotions_num: room.products.length,
  });
  return { kind: 'shopping', method, msgId, payload, userId: null };
}

export function purchase(ctx: GenerateContext): GeneratedMessage {
  const method = 'WebcastLiveEcomMessage';
  const msgId = ctx.nextId();
  const room = ctx.room;
  const product = ctx.prng.pick(room.products);
  const count = ctx.prng.int(1, 3);
  product.sales += count;
  const buyer = ctx.room.viewer(ctx.prng.int(0, ctx.room.audienceSize - 1));
  const masked = `${[...buyer.nickname][0] ?? '用'}***`;
  const text = `${masked} 正在购买`;
  const payload = encodeProto('LiveEcomMessage', {
    common: commonBody(ctx, method, msgId),
    msg_type: 1,
    nick_name: masked,
    purchase_cnt: count,
    text,
    meta_id: product.promotionId,
    server_time: Math.floor(ctx.nowMs / 1000),
    meta_id_str: product.promotionId,
  });
  return { kind: 'purchase', method, msgId, payload, userId: null, text };
}
