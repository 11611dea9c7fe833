// The decoded webcast protobuf shapes the mappers read, as plain structural types: protobufjs
// message instances satisfy them, and so do hand-written objects in tests. Names are the
// camelCase protobufjs gives the fields of proto/webcast.proto. Every field is optional because
// proto3 leaves absent fields at their default (protobufjs: null for messages, '' and 0 else).
import type { Uint64Like } from './ids.ts';

type Maybe<T> = T | null | undefined;

export interface WireImage {
  urlList?: Maybe<string[]>;
  uri?: Maybe<string>;
  height?: Uint64Like;
  width?: Uint64Like;
  content?: Maybe<{ name?: Maybe<string>; alternativeText?: Maybe<string> }>;
}

export interface WireFollowInfo {
  followingCount?: Uint64Like;
  followerCount?: Uint64Like;
}

export interface WirePayGrade {
  name?: Maybe<string>;
  level?: Uint64Like;
  nextDiamond?: Uint64Like;
  thisGradeMinDiamond?: Uint64Like;
  thisGradeMaxDiamond?: Uint64Like;
  gradeDescribe?: Maybe<string>;
}

export interface WireFansClubData {
  clubName?: Maybe<string>;
  level?: Maybe<number>;
  anchorId?: Uint64Like;
}

export interface WireUser {
  id?: Uint64Like;
  shortId?: Uint64Like;
  nickname?: Maybe<string>;
  gender?: Maybe<number>;
  signature?: Maybe<string>;
  avatarThumb?: Maybe<WireImage>;
  avatarMedium?: Maybe<WireImage>;
  avatarLarge?: Maybe<WireImage>;
  verified?: Maybe<boolean>;
  followInfo?: Maybe<WireFollowInfo>;
  payGrade?: Maybe<WirePayGrade>;
  fansClub?: Maybe<{ data?: Maybe<WireFansClubData> }>;
  displayId?: Maybe<string>;
  secUid?: Maybe<string>;
  webRid?: Maybe<string>;
  idStr?: Maybe<string>;
}

export interface WireCommon {
  method?: Maybe<string>;
  msgId?: Uint64Like;
  roomId?: Uint64Like;
  createTime?: Uint64Like;
  describe?: Maybe<string>;
  user?: Maybe<WireUser>;
}

/** Every payload carries Common in field 1. */
export interface WirePayload {
  common?: Maybe<WireCommon>;
}

export interface WireTextPiece {
  stringValue?: Maybe<string>;
  imageValue?: Maybe<{ image?: Maybe<WireImage> }>;
}

export interface WireText {
  defaultPattern?: Maybe<string>;
  pieces?: Maybe<WireTextPiece[]>;
}

export interface WireChatMessage extends WirePayload {
  user?: Maybe<WireUser>;
  content?: Maybe<string>;
  /** Seconds: the only timestamp chats carried in 2026. */
  eventTime?: Uint64Like;
}

export interface WireEmojiChatMessage extends WirePayload {
  user?: Maybe<WireUser>;
  emojiId?: Uint64Like;
  emojiContent?: Maybe<WireText>;
  defaultContent?: Maybe<string>;
}

export interface WireGiftStruct {
  image?: Maybe<WireImage>;
  id?: Uint64Like;
  combo?: Maybe<boolean>;
  type?: Maybe<number>;
  diamondCount?: Maybe<number>;
  name?: Maybe<string>;
  icon?: Maybe<WireImage>;
}

export interface WireGiftMessage extends WirePayload {
  giftId?: Uint64Like;
  groupCount?: Uint64Like;
  repeatCount?: Uint64Like;
  user?: Maybe<WireUser>;
  toUser?: Maybe<WireUser>;
  repeatEnd?: Maybe<number>;
  groupId?: Uint64Like;
  gift?: Maybe<WireGiftStruct>;
}

export interface WireLikeMessage extends WirePayload {
  count?: Uint64Like;
  total?: Uint64Like;
  user?: Maybe<WireUser>;
}

export interface WireMemberMessage extends WirePayload {
  user?: Maybe<WireUser>;
  memberCount?: Uint64Like;
}

export interface WireSocialMessage extends WirePayload {
  user?: Maybe<WireUser>;
  action?: Uint64Like;
  shareTarget?: Maybe<string>;
  followCount?: Uint64Like;
  shareTotalCount?: Uint64Like;
}

export interface WireFansclubMessage extends WirePayload {
  action?: Maybe<number>;
  content?: Maybe<string>;
  user?: Maybe<WireUser>;
}

export interface WireControlMessage extends WirePayload {
  action?: Uint64Like;
  tips?: Maybe<string>;
}

export interface WireContributor {
  score?: Uint64Like;
  user?: Maybe<WireUser>;
  rank?: Uint64Like;
}

export interface WireRoomUserSeqMessage extends WirePayload {
  ranks?: Maybe<WireContributor[]>;
  total?: Uint64Like;
  totalUser?: Uint64Like;
  onlineUserForAnchor?: Maybe<string>;
  totalPvForAnchor?: Maybe<string>;
}

export interface WireRoomStatsMessage extends WirePayload {
  displayShort?: Maybe<string>;
  displayLong?: Maybe<string>;
  displayValue?: Uint64Like;
  displayType?: Uint64Like;
}

export interface WireRoomRankMessage extends WirePayload {
  ranks?: Maybe<Array<{ user?: Maybe<WireUser>; scoreStr?: Maybe<string> }>>;
}

export interface WireRoomMessage extends WirePayload {
  content?: Maybe<string>;
}

export interface WireRoomIntroMessage extends WirePayload {
  user?: Maybe<WireUser>;
  intro?: Maybe<string>;
  label?: Maybe<string[]>;
}

export interface WireProductChangeMessage extends WirePayload {
  updateToast?: Maybe<string>;
  updateProductInfo?: Maybe<Array<{ promotionId?: Uint64Like }>>;
  total?: Uint64Like;
}

export interface WireLiveShoppingMessage extends WirePayload {
  promotionId?: Uint64Like;
  ecomNotice?: Maybe<string>;
  updatedProductIds?: Maybe<Uint64Like[]>;
  soldOut?: Maybe<boolean>;
  buttonLabel?: Maybe<string>;
  promotionsNum?: Maybe<number>;
}

export interface WireLiveEcomMessage extends WirePayload {
  nickName?: Maybe<string>;
  purchaseCnt?: Uint64Like;
  text?: Maybe<string>;
  metaId?: Uint64Like;
  metaIdStr?: Maybe<string>;
}
