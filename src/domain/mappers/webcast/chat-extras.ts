// What happens around the chat: trending phrases, likes on chat messages, screen (barrage)
// chat, messages the anchor pins and messages Douyin takes down.
import type { ChatLikeEvent, HotChatEvent, MessageDeletedEvent, PinnedMessageEvent, ScreenChatEvent } from '../../events.ts';
import { count, optionalId, toMillis } from '../../ids.ts';
import type {
  WireChatLikeMessage,
  WireHighlightComment,
  WireHotChatMessage,
  WireImDeleteMessage,
  WireScreenChatMessage,
} from '../../wire.ts';
import { baseEvent, eventOf, type MessageEnvelope } from './envelope.ts';
import { idList, text } from './values.ts';

export function mapHotChat(wire: WireHotChatMessage, envelope: MessageEnvelope): HotChatEvent {
  return eventOf<HotChatEvent>(baseEvent(wire.common, envelope), {
    type: 'HotChatEvent',
    title: text(wire.title),
    content: wire.content ?? '',
    phrases: (wire.hotList ?? []).filter((phrase) => phrase !== ''),
  });
}

/** Like counts per chat message; an entry without a message id names nothing and is left out. */
export function mapChatLike(wire: WireChatLikeMessage, envelope: MessageEnvelope): ChatLikeEvent {
  const likes = (wire.totalMsgData ?? []).flatMap((entry) => {
    const messageId = optionalId(entry.msgId);
    return messageId === null ? [] : [{ messageId, count: count(entry.value?.count) }];
  });
  return eventOf<ChatLikeEvent>(baseEvent(wire.common, envelope), { type: 'ChatLikeEvent', likes });
}

export function mapScreenChat(wire: WireScreenChatMessage, envelope: MessageEnvelope): ScreenChatEvent {
  return eventOf<ScreenChatEvent>(baseEvent(wire.common, envelope, { user: wire.user, fallbackTime: wire.eventTime }), {
    type: 'ScreenChatEvent',
    content: wire.content ?? '',
    screenChatType: count(wire.screenChatType),
  });
}

/** The event's user is the pinned message's author; who pinned it is the operator. */
export function mapHighlightComment(wire: WireHighlightComment, envelope: MessageEnvelope): PinnedMessageEvent {
  return eventOf<PinnedMessageEvent>(baseEvent(wire.common, envelope, { user: wire.user, fallbackTime: wire.eventTime }), {
    type: 'PinnedMessageEvent',
    messageId: optionalId(wire.commentMsgId),
    content: wire.content ?? '',
    actionType: wire.actionType ?? 0,
    endsAt: toMillis(count(wire.endTime)),
    operatorId: optionalId(wire.operatorId),
    operatorName: text(wire.operatorNickname),
  });
}

export function mapImDelete(wire: WireImDeleteMessage, envelope: MessageEnvelope): MessageDeletedEvent {
  return eventOf<MessageDeletedEvent>(baseEvent(wire.common, envelope), {
    type: 'MessageDeletedEvent',
    messageIds: idList(wire.deleteMsgIds),
  });
}
