// The body of GET /live/promotions/pop/v3/. Unlike the webcast endpoints it is flat (no
// {data, extra} envelope), as in the vendor's sample; prices are in fen.
import { bareId } from '../json.ts';
import type { Product, RoomModel } from '../room-model.ts';
import type { BuildContext } from './context.ts';
import { imageUrls } from './context.ts';

function promotionJson(ctx: BuildContext, room: RoomModel, product: Product, index: number) {
  return {
    app_type: 0,
    app_url: '',
    apply_coupon: 0,
    button_label: '去购买',
    campaign: false,
    can_explain: true,
    can_seckill: false,
    cos_fee: 0,
    cos_ratio: 0,
    coupons: [],
    cover: imageUrls(ctx.baseUrl, product.coverUri)[0],
    detail_url: `${ctx.baseUrl}/product/${product.productId}?promotion_id=${product.promotionId}&target_uid=${room.anchor.id}&live_room_id=${room.roomId}`,
    elastic_title: '',
    event_param: {},
    extra: { coupon_min_price: '0', start_time: '0' },
    flash_icon: '',
    flash_type: 0,
    in_stock: product.stock > 0,
    index: index + 1,
    item_type: 6,
    label_icon: '',
    min_price: product.minPriceFen,
    next_page: 'split',
    order_url: '',
    platform: 4,
    platform_icon: '',
    platform_label: '小店',
    price: product.priceFen,
    product_id: product.productId,
    promotion_id: product.promotionId,
    promotion_source: [],
    sale_num: product.sales,
    shop_id: bareId(product.shopId),
    shop_name: `${room.anchor.nickname}的小店`,
    short_half_url: '',
    short_title: product.shortTitle,
    skip_style: 0,
    status: 2,
    stock_num: product.stock,
    title: product.title,
  };
}

/** The shortcut to the viewer's orders that the product list shows (type 2), as in the vendor's sample. */
const ORDER_ENTRIES = [{ icon: '', title: '订单', type: 2, url: 'aweme://webview/?url=order_dashboard' }];

export function promotionsBody(ctx: BuildContext, room: RoomModel) {
  return {
    current_promotion_id: room.explainingId ?? '',
    entries: ORDER_ENTRIES,
    expire_time: 300_000,
    flash_total: 0,
    has_more: false,
    min_refresh_gap: 10_000,
    next_page_id: '',
    promotions: room.products.map((product, i) => promotionJson(ctx, room, product, i)),
    room_type: 0,
    show_begin_time: 0,
    show_duration: 0,
    status_code: 0,
    status_msg: '',
    top_limit: 100,
    total: room.products.length,
  };
}
