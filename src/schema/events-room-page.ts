// Event types for what the room page shows around the video: banners, the hourly-rank
// entrance, the gift panel, the stream layout, guides, fan tickets and state snapshots.
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
} from '../domain/events.ts';
import { builder } from './builder.ts';
import { RoomEventRef } from './events.ts';
import { GiftRef } from './gift.ts';

builder.objectRef<BannerEvent>('BannerEvent').implement({
  description: 'An activity banner shown in the room changed (WebcastInRoomBannerMessage).',
  interfaces: [RoomEventRef],
  fields: (t) => ({
    position: t.exposeInt('position', { description: 'The slot the banner sits in, as Douyin numbers them.' }),
    actionType: t.exposeInt('actionType'),
    containerType: t.exposeInt('containerType'),
    url: t.exposeString('url', { nullable: true, description: "The banner's page." }),
    data: t.exposeString('data', { nullable: true, description: "Douyin's description of the banner: JSON text as sent." }),
  }),
});

builder.objectRef<RoomSyncEvent>('RoomSyncEvent').implement({
  description: 'A snapshot of one piece of room state (WebcastRoomDataSyncMessage, "WRDS").',
  interfaces: [RoomEventRef],
  fields: (t) => ({
    syncKey: t.exposeString('syncKey', { description: 'Which state this is, e.g. GrowthCommonBannerSubSyncKey.' }),
    version: t.exposeString('version', { description: 'A newer version of the same key replaces an older one.' }),
    payload: t.exposeString('payload', { description: 'Standard base64 of the snapshot; its layout depends on the key.' }),
  }),
});

const HourlyRankScopeEnum = builder.enumType('HourlyRankScope', {
  values: {
    GLOBAL: { description: 'The site-wide hourly list.' },
    CATEGORY: { description: "The hourly list of the room's partition." },
  } as const,
});

const HourlyRankEntryRef = builder.objectRef<HourlyRankEntry>('HourlyRankEntry').implement({
  fields: (t) => ({
    scope: t.expose('scope', { type: HourlyRankScopeEnum }),
    rankType: t.exposeInt('rankType', { description: "Douyin's rank list type." }),
    title: t.exposeString('title', { nullable: true }),
    texts: t.exposeStringList('texts', { description: 'The lines the entrance shows in turn, e.g. "小时榜第3名".' }),
  }),
});

builder.objectRef<HourlyRankEvent>('HourlyRankEvent').implement({
  description: "The room's place on the hourly rank lists changed (WebcastRanklistHourEntranceMessage).",
  interfaces: [RoomEventRef],
  fields: (t) => ({ entries: t.expose('entries', { type: [HourlyRankEntryRef] }) }),
});

builder.objectRef<GiftPanelEvent>('GiftPanelEvent').implement({
  description: 'The order of the gift panel changed (WebcastGiftSortMessage).',
  interfaces: [RoomEventRef],
  fields: (t) => ({
    messageType: t.exposeInt('messageType'),
    scene: t.exposeString('scene', { nullable: true }),
    giftIds: t.exposeIDList('giftIds', { description: 'Gift ids in their new panel order.' }),
    gifts: t.expose('gifts', { type: [GiftRef], description: 'Gifts the message describes in full.' }),
  }),
});

builder.objectRef<StreamLayoutEvent>('StreamLayoutEvent').implement({
  description: 'How the video should be framed changed (WebcastRoomStreamAdaptationMessage).',
  interfaces: [RoomEventRef],
  fields: (t) => ({
    adaptationType: t.exposeInt('adaptationType'),
    heightRatio: t.exposeFloat('heightRatio', { nullable: true, description: 'A fraction of the video height (0–1).' }),
    bodyCenterRatio: t.exposeFloat('bodyCenterRatio', { nullable: true }),
    contentTopRatio: t.exposeFloat('contentTopRatio', { nullable: true }),
    contentBottomRatio: t.exposeFloat('contentBottomRatio', { nullable: true }),
  }),
});

builder.objectRef<HotRoomEvent>('HotRoomEvent').implement({
  description: 'The room\'s "hot" flags changed (WebcastHotRoomMessage).',
  interfaces: [RoomEventRef],
  fields: (t) => ({ flags: t.exposeString('flags', { description: "Douyin's bit map of the flags, as a decimal." }) }),
});

builder.objectRef<GuestPolicyEvent>('GuestPolicyEvent').implement({
  description: 'Whether guests may join the anchor on the mic changed (WebcastResidentGuestMessage).',
  interfaces: [RoomEventRef],
  fields: (t) => ({
    messageType: t.exposeInt('messageType'),
    guestsAllowed: t.exposeBoolean('guestsAllowed', { nullable: true, description: 'Null when the message did not say.' }),
    linkMicAllowed: t.exposeBoolean('linkMicAllowed', { nullable: true, description: 'Null when the message did not say.' }),
  }),
});

builder.objectRef<AudienceGuideEvent>('AudienceGuideEvent').implement({
  description: 'A hint Douyin shows the anchor of a room with few viewers (WebcastLowPcuGuideMessage).',
  interfaces: [RoomEventRef],
  fields: (t) => ({
    text: t.exposeString('text', { nullable: true }),
    // Not `status`: RoomStatusEvent.status is an enum, and one query selecting both would conflict.
    guideStatus: t.exposeInt('status', { description: "Douyin's status number for the hint." }),
  }),
});

builder.objectRef<FanTicketEvent>('FanTicketEvent').implement({
  description: "The room's fan tickets (音浪) changed (WebcastUpdateFanTicketMessage).",
  interfaces: [RoomEventRef],
  fields: (t) => ({
    total: t.expose('total', { type: 'SafeInt', description: 'Fan tickets of the broadcast so far.' }),
    totalText: t.exposeString('totalText', { nullable: true, description: "Douyin's display text for the total." }),
  }),
});
