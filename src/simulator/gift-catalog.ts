// The gift catalogue: names and diamond prices as Douyin shows them (10 diamonds = ¥1). Ids
// are the simulator's own. Combo gifts can be sent repeatedly under one group_id.

export interface CatalogGift {
  id: string;
  name: string;
  diamondCount: number;
  combo: boolean;
  /** How often viewers pick it, relative to the others. */
  popularity: number;
  forFansClub?: boolean;
}

export const GIFT_CATALOG: readonly CatalogGift[] = [
  { id: '463', name: '小心心', diamondCount: 1, combo: true, popularity: 30 },
  { id: '685', name: '玫瑰', diamondCount: 1, combo: true, popularity: 20 },
  { id: '3389', name: '抖音', diamondCount: 1, combo: true, popularity: 12 },
  { id: '4219', name: '人气票', diamondCount: 1, combo: true, popularity: 10 },
  { id: '3752', name: '粉丝团灯牌', diamondCount: 1, combo: false, popularity: 3, forFansClub: true },
  { id: '2002', name: '大啤酒', diamondCount: 2, combo: true, popularity: 6 },
  { id: '4131', name: '你最好看', diamondCount: 2, combo: true, popularity: 6 },
  { id: '3385', name: '棒棒糖', diamondCount: 9, combo: true, popularity: 5 },
  { id: '5618', name: '为你闪耀', diamondCount: 9, combo: true, popularity: 4 },
  { id: '3406', name: '小皇冠', diamondCount: 10, combo: true, popularity: 4 },
  { id: '3380', name: '鲜花', diamondCount: 10, combo: true, popularity: 4 },
  { id: '4212', name: '加油鸭', diamondCount: 15, combo: true, popularity: 3 },
  { id: '3403', name: '礼花筒', diamondCount: 19, combo: true, popularity: 3 },
  { id: '3388', name: '爱你哟', diamondCount: 52, combo: true, popularity: 2 },
  { id: '4113', name: '闪耀星辰', diamondCount: 99, combo: true, popularity: 1.5 },
  { id: '5234', name: '浪漫花火', diamondCount: 199, combo: false, popularity: 0.8 },
  { id: '4982', name: '比心兔兔', diamondCount: 299, combo: false, popularity: 0.6 },
  { id: '4221', name: '真爱玫瑰', diamondCount: 366, combo: true, popularity: 0.6 },
  { id: '3900', name: '热气球', diamondCount: 520, combo: false, popularity: 0.4 },
  { id: '3231', name: '跑车', diamondCount: 1200, combo: false, popularity: 0.25 },
  { id: '3232', name: '嘉年华', diamondCount: 3000, combo: false, popularity: 0.1 },
  { id: '3233', name: '私人飞机', diamondCount: 10001, combo: false, popularity: 0.03 },
];

/** The gift's fields that the push message's GiftStruct and the gift list's JSON both carry. */
export function giftDisplayFields(gift: CatalogGift) {
  return {
    name: gift.name,
    diamond_count: gift.diamondCount,
    combo: gift.combo,
    type: gift.combo ? 1 : 2,
    describe: `送出了${gift.name}`,
  };
}

/** Image URI of a gift's icon; the builders turn it into URLs. */
export function giftImageUri(gift: CatalogGift): string {
  return `webcast/gift_${gift.id}.png`;
}
