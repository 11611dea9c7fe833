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

export interface WireInRoomBannerMessage extends WirePayload {
  extra?: Maybe<string>;
  position?: Maybe<number>;
  actionType?: Maybe<number>;
  containerUrl?: Maybe<string>;
  lynxContainerUrl?: Maybe<string>;
  containerType?: Maybe<number>;
}

export interface WireRoomDataSyncMessage extends WirePayload {
  syncKey?: Maybe<string>;
  version?: Uint64Like;
  payload?: Maybe<Uint8Array>;
}

export interface WireRanklistHourEntranceDetail {
  pages?: Maybe<Array<{ content?: Maybe<string> }>>;
  ranklistType?: Maybe<number>;
  title?: Maybe<string>;
}

type WireRanklistHourEntranceInfos = Maybe<Array<{ details?: Maybe<WireRanklistHourEntranceDetail[]> }>>;

export interface WireRanklistHourEntranceMessage extends WirePayload {
  info?: Maybe<{
    globalInfos?: WireRanklistHourEntranceInfos;
    defaultGlobalInfos?: WireRanklistHourEntranceInfos;
    verticalInfos?: WireRanklistHourEntranceInfos;
    defaultVerticalInfos?: WireRanklistHourEntranceInfos;
  }>;
}

export interface WireGiftSortMessage extends WirePayload {
  messageType?: Maybe<number>;
  sceneInsertStrategy?: Maybe<{ scene?: Maybe<string>; giftIds?: Maybe<Uint64Like[]> }>;
  giftDetails?: Maybe<Array<{ key?: Maybe<number>; value?: Maybe<WireGiftStruct> }>>;
}

export interface WireRoomStreamAdaptationMessage extends WirePayload {
  adaptationType?: Maybe<number>;
  adaptationHeightRatio?: Maybe<number>;
  adaptationBodyCenterRatio?: Maybe<number>;
  adaptationContentTopRatio?: Maybe<number>;
  adaptationContentBottomRatio?: Maybe<number>;
}

export interface WireHotRoomMessage extends WirePayload {
  info?: Maybe<{ bitMap?: Uint64Like }>;
}

export interface WireResidentGuestMessage extends WirePayload {
  msgType?: Maybe<number>;
  guestAllowContent?: Maybe<{ allow?: Maybe<boolean> }>;
  linkmicRoomAllowContent?: Maybe<{ allow?: Maybe<boolean> }>;
}

export interface WireLowPcuGuideMessage extends WirePayload {
  lowPcuGuideInfo?: Maybe<{ guideText?: Maybe<string>; status?: Uint64Like }>;
}

export interface WireHotChatMessage extends WirePayload {
  title?: Maybe<string>;
  content?: Maybe<string>;
  hotList?: Maybe<string[]>;
}

export interface WireChatLikeMessage extends WirePayload {
  totalMsgData?: Maybe<Array<{ msgId?: Uint64Like; value?: Maybe<{ count?: Uint64Like }> }>>;
}

export interface WireScreenChatMessage extends WirePayload {
  user?: Maybe<WireUser>;
  screenChatType?: Uint64Like;
  content?: Maybe<string>;
  eventTime?: Uint64Like;
}

export interface WireHighlightComment extends WirePayload {
  eventTime?: Uint64Like;
  commentMsgId?: Uint64Like;
  content?: Maybe<string>;
  user?: Maybe<WireUser>;
  actionType?: Maybe<number>;
  endTime?: Uint64Like;
  operatorId?: Uint64Like;
  operatorNickname?: Maybe<string>;
}

export interface WireImDeleteMessage extends WirePayload {
  deleteMsgIds?: Maybe<Uint64Like[]>;
}

export interface WireLuckyBoxMessage extends WirePayload {
  diamondCount?: Uint64Like;
  boxId?: Uint64Like;
  boxIdStr?: Maybe<string>;
  title?: Maybe<string>;
  user?: Maybe<WireUser>;
}

export interface WireLuckyBoxEndMessage extends WirePayload {
  boxId?: Uint64Like;
  boxIdStr?: Maybe<string>;
}

export interface WireLuckyBoxRewardMessage extends WireLuckyBoxEndMessage {
  rewardedUserId?: Maybe<string[]>;
}

export interface WireGiftVoteMessage extends WirePayload {
  msgType?: Uint64Like;
  voteId?: Uint64Like;
  results?: Maybe<
    Array<{ text?: Maybe<string>; count?: Uint64Like; giftId?: Uint64Like; name?: Maybe<string>; diamondCount?: Uint64Like }>
  >;
  finishTime?: Uint64Like;
}

export interface WireUpdateFanTicketMessage extends WirePayload {
  roomFanTicketCountText?: Maybe<string>;
  roomFanTicketCount?: Uint64Like;
}

export interface WireBattleSettings {
  battleId?: Uint64Like;
  startTimeMs?: Uint64Like;
  duration?: Uint64Like;
}

export interface WireBattleUserInfoEntry {
  userId?: Uint64Like;
  value?: Maybe<{
    user?: Maybe<{ userId?: Uint64Like; nickName?: Maybe<string>; avatarThumb?: Maybe<WireImage>; userIdStr?: Maybe<string> }>;
  }>;
}

export interface WireLinkMicBattle extends WirePayload {
  battleSettings?: Maybe<WireBattleSettings>;
  userInfos?: Maybe<WireBattleUserInfoEntry[]>;
}

export interface WireLinkMicBattleFinish extends WirePayload {
  battleSettings?: Maybe<WireBattleSettings>;
  battleScores?: Maybe<Array<{ score?: Maybe<number>; userId?: Uint64Like; userIdStr?: Maybe<string>; battleRank?: Uint64Like }>>;
  anchors?: Maybe<WireUser[]>;
  userInfos?: Maybe<WireBattleUserInfoEntry[]>;
}

/** A contributor as the PK messages send one: an id, a nickname and an avatar. */
export interface WireContributorBrief {
  userId?: Uint64Like;
  rank?: Uint64Like;
  score?: Uint64Like;
  nickname?: Maybe<string>;
  avatarThumb?: Maybe<WireImage>;
}

export interface WireLinkMicArmies extends WirePayload {
  userArmiesMap?: Maybe<Array<{ anchorId?: Uint64Like; value?: Maybe<{ userArmies?: Maybe<WireContributorBrief[]> }> }>>;
}

export interface WireLinkerContributeMessage extends WirePayload {
  userId?: Uint64Like;
  totalScore?: Uint64Like;
  userContributeList?: Maybe<WireContributorBrief[]>;
}

export interface WireLinkMicMethod extends WirePayload {
  messageType?: Uint64Like;
  channelId?: Uint64Like;
  userScores?: Maybe<Array<{ score?: Uint64Like; userId?: Uint64Like }>>;
  fromUserId?: Uint64Like;
  toUserId?: Uint64Like;
  tips?: Maybe<string>;
  prompts?: Maybe<string>;
  linkedUsers?: Maybe<WireUser[]>;
  battleId?: Uint64Like;
}
