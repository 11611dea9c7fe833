// What Douyin sends about the room page around the video, at the rates of the 2026 capture:
// state snapshots (WRDS), the hourly-rank entrance, the gift panel's order, the stream
// layout, "hot" flags, the guest policy, the low-audience hint and fan-ticket totals.
import { formatCount } from '../format.ts';
import { GIFT_CATALOG, giftDisplayFields, giftImageUri } from '../gift-catalog.ts';
import { encodeProto } from '../proto.ts';
import type { GenerateContext, GeneratedMessage } from './context.ts';
import { commonBody, imageBody } from './proto-bodies.ts';

const SYNC_KEYS = ['GrowthCommonBannerSubSyncKey', 'LinkmicRoomAllowSubSyncKey', 'GuestAllowSubSyncKey'] as const;

export function roomSync(ctx: GenerateContext): GeneratedMessage {
  const method = 'WebcastRoomDataSyncMessage';
  const msgId = ctx.nextId();
  const syncKey = ctx.prng.pick(SYNC_KEYS);
  const snapshot = new TextEncoder().encode(JSON.stringify({ key: syncKey, at: ctx.nowMs }));
  const payload = encodeProto('RoomDataSyncMessage', {
    common: commonBody(ctx, method, msgId),
    room_id: ctx.room.roomId,
    sync_key: syncKey,
    version: String(ctx.nowMs * 1000 + ctx.prng.int(0, 999)),
    payload: snapshot,
    biz_log_id: ctx.prng.digits(20),
  });
  return { kind: 'sync', method, msgId, payload, userId: null, text: syncKey };
}

export function hourRank(ctx: GenerateContext): GeneratedMessage {
  const method = 'WebcastRanklistHourEntranceMessage';
  const msgId = ctx.nextId();
  const place = ctx.prng.int(1, 99);
  const text = `小时榜第${place}名`;
  const detail = (title: string, type: number, content: string) => ({
    pages: [{ content, background_color: '#33FF4A76', show_times: 3, content_type: 1 }],
    ranklist_type: type,
    title,
  });
  const payload = encodeProto('RanklistHourEntranceMessage', {
    common: commonBody(ctx, method, msgId),
    info: {
      global_infos: [{ details: [detail('小时榜', 1, text)] }],
      vertical_infos: [{ details: [detail('聊天榜', 8, `聊天榜第${ctx.prng.int(1, 50)}名`)] }],
    },
  });
  return { kind: 'hourRank', method, msgId, payload, userId: null, text };
}

export function giftSort(ctx: GenerateContext): GeneratedMessage {
  const method = 'WebcastGiftSortMessage';
  const msgId = ctx.nextId();
  const gifts = sample(ctx, GIFT_CATALOG, 6);
  const payload = encodeProto('GiftSortMessage', {
    common: commonBody(ctx, method, msgId),
    message_type: 1,
    scene_insert_strategy: { scene: 'gift_panel', gift_ids: gifts.map((gift) => gift.id), strategy_type: 1 },
    gift_details: gifts.slice(0, 2).map((gift) => ({
      key: Number(gift.id),
      value: { id: gift.id, image: imageBody(ctx, giftImageUri(gift)), ...giftDisplayFields(gift) },
    })),
  });
  return { kind: 'giftSort', method, msgId, payload, userId: null };
}

/** `n` distinct items in a random order (a partial Fisher–Yates shuffle). */
function sample<T>(ctx: GenerateContext, items: readonly T[], n: number): T[] {
  const pool = [...items];
  for (let i = 0; i < Math.min(n, pool.length); i++) {
    const j = ctx.prng.int(i, pool.length - 1);
    [pool[i], pool[j]] = [pool[j]!, pool[i]!];
  }
  return pool.slice(0, n);
}

export function streamLayout(ctx: GenerateContext): GeneratedMessage {
  const method = 'WebcastRoomStreamAdaptationMessage';
  const msgId = ctx.nextId();
  const payload = encodeProto('RoomStreamAdaptationMessage', {
    common: commonBody(ctx, method, msgId),
    adaptation_type: ctx.room.portrait ? 1 : 2,
    adaptation_height_ratio: ctx.room.portrait ? 1 : 0.5625,
    adaptation_body_center_ratio: 0.5,
  });
  return { kind: 'layout', method, msgId, payload, userId: null };
}

export function hotRoom(ctx: GenerateContext): GeneratedMessage {
  const method = 'WebcastHotRoomMessage';
  const msgId = ctx.nextId();
  const payload = encodeProto('HotRoomMessage', { common: commonBody(ctx, method, msgId), info: { bit_map: ctx.prng.int(1, 7) } });
  return { kind: 'hotRoom', method, msgId, payload, userId: null };
}

export function guestPolicy(ctx: GenerateContext): GeneratedMessage {
  const method = 'WebcastResidentGuestMessage';
  const msgId = ctx.nextId();
  const payload = encodeProto('ResidentGuestMessage', {
    common: commonBody(ctx, method, msgId),
    msg_type: 1,
    guest_allow_content: { allow: ctx.prng.chance(0.5) },
  });
  return { kind: 'guest', method, msgId, payload, userId: null };
}

/** The hint is for small rooms; bigger ones send it rarely (once in the 306 000-viewer capture). */
export function lowAudienceGuide(ctx: GenerateContext): GeneratedMessage {
  const method = 'WebcastLowPcuGuideMessage';
  const msgId = ctx.nextId();
  const text = '邀请好友来看直播，人气涨得更快';
  const payload = encodeProto('LowPcuGuideMessage', {
    common: commonBody(ctx, method, msgId),
    low_pcu_guide_info: { guide_text: text, status: 1, enable_backup: false, delay_time: 30 },
  });
  return { kind: 'lowPcu', method, msgId, payload, userId: null, text };
}

export function fanTicket(ctx: GenerateContext): GeneratedMessage {
  const method = 'WebcastUpdateFanTicketMessage';
  const msgId = ctx.nextId();
  const total = ctx.room.fanTickets;
  const payload = encodeProto('UpdateFanTicketMessage', {
    common: commonBody(ctx, method, msgId),
    room_fan_ticket_count_text: formatCount(total),
    room_fan_ticket_count: total,
    force_update: false,
  });
  return { kind: 'fanTicket', method, msgId, payload, userId: null };
}
