// What happens around the chat: trending phrases, likes on recent chats, screen chat, the
// anchor pinning a chat and Douyin taking one down. Likes, pins and takedowns name chats the
// room really sent, so a client can match them.
import { CHAT_LINES } from '../chat-lines.ts';
import { encodeProto } from '../proto.ts';
import type { SentChat } from '../room-model.ts';
import type { GenerateContext, GeneratedMessage } from './context.ts';
import { commonBody, pickViewer, userBody } from './proto-bodies.ts';

export function hotChat(ctx: GenerateContext): GeneratedMessage {
  const method = 'WebcastHotChatMessage';
  const msgId = ctx.nextId();
  const phrases = [ctx.prng.pick(CHAT_LINES), ctx.prng.pick(CHAT_LINES)];
  const payload = encodeProto('HotChatMessage', {
    common: commonBody(ctx, method, msgId),
    title: '大家都在说',
    content: phrases[0],
    num: [ctx.prng.int(5, 80)],
    duration: 10,
    hot_list: phrases,
  });
  return { kind: 'hotChat', method, msgId, payload, userId: null, text: phrases[0] };
}

/** A recent chat, or a fresh made-up one when the room has sent none yet. */
function recentChat(ctx: GenerateContext): SentChat {
  const chats = ctx.room.recentChats;
  if (chats.length > 0) return ctx.prng.pick(chats);
  return { msgId: ctx.nextId(), user: pickViewer(ctx), content: ctx.prng.pick(CHAT_LINES) };
}

export function chatLike(ctx: GenerateContext): GeneratedMessage {
  const method = 'WebcastChatLikeMessage';
  const msgId = ctx.nextId();
  const chat = recentChat(ctx);
  const payload = encodeProto('ChatLikeMessage', {
    common: commonBody(ctx, method, msgId),
    total_msg_data: [{ msg_id: chat.msgId, value: { count: ctx.prng.int(1, 40), version: 1 } }],
  });
  return { kind: 'chatLike', method, msgId, payload, userId: null, text: chat.msgId };
}

export function screenChat(ctx: GenerateContext): GeneratedMessage {
  const method = 'WebcastScreenChatMessage';
  const msgId = ctx.nextId();
  const user = pickViewer(ctx, 3);
  const content = ctx.prng.pick(CHAT_LINES);
  const payload = encodeProto('ScreenChatMessage', {
    common: commonBody(ctx, method, msgId),
    user: userBody(ctx, user),
    screen_chat_type: 1,
    content,
    event_time: String(Math.floor(ctx.nowMs / 1000)),
  });
  return { kind: 'screenChat', method, msgId, payload, userId: user.id, text: content };
}

export function pinChat(ctx: GenerateContext): GeneratedMessage {
  const method = 'WebcastHighlightComment';
  const msgId = ctx.nextId();
  const chat = recentChat(ctx);
  const anchor = ctx.room.anchor;
  const payload = encodeProto('HighlightComment', {
    common: commonBody(ctx, method, msgId),
    id: ctx.nextId(),
    event_time: String(Math.floor(ctx.nowMs / 1000)),
    comment_msg_id: chat.msgId,
    content: chat.content,
    user: userBody(ctx, chat.user),
    action_type: 1,
    end_time: String(Math.floor(ctx.nowMs / 1000) + 60),
    operator_id: anchor.id,
    operator_nickname: anchor.nickname,
  });
  return { kind: 'pin', method, msgId, payload, userId: chat.user.id, text: chat.content };
}

export function deleteChat(ctx: GenerateContext): GeneratedMessage {
  const method = 'WebcastImDeleteMessage';
  const msgId = ctx.nextId();
  const chat = recentChat(ctx);
  const payload = encodeProto('ImDeleteMessage', { common: commonBody(ctx, method, msgId), delete_msg_ids: [chat.msgId] });
  return { kind: 'deleted', method, msgId, payload, userId: null, text: chat.msgId };
}
