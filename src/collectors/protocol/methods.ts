// Which payload type and mapper each wire method uses: "Webcast" + the proto type name, except
// where Douyin names the method otherwise (the link-mic ones, protocol §5.0).
// A method not listed here becomes an UnknownEvent; nothing is dropped.
import type protobuf from 'protobufjs';
import type { UpstreamEvent } from '../../domain/events.ts';
import { mapFansclub, mapLike, mapMember, mapSocial } from '../../domain/mappers/webcast/audience.ts';
import { mapChat, mapEmojiChat } from '../../domain/mappers/webcast/chat.ts';
import { mapLiveEcom, mapLiveShopping, mapProductChange } from '../../domain/mappers/webcast/commerce.ts';
import type { MessageEnvelope } from '../../domain/mappers/webcast/envelope.ts';
import { mapGift } from '../../domain/mappers/webcast/gift.ts';
import {
  mapControl,
  mapRoomIntro,
  mapRoomNotice,
  mapRoomRank,
  mapRoomStats,
  mapRoomUserSeq,
} from '../../domain/mappers/webcast/room.ts';
import { mapChatLike, mapHighlightComment, mapHotChat, mapImDelete, mapScreenChat } from '../../domain/mappers/webcast/chat-extras.ts';
import {
  mapLinkerContribute,
  mapLinkMicArmies,
  mapLinkMicBattle,
  mapLinkMicBattleFinish,
  mapLinkMicMethod,
} from '../../domain/mappers/webcast/linkmic.ts';
import { mapGiftVote, mapLuckyBox, mapLuckyBoxEnd, mapLuckyBoxReward, mapLuckyBoxTempStatus } from '../../domain/mappers/webcast/rewards.ts';
import {
  mapGiftSort,
  mapHotRoom,
  mapInRoomBanner,
  mapLowPcuGuide,
  mapRanklistHourEntrance,
  mapResidentGuest,
  mapRoomDataSync,
  mapRoomStreamAdaptation,
  mapUpdateFanTicket,
} from '../../domain/mappers/webcast/room-page.ts';
import type { WirePayload } from '../../domain/wire.ts';
import { payloadTypes } from './proto.ts';
import { webcastReader } from './reader.ts';

/**
 * One method's payload type and mapper. decode throws protobufjs' error on bytes that are not
 * that type; map turns what decode returned into the event, or null when the message is known
 * but its content is not modelled (it then passes on as an UnknownEvent).
 */
export interface MethodDecoder {
  decode(payload: Uint8Array): WirePayload;
  map(wire: WirePayload, envelope: MessageEnvelope): UpstreamEvent | null;
}

function decoder<W extends WirePayload>(
  type: protobuf.Type,
  map: (wire: W, envelope: MessageEnvelope) => UpstreamEvent | null,
): MethodDecoder {
  return {
    decode: (payload) => type.decode(webcastReader(payload)) as unknown as W,
    // Safe widening: map only ever receives what this entry's decode returned, which is a W.
    map: map as (wire: WirePayload, envelope: MessageEnvelope) => UpstreamEvent | null,
  };
}

export const METHOD_DECODERS: ReadonlyMap<string, MethodDecoder> = new Map([
  ['WebcastChatMessage', decoder(payloadTypes.ChatMessage, mapChat)],
  ['WebcastEmojiChatMessage', decoder(payloadTypes.EmojiChatMessage, mapEmojiChat)],
  ['WebcastGiftMessage', decoder(payloadTypes.GiftMessage, mapGift)],
  ['WebcastLikeMessage', decoder(payloadTypes.LikeMessage, mapLike)],
  ['WebcastMemberMessage', decoder(payloadTypes.MemberMessage, mapMember)],
  ['WebcastSocialMessage', decoder(payloadTypes.SocialMessage, mapSocial)],
  ['WebcastControlMessage', decoder(payloadTypes.ControlMessage, mapControl)],
  ['WebcastRoomUserSeqMessage', decoder(payloadTypes.RoomUserSeqMessage, mapRoomUserSeq)],
  ['WebcastRoomStatsMessage', decoder(payloadTypes.RoomStatsMessage, mapRoomStats)],
  ['WebcastFansclubMessage', decoder(payloadTypes.FansclubMessage, mapFansclub)],
  ['WebcastRoomRankMessage', decoder(payloadTypes.RoomRankMessage, mapRoomRank)],
  ['WebcastRoomMessage', decoder(payloadTypes.RoomMessage, mapRoomNotice)],
  ['WebcastRoomIntroMessage', decoder(payloadTypes.RoomIntroMessage, mapRoomIntro)],
  ['WebcastProductChangeMessage', decoder(payloadTypes.ProductChangeMessage, mapProductChange)],
  ['WebcastLiveShoppingMessage', decoder(payloadTypes.LiveShoppingMessage, mapLiveShopping)],
  ['WebcastLiveEcomMessage', decoder(payloadTypes.LiveEcomMessage, mapLiveEcom)],
  ['WebcastUpdateFanTicketMessage', decoder(payloadTypes.UpdateFanTicketMessage, mapUpdateFanTicket)],
  ['WebcastInRoomBannerMessage', decoder(payloadTypes.InRoomBannerMessage, mapInRoomBanner)],
  ['WebcastRoomDataSyncMessage', decoder(payloadTypes.RoomDataSyncMessage, mapRoomDataSync)],
  ['WebcastRanklistHourEntranceMessage', decoder(payloadTypes.RanklistHourEntranceMessage, mapRanklistHourEntrance)],
  ['WebcastGiftSortMessage', decoder(payloadTypes.GiftSortMessage, mapGiftSort)],
  ['WebcastRoomStreamAdaptationMessage', decoder(payloadTypes.RoomStreamAdaptationMessage, mapRoomStreamAdaptation)],
  ['WebcastHotRoomMessage', decoder(payloadTypes.HotRoomMessage, mapHotRoom)],
  ['WebcastResidentGuestMessage', decoder(payloadTypes.ResidentGuestMessage, mapResidentGuest)],
  ['WebcastLowPcuGuideMessage', decoder(payloadTypes.LowPcuGuideMessage, mapLowPcuGuide)],
  ['WebcastHotChatMessage', decoder(payloadTypes.HotChatMessage, mapHotChat)],
  ['WebcastChatLikeMessage', decoder(payloadTypes.ChatLikeMessage, mapChatLike)],
  ['WebcastScreenChatMessage', decoder(payloadTypes.ScreenChatMessage, mapScreenChat)],
  ['WebcastHighlightComment', decoder(payloadTypes.HighlightComment, mapHighlightComment)],
  ['WebcastImDeleteMessage', decoder(payloadTypes.ImDeleteMessage, mapImDelete)],
  ['WebcastLuckyBoxMessage', decoder(payloadTypes.LuckyBoxMessage, mapLuckyBox)],
  ['WebcastLuckyBoxTempStatusMessage', decoder(payloadTypes.LuckyBoxTempStatusMessage, mapLuckyBoxTempStatus)],
  ['WebcastLuckyBoxEndMessage', decoder(payloadTypes.LuckyBoxEndMessage, mapLuckyBoxEnd)],
  ['WebcastLuckyBoxRewardMessage', decoder(payloadTypes.LuckyBoxRewardMessage, mapLuckyBoxReward)],
  ['WebcastGiftVoteMessage', decoder(payloadTypes.GiftVoteMessage, mapGiftVote)],
  ['WebcastLinkMicBattleMethod', decoder(payloadTypes.LinkMicBattle, mapLinkMicBattle)],
  ['WebcastLinkMicBattleFinishMethod', decoder(payloadTypes.LinkMicBattleFinish, mapLinkMicBattleFinish)],
  // S3's method table says WebcastLinkMicArmiesMethod, S4's WebcastLinkMicArmies: both are served.
  ['WebcastLinkMicArmiesMethod', decoder(payloadTypes.LinkMicArmies, mapLinkMicArmies)],
  ['WebcastLinkMicArmies', decoder(payloadTypes.LinkMicArmies, mapLinkMicArmies)],
  ['WebcastLinkerContributeMessage', decoder(payloadTypes.LinkerContributeMessage, mapLinkerContribute)],
  // Sent without the Webcast prefix (S4, S5); S3 also lists the prefixed name.
  ['LinkMicMethod', decoder(payloadTypes.LinkMicMethod, mapLinkMicMethod)],
  ['WebcastLinkMicMethod', decoder(payloadTypes.LinkMicMethod, mapLinkMicMethod)],
]);

export function isKnownMethod(method: string): boolean {
  return METHOD_DECODERS.has(method);
}
