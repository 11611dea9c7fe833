// Strict shapes of the domain events, written from src/domain/events.ts and model.ts: every
// field present with its JS type, nothing extra. "Complete" in the tests means passing these.
import { z } from 'zod';

const decimalId = z.string().regex(/^[0-9]+$/, 'a decimal id');
/** The msg_id, or for a message that has none, an id scoped to its frame (nomsgid:<log_id>:<index>). */
const messageId = z.string().regex(/^(?:[1-9][0-9]*|nomsgid:[0-9]+:[0-9]+)$/, 'a message id');
const count = z.number().refine(Number.isFinite, 'a finite number');
const nonNegative = count.refine((n) => n >= 0, 'not negative');

/** A 64-bit value as Douyin sent it, '0' when absent (versions, flags, a poll or battle id). */
const decimalOrZero = z.string().regex(/^[0-9]+$/, 'a decimal');
const base64 = z.string().regex(/^[A-Za-z0-9+/]*={0,2}$/, 'standard base64');

const image = z.strictObject({
  urls: z.array(z.string().min(1)).min(1),
  uri: z.string().min(1).nullable(),
  width: nonNegative.nullable(),
  height: nonNegative.nullable(),
});

const payGrade = z.strictObject({
  level: nonNegative,
  name: z.string().nullable(),
  description: z.string().nullable(),
  minDiamonds: nonNegative.nullable(),
  maxDiamonds: nonNegative.nullable(),
  nextDiamonds: nonNegative.nullable(),
});

const fansClub = z.strictObject({ name: z.string().min(1), level: nonNegative, anchorId: decimalId.nullable() });

export const userSchema = z.strictObject({
  id: decimalId,
  shortId: decimalId.nullable(),
  secUid: z.string().min(1).nullable(),
  displayId: z.string().min(1).nullable(),
  nickname: z.string(),
  avatar: image.nullable(),
  avatarSizes: z.partialRecord(z.enum(['SMALL', 'MEDIUM', 'LARGE']), image).nullable(),
  gender: z.enum(['UNKNOWN', 'MALE', 'FEMALE']),
  signature: z.string().min(1).nullable(),
  payGrade: payGrade.nullable(),
  fansClub: fansClub.nullable(),
  followerCount: nonNegative.nullable(),
  followingCount: nonNegative.nullable(),
  verified: z.boolean(),
  webRid: z.string().min(1).nullable(),
});

const user = userSchema.nullable();

const contributor = z.strictObject({ rank: nonNegative, score: nonNegative, user });

const base = {
  id: messageId,
  roomId: decimalId,
  method: z.string(),
  createdAt: nonNegative,
  user,
  cursor: z.null(),
};

const gift = z.strictObject({
  id: decimalId,
  name: z.string(),
  diamondCount: nonNegative,
  combo: z.boolean(),
  image: image.nullable(),
  type: count.nullable(),
});

export const upstreamEventSchema = z.discriminatedUnion('type', [
  z.strictObject({ ...base, type: z.literal('ChatEvent'), content: z.string() }),
  z.strictObject({ ...base, type: z.literal('EmojiChatEvent'), emojiId: decimalId, content: z.string(), imageUrl: z.string().min(1).nullable() }),
  z.strictObject({
    ...base,
    type: z.literal('GiftEvent'),
    gift,
    toUser: user,
    groupId: decimalId,
    repeatCount: nonNegative,
    groupCount: nonNegative,
    repeatEnd: z.boolean(),
    phase: z.enum(['STARTED', 'PROGRESS', 'FINAL']),
    deltaCount: nonNegative,
    totalCount: nonNegative,
    totalDiamonds: nonNegative,
  }),
  z.strictObject({ ...base, type: z.literal('LikeEvent'), count: nonNegative, total: nonNegative }),
  z.strictObject({ ...base, type: z.literal('MemberJoinedEvent'), memberCount: nonNegative.nullable() }),
  z.strictObject({ ...base, type: z.literal('FollowEvent'), followerCount: nonNegative.nullable() }),
  z.strictObject({
    ...base,
    type: z.literal('ShareEvent'),
    target: z.enum(['WECHAT', 'MOMENTS', 'WEIBO', 'QZONE', 'QQ', 'DOUYIN_FRIENDS', 'OTHER']),
    shareCount: nonNegative.nullable(),
  }),
  z.strictObject({
    ...base,
    type: z.literal('ViewerCountEvent'),
    current: nonNegative,
    total: nonNegative.nullable(),
    currentText: z.string().min(1).nullable(),
    totalText: z.string().min(1).nullable(),
    topContributors: z.array(contributor),
  }),
  z.strictObject({
    ...base,
    type: z.literal('RoomStatsEvent'),
    value: nonNegative,
    kind: z.enum(['ONLINE', 'CUMULATIVE', 'OTHER']),
    displayShort: z.string().min(1).nullable(),
    displayLong: z.string().min(1).nullable(),
  }),
  z.strictObject({
    ...base,
    type: z.literal('FansClubEvent'),
    action: z.enum(['JOINED', 'LEVEL_UP', 'OTHER']),
    content: z.string(),
    level: nonNegative.nullable(),
  }),
  z.strictObject({
    ...base,
    type: z.literal('RankUpdateEvent'),
    entries: z.array(z.strictObject({ rank: nonNegative, user, scoreText: z.string().min(1).nullable() })),
  }),
  z.strictObject({
    ...base,
    type: z.literal('RoomStatusEvent'),
    status: z.enum(['PREPARING', 'LIVE', 'PAUSED', 'ENDED', 'UNKNOWN']),
    action: nonNegative,
    reason: z.string().min(1).nullable(),
  }),
  z.strictObject({
    ...base,
    type: z.literal('ProductEvent'),
    action: z.enum(['CART_CHANGED', 'EXPLAINING', 'SOLD_OUT', 'UPDATED', 'PURCHASED', 'OTHER']),
    promotionIds: z.array(decimalId),
    text: z.string().min(1).nullable(),
    total: nonNegative.nullable(),
  }),
  z.strictObject({ ...base, type: z.literal('RoomIntroEvent'), intro: z.string(), labels: z.array(z.string()) }),
  z.strictObject({ ...base, type: z.literal('RoomNoticeEvent'), content: z.string() }),
  z.strictObject({
    ...base,
    type: z.literal('BannerEvent'),
    position: count,
    actionType: count,
    containerType: count,
    url: z.string().min(1).nullable(),
    data: z.string().min(1).nullable(),
  }),
  z.strictObject({ ...base, type: z.literal('RoomSyncEvent'), syncKey: z.string(), version: decimalOrZero, payload: base64 }),
  z.strictObject({
    ...base,
    type: z.literal('HourlyRankEvent'),
    entries: z.array(
      z.strictObject({ scope: z.enum(['GLOBAL', 'CATEGORY']), rankType: count, title: z.string().min(1).nullable(), texts: z.array(z.string().min(1)) }),
    ),
  }),
  z.strictObject({
    ...base,
    type: z.literal('GiftPanelEvent'),
    messageType: count,
    scene: z.string().min(1).nullable(),
    giftIds: z.array(decimalId),
    gifts: z.array(gift),
  }),
  z.strictObject({
    ...base,
    type: z.literal('StreamLayoutEvent'),
    adaptationType: count,
    heightRatio: count.nullable(),
    bodyCenterRatio: count.nullable(),
    contentTopRatio: count.nullable(),
    contentBottomRatio: count.nullable(),
  }),
  z.strictObject({ ...base, type: z.literal('HotRoomEvent'), flags: decimalOrZero }),
  z.strictObject({ ...base, type: z.literal('GuestPolicyEvent'), messageType: count, guestsAllowed: z.boolean().nullable(), linkMicAllowed: z.boolean().nullable() }),
  z.strictObject({ ...base, type: z.literal('AudienceGuideEvent'), text: z.string().min(1).nullable(), status: nonNegative }),
  z.strictObject({ ...base, type: z.literal('FanTicketEvent'), total: nonNegative, totalText: z.string().min(1).nullable() }),
  z.strictObject({ ...base, type: z.literal('HotChatEvent'), title: z.string().min(1).nullable(), content: z.string(), phrases: z.array(z.string().min(1)) }),
  z.strictObject({ ...base, type: z.literal('ChatLikeEvent'), likes: z.array(z.strictObject({ messageId: decimalId, count: nonNegative })) }),
  z.strictObject({ ...base, type: z.literal('ScreenChatEvent'), content: z.string(), screenChatType: nonNegative }),
  z.strictObject({
    ...base,
    type: z.literal('PinnedMessageEvent'),
    messageId: decimalId.nullable(),
    content: z.string(),
    actionType: count,
    endsAt: nonNegative.nullable(),
    operatorId: decimalId.nullable(),
    operatorName: z.string().min(1).nullable(),
  }),
  z.strictObject({ ...base, type: z.literal('MessageDeletedEvent'), messageIds: z.array(decimalId) }),
  z.strictObject({
    ...base,
    type: z.literal('RedEnvelopeEvent'),
    phase: z.enum(['SENT', 'STATUS', 'ENDED', 'REWARDED']),
    envelopeId: decimalId.nullable(),
    diamondCount: nonNegative.nullable(),
    title: z.string().min(1).nullable(),
    winnerIds: z.array(decimalId),
  }),
  z.strictObject({
    ...base,
    type: z.literal('PollEvent'),
    pollId: decimalOrZero,
    messageType: nonNegative,
    options: z.array(
      z.strictObject({
        text: z.string().min(1).nullable(),
        votes: nonNegative,
        giftId: decimalId.nullable(),
        giftName: z.string().min(1).nullable(),
        diamondCount: nonNegative.nullable(),
      }),
    ),
    endsAt: nonNegative.nullable(),
  }),
  z.strictObject({
    ...base,
    type: z.literal('PkBattleEvent'),
    phase: z.enum(['STARTED', 'FINISHED']),
    battleId: decimalId.nullable(),
    startedAt: nonNegative.nullable(),
    durationSeconds: nonNegative.nullable(),
    anchors: z.array(z.strictObject({ user, score: count.nullable(), rank: nonNegative.nullable() })),
  }),
  z.strictObject({
    ...base,
    type: z.literal('PkContributionEvent'),
    teams: z.array(z.strictObject({ anchorId: decimalId.nullable(), totalScore: nonNegative.nullable(), contributors: z.array(contributor) })),
  }),
  z.strictObject({
    ...base,
    type: z.literal('LinkMicEvent'),
    messageType: nonNegative,
    battleId: decimalId.nullable(),
    channelId: decimalId.nullable(),
    fromUserId: decimalId.nullable(),
    toUserId: decimalId.nullable(),
    linkedUsers: z.array(userSchema),
    scores: z.array(z.strictObject({ userId: decimalId, score: nonNegative })),
    text: z.string().min(1).nullable(),
  }),
  z.strictObject({ ...base, type: z.literal('UnknownEvent'), payload: base64 }),
]);

/** The zod issues of an event that is not complete, as readable text; '' when it is. */
export function incompleteness(event: unknown): string {
  const result = upstreamEventSchema.safeParse(event);
  return result.success ? '' : result.error.issues.map((issue) => `${issue.path.join('.')}: ${issue.message}`).join('; ');
}
