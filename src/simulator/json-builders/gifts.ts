// The body of GET /webcast/gift/list/: the catalogue with diamond prices.
import { GIFT_CATALOG, giftDisplayFields, giftImageUri, type CatalogGift } from '../gift-catalog.ts';
import { bareId } from '../json.ts';
import type { BuildContext } from './context.ts';
import { envelope } from './envelope.ts';
import { imageJson } from './image.ts';

function giftJson(ctx: BuildContext, gift: CatalogGift) {
  return {
    id: bareId(gift.id),
    id_str: gift.id,
    ...giftDisplayFields(gift),
    duration: gift.diamondCount >= 1000 ? 5000 : 3000,
    image: imageJson(ctx, giftImageUri(gift), { width: 100, height: 100 }),
    icon: imageJson(ctx, giftImageUri(gift), { width: 100, height: 100 }),
    for_fansclub: gift.forFansClub ?? false,
    is_displayed_on_panel: true,
    is_gray: false,
    gift_scene: 1,
  };
}

export function giftListBody(ctx: BuildContext) {
  return envelope(
    {
      gifts: GIFT_CATALOG.map((gift) => giftJson(ctx, gift)),
      gifts_info: {
        fansclub_gift_ids: GIFT_CATALOG.filter((g) => g.forFansClub).map((g) => bareId(g.id)),
        gift_group_infos: [],
        speedy_gift_id: bareId(GIFT_CATALOG[0]?.id ?? '0'),
        hide_recharge_entry: false,
      },
    },
    ctx.nowMs,
  );
}
