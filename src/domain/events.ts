// Room events, named by meaning rather than by Douyin's wire names. `type` equals the
// GraphQL type name, so the schema resolves the union without a lookup table.
import type { Gift, RoomStatus, User } from './model.ts';

export interface EventBase {
  /** The message id (Common.msg_id, else Message.msg_id): the dedup key. */
  id: string;
  roomId: string;
  /** Douyin's wire method, e.g. WebcastChatMessage. */
  method: string;
  /** When the message was created, in ms; the frame's server time when Douyin sent none. */
  createdAt: number;
  user: User | null;
  /** Position in the room's stored history; set once the event is stored, else null. */
  cursor: string | null;
}

export interface ChatEvent extends EventBase {
  type: 'ChatEvent';
  content: string;
  user: User | null;
}

export interface EmojiChatEvent extends EventBase {
  type: 'EmojiChatEvent';
  emojiId: string;
  /** The emoji's text form, e.g. "[捂脸]". */
  content: string;
  imageUrl: string | null;
}

export type GiftPhase = 'STARTED' | 'PROGRESS' | 'FINAL';

export interface GiftEvent extends EventBase {
  type: 'GiftEvent';
  gift: Gift;
  toUser: User | null;
  /** Combo session: the same sender repeating one gift shares a group id. */
  groupId: string;
  /** Douyin's running count for the combo (repeat_count). */
  repeatCount: number;
  /** Gifts per send: 1, 10, 66, 188… */
  groupCount: number;
  /** Douyin marked the combo finished (repeat_end). */
  repeatEnd: boolean;
  phase: GiftPhase;
  /** Gifts this event adds to the combo: counted once across the whole combo. */
  deltaCount: number;
  /** Gifts in the combo so far. */
  totalCount: number;
  /** Diamonds in the combo so far (totalCount × the gift's price). */
  totalDiamonds: number;
}

export interface LikeEvent extends EventBase {
  type: 'LikeEvent';
  /** Likes in this burst. */
  count: number;
  /** Likes of the broadcast so far. */
  total: number;
}

export interface MemberJoinedEvent extends EventBase {
  type: 'MemberJoinedEvent';
  /** Viewers online as Douyin counted them with this join, when sent. */
  memberCount: number | null;
}

export interface FollowEvent extends EventBase {
  type: 'FollowEvent';
  /** The anchor's follower count after this follow. */
  followerCount: number | null;
}

export interface ShareEvent extends EventBase {
  type: 'ShareEvent';
  /** Where it was shared: WECHAT, MOMENTS, WEIBO, QZONE, QQ, DOUYIN_FRIENDS or OTHER. */
  target: string;
  shareCount: number | null;
}

export interface Contributor {
  rank: number;
  score: number;
  user: User | null;
}

export interface ViewerCountEvent extends EventBase {
  type: 'ViewerCountEvent';
  /** People watching now (exact). */
  current: number;
  /** People who have watched this broadcast in total. */
  total: number | null;
  /** Douyin's rounded display text, e.g. "30.6万". */
  currentText: string | null;
  totalText: string | null;
  topContributors: Contributor[];
}

export interface RoomStatsEvent extends EventBase {
  type: 'RoomStatsEvent';
  value: number;
  /** ONLINE (people watching now) or CUMULATIVE (watched in total). */
  kind: 'ONLINE' | 'CUMULATIVE' | 'OTHER';
  displayShort: string | null;
  displayLong: string | null;
}

export interface FansClubEvent extends EventBase {
  type: 'FansClubEvent';
  action: 'JOINED' | 'LEVEL_UP' | 'OTHER';
  content: string;
  /** The user's club level after the event, when sent. */
  level: number | null;
}

export interface RankUpdateEntry {
  rank: number;
  user: User | null;
  scoreText: string | null;
}

export interface RankUpdateEvent extends EventBase {
  type: 'RankUpdateEvent';
  entries: RankUpdateEntry[];
}

export interface RoomStatusEvent extends EventBase {
  type: 'RoomStatusEvent';
  status: RoomStatus;
  /** Douyin's control action: 1 paused, 2 resumed, 3 ended, 4 ended by the platform. */
  action: number;
  reason: string | null;
}

export type ProductAction = 'CART_CHANGED' | 'EXPLAINING' | 'SOLD_OUT' | 'UPDATED' | 'PURCHASED' | 'OTHER';

export interface ProductEvent extends EventBase {
  type: 'ProductEvent';
  action: ProductAction;
  promotionIds: string[];
  text: string | null;
  /** Products in the cart after a change, when sent. */
  total: number | null;
}

export interface RoomIntroEvent extends EventBase {
  type: 'RoomIntroEvent';
  intro: string;
  labels: string[];
}

export interface RoomNoticeEvent extends EventBase {
  type: 'RoomNoticeEvent';
  content: string;
}

/** A message type the gateway does not model: passed on by name with its raw payload. */
export interface UnknownEvent extends EventBase {
  type: 'UnknownEvent';
  /** Standard base64 of the message payload. */
  payload: string;
}

/** Emitted after a reconnect that may have lost messages, instead of pretending it did not. */
export interface StreamGapEvent extends EventBase {
  type: 'StreamGapEvent';
  /** Time of the last message before the gap, ms. */
  from: number;
  /** Time the stream resumed, ms. */
  to: number;
  reason: string;
}

export type ConnectionState =
  | 'RESOLVING'
  | 'WAITING_FOR_LIVE'
  | 'CONNECTING'
  | 'LIVE'
  | 'STALLED'
  | 'RECONNECTING'
  | 'ENDED';

export interface ConnectionStateEvent extends EventBase {
  type: 'ConnectionStateEvent';
  state: ConnectionState;
  previous: ConnectionState | null;
  reason: string | null;
}

/** Events decoded from Douyin's push messages. */
export type UpstreamEvent =
  | ChatEvent
  | EmojiChatEvent
  | GiftEvent
  | LikeEvent
  | MemberJoinedEvent
  | FollowEvent
  | ShareEvent
  | ViewerCountEvent
  | RoomStatsEvent
  | FansClubEvent
  | RankUpdateEvent
  | RoomStatusEvent
  | ProductEvent
  | RoomIntroEvent
  | RoomNoticeEvent
  | UnknownEvent;

/** Everything a room subscription can carry: upstream events and the collector's own. */
export type RoomEvent = UpstreamEvent | StreamGapEvent | ConnectionStateEvent;

export type RoomEventType = RoomEvent['type'];

export const ROOM_EVENT_TYPES = [
  'ChatEvent',
  'EmojiChatEvent',
  'GiftEvent',
  'LikeEvent',
  'MemberJoinedEvent',
  'FollowEvent',
  'ShareEvent',
  'ViewerCountEvent',
  'RoomStatsEvent',
  'FansClubEvent',
  'RankUpdateEvent',
  'RoomStatusEvent',
  'ProductEvent',
  'RoomIntroEvent',
  'RoomNoticeEvent',
  'UnknownEvent',
  'StreamGapEvent',
  'ConnectionStateEvent',
] as const satisfies readonly RoomEventType[];
