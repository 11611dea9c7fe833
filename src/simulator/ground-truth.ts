// The record of every message a room sent, so tests can prove downstream that nothing was
// lost or doubled and can compute gift totals independently of the decoder.

export type MessageKind =
  | 'chat'
  | 'emoji'
  | 'member'
  | 'like'
  | 'follow'
  | 'share'
  | 'gift'
  | 'viewers'
  | 'stats'
  | 'fansclub'
  | 'rank'
  | 'product'
  | 'shopping'
  | 'purchase'
  | 'intro'
  | 'notice'
  | 'banner'
  | 'sync'
  | 'hourRank'
  | 'giftSort'
  | 'layout'
  | 'hotRoom'
  | 'guest'
  | 'lowPcu'
  | 'fanTicket'
  | 'hotChat'
  | 'chatLike'
  | 'screenChat'
  | 'pin'
  | 'deleted'
  | 'redEnvelope'
  | 'poll'
  | 'pk'
  | 'pkArmies'
  | 'pkContribute'
  | 'linkMic'
  | 'control';

export const MESSAGE_KINDS: readonly MessageKind[] = [
  'chat', 'emoji', 'member', 'like', 'follow', 'share', 'gift', 'viewers', 'stats', 'fansclub',
  'rank', 'product', 'shopping', 'purchase', 'intro', 'notice', 'banner', 'sync', 'hourRank', 'giftSort', 'layout',
  'hotRoom', 'guest', 'lowPcu', 'fanTicket', 'hotChat', 'chatLike', 'screenChat', 'pin', 'deleted', 'redEnvelope', 'poll',
  'pk', 'pkArmies', 'pkContribute', 'linkMic', 'control',
];

export interface GiftTruth {
  userId: string;
  giftId: string;
  giftName: string;
  groupId: string;
  repeatCount: number;
  repeatEnd: boolean;
  /** Gifts per send (1, 10, 66…). */
  groupCount: number;
  /** Price of one gift. */
  diamondCount: number;
  /** Diamonds this message adds: new repeats × groupCount × price (0 for a repeat_end echo). */
  diamonds: number;
}

export interface TruthRecord {
  roomId: string;
  /** Position in the room's stream (1, 2, 3…); duplicates get their own seq. */
  seq: number;
  msgId: string;
  method: string;
  kind: MessageKind;
  /** When the room sent it, ms. */
  sentAt: number;
  userId: string | null;
  /** A re-push of an earlier message with the same msg_id (Douyin does this to some chats). */
  duplicate: boolean;
  /** Chat text, emoji text. */
  text?: string;
  gift?: GiftTruth;
  /** Control action (3 = ended). */
  action?: number;
}

export interface GiftTotals {
  diamonds: number;
  /** Gifts counted once per combo (the highest repeat_count × group_count of each group). */
  gifts: number;
  byUser: Map<string, number>;
  byGift: Map<string, number>;
}

/** Gift totals of unique messages, computed from the records alone. */
export function giftTotals(records: readonly TruthRecord[]): GiftTotals {
  const totals: GiftTotals = { diamonds: 0, gifts: 0, byUser: new Map(), byGift: new Map() };
  for (const record of records) {
    const gift = record.gift;
    if (!gift || record.duplicate) continue;
    totals.diamonds += gift.diamonds;
    totals.gifts += gift.diamonds / gift.diamondCount;
    totals.byUser.set(gift.userId, (totals.byUser.get(gift.userId) ?? 0) + gift.diamonds);
    totals.byGift.set(gift.giftId, (totals.byGift.get(gift.giftId) ?? 0) + gift.diamonds);
  }
  return totals;
}
