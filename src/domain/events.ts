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

// ---- The room page around the video: banners, layout, guides, rank entrance, gift panel ----

export interface BannerEvent extends EventBase {
  type: 'BannerEvent';
  /** Where the banner sits, as Douyin numbers the slots. */
  position: number;
  actionType: number;
  containerType: number;
  /** The banner's page (container_url, else the lynx container's). */
  url: string | null;
  /** Douyin's description of the banner: JSON text, passed on as sent. */
  data: string | null;
}

export interface RoomSyncEvent extends EventBase {
  type: 'RoomSyncEvent';
  /** Which piece of room state this snapshot is, e.g. GrowthCommonBannerSubSyncKey. */
  syncKey: string;
  /** The snapshot's version: a newer one replaces an older one of the same key. */
  version: string;
  /** Standard base64 of the snapshot (its layout depends on the key). */
  payload: string;
}

export interface HourlyRankEntry {
  /** GLOBAL for the site-wide hourly list, CATEGORY for the room's partition list. */
  scope: 'GLOBAL' | 'CATEGORY';
  rankType: number;
  title: string | null;
  /** The lines the entrance rotates through, e.g. "小时榜第3名". */
  texts: string[];
}

export interface HourlyRankEvent extends EventBase {
  type: 'HourlyRankEvent';
  entries: HourlyRankEntry[];
}

export interface GiftPanelEvent extends EventBase {
  type: 'GiftPanelEvent';
  messageType: number;
  /** The scene the new order is for, when sent. */
  scene: string | null;
  /** Gift ids in their new panel order. */
  giftIds: string[];
  /** Gifts described in full by the message. */
  gifts: Gift[];
}

export interface StreamLayoutEvent extends EventBase {
  type: 'StreamLayoutEvent';
  adaptationType: number;
  /** Fractions of the video height (0–1), when sent. */
  heightRatio: number | null;
  bodyCenterRatio: number | null;
  contentTopRatio: number | null;
  contentBottomRatio: number | null;
}

export interface HotRoomEvent extends EventBase {
  type: 'HotRoomEvent';
  /** Douyin's bit map of the room's "hot" flags, as a decimal. */
  flags: string;
}

export interface GuestPolicyEvent extends EventBase {
  type: 'GuestPolicyEvent';
  messageType: number;
  /** Whether resident guests may join; null when the message did not say. */
  guestsAllowed: boolean | null;
  /** Whether link-mic rooms may join; null when the message did not say. */
  linkMicAllowed: boolean | null;
}

export interface AudienceGuideEvent extends EventBase {
  type: 'AudienceGuideEvent';
  /** The hint Douyin shows an anchor whose room has few viewers. */
  text: string | null;
  status: number;
}

// ---- Chat extras ----

export interface HotChatEvent extends EventBase {
  type: 'HotChatEvent';
  title: string | null;
  content: string;
  /** The phrases trending in the room's chat. */
  phrases: string[];
}

export interface ChatLikeCount {
  /** The liked chat message's id. */
  messageId: string;
  count: number;
}

export interface ChatLikeEvent extends EventBase {
  type: 'ChatLikeEvent';
  likes: ChatLikeCount[];
}

export interface ScreenChatEvent extends EventBase {
  type: 'ScreenChatEvent';
  content: string;
  screenChatType: number;
}

export interface PinnedMessageEvent extends EventBase {
  type: 'PinnedMessageEvent';
  /** The pinned chat message's id, when sent. */
  messageId: string | null;
  content: string;
  actionType: number;
  /** When the pin ends, ms; null when not sent. */
  endsAt: number | null;
  operatorId: string | null;
  operatorName: string | null;
}

export interface MessageDeletedEvent extends EventBase {
  type: 'MessageDeletedEvent';
  /** Ids of the messages taken down. */
  messageIds: string[];
}

// ---- Red envelopes, polls, fan tickets ----

export type RedEnvelopePhase = 'SENT' | 'STATUS' | 'ENDED' | 'REWARDED';

export interface RedEnvelopeEvent extends EventBase {
  type: 'RedEnvelopeEvent';
  phase: RedEnvelopePhase;
  /** The envelope (lucky box) id, when sent. */
  envelopeId: string | null;
  diamondCount: number | null;
  title: string | null;
  /** Who won something when it was opened (REWARDED). */
  winnerIds: string[];
}

export interface PollOption {
  text: string | null;
  votes: number;
  giftId: string | null;
  giftName: string | null;
  diamondCount: number | null;
}

export interface PollEvent extends EventBase {
  type: 'PollEvent';
  pollId: string;
  messageType: number;
  options: PollOption[];
  /** When the poll closes, ms; null when not sent. */
  endsAt: number | null;
}

export interface FanTicketEvent extends EventBase {
  type: 'FanTicketEvent';
  /** The room's fan tickets (音浪) so far. */
  total: number;
  totalText: string | null;
}

// ---- Link-mic and PK battles ----

export interface PkAnchor {
  user: User | null;
  /** The anchor's score, once the battle is scored. */
  score: number | null;
  rank: number | null;
}

export interface PkBattleEvent extends EventBase {
  type: 'PkBattleEvent';
  phase: 'STARTED' | 'FINISHED';
  battleId: string | null;
  startedAt: number | null;
  /** Planned length in seconds, when sent. */
  durationSeconds: number | null;
  anchors: PkAnchor[];
}

export interface PkTeam {
  /** The anchor the team supports. */
  anchorId: string | null;
  totalScore: number | null;
  contributors: Contributor[];
}

export interface PkContributionEvent extends EventBase {
  type: 'PkContributionEvent';
  teams: PkTeam[];
}

export interface LinkMicScore {
  userId: string;
  score: number;
}

export interface LinkMicEvent extends EventBase {
  type: 'LinkMicEvent';
  /** Douyin's link-mic message type (invite, reply, enter, leave, scores…). */
  messageType: number;
  battleId: string | null;
  channelId: string | null;
  fromUserId: string | null;
  toUserId: string | null;
  linkedUsers: User[];
  scores: LinkMicScore[];
  text: string | null;
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

/** A gap event: what every gap carries (method, no user, no cursor yet) around the caller's facts. */
export function streamGap(gap: { id: string; roomId: string; createdAt: number; from: number; to: number; reason: string }): StreamGapEvent {
  return {
    type: 'StreamGapEvent',
    id: gap.id,
    roomId: gap.roomId,
    method: 'StreamGap',
    createdAt: gap.createdAt,
    user: null,
    cursor: null,
    from: gap.from,
    to: gap.to,
    reason: gap.reason,
  };
}

export type ConnectionState =
  | 'RESOLVING'
  | 'WAITING_FOR_LIVE'
  | 'UPSTREAM_UNREACHABLE'
  | 'UPSTREAM_DEGRADED'
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
  | BannerEvent
  | RoomSyncEvent
  | HourlyRankEvent
  | GiftPanelEvent
  | StreamLayoutEvent
  | HotRoomEvent
  | GuestPolicyEvent
  | AudienceGuideEvent
  | HotChatEvent
  | ChatLikeEvent
  | ScreenChatEvent
  | PinnedMessageEvent
  | MessageDeletedEvent
  | RedEnvelopeEvent
  | PollEvent
  | FanTicketEvent
  | PkBattleEvent
  | PkContributionEvent
  | LinkMicEvent
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
  'BannerEvent',
  'RoomSyncEvent',
  'HourlyRankEvent',
  'GiftPanelEvent',
  'StreamLayoutEvent',
  'HotRoomEvent',
  'GuestPolicyEvent',
  'AudienceGuideEvent',
  'HotChatEvent',
  'ChatLikeEvent',
  'ScreenChatEvent',
  'PinnedMessageEvent',
  'MessageDeletedEvent',
  'RedEnvelopeEvent',
  'PollEvent',
  'FanTicketEvent',
  'PkBattleEvent',
  'PkContributionEvent',
  'LinkMicEvent',
  'UnknownEvent',
  'StreamGapEvent',
  'ConnectionStateEvent',
] as const satisfies readonly RoomEventType[];
