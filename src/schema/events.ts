import type {
  ChatEvent,
  ConnectionStateEvent,
  Contributor,
  EmojiChatEvent,
  FansClubEvent,
  FollowEvent,
  GiftEvent,
  LikeEvent,
  MemberJoinedEvent,
  ProductEvent,
  RankUpdateEntry,
  RankUpdateEvent,
  RoomEvent,
  RoomEventType,
  RoomIntroEvent,
  RoomNoticeEvent,
  RoomStatsEvent,
  RoomStatusEvent,
  ShareEvent,
  StreamGapEvent,
  UnknownEvent,
  ViewerCountEvent,
} from '../domain/events.ts';
import { watchedStream } from '../live/watched-stream.ts';
import { roomRefArg } from './arguments.ts';
import { builder } from './builder.ts';
import { toCodedError } from './errors.ts';
import { GiftRef } from './gift.ts';
import { loadRoom, resetLoaders, resolveRoomIds } from './loaders.ts';
import { LiveRoomRef } from './room.ts';
import { ConnectionStateEnum, RoomStatusEnum } from './status.ts';
import { UserRef } from './user.ts';

/** GraphQL enum name → the domain event's `type` (which is also its GraphQL object type name). */
export const ROOM_EVENT_TYPE_VALUES = {
  CHAT: 'ChatEvent',
  EMOJI_CHAT: 'EmojiChatEvent',
  GIFT: 'GiftEvent',
  LIKE: 'LikeEvent',
  MEMBER_JOINED: 'MemberJoinedEvent',
  FOLLOW: 'FollowEvent',
  SHARE: 'ShareEvent',
  VIEWER_COUNT: 'ViewerCountEvent',
  ROOM_STATS: 'RoomStatsEvent',
  FANS_CLUB: 'FansClubEvent',
  RANK_UPDATE: 'RankUpdateEvent',
  ROOM_STATUS: 'RoomStatusEvent',
  PRODUCT: 'ProductEvent',
  ROOM_INTRO: 'RoomIntroEvent',
  ROOM_NOTICE: 'RoomNoticeEvent',
  BANNER: 'BannerEvent',
  ROOM_SYNC: 'RoomSyncEvent',
  HOURLY_RANK: 'HourlyRankEvent',
  GIFT_PANEL: 'GiftPanelEvent',
  STREAM_LAYOUT: 'StreamLayoutEvent',
  HOT_ROOM: 'HotRoomEvent',
  GUEST_POLICY: 'GuestPolicyEvent',
  AUDIENCE_GUIDE: 'AudienceGuideEvent',
  FAN_TICKET: 'FanTicketEvent',
  HOT_CHAT: 'HotChatEvent',
  CHAT_LIKE: 'ChatLikeEvent',
  SCREEN_CHAT: 'ScreenChatEvent',
  PINNED_MESSAGE: 'PinnedMessageEvent',
  MESSAGE_DELETED: 'MessageDeletedEvent',
  RED_ENVELOPE: 'RedEnvelopeEvent',
  POLL: 'PollEvent',
  PK_BATTLE: 'PkBattleEvent',
  PK_CONTRIBUTION: 'PkContributionEvent',
  LINK_MIC: 'LinkMicEvent',
  STREAM_GAP: 'StreamGapEvent',
  CONNECTION_STATE: 'ConnectionStateEvent',
  UNKNOWN: 'UnknownEvent',
} as const satisfies Record<string, RoomEventType>;

// Compile-time proof that every domain event type has an enum value.
type Unmapped = Exclude<RoomEventType, (typeof ROOM_EVENT_TYPE_VALUES)[keyof typeof ROOM_EVENT_TYPE_VALUES]>;
const everyTypeMapped: [Unmapped] extends [never] ? true : never = true;
void everyTypeMapped;

type EnumValues<Table extends Record<string, string>> = { [Name in keyof Table]: { value: Table[Name]; description: string } };

function enumValues<Table extends Record<string, string>>(table: Table): EnumValues<Table> {
  const entries = Object.entries(table).map(([name, type]) => [name, { value: type, description: `Events of type ${type}.` }]);
  return Object.fromEntries(entries) as unknown as EnumValues<Table>;
}

export const RoomEventTypeEnum = builder.enumType('RoomEventType', {
  description: 'The kinds of room event; each names one object type implementing RoomEvent.',
  values: enumValues(ROOM_EVENT_TYPE_VALUES),
});

export const RoomEventRef = builder.interfaceRef<RoomEvent>('RoomEvent').implement({
  description: "Something that happened in a room, decoded from Douyin's push messages or raised by the gateway's collector.",
  resolveType: (event) => event.type,
  fields: (t) => ({
    id: t.exposeID('id', { description: "Douyin's msg_id: unique per room, the key events are deduplicated by." }),
    type: t.expose('type', { type: RoomEventTypeEnum }),
    roomId: t.exposeID('roomId'),
    method: t.exposeString('method', {
      description: "Douyin's raw wire method, e.g. WebcastChatMessage: on every event, typed or not.",
    }),
    createdAt: t.expose('createdAt', {
      type: 'DateTime',
      description: "When Douyin created the message; the frame's server time when it sent none.",
    }),
    user: t.expose('user', { type: UserRef, nullable: true, description: 'Who did it, when someone did.' }),
    cursor: t.exposeString('cursor', {
      nullable: true,
      description: 'Position in stored history (pass as `after` to resume); null when the gateway keeps no history.',
    }),
  }),
});

builder.objectRef<ChatEvent>('ChatEvent').implement({
  description: 'A chat message (WebcastChatMessage).',
  interfaces: [RoomEventRef],
  fields: (t) => ({ content: t.exposeString('content') }),
});

builder.objectRef<EmojiChatEvent>('EmojiChatEvent').implement({
  description: 'A chat message that is one sticker emoji (WebcastEmojiChatMessage).',
  interfaces: [RoomEventRef],
  fields: (t) => ({
    emojiId: t.exposeID('emojiId'),
    content: t.exposeString('content', { description: 'The emoji\'s text form, e.g. "[捂脸]".' }),
    imageUrl: t.exposeString('imageUrl', { nullable: true }),
  }),
});

export const GiftPhaseEnum = builder.enumType('GiftPhase', {
  description: 'Where a gift event stands in its combo.',
  values: {
    STARTED: { description: 'The first event of a combo.' },
    PROGRESS: { description: 'The combo goes on.' },
    FINAL: { description: 'The combo ended (Douyin said so, or it went quiet).' },
  } as const,
});

builder.objectRef<GiftEvent>('GiftEvent').implement({
  description:
    'A gift (WebcastGiftMessage). Douyin repeats a combo\'s running total; deltaCount is what this event adds, so ' +
    'summing deltaCount over a combo counts every gift once.',
  interfaces: [RoomEventRef],
  fields: (t) => ({
    gift: t.expose('gift', { type: GiftRef }),
    toUser: t.expose('toUser', { type: UserRef, nullable: true, description: 'The receiver, when not the anchor.' }),
    groupId: t.exposeID('groupId', { description: 'Shared by the events of one combo.' }),
    repeatCount: t.exposeInt('repeatCount', { description: "Douyin's running count for the combo (repeat_count)." }),
    groupCount: t.exposeInt('groupCount', { description: 'Gifts per send: 1, 10, 66, 188…' }),
    repeatEnd: t.exposeBoolean('repeatEnd', { description: 'Douyin marked the combo finished.' }),
    phase: t.expose('phase', { type: GiftPhaseEnum }),
    deltaCount: t.exposeInt('deltaCount', { description: 'Gifts this event adds to the combo.' }),
    totalCount: t.exposeInt('totalCount', { description: 'Gifts in the combo so far.' }),
    totalDiamonds: t.expose('totalDiamonds', {
      type: 'SafeInt',
      description: "Diamonds in the combo so far (totalCount × the gift's price).",
    }),
  }),
});

builder.objectRef<LikeEvent>('LikeEvent').implement({
  description: 'A burst of likes (WebcastLikeMessage).',
  interfaces: [RoomEventRef],
  fields: (t) => ({
    count: t.exposeInt('count', { description: 'Likes in this burst.' }),
    total: t.expose('total', { type: 'SafeInt', description: 'Likes of the broadcast so far.' }),
  }),
});

builder.objectRef<MemberJoinedEvent>('MemberJoinedEvent').implement({
  description: 'A viewer entered the room (WebcastMemberMessage).',
  interfaces: [RoomEventRef],
  fields: (t) => ({
    memberCount: t.expose('memberCount', {
      type: 'SafeInt',
      nullable: true,
      description: 'Viewers online as Douyin counted them with this join, when sent.',
    }),
  }),
});

builder.objectRef<FollowEvent>('FollowEvent').implement({
  description: 'A viewer followed the anchor (WebcastSocialMessage).',
  interfaces: [RoomEventRef],
  fields: (t) => ({
    followerCount: t.expose('followerCount', {
      type: 'SafeInt',
      nullable: true,
      description: "The anchor's follower count after this follow.",
    }),
  }),
});

builder.objectRef<ShareEvent>('ShareEvent').implement({
  description: 'A viewer shared the room (WebcastSocialMessage).',
  interfaces: [RoomEventRef],
  fields: (t) => ({
    target: t.exposeString('target', { description: 'WECHAT, MOMENTS, WEIBO, QZONE, QQ, DOUYIN_FRIENDS or OTHER.' }),
    shareCount: t.expose('shareCount', { type: 'SafeInt', nullable: true }),
  }),
});

export const ContributorRef = builder.objectRef<Contributor>('Contributor').implement({
  description: 'A top gift giver: listed with a viewer count update, or as a PK team\'s contributor.',
  fields: (t) => ({
    rank: t.exposeInt('rank'),
    score: t.expose('score', { type: 'SafeInt', description: 'Diamonds given in this broadcast (in a PK: for that side).' }),
    user: t.expose('user', { type: UserRef, nullable: true }),
  }),
});

builder.objectRef<ViewerCountEvent>('ViewerCountEvent').implement({
  description: 'Viewer figures (WebcastRoomUserSeqMessage), every few seconds.',
  interfaces: [RoomEventRef],
  fields: (t) => ({
    current: t.expose('current', { type: 'SafeInt', description: 'People watching now (exact).' }),
    total: t.expose('total', { type: 'SafeInt', nullable: true, description: 'People who have watched in total.' }),
    currentText: t.exposeString('currentText', { nullable: true, description: 'Douyin\'s rounded text, e.g. "30.6万".' }),
    totalText: t.exposeString('totalText', { nullable: true }),
    topContributors: t.expose('topContributors', { type: [ContributorRef] }),
  }),
});

const RoomStatsKindEnum = builder.enumType('RoomStatsKind', {
  values: {
    ONLINE: { description: 'People watching now.' },
    CUMULATIVE: { description: 'People who have watched in total.' },
    OTHER: { description: 'A figure Douyin did not label.' },
  } as const,
});

builder.objectRef<RoomStatsEvent>('RoomStatsEvent').implement({
  description: 'A displayed room figure (WebcastRoomStatsMessage).',
  interfaces: [RoomEventRef],
  fields: (t) => ({
    value: t.expose('value', { type: 'SafeInt' }),
    kind: t.expose('kind', { type: RoomStatsKindEnum }),
    displayShort: t.exposeString('displayShort', { nullable: true }),
    displayLong: t.exposeString('displayLong', { nullable: true }),
  }),
});

const FansClubActionEnum = builder.enumType('FansClubAction', {
  values: ['JOINED', 'LEVEL_UP', 'OTHER'] as const,
});

builder.objectRef<FansClubEvent>('FansClubEvent').implement({
  description: "A viewer joined the anchor's fans club or rose a level in it (WebcastFansclubMessage).",
  interfaces: [RoomEventRef],
  fields: (t) => ({
    action: t.expose('action', { type: FansClubActionEnum }),
    content: t.exposeString('content'),
    level: t.exposeInt('level', { nullable: true, description: "The user's club level after the event, when sent." }),
  }),
});

const RankUpdateEntryRef = builder.objectRef<RankUpdateEntry>('RankUpdateEntry').implement({
  fields: (t) => ({
    rank: t.exposeInt('rank'),
    user: t.expose('user', { type: UserRef, nullable: true }),
    scoreText: t.exposeString('scoreText', { nullable: true, description: "Douyin's display text for the score." }),
  }),
});

builder.objectRef<RankUpdateEvent>('RankUpdateEvent').implement({
  description: 'The gift ranking changed (WebcastRoomRankMessage).',
  interfaces: [RoomEventRef],
  fields: (t) => ({ entries: t.expose('entries', { type: [RankUpdateEntryRef] }) }),
});

builder.objectRef<RoomStatusEvent>('RoomStatusEvent').implement({
  description: 'The broadcast paused, resumed or ended (WebcastControlMessage).',
  interfaces: [RoomEventRef],
  fields: (t) => ({
    status: t.expose('status', { type: RoomStatusEnum }),
    action: t.exposeInt('action', { description: "Douyin's control action: 1 paused, 2 resumed, 3 ended, 4 ended by the platform." }),
    reason: t.exposeString('reason', { nullable: true }),
  }),
});

const ProductActionEnum = builder.enumType('ProductAction', {
  values: ['CART_CHANGED', 'EXPLAINING', 'SOLD_OUT', 'UPDATED', 'PURCHASED', 'OTHER'] as const,
});

builder.objectRef<ProductEvent>('ProductEvent').implement({
  description: "The room's cart changed, a product is presented, sold out or bought (e-commerce messages).",
  interfaces: [RoomEventRef],
  fields: (t) => ({
    action: t.expose('action', { type: ProductActionEnum }),
    promotionIds: t.exposeIDList('promotionIds'),
    text: t.exposeString('text', { nullable: true }),
    total: t.exposeInt('total', { nullable: true, description: 'Products in the cart after a change, when sent.' }),
  }),
});

builder.objectRef<RoomIntroEvent>('RoomIntroEvent').implement({
  description: "The anchor's room introduction (WebcastRoomIntroMessage).",
  interfaces: [RoomEventRef],
  fields: (t) => ({ intro: t.exposeString('intro'), labels: t.exposeStringList('labels') }),
});

builder.objectRef<RoomNoticeEvent>('RoomNoticeEvent').implement({
  description: 'A system notice shown in the room (WebcastRoomMessage).',
  interfaces: [RoomEventRef],
  fields: (t) => ({ content: t.exposeString('content') }),
});

builder.objectRef<StreamGapEvent>('StreamGapEvent').implement({
  description: 'The gateway reconnected and may have missed messages between `from` and `to`: said, not hidden.',
  interfaces: [RoomEventRef],
  fields: (t) => ({
    from: t.expose('from', { type: 'DateTime', description: 'Time of the last message before the gap.' }),
    to: t.expose('to', { type: 'DateTime', description: 'When the stream resumed.' }),
    reason: t.exposeString('reason'),
  }),
});

builder.objectRef<ConnectionStateEvent>('ConnectionStateEvent').implement({
  description: "The gateway's collector for the room changed state.",
  interfaces: [RoomEventRef],
  fields: (t) => ({
    state: t.expose('state', { type: ConnectionStateEnum }),
    previous: t.expose('previous', { type: ConnectionStateEnum, nullable: true }),
    reason: t.exposeString('reason', { nullable: true }),
  }),
});

builder.objectRef<UnknownEvent>('UnknownEvent').implement({
  description: 'A message type the gateway does not model, passed on by its method name with the raw payload.',
  interfaces: [RoomEventRef],
  fields: (t) => ({
    payload: t.exposeString('payload', { description: 'Standard base64 of the protobuf message payload.' }),
  }),
});

builder.interfaceField(RoomEventRef, 'room', (t) =>
  t.field({
    type: LiveRoomRef,
    nullable: true,
    description:
      "The room's info as of now (one upstream call per room per operation; in a subscription, per event).",
    resolve: (event, _args, context) => loadRoom(context, { kind: 'roomId', roomId: event.roomId }),
  }),
);

builder.subscriptionField('roomEvents', (t) =>
  t.field({
    type: RoomEventRef,
    description:
      "A room's events as they happen, each once and in order. Subscribing watches the room (starts its collector) " +
      'until the subscription ends. With `after` (a cursor from an earlier event) the stored events after it are ' +
      'replayed first, with no gap or duplicate before the live ones.',
    args: {
      roomId: t.arg.id({ required: true, description: 'A room_id, or a web_rid for the anchor\'s current broadcast.' }),
      types: t.arg({ type: [RoomEventTypeEnum], required: false, description: 'Only these kinds; all when omitted.' }),
      after: t.arg.string({ description: 'Resume after this cursor (needs the event store).' }),
    },
    subscribe: async (_root, args, context) => {
      const [roomId] = await resolveRoomIds(context, [roomRefArg(args.roomId, 'roomId')]);
      const id = roomId as string;
      const subscription = { types: args.types ?? null, after: args.after ?? null };
      // The live layer checks the cursor and filters the types, once for every transport.
      return watchedStream(context, [id], (signal) => context.events.subscribe(id, { ...subscription, signal }), toCodedError);
    },
    resolve: (event, _args, context) => {
      resetLoaders(context);
      context.observer?.eventDelivered(event);
      return event;
    },
  }),
);
