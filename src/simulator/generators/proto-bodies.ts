// Protobuf bodies shared by the generators: Common, User, Image. Field names are those of
// proto/webcast.proto; 64-bit values are decimal strings.
import { payGrade } from '../pay-grade.ts';
import type { SimUser } from '../people.ts';
import type { GenerateContext } from './context.ts';

export function commonBody(
  ctx: GenerateContext,
  method: string,
  msgId: string,
  options: { createTime?: boolean; describe?: string; displayText?: Record<string, unknown> } = {},
): Record<string, unknown> {
  return {
    method,
    msg_id: msgId,
    room_id: ctx.room.roomId,
    // Chats carry no create_time in the 2026 captures; the other messages carry ms.
    ...(options.createTime === false ? {} : { create_time: String(ctx.nowMs) }),
    is_show_msg: true,
    ...(options.describe ? { describe: options.describe } : {}),
    ...(options.displayText ? { display_text: options.displayText } : {}),
  };
}

export function imageBody(ctx: GenerateContext, uri: string): Record<string, unknown> {
  return { url_list: ctx.imageUrls(uri), uri };
}

export function userBody(ctx: GenerateContext, user: SimUser): Record<string, unknown> {
  const grade = payGrade(user.lifetimeDiamonds);
  const gradeBadge = `webcast/user_grade_level_v5_${grade.level}.png`;
  return {
    id: user.id,
    short_id: user.shortId,
    nickname: user.nickname,
    gender: user.gender,
    avatar_thumb: imageBody(ctx, `100x100/${user.avatarUri}`),
    badge_image_list: [{ ...imageBody(ctx, gradeBadge), height: 16, width: 32, image_type: 1 }],
    follow_info: { follower_count: user.followerCount, following_count: user.followingCount },
    pay_grade: {
      level: grade.level,
      this_grade_min_diamond: grade.minDiamonds,
      this_grade_max_diamond: grade.maxDiamonds,
      grade_describe: grade.describe,
      total_diamond_count: user.lifetimeDiamonds,
    },
    ...(user.fansClub
      ? { fans_club: { data: { club_name: user.fansClub.clubName, level: user.fansClub.level, user_fans_club_status: 1, anchor_id: user.fansClub.anchorId } } }
      : {}),
    display_id: user.displayId,
    sec_uid: user.secUid,
    id_str: user.id,
  };
}

/** A viewer, with regulars (low indices) showing up far more often than the rest. */
export function pickViewer(ctx: GenerateContext, skew = 2): SimUser {
  const index = Math.floor(ctx.room.audienceSize * Math.pow(ctx.prng.next(), skew));
  return ctx.room.viewer(index);
}

/** Rich text "{0:user} <verb>" with the user as its first piece. */
export function userText(ctx: GenerateContext, user: SimUser, key: string, pattern: string): Record<string, unknown> {
  return { key, default_pattern: pattern, pieces: [{ type: 11, user_value: { user: userBody(ctx, user), with_colon: false } }] };
}
