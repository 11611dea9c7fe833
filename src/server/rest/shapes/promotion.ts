// Domain PromotionList → the vendor's promotions payload (Douyin's promotions response).
// Prices stay in fen, as Douyin sends them.
import type { Promotion, PromotionList } from '../../../domain/model.ts';
import { idLiteral, type VendorJson } from '../json.ts';

function vendorPromotion(promotion: Promotion): VendorJson {
  return {
    promotion_id: promotion.id,
    product_id: promotion.productId ?? promotion.id,
    title: promotion.title,
    short_title: promotion.shortTitle ?? '',
    price: promotion.priceFen ?? 0,
    min_price: promotion.minPriceFen ?? promotion.priceFen ?? 0,
    cover: promotion.cover ?? '',
    detail_url: promotion.detailUrl ?? '',
    in_stock: promotion.inStock,
    stock_num: promotion.stock ?? 0,
    sale_num: promotion.sales ?? 0,
    shop_id: idLiteral(promotion.shopId),
    shop_name: promotion.shopName ?? '',
    index: promotion.index ?? 0,
  };
}

export function vendorPromotions(list: PromotionList): VendorJson {
  const explaining = list.currentPromotionId ?? list.promotions.find((promotion) => promotion.isExplaining)?.id ?? '';
  return {
    promotions: list.promotions.map(vendorPromotion),
    current_promotion_id: explaining,
    total: list.total,
    // Douyin's current endpoint returns the whole cart at once (protocol §2.4).
    has_more: false,
    status_code: 0,
  };
}
