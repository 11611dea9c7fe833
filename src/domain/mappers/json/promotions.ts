import type { Promotion, PromotionList } from '../../model.ts';
import { mapImageOrUrl } from './image.ts';
import { badShape, checkEnvelope, mapped, type Mapped } from './envelope.ts';
import { flag, idOf, idValue, list, nonNegative, record, text, type JsonRecord } from './values.ts';

function mapPromotion(value: unknown, currentId: string | null): Promotion | null {
  const item = record(value);
  const id = idOf(item, 'promotion_id');
  if (item === null || id === null) return null;
  const stock = nonNegative(item.stock_num);
  return {
    id,
    productId: idOf(item, 'product_id'),
    title: text(item.title) ?? '',
    shortTitle: text(item.short_title),
    priceFen: nonNegative(item.price),
    minPriceFen: nonNegative(item.min_price),
    cover: mapImageOrUrl(item.cover)?.urls[0] ?? null,
    detailUrl: text(item.detail_url),
    stock,
    inStock: item.in_stock === undefined ? (stock ?? 0) > 0 : flag(item.in_stock),
    sales: nonNegative(item.sale_num),
    shopId: idOf(item, 'shop_id'),
    shopName: text(item.shop_name),
    index: nonNegative(item.index),
    isExplaining: id === currentId,
  };
}

/** pop/v3 puts `promotions[]` at the top; the older promotions/page answer nests it in `data`. */
function promotionsHolder(envelope: JsonRecord): JsonRecord | null {
  if (Array.isArray(envelope.promotions)) return envelope;
  const data = record(envelope.data);
  return data !== null && Array.isArray(data.promotions) ? data : null;
}

/** Products on sale in a room; prices stay in fen. A room without goods answers an empty list. */
export function mapPromotions(body: unknown, roomId: string): Mapped<PromotionList> {
  const envelope = checkEnvelope(body);
  if (!envelope.ok) return envelope;
  const holder = promotionsHolder(envelope.value);
  if (holder === null) return badShape('promotions answered without a promotions list');
  const currentPromotionId = idValue(holder.current_promotion_id);
  const promotions = list(holder.promotions).flatMap((item) => mapPromotion(item, currentPromotionId) ?? []);
  return mapped({ roomId, promotions, currentPromotionId, total: nonNegative(holder.total) ?? promotions.length });
}
