// What the room page shows around the video: banners, the hourly-rank entrance, the gift
// panel's order, the stream layout, guides for the anchor, fan tickets and state snapshots.
// Every field here is a fact from the protocol sheet (§5.18) and the S3/S4 schemas; where a
// field's meaning is undocumented it is passed on as Douyin's number, not interpreted.
import type {
  AudienceGuideEvent,
  BannerEvent,
  FanTicketEvent,
  GiftPanelEvent,
  GuestPolicyEvent,
  HotRoomEvent,
  HourlyRankEntry,
  HourlyRankEvent,
  RoomSyncEvent,
  StreamLayoutEvent,
} from '../../events.ts';
import { count, decimal } from '../../ids.ts';
import type {
  WireGiftSortMessage,
  WireHotRoomMessage,
  WireInRoomBannerMessage,
  WireLowPcuGuideMessage,
  WireRanklistHourEntranceDetail,
  WireRanklistHourEntranceMessage,
  WireResidentGuestMessage,
  WireRoomDataSyncMessage,
  WireRoomStreamAdaptationMessage,
  WireUpdateFanTicketMessage,
} from '../../wire.ts';
import { baseEvent, eventOf, type MessageEnvelope } from './envelope.ts';
import { mapGiftStruct } from './gift.ts';
import { base64Of, idList, ratio, text } from './values.ts';

export function mapInRoomBanner(wire: WireInRoomBannerMessage, envelope: MessageEnvelope): BannerEvent {
  return eventOf<BannerEvent>(baseEvent(wire.common, envelope), {
    type: 'BannerEvent',
    position: wire.position ?? 0,
    actionType: wire.actionType ?? 0,
    containerType: wire.containerType ?? 0,
    url: text(wire.containerUrl) ?? text(wire.lynxContainerUrl),
    data: text(wire.extra),
  });
}

export function mapRoomDataSync(wire: WireRoomDataSyncMessage, envelope: MessageEnvelope): RoomSyncEvent {
  return eventOf<RoomSyncEvent>(baseEvent(wire.common, envelope), {
    type: 'RoomSyncEvent',
    syncKey: wire.syncKey ?? '',
    version: decimal(wire.version),
    payload: base64Of(wire.payload),
  });
}

/** The site-wide entrance first, then the partition's; the default lists stand in for empty ones. */
export function mapRanklistHourEntrance(wire: WireRanklistHourEntranceMessage, envelope: MessageEnvelope): HourlyRankEvent {
  const info = wire.info ?? null;
  const global = nonEmpty(info?.globalInfos) ?? info?.defaultGlobalInfos ?? [];
  const category = nonEmpty(info?.verticalInfos) ?? info?.defaultVerticalInfos ?? [];
  const entries = [
    ...global.flatMap((entry) => (entry.details ?? []).map((detail) => hourlyRankEntry('GLOBAL', detail))),
    ...category.flatMap((entry) => (entry.details ?? []).map((detail) => hourlyRankEntry('CATEGORY', detail))),
  ];
  return eventOf<HourlyRankEvent>(baseEvent(wire.common, envelope), { type: 'HourlyRankEvent', entries });
}

function nonEmpty<T>(list: T[] | null | undefined): T[] | null {
  return list !== null && list !== undefined && list.length > 0 ? list : null;
}

function hourlyRankEntry(scope: HourlyRankEntry['scope'], detail: WireRanklistHourEntranceDetail): HourlyRankEntry {
  const texts: string[] = [];
  for (const page of detail.pages ?? []) if (page.content) texts.push(page.content);
  return { scope, rankType: detail.ranklistType ?? 0, title: text(detail.title), texts };
}

export function mapGiftSort(wire: WireGiftSortMessage, envelope: MessageEnvelope): GiftPanelEvent {
  const strategy = wire.sceneInsertStrategy ?? null;
  return eventOf<GiftPanelEvent>(baseEvent(wire.common, envelope), {
    type: 'GiftPanelEvent',
    messageType: wire.messageType ?? 0,
    scene: text(strategy?.scene),
    giftIds: idList(strategy?.giftIds),
    gifts: (wire.giftDetails ?? []).map((entry) => mapGiftStruct(entry.value, entry.key ?? null)),
  });
}

export function mapRoomStreamAdaptation(wire: WireRoomStreamAdaptationMessage, envelope: MessageEnvelope): StreamLayoutEvent {
  return eventOf<StreamLayoutEvent>(baseEvent(wire.common, envelope), {
    type: 'StreamLayoutEvent',
    adaptationType: wire.adaptationType ?? 0,
    heightRatio: ratio(wire.adaptationHeightRatio),
    bodyCenterRatio: ratio(wire.adaptationBodyCenterRatio),
    contentTopRatio: ratio(wire.adaptationContentTopRatio),
    contentBottomRatio: ratio(wire.adaptationContentBottomRatio),
  });
}

export function mapHotRoom(wire: WireHotRoomMessage, envelope: MessageEnvelope): HotRoomEvent {
  return eventOf<HotRoomEvent>(baseEvent(wire.common, envelope), { type: 'HotRoomEvent', flags: decimal(wire.info?.bitMap) });
}

export function mapResidentGuest(wire: WireResidentGuestMessage, envelope: MessageEnvelope): GuestPolicyEvent {
  return eventOf<GuestPolicyEvent>(baseEvent(wire.common, envelope), {
    type: 'GuestPolicyEvent',
    messageType: wire.msgType ?? 0,
    guestsAllowed: allowed(wire.guestAllowContent),
    linkMicAllowed: allowed(wire.linkmicRoomAllowContent),
  });
}

function allowed(content: { allow?: boolean | null } | null | undefined): boolean | null {
  return content === null || content === undefined ? null : content.allow === true;
}

export function mapLowPcuGuide(wire: WireLowPcuGuideMessage, envelope: MessageEnvelope): AudienceGuideEvent {
  const info = wire.lowPcuGuideInfo ?? null;
  return eventOf<AudienceGuideEvent>(baseEvent(wire.common, envelope), {
    type: 'AudienceGuideEvent',
    text: text(info?.guideText),
    status: count(info?.status),
  });
}

export function mapUpdateFanTicket(wire: WireUpdateFanTicketMessage, envelope: MessageEnvelope): FanTicketEvent {
  return eventOf<FanTicketEvent>(baseEvent(wire.common, envelope), {
    type: 'FanTicketEvent',
    total: count(wire.roomFanTicketCount),
    totalText: text(wire.roomFanTicketCountText),
  });
}
