// The webcast message types, built once by reflection from proto/webcast.proto. protobufjs
// compiles a decoder per type on first use, so there is no generated code to keep in sync.
// Decode through WebcastReader (reader.ts): 64-bit fields then come back as a number below
// 2^53, else a Long; convert either with src/domain/ids.ts.
import { fileURLToPath } from 'node:url';
import protobuf from 'protobufjs';

const PROTO_FILE = fileURLToPath(new URL('../../../proto/webcast.proto', import.meta.url));

export const webcastRoot: protobuf.Root = protobuf.loadSync(PROTO_FILE);

function messageType(name: string): protobuf.Type {
  return webcastRoot.lookupType(`webcast.${name}`);
}

export const PushFrameType = messageType('PushFrame');
export const ResponseType = messageType('Response');

/** Payload types by their proto name (the method is "Webcast" + this name, but for the exceptions in methods.ts). */
export const payloadTypes = {
  ChatMessage: messageType('ChatMessage'),
  EmojiChatMessage: messageType('EmojiChatMessage'),
  GiftMessage: messageType('GiftMessage'),
  LikeMessage: messageType('LikeMessage'),
  MemberMessage: messageType('MemberMessage'),
  SocialMessage: messageType('SocialMessage'),
  ControlMessage: messageType('ControlMessage'),
  RoomUserSeqMessage: messageType('RoomUserSeqMessage'),
  RoomStatsMessage: messageType('RoomStatsMessage'),
  FansclubMessage: messageType('FansclubMessage'),
  RoomRankMessage: messageType('RoomRankMessage'),
  RoomMessage: messageType('RoomMessage'),
  RoomIntroMessage: messageType('RoomIntroMessage'),
  UpdateFanTicketMessage: messageType('UpdateFanTicketMessage'),
  ProductChangeMessage: messageType('ProductChangeMessage'),
  LiveShoppingMessage: messageType('LiveShoppingMessage'),
  LiveEcomMessage: messageType('LiveEcomMessage'),
  InRoomBannerMessage: messageType('InRoomBannerMessage'),
  RoomDataSyncMessage: messageType('RoomDataSyncMessage'),
  RanklistHourEntranceMessage: messageType('RanklistHourEntranceMessage'),
  GiftSortMessage: messageType('GiftSortMessage'),
  RoomStreamAdaptationMessage: messageType('RoomStreamAdaptationMessage'),
  HotRoomMessage: messageType('HotRoomMessage'),
  ResidentGuestMessage: messageType('ResidentGuestMessage'),
  LowPcuGuideMessage: messageType('LowPcuGuideMessage'),
  HotChatMessage: messageType('HotChatMessage'),
  ChatLikeMessage: messageType('ChatLikeMessage'),
  ScreenChatMessage: messageType('ScreenChatMessage'),
  HighlightComment: messageType('HighlightComment'),
  ImDeleteMessage: messageType('ImDeleteMessage'),
  LuckyBoxMessage: messageType('LuckyBoxMessage'),
  LuckyBoxTempStatusMessage: messageType('LuckyBoxTempStatusMessage'),
  LuckyBoxEndMessage: messageType('LuckyBoxEndMessage'),
  LuckyBoxRewardMessage: messageType('LuckyBoxRewardMessage'),
  GiftVoteMessage: messageType('GiftVoteMessage'),
  LinkMicBattle: messageType('LinkMicBattle'),
  LinkMicBattleFinish: messageType('LinkMicBattleFinish'),
  LinkMicArmies: messageType('LinkMicArmies'),
  LinkerContributeMessage: messageType('LinkerContributeMessage'),
  LinkMicMethod: messageType('LinkMicMethod'),
} as const;

export type PayloadTypeName = keyof typeof payloadTypes;
