// Gifts with Douyin's combo behaviour: a combo gift repeats under one group_id with a rising
// repeat_count and usually ends with one more message carrying repeat_end=1 and the final
// count; some combos just stop without it. A non-combo gift is one message, repeat_end=1.
import { GIFT_CATALOG, giftDisplayFields, giftImageUri, type CatalogGift } from '../gift-catalog.ts';
import type { GiftTruth } from '../ground-truth.ts';
import { encodeProto } from '../proto.ts';
import type { Combo } from '../room-model.ts';
import type { SimUser } from '../people.ts';
import type { GenerateContext, GeneratedMessage } from './context.ts';
import { commonBody, imageBody, pickViewer, userBody } from './proto-bodies.ts';

const MAX_OPEN_COMBOS = 8;
const CONTINUE_COMBO = 0.65;
const ABANDON = 0.1;
const END = 0.3;

const BY_POPULARITY = GIFT_CATALOG.map((gift) => [gift, gift.popularity] as const);

export function gift(ctx: GenerateContext): GeneratedMessage {
  const open = [...ctx.room.combos.values()];
  if (open.length > 0 && (open.length >= MAX_OPEN_COMBOS || ctx.prng.chance(CONTINUE_COMBO))) {
    const combo = ctx.prng.pick(open);
    const roll = ctx.prng.next();
    if (roll < ABANDON) {
      // The sender walks away: no repeat_end will ever come for this group.
      ctx.room.combos.delete(combo.groupId);
      return startGift(ctx);
    }
    if (roll < ABANDON + END) {
      ctx.room.combos.delete(combo.groupId);
      return giftMessage(ctx, combo, 0, true);
    }
    const added = ctx.prng.chance(0.8) ? 1 : ctx.prng.int(2, 5);
    combo.repeatCount += added;
    return giftMessage(ctx, combo, added, false);
  }
  return startGift(ctx);
}

function startGift(ctx: GenerateContext): GeneratedMessage {
  const chosen = ctx.prng.weighted(BY_POPULARITY);
  const sender = pickViewer(ctx, 3);
  const groupCount = chosen.combo && chosen.diamondCount <= 10 && ctx.prng.chance(0.08) ? ctx.prng.pick([10, 66, 188]) : 1;
  const combo: Combo = { groupId: ctx.nextId(), user: sender, gift: chosen, groupCount, repeatCount: 1 };
  if (chosen.combo) ctx.room.combos.set(combo.groupId, combo);
  return giftMessage(ctx, combo, 1, !chosen.combo);
}

function credit(ctx: GenerateContext, user: SimUser, diamonds: number): void {
  const room = ctx.room;
  const entry = room.contributions.get(user.id) ?? { user, diamonds: 0 };
  entry.diamonds += diamonds;
  room.contributions.set(user.id, entry);
  room.fanTickets += diamonds;
  user.lifetimeDiamonds += diamonds;
  room.keep(user);
}

function giftStructBody(ctx: GenerateContext, catalogGift: CatalogGift): Record<string, unknown> {
  return {
    id: catalogGift.id,
    ...giftDisplayFields(catalogGift),
    image: imageBody(ctx, giftImageUri(catalogGift)),
    icon: imageBody(ctx, giftImageUri(catalogGift)),
    for_fansclub: catalogGift.forFansClub ?? false,
    is_displayed_on_panel: true,
  };
}

function giftMessage(ctx: GenerateContext, combo: Combo, added: number, repeatEnd: boolean): GeneratedMessage {
  const method = 'WebcastGiftMessage';
  const msgId = ctx.nextId();
  const { gift: catalogGift, user } = combo;
  const diamonds = added * combo.groupCount * catalogGift.diamondCount;
  if (diamonds > 0) credit(ctx, user, diamonds);
  const room = ctx.room;
  const payload = encodeProto('GiftMessage', {
    common: commonBody(ctx, method, msgId, { describe: `${user.nickname}:送给主播 ${combo.groupCount}个${catalogGift.name}` }),
    gift_id: catalogGift.id,
    fan_ticket_count: diamonds,
    group_count: combo.groupCount,
    repeat_count: combo.repeatCount,
    combo_count: combo.repeatCount,
    user: userBody(ctx, user),
    to_user: { id: room.anchor.id, nickname: room.anchor.nickname, sec_uid: room.anchor.secUid, id_str: room.anchor.id },
    repeat_end: repeatEnd ? 1 : 0,
    group_id: combo.groupId,
    room_fan_ticket_count: room.fanTickets,
    gift: giftStructBody(ctx, catalogGift),
    log_id: msgId,
    send_time: String(ctx.nowMs),
    total_count: combo.repeatCount * combo.groupCount,
    to_user_ids: [room.anchor.id],
  });
  const truth: GiftTruth = {
    userId: user.id,
    giftId: catalogGift.id,
    giftName: catalogGift.name,
    groupId: combo.groupId,
    repeatCount: combo.repeatCount,
    repeatEnd,
    groupCount: combo.groupCount,
    diamondCount: catalogGift.diamondCount,
    diamonds,
  };
  return { kind: 'gift', method, msgId, payload, userId: user.id, gift: truth };
}
