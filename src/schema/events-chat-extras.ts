// Event types around the chat: trending phrases, likes on chat messages, screen chat, pinned
// and deleted messages.
import type { ChatLikeCount, ChatLikeEvent, HotChatEvent, MessageDeletedEvent, PinnedMessageEvent, ScreenChatEvent } from '../domain/events.ts';
import { builder } from './builder.ts';
import { RoomEventRef } from './events.ts';

builder.objectRef<HotChatEvent>('HotChatEvent').implement({
  description: "Phrases trending in the room's chat (WebcastHotChatMessage).",
  interfaces: [RoomEventRef],
  fields: (t) => ({
    title: t.exposeString('title', { nullable: true }),
    content: t.exposeString('content'),
    phrases: t.exposeStringList('phrases'),
  }),
});

const ChatLikeCountRef = builder.objectRef<ChatLikeCount>('ChatLikeCount').implement({
  fields: (t) => ({
    messageId: t.exposeID('messageId', { description: 'The liked chat message (its event id).' }),
    count: t.expose('count', { type: 'SafeInt' }),
  }),
});

builder.objectRef<ChatLikeEvent>('ChatLikeEvent').implement({
  description: 'Likes on chat messages (WebcastChatLikeMessage).',
  interfaces: [RoomEventRef],
  fields: (t) => ({ likes: t.expose('likes', { type: [ChatLikeCountRef] }) }),
});

builder.objectRef<ScreenChatEvent>('ScreenChatEvent').implement({
  description: 'A chat shown across the video (WebcastScreenChatMessage).',
  interfaces: [RoomEventRef],
  fields: (t) => ({
    content: t.exposeString('content'),
    screenChatType: t.exposeInt('screenChatType'),
  }),
});

builder.objectRef<PinnedMessageEvent>('PinnedMessageEvent').implement({
  description: 'A chat message was pinned above the chat (WebcastHighlightComment). `user` is its author.',
  interfaces: [RoomEventRef],
  fields: (t) => ({
    messageId: t.exposeID('messageId', { nullable: true, description: 'The pinned chat message (its event id).' }),
    content: t.exposeString('content'),
    actionType: t.exposeInt('actionType', { description: "Douyin's action number for the pin." }),
    endsAt: t.expose('endsAt', { type: 'DateTime', nullable: true, description: 'When the pin ends.' }),
    operatorId: t.exposeID('operatorId', { nullable: true, description: 'Who pinned it.' }),
    operatorName: t.exposeString('operatorName', { nullable: true }),
  }),
});

builder.objectRef<MessageDeletedEvent>('MessageDeletedEvent').implement({
  description: 'Messages were taken down (WebcastImDeleteMessage): a client should hide them.',
  interfaces: [RoomEventRef],
  fields: (t) => ({ messageIds: t.exposeIDList('messageIds', { description: 'Event ids of the messages taken down.' }) }),
});
