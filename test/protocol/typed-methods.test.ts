// Every method the decoder types, mapped from a vector payload written from the field tables
// (protocol §5, S3/S4 schemas): one row per method, the domain event it must give. The real
// recordings carry these methods with their payloads scrubbed (see decode-live.test.ts), so the
// values here are the vectors'; the table proves each field number lands in its domain field.
import { describe, expect, it } from 'vitest';
import { decodeFrame } from '../../src/collectors/protocol/decode.ts';
import { METHOD_DECODERS } from '../../src/collectors/protocol/methods.ts';
import { payloadTypes, type PayloadTypeName } from '../../src/collectors/protocol/proto.ts';
import type { UpstreamEvent } from '../../src/domain/events.ts';
import { incompleteness } from './event-schema.ts';
import { common, frameBytes, NOW, ROOM, type MessageSpec } from './fixtures.ts';

interface Row {
  method: string;
  type: PayloadTypeName;
  fields: Record<string, unknown>;
  expected: Record<string, unknown>;
}

const anchorA = { id: '3456789012345', nickname: '主播A', avatarThumb: { urlList: ['https://p3.douyinpic.com/a.jpeg'] } };
const anchorB = { id: '3456789012346', nickname: '主播B' };

const ROWS: Row[] = [
  {
    method: 'WebcastInRoomBannerMessage',
    type: 'InRoomBannerMessage',
    fields: {
      common: common('201'),
      extra: '{"banner_id":"100200","title":"直播间活动"}',
      position: 2,
      actionType: 1,
      containerUrl: '',
      lynxContainerUrl: 'https://lf-webcast.douyin.com/banner.html',
      containerType: 3,
    },
    expected: {
      type: 'BannerEvent',
      id: '201',
      position: 2,
      actionType: 1,
      containerType: 3,
      url: 'https://lf-webcast.douyin.com/banner.html',
      data: '{"banner_id":"100200","title":"直播间活动"}',
    },
  },
  {
    method: 'WebcastRoomDataSyncMessage',
    type: 'RoomDataSyncMessage',
    fields: { common: common('202'), roomId: ROOM, syncKey: 'GrowthCommonBannerSubSyncKey', version: '1790519971000123', payload: Uint8Array.of(8, 1, 18, 2, 104, 105) },
    expected: { type: 'RoomSyncEvent', syncKey: 'GrowthCommonBannerSubSyncKey', version: '1790519971000123', payload: 'CAESAmhp' },
  },
  {
    method: 'WebcastRanklistHourEntranceMessage',
    type: 'RanklistHourEntranceMessage',
    fields: {
      common: common('203'),
      info: {
        globalInfos: [],
        defaultGlobalInfos: [{ details: [{ pages: [{ content: '小时榜' }, { content: '' }], ranklistType: 1, title: '小时榜' }] }],
        verticalInfos: [{ details: [{ pages: [{ content: '聊天榜第3名' }, { content: '距上一名 120' }], ranklistType: 8, title: '' }] }],
      },
    },
    expected: {
      type: 'HourlyRankEvent',
      entries: [
        { scope: 'GLOBAL', rankType: 1, title: '小时榜', texts: ['小时榜'] },
        { scope: 'CATEGORY', rankType: 8, title: null, texts: ['聊天榜第3名', '距上一名 120'] },
      ],
    },
  },
  {
    method: 'WebcastGiftSortMessage',
    type: 'GiftSortMessage',
    fields: {
      common: common('204'),
      messageType: 1,
      sceneInsertStrategy: { scene: 'gift_panel', giftIds: ['463', '0', '685'] },
      giftDetails: [{ key: 463, value: { id: 463, name: '小心心', diamondCount: 1, combo: true, type: 4 } }],
    },
    expected: {
      type: 'GiftPanelEvent',
      messageType: 1,
      scene: 'gift_panel',
      giftIds: ['463', '685'],
      gifts: [{ id: '463', name: '小心心', diamondCount: 1, combo: true, image: null, type: 4 }],
    },
  },
  {
    method: 'WebcastRoomStreamAdaptationMessage',
    type: 'RoomStreamAdaptationMessage',
    fields: { common: common('205'), adaptationType: 2, adaptationHeightRatio: 0.3, adaptationBodyCenterRatio: 0.55 },
    expected: { type: 'StreamLayoutEvent', adaptationType: 2, heightRatio: 0.3, bodyCenterRatio: 0.55, contentTopRatio: null, contentBottomRatio: null },
  },
  {
    method: 'WebcastHotRoomMessage',
    type: 'HotRoomMessage',
    fields: { common: common('206'), info: { bitMap: 5 } },
    expected: { type: 'HotRoomEvent', flags: '5' },
  },
  {
    method: 'WebcastResidentGuestMessage',
    type: 'ResidentGuestMessage',
    fields: { common: common('207'), msgType: 1, guestAllowContent: { allow: true } },
    expected: { type: 'GuestPolicyEvent', messageType: 1, guestsAllowed: true, linkMicAllowed: null },
  },
  {
    method: 'WebcastLowPcuGuideMessage',
    type: 'LowPcuGuideMessage',
    fields: { common: common('208'), lowPcuGuideInfo: { guideText: '邀请好友来看直播吧', status: 1, delayTime: 30 } },
    expected: { type: 'AudienceGuideEvent', text: '邀请好友来看直播吧', status: 1 },
  },
  {
    method: 'WebcastUpdateFanTicketMessage',
    type: 'UpdateFanTicketMessage',
    fields: { common: common('209'), roomFanTicketCountText: '1.2万', roomFanTicketCount: 12034 },
    expected: { type: 'FanTicketEvent', total: 12034, totalText: '1.2万' },
  },
  {
    method: 'WebcastHotChatMessage',
    type: 'HotChatMessage',
    fields: { common: common('210'), title: '大家都在说', content: '主播唱得好', hotList: ['主播唱得好', '', '再来一首'] },
    expected: { type: 'HotChatEvent', title: '大家都在说', content: '主播唱得好', phrases: ['主播唱得好', '再来一首'] },
  },
  {
    method: 'WebcastChatLikeMessage',
    type: 'ChatLikeMessage',
    fields: {
      common: common('211'),
      totalMsgData: [
        { msgId: '7690183442860198700', value: { count: 12, version: 3 } },
        { msgId: 0, value: { count: 1 } },
      ],
    },
    expected: { type: 'ChatLikeEvent', likes: [{ messageId: '7690183442860198700', count: 12 }] },
  },
  {
    method: 'WebcastScreenChatMessage',
    type: 'ScreenChatMessage',
    fields: { common: common('212'), user: anchorB, screenChatType: 2, content: '全屏弹幕', eventTime: 1790519969 },
    expected: { type: 'ScreenChatEvent', content: '全屏弹幕', screenChatType: 2, createdAt: 1790519969000, user: { id: anchorB.id } },
  },
  {
    method: 'WebcastHighlightComment',
    type: 'HighlightComment',
    fields: {
      common: common('213'),
      commentMsgId: '7690183442860198701',
      content: '置顶的话',
      user: anchorB,
      actionType: 1,
      endTime: 1790520031,
      operatorId: anchorA.id,
      operatorNickname: '主播A',
    },
    expected: {
      type: 'PinnedMessageEvent',
      messageId: '7690183442860198701',
      content: '置顶的话',
      user: { id: anchorB.id, nickname: '主播B' },
      actionType: 1,
      endsAt: 1790520031000,
      operatorId: anchorA.id,
      operatorName: '主播A',
    },
  },
  {
    method: 'WebcastImDeleteMessage',
    type: 'ImDeleteMessage',
    fields: { common: common('214'), deleteMsgIds: ['7690183442860198702', '7690183442860198703'] },
    expected: { type: 'MessageDeletedEvent', messageIds: ['7690183442860198702', '7690183442860198703'] },
  },
  {
    method: 'WebcastLuckyBoxMessage',
    type: 'LuckyBoxMessage',
    fields: { common: common('215'), diamondCount: 520, boxId: 0, boxIdStr: '7690183442860198704', title: '福袋', user: anchorB },
    expected: { type: 'RedEnvelopeEvent', phase: 'SENT', envelopeId: '7690183442860198704', diamondCount: 520, title: '福袋', user: { id: anchorB.id }, winnerIds: [] },
  },
  {
    method: 'WebcastLuckyBoxTempStatusMessage',
    type: 'LuckyBoxTempStatusMessage',
    fields: { common: common('216') },
    expected: { type: 'RedEnvelopeEvent', phase: 'STATUS', envelopeId: null, diamondCount: null, winnerIds: [] },
  },
  {
    method: 'WebcastLuckyBoxEndMessage',
    type: 'LuckyBoxEndMessage',
    fields: { common: common('217'), boxId: '7690183442860198704' },
    expected: { type: 'RedEnvelopeEvent', phase: 'ENDED', envelopeId: '7690183442860198704' },
  },
  {
    method: 'WebcastLuckyBoxRewardMessage',
    type: 'LuckyBoxRewardMessage',
    fields: { common: common('218'), boxId: '7690183442860198704', rewardedUserId: ['111', ' 222 ', 'x'] },
    expected: { type: 'RedEnvelopeEvent', phase: 'REWARDED', envelopeId: '7690183442860198704', winnerIds: ['111', '222'] },
  },
  {
    method: 'WebcastGiftVoteMessage',
    type: 'GiftVoteMessage',
    fields: {
      common: common('219'),
      msgType: 2,
      voteId: '7690183442860198705',
      results: [
        { text: '唱歌', count: 30, giftId: 463, name: '小心心', diamondCount: 1 },
        { text: '跳舞', count: 12, giftId: 685, name: '玫瑰', diamondCount: 1 },
      ],
      finishTime: 1790520271,
    },
    expected: {
      type: 'PollEvent',
      pollId: '7690183442860198705',
      messageType: 2,
      options: [
        { text: '唱歌', votes: 30, giftId: '463', giftName: '小心心', diamondCount: 1 },
        { text: '跳舞', votes: 12, giftId: '685', giftName: '玫瑰', diamondCount: 1 },
      ],
      endsAt: 1790520271000,
    },
  },
  {
    method: 'WebcastLinkMicBattleMethod',
    type: 'LinkMicBattle',
    fields: {
      common: common('220'),
      battleSettings: { battleId: '7690183442860198706', startTimeMs: '1790519971000', duration: 300 },
      userInfos: [
        { userId: anchorA.id, value: { user: { userId: anchorA.id, nickName: '主播A', avatarThumb: anchorA.avatarThumb } } },
        { userId: anchorB.id, value: { user: { userIdStr: anchorB.id, nickName: '主播B' } } },
      ],
    },
    expected: {
      type: 'PkBattleEvent',
      phase: 'STARTED',
      battleId: '7690183442860198706',
      startedAt: 1790519971000,
      durationSeconds: 300,
      anchors: [
        { user: { id: anchorA.id, nickname: '主播A', avatar: { urls: ['https://p3.douyinpic.com/a.jpeg'] } }, score: null, rank: null },
        { user: { id: anchorB.id, nickname: '主播B' }, score: null, rank: null },
      ],
    },
  },
  {
    method: 'WebcastLinkMicBattleFinishMethod',
    type: 'LinkMicBattleFinish',
    fields: {
      common: common('221'),
      battleSettings: { battleId: '7690183442860198706' },
      battleScores: [
        { score: 3200, userId: anchorA.id, battleRank: 1 },
        { score: 2100, userIdStr: anchorB.id, battleRank: 2 },
      ],
      anchors: [anchorA],
    },
    expected: {
      type: 'PkBattleEvent',
      phase: 'FINISHED',
      battleId: '7690183442860198706',
      anchors: [
        { user: { id: anchorA.id, nickname: '主播A' }, score: 3200, rank: 1 },
        { user: { id: anchorB.id, nickname: '' }, score: 2100, rank: 2 },
      ],
    },
  },
  {
    method: 'WebcastLinkMicArmiesMethod',
    type: 'LinkMicArmies',
    fields: {
      common: common('222'),
      userArmiesMap: [
        { anchorId: anchorA.id, value: { userArmies: [{ userId: 501, score: 90, nickname: '观众1' }, { userId: 502, score: 40, nickname: '观众2' }] } },
        { anchorId: anchorB.id, value: { userArmies: [{ userId: 503, score: 60, nickname: '观众3' }] } },
      ],
    },
    expected: {
      type: 'PkContributionEvent',
      teams: [
        {
          anchorId: anchorA.id,
          totalScore: null,
          contributors: [
            { rank: 1, score: 90, user: { id: '501', nickname: '观众1' } },
            { rank: 2, score: 40, user: { id: '502', nickname: '观众2' } },
          ],
        },
        { anchorId: anchorB.id, totalScore: null, contributors: [{ rank: 1, score: 60, user: { id: '503' } }] },
      ],
    },
  },
  {
    method: 'WebcastLinkerContributeMessage',
    type: 'LinkerContributeMessage',
    fields: { common: common('223'), userId: anchorA.id, totalScore: 3200, userContributeList: [{ userId: 501, rank: 1, score: 2000, nickname: '观众1' }] },
    expected: {
      type: 'PkContributionEvent',
      teams: [{ anchorId: anchorA.id, totalScore: 3200, contributors: [{ rank: 1, score: 2000, user: { id: '501', nickname: '观众1' } }] }],
    },
  },
  {
    method: 'LinkMicMethod',
    type: 'LinkMicMethod',
    fields: {
      common: common('224'),
      messageType: 6,
      channelId: '7690183442860198707',
      userScores: [{ score: 3200, userId: anchorA.id }, { score: 10, userId: 0 }],
      fromUserId: anchorA.id,
      toUserId: anchorB.id,
      tips: '',
      prompts: '连线中',
      linkedUsers: [anchorA, { nickname: 'no id' }],
      battleId: '7690183442860198706',
    },
    expected: {
      type: 'LinkMicEvent',
      messageType: 6,
      battleId: '7690183442860198706',
      channelId: '7690183442860198707',
      fromUserId: anchorA.id,
      toUserId: anchorB.id,
      linkedUsers: [{ id: anchorA.id }],
      scores: [{ userId: anchorA.id, score: 3200 }],
      text: '连线中',
    },
  },
];

/** Methods Douyin names two ways, each served by its twin's row. */
const TWINS: Record<string, string> = { WebcastLinkMicArmies: 'WebcastLinkMicArmiesMethod', WebcastLinkMicMethod: 'LinkMicMethod' };

function spec(row: Row, method = row.method): MessageSpec {
  const type = payloadTypes[row.type];
  return { method, payload: type.encode(type.fromObject(row.fields)).finish(), msgId: 1 };
}

function decodeOne(message: MessageSpec): UpstreamEvent {
  const result = decodeFrame(frameBytes({ messages: [message] }), { roomId: ROOM });
  if (!result.ok) throw new Error(`${result.error.code}: ${result.error.reason}`);
  expect(result.value.errors).toEqual([]);
  expect(result.value.events).toHaveLength(1);
  return result.value.events[0]!;
}

describe('typed methods, one vector each', () => {
  it.each(ROWS.map((row) => [row.method, row] as const))('%s', (method, row) => {
    const event = decodeOne(spec(row));
    expect(event).toMatchObject({ roomId: ROOM, method, ...row.expected });
    expect(incompleteness(event)).toBe('');
  });

  it.each(Object.entries(TWINS))('%s decodes as %s does', (twin, method) => {
    const row = ROWS.find((candidate) => candidate.method === method)!;
    const event = decodeOne(spec(row, twin));
    expect(event).toMatchObject({ ...row.expected, method: twin });
  });

  it('an empty payload (as the scrubbed recording has) still gives its typed event, dated by the frame', () => {
    for (const row of ROWS) {
      const event = decodeOne({ method: row.method, payload: new Uint8Array(0), msgId: 77 });
      expect(event, row.method).toMatchObject({ type: row.expected.type, id: '77', roomId: ROOM, createdAt: NOW });
      expect(incompleteness(event), row.method).toBe('');
    }
  });

  it('a payload that is not the method\'s type is BAD_MESSAGE, and the frame\'s other messages still come', () => {
    const broken = { method: 'WebcastGiftVoteMessage', payload: Uint8Array.of(0x22, 0x05, 0x0a), msgId: 5 };
    const result = decodeFrame(frameBytes({ messages: [broken, spec(ROWS[0]!)] }), { roomId: ROOM });
    expect(result.ok && result.value.errors.map((error) => [error.code, error.method])).toEqual([['BAD_MESSAGE', 'WebcastGiftVoteMessage']]);
    expect(result.ok && result.value.events.map((event) => event.type)).toEqual(['BannerEvent']);
  });

  it('a typed message for another room is refused as WRONG_ROOM', () => {
    const row = ROWS.find((candidate) => candidate.type === 'LinkMicBattle')!;
    const result = decodeFrame(frameBytes({ messages: [spec(row)] }), { roomId: '7690000000000000001' });
    expect(result.ok && result.value.errors.map((error) => error.code)).toEqual(['WRONG_ROOM']);
  });

  it('covers every method the decoder types', () => {
    const covered = new Set([...ROWS.map((row) => row.method), ...Object.keys(TWINS)]);
    const older = ['WebcastChatMessage', 'WebcastEmojiChatMessage', 'WebcastGiftMessage', 'WebcastLikeMessage', 'WebcastMemberMessage',
      'WebcastSocialMessage', 'WebcastControlMessage', 'WebcastRoomUserSeqMessage', 'WebcastRoomStatsMessage', 'WebcastFansclubMessage',
      'WebcastRoomRankMessage', 'WebcastRoomMessage', 'WebcastRoomIntroMessage', 'WebcastProductChangeMessage',
      'WebcastLiveShoppingMessage', 'WebcastLiveEcomMessage'];
    expect([...METHOD_DECODERS.keys()].filter((method) => !covered.has(method)).sort()).toEqual(older.sort());
  });
});
