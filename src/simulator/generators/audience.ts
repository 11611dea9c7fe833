// What viewers do: chat, emoji, join, like, follow, share, join or level up in the fans club.
import { CHAT_LINES, EMOJIS } from '../chat-lines.ts';
import { encodeProto } from '../proto.ts';
import { rememberChat } from '../room-model.ts';
import type { GenerateContext, GeneratedMessage } from './context.ts';
import { commonBody, imageBody, pickViewer, userBody, userText } from './proto-bodies.ts';

export function chat(ctx: GenerateContext): GeneratedMessage {
  const method = 'WebcastChatMessage';
  const msgId = ctx.nextId();
  const user = pickViewer(ctx);
  const content = ctx.prng.pick(CHAT_LINES);
  const payload = encodeProto('ChatMessage', {
    common: commonBody(ctx, method, msgId, { createTime: false }),
    user: userBody(ctx, user),
    content,
    // Seconds, and a little behind the push, as observed.
    event_time: String(Math.floor(ctx.nowMs / 1000) - ctx.prng.int(0, 2)),
  });
  rememberChat(ctx.room, { msgId, user, content });
  return { kind: 'chat', method, msgId, payload, userId: user.id, text: content };
}

export function emojiChat(ctx: GenerateContext): GeneratedMessage {
  const method = 'WebcastEmojiChatMessage';
  const msgId = ctx.nextId();
  const user = pickViewer(ctx);
  const emoji = ctx.prng.pick(EMOJIS);
  const image = { ...imageBody(ctx, `webcast/emoji_${emoji.id}.png`), content: { name: emoji.text } };
  const payload = encodeProto('EmojiChatMessage', {
    common: commonBody(ctx, method, msgId),
    user: userBody(ctx, user),
    emoji_id: emoji.id,
    emoji_content: { key: '', default_pattern: '', pieces: [{ type: 25, image_value: { image } }] },
    default_content: emoji.text,
  });
  return { kind: 'emoji', method, msgId, payload, userId: user.id, text: emoji.text };
}

export function member(ctx: GenerateContext): GeneratedMessage {
  const method = 'WebcastMemberMessage';
  const msgId = ctx.nextId();
  const user = pickViewer(ctx, 1);
  const room = ctx.room;
  room.viewers += 1;
  room.totalViewers += 1;
  const payload = encodeProto('MemberMessage', {
    common: commonBody(ctx, method, msgId, { displayText: userText(ctx, user, 'live_room_enter_toast', '{0:user} 来了') }),
    user: userBody(ctx, user),
    member_count: room.viewers,
    action: 1,
    user_id: user.id,
  });
  return { kind: 'member', method, msgId, payload, userId: user.id };
}

export function like(ctx: GenerateContext): GeneratedMessage {
  const method = 'WebcastLikeMessage';
  const msgId = ctx.nextId();
  const user = pickViewer(ctx);
  const count = ctx.prng.chance(0.6) ? ctx.prng.int(1, 3) : ctx.prng.int(4, 15);
  ctx.room.likes += count;
  const payload = encodeProto('LikeMessage', {
    common: commonBody(ctx, method, msgId, { displayText: userText(ctx, user, 'live_room_like', '{0:user} 为主播点赞了') }),
    count,
    total: ctx.room.likes,
    user: userBody(ctx, user),
  });
  return { kind: 'like', method, msgId, payload, userId: user.id };
}

export function follow(ctx: GenerateContext): GeneratedMessage {
  const method = 'WebcastSocialMessage';
  const msgId = ctx.nextId();
  const user = pickViewer(ctx, 1);
  ctx.room.anchor.followerCount += 1;
  const payload = encodeProto('SocialMessage', {
    common: commonBody(ctx, method, msgId, { displayText: userText(ctx, user, 'live_room_follow', '{0:user} 关注了主播') }),
    user: userBody(ctx, user),
    action: 1,
    follow_count: ctx.room.anchor.followerCount,
  });
  return { kind: 'follow', method, msgId, payload, userId: user.id };
}

/** Share targets: 1 WeChat, 2 Moments, 3 Weibo, 4 QZone, 5 QQ, 112 Douyin friends. */
const SHARE_TARGETS = ['1', '1', '2', '3', '4', '5', '112', '112'] as const;

export function share(ctx: GenerateContext): GeneratedMessage {
  const method = 'WebcastSocialMessage';
  const msgId = ctx.nextId();
  const user = pickViewer(ctx, 1);
  ctx.room.shares += 1;
  const payload = encodeProto('SocialMessage', {
    common: commonBody(ctx, method, msgId, { displayText: userText(ctx, user, 'live_room_share', '{0:user} 分享了直播间') }),
    user: userBody(ctx, user),
    share_type: 1,
    action: 3,
    share_target: ctx.prng.pick(SHARE_TARGETS),
    share_total_count: ctx.room.shares,
  });
  return { kind: 'share', method, msgId, payload, userId: user.id };
}

export function fansClub(ctx: GenerateContext): GeneratedMessage {
  const method = 'WebcastFansclubMessage';
  const msgId = ctx.nextId();
  const user = pickViewer(ctx);
  const room = ctx.room;
  let action: number;
  let content: string;
  if (user.fansClub && user.fansClub.anchorId === room.anchor.id) {
    user.fansClub.level = Math.min(25, user.fansClub.level + 1);
    action = 1;
    content = `恭喜 ${user.nickname} 成为了${user.fansClub.level}级粉丝`;
  } else {
    user.fansClub = { clubName: room.clubName, level: 1, anchorId: room.anchor.id };
    action = 2;
    content = `恭喜 ${user.nickname} 加入了${room.clubName}粉丝团`;
  }
  room.keep(user);
  const payload = encodeProto('FansclubMessage', {
    common: commonBody(ctx, method, msgId),
    action,
    content,
    user: userBody(ctx, user),
  });
  return { kind: 'fansclub', method, msgId, payload, userId: user.id, text: content, action };
}
