// Messages about the room itself: viewer counts, stats, the gift rank, intro, system notices,
// an in-room banner and the end-of-live control.
import { ROOM_INTROS, ROOM_NOTICE } from '../chat-lines.ts';
import { formatCount, formatCountCapped } from '../format.ts';
import { encodeProto } from '../proto.ts';
import { rankedContributions } from '../room-model.ts';
import type { GenerateContext, GeneratedMessage } from './context.ts';
import { commonBody, userBody } from './proto-bodies.ts';

/** Online viewers drift a few percent between reports. */
function driftViewers(ctx: GenerateContext): void {
  const room = ctx.room;
  const step = Math.round(room.viewers * (ctx.prng.next() - 0.5) * 0.04);
  room.viewers = Math.max(1, room.viewers + step);
  if (step > 0) room.totalViewers += step;
}

function topContributors(ctx: GenerateContext, count: number) {
  return rankedContributions(ctx.room).slice(0, count);
}

export function viewerCount(ctx: GenerateContext): GeneratedMessage {
  const method = 'WebcastRoomUserSeqMessage';
  const msgId = ctx.nextId();
  driftViewers(ctx);
  const room = ctx.room;
  const payload = encodeProto('RoomUserSeqMessage', {
    common: commonBody(ctx, method, msgId),
    ranks: topContributors(ctx, 3).map((entry, i) => ({
      score: entry.diamonds,
      user: userBody(ctx, entry.user),
      rank: i + 1,
      exactly_score: String(entry.diamonds),
    })),
    total: room.viewers,
    total_user: room.totalViewers,
    total_user_str: formatCountCapped(room.totalViewers),
    total_str: formatCountCapped(room.viewers),
    online_user_for_anchor: formatCount(room.viewers),
    total_pv_for_anchor: formatCount(room.totalViewers),
  });
  return { kind: 'viewers', method, msgId, payload, userId: null };
}

export function roomStats(ctx: GenerateContext): GeneratedMessage {
  const method = 'WebcastRoomStatsMessage';
  const msgId = ctx.nextId();
  driftViewers(ctx);
  const viewers = ctx.room.viewers;
  const payload = encodeProto('RoomStatsMessage', {
    common: commonBody(ctx, method, msgId),
    display_short: formatCount(viewers),
    display_middle: formatCount(viewers),
    display_long: `${formatCount(viewers)}在线观众`,
    display_value: viewers,
    display_version: String(ctx.nowMs),
    incremental: false,
    is_hidden: false,
    total: viewers,
    display_type: 1,
  });
  return { kind: 'stats', method, msgId, payload, userId: null };
}

export function roomRank(ctx: GenerateContext): GeneratedMessage {
  const method = 'WebcastRoomRankMessage';
  const msgId = ctx.nextId();
  const top = topContributors(ctx, 3);
  const payload = encodeProto('RoomRankMessage', {
    common: commonBody(ctx, method, msgId),
    ranks: top.map((entry) => ({ user: userBody(ctx, entry.user), score_str: formatCount(entry.diamonds) })),
    audience_ranks: top.map((entry, i) => ({
      user: userBody(ctx, entry.user),
      score: entry.diamonds,
      rank: i + 1,
      exactly_score: String(entry.diamonds),
    })),
  });
  return { kind: 'rank', method, msgId, payload, userId: null };
}

export function roomIntro(ctx: GenerateContext): GeneratedMessage {
  const method = 'WebcastRoomIntroMessage';
  const msgId = ctx.nextId();
  const intro = ctx.prng.pick(ROOM_INTROS);
  const payload = encodeProto('RoomIntroMessage', {
    common: commonBody(ctx, method, msgId),
    user: userBody(ctx, ctx.room.anchor),
    style: 0,
    intro,
    label: ctx.prng.chance(0.5) ? ['聊天', '音乐'] : ['好物分享'],
  });
  return { kind: 'intro', method, msgId, payload, userId: ctx.room.anchor.id, text: intro };
}

export function roomNotice(ctx: GenerateContext): GeneratedMessage {
  const method = 'WebcastRoomMessage';
  const msgId = ctx.nextId();
  const content = ROOM_NOTICE;
  const payload = encodeProto('RoomMessage', {
    common: commonBody(ctx, method, msgId),
    content,
    room_message_type: 0,
    system_top_msg: false,
  });
  return { kind: 'notice', method, msgId, payload, userId: null, text: content };
}

/** WebcastInRoomBannerMessage: frequent on the wire (97 in the 30 s capture). */
export function inRoomBanner(ctx: GenerateContext): GeneratedMessage {
  const method = 'WebcastInRoomBannerMessage';
  const msgId = ctx.nextId();
  const bannerId = ctx.prng.digits(6);
  const extra = JSON.stringify({ banner_id: bannerId, title: '直播间活动', scene: 'growth_common_banner' });
  const payload = encodeProto('InRoomBannerMessage', {
    common: commonBody(ctx, method, msgId),
    extra,
    position: ctx.prng.int(1, 3),
    action_type: 1,
    lynx_container_url: `https://live.douyin.com/webcast/banner/${bannerId}`,
    container_type: 2,
  });
  return { kind: 'banner', method, msgId, payload, userId: null };
}

export const CONTROL_ACTION_ENDED = 3;

export function liveEnded(ctx: GenerateContext): GeneratedMessage {
  const method = 'WebcastControlMessage';
  const msgId = ctx.nextId();
  const payload = encodeProto('ControlMessage', {
    common: commonBody(ctx, method, msgId, { describe: '直播已结束' }),
    action: CONTROL_ACTION_ENDED,
    tips: '直播已结束',
  });
  return { kind: 'control', method, msgId, payload, userId: null, action: CONTROL_ACTION_ENDED };
}
