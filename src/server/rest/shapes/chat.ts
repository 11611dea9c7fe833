// Stored room events → the vendor's chat poll payload. Of the vendor's two documented shapes we
// serve the newer one (vendor-api-chat-audience.txt, Douyin's own im/fetch layout): it has a
// cursor, which a poll-based route needs, and names each message by its wire method.
//   data = { messages: [{method, msg_id, payload: {room_id, content, user: {uid, nickname,
//            unique_id, sec_uid}}}], cursor, fetch_interval, now, internal_ext, ignores }
import type { RoomEvent, RoomEventType } from '../../../domain/events.ts';
import type { User } from '../../../domain/model.ts';
import { idLiteral, type VendorJson } from '../json.ts';

/** The events the vendor's chat route carried: chat, gifts, likes, joins, follows/shares, the intro. */
export const CHAT_EVENT_TYPES = [
  'ChatEvent',
  'EmojiChatEvent',
  'GiftEvent',
  'LikeEvent',
  'MemberJoinedEvent',
  'FollowEvent',
  'ShareEvent',
  'RoomIntroEvent',
] as const satisfies readonly RoomEventType[];

/** Methods the route leaves out, reported in `ignores` as Douyin's fetch response does. */
export const CHAT_IGNORED_METHODS = [
  'WebcastRoomMessage',
  'WebcastRoomUserSeqMessage',
  'WebcastRoomStatsMessage',
  'WebcastRoomRankMessage',
  'WebcastControlMessage',
  'WebcastFansclubMessage',
  'WebcastLiveEcomMessage',
];

/** How often a client should poll, as Douyin's own fetch_interval (ms). */
export const CHAT_FETCH_INTERVAL_MS = 1000;

function content(event: RoomEvent): string | null {
  switch (event.type) {
    case 'ChatEvent':
    case 'EmojiChatEvent':
      return event.content;
    case 'GiftEvent':
      return `${event.user?.nickname ?? ''}:送给主播 ${event.totalCount}个${event.gift.name}`;
    case 'LikeEvent':
      return '点赞';
    case 'MemberJoinedEvent':
      return '来了';
    case 'FollowEvent':
      return '关注了主播';
    case 'ShareEvent':
      return '分享了直播间';
    case 'RoomIntroEvent':
      return event.intro;
    default:
      return null;
  }
}

function chatUser(user: User | null): VendorJson {
  return {
    uid: idLiteral(user?.id),
    nickname: user?.nickname ?? '',
    unique_id: user?.displayId ?? '',
    sec_uid: user?.secUid ?? '',
  };
}

/** null for events the chat route does not carry. */
export function vendorChatMessage(event: RoomEvent): VendorJson | null {
  const text = content(event);
  if (text === null) return null;
  return {
    method: event.method,
    msg_id: idLiteral(event.id),
    payload: { room_id: idLiteral(event.roomId), content: text, user: chatUser(event.user) },
  };
}

export function vendorChatPage(events: readonly RoomEvent[], cursor: string | null, now: number): VendorJson {
  const messages: VendorJson[] = [];
  for (const event of events) {
    const message = vendorChatMessage(event);
    if (message !== null) messages.push(message);
  }
  return {
    messages,
    cursor: cursor ?? '',
    fetch_interval: CHAT_FETCH_INTERVAL_MS,
    now,
    internal_ext: '',
    ignores: CHAT_IGNORED_METHODS,
  };
}
