// decodeFrame on frames we build ourselves: each method's event, the fallbacks, gzip rules,
// the per-message failure modes and the counters.
import { gzipSync } from 'node:zlib';
import { describe, expect, it } from 'vitest';
import { decodeFrame, MAX_INFLATED_BYTES } from '../../src/collectors/protocol/decode.ts';
import { payloadTypes } from '../../src/collectors/protocol/proto.ts';
import { createDecodeStats, MAX_UNKNOWN_METHOD_NAMES, OTHER_UNKNOWN_METHODS } from '../../src/collectors/protocol/stats.ts';
import type { DecodedFrame, DecodeContext } from '../../src/collectors/protocol/types.ts';
import type { UpstreamEvent } from '../../src/domain/events.ts';
import { incompleteness } from './event-schema.ts';
import { common, frameBytes, message, NOW, richUser, ROOM, type MessageSpec, type ResponseSpec } from './fixtures.ts';

function decode(bytes: Uint8Array, ctx: DecodeContext = { roomId: ROOM }): DecodedFrame {
  const result = decodeFrame(bytes, ctx);
  if (!result.ok) throw new Error(`${result.error.code}: ${result.error.reason}`);
  return result.value;
}

function eventsOf(messages: MessageSpec[], ctx?: DecodeContext): UpstreamEvent[] {
  const frame = decode(frameBytes({ messages }), ctx);
  expect(frame.errors).toEqual([]);
  for (const event of frame.events) expect(incompleteness(event)).toBe('');
  return frame.events;
}

function only(messages: MessageSpec[]): UpstreamEvent {
  const events = eventsOf(messages);
  expect(events).toHaveLength(1);
  return events[0]!;
}

describe('decodeFrame: each method becomes its event', () => {
  it('chat', () => {
    expect(only([message('ChatMessage', { common: common(11), user: richUser('42'), content: '你好' })])).toMatchObject({
      type: 'ChatEvent',
      id: '11',
      roomId: ROOM,
      method: 'WebcastChatMessage',
      content: '你好',
      user: { id: '42', nickname: '观众3' },
      cursor: null,
    });
  });

  it('emoji chat, with the image piece giving the text and the URL', () => {
    const emojiContent = { pieces: [{ imageValue: { image: { urlList: ['https://e/1.png'], content: { alternativeText: '[捂脸]' } } } }] };
    expect(only([message('EmojiChatMessage', { common: common(12), user: richUser('42'), emojiId: 7, emojiContent })])).toMatchObject({
      type: 'EmojiChatEvent',
      emojiId: '7',
      content: '[捂脸]',
      imageUrl: 'https://e/1.png',
    });
  });

  it('gift, with its struct, receiver and combo counts', () => {
    const gift = { id: 463, name: '小心心', diamondCount: 1, combo: true, type: 4, icon: { urlList: ['https://g/463.png'] } };
    const event = only([
      message('GiftMessage', { common: common(13), user: richUser('42'), toUser: richUser('9'), gift, giftId: 999, groupCount: 10, repeatCount: 3, groupId: '7690224709082037814' }),
    ]);
    expect(event).toMatchObject({
      type: 'GiftEvent',
      gift: { id: '463', name: '小心心', diamondCount: 1, combo: true, type: 4, image: { urls: ['https://g/463.png'] } },
      toUser: { id: '9' },
      groupId: '7690224709082037814',
      repeatCount: 3,
      groupCount: 10,
      repeatEnd: false,
      phase: 'PROGRESS',
      deltaCount: 3,
      totalCount: 30,
      totalDiamonds: 30,
    });
  });

  it('like, with the user in field 5', () => {
    expect(only([message('LikeMessage', { common: common(14), user: richUser('42'), count: 7, total: 12345 })])).toMatchObject({
      type: 'LikeEvent',
      count: 7,
      total: 12345,
      user: { id: '42' },
    });
  });

  it('member join', () => {
    expect(only([message('MemberMessage', { common: common(15), user: richUser('42'), memberCount: 305503 })])).toMatchObject({
      type: 'MemberJoinedEvent',
      memberCount: 305503,
    });
  });

  it('social: follow, share with its target, and other actions as UnknownEvent', () => {
    const [follow, share, other] = eventsOf([
      message('SocialMessage', { common: common(16), user: richUser('42'), action: 1, followCount: 5000 }),
      message('SocialMessage', { common: common(17), user: richUser('42'), action: 3, shareTarget: '112', shareTotalCount: 9 }),
      message('SocialMessage', { common: common(18), user: richUser('42'), action: 2 }),
    ]);
    expect(follow).toMatchObject({ type: 'FollowEvent', followerCount: 5000, user: { id: '42' } });
    expect(share).toMatchObject({ type: 'ShareEvent', target: 'DOUYIN_FRIENDS', shareCount: 9 });
    expect(other).toMatchObject({ type: 'UnknownEvent', id: '18', method: 'WebcastSocialMessage' });
  });

  it('control: pause, resume, end, platform end', () => {
    const events = eventsOf([1, 2, 3, 4, 9].map((action) => message('ControlMessage', { common: common(20 + action), action, tips: '直播已结束' })));
    expect(events.map((event) => (event.type === 'RoomStatusEvent' ? [event.action, event.status] : null))).toEqual([
      [1, 'PAUSED'],
      [2, 'LIVE'],
      [3, 'ENDED'],
      [4, 'ENDED'],
      [9, 'UNKNOWN'],
    ]);
    expect(events[2]).toMatchObject({ reason: '直播已结束' });
  });

  it('RoomUserSeq, with its top contributors', () => {
    const ranks = [
      { rank: 1, score: 5000, user: richUser('1') },
      { rank: 2, score: 4000, user: richUser('2') },
    ];
    expect(
      only([message('RoomUserSeqMessage', { common: common(30), ranks, total: 305503, totalUser: 7227121, onlineUserForAnchor: '30.6万', totalPvForAnchor: '722.7万' })]),
    ).toMatchObject({
      type: 'ViewerCountEvent',
      current: 305503,
      total: 7227121,
      currentText: '30.6万',
      totalText: '722.7万',
      topContributors: [
        { rank: 1, score: 5000, user: { id: '1' } },
        { rank: 2, score: 4000, user: { id: '2' } },
      ],
      user: null,
    });
  });

  it('room stats: online, cumulative, other', () => {
    const events = eventsOf([1, 3, 2].map((displayType) => message('RoomStatsMessage', { common: common(40 + displayType), displayType, displayValue: 91, displayShort: '91', displayLong: '91在线观众' })));
    expect(events.map((event) => (event.type === 'RoomStatsEvent' ? event.kind : null))).toEqual(['ONLINE', 'CUMULATIVE', 'OTHER']);
    expect(events[0]).toMatchObject({ value: 91, displayShort: '91', displayLong: '91在线观众' });
  });

  it('fans club: level up and join, with the club level from the user', () => {
    const [levelUp, joined] = eventsOf([
      message('FansclubMessage', { common: common(50), action: 1, content: '升级到8级', user: richUser('42') }),
      message('FansclubMessage', { common: common(51), action: 2, content: '加入了粉丝团' }),
    ]);
    expect(levelUp).toMatchObject({ type: 'FansClubEvent', action: 'LEVEL_UP', content: '升级到8级', level: 8 });
    expect(joined).toMatchObject({ type: 'FansClubEvent', action: 'JOINED', level: null, user: null });
  });

  it('room rank, numbered in wire order', () => {
    const ranks = [{ user: richUser('1'), scoreStr: '1万' }, { user: richUser('2') }];
    expect(only([message('RoomRankMessage', { common: common(60), ranks })])).toMatchObject({
      type: 'RankUpdateEvent',
      entries: [
        { rank: 1, user: { id: '1' }, scoreText: '1万' },
        { rank: 2, user: { id: '2' }, scoreText: null },
      ],
    });
  });

  it('room notice and intro', () => {
    const [notice, intro] = eventsOf([
      message('RoomMessage', { common: common(70), content: '欢迎来到直播间' }),
      message('RoomIntroMessage', { common: common(71), user: richUser('8'), intro: '每晚八点', label: ['聊天', '音乐'] }),
    ]);
    expect(notice).toMatchObject({ type: 'RoomNoticeEvent', content: '欢迎来到直播间' });
    expect(intro).toMatchObject({ type: 'RoomIntroEvent', intro: '每晚八点', labels: ['聊天', '音乐'], user: { id: '8' } });
  });

  it('e-commerce: cart change, explaining, sold out, purchase', () => {
    const events = eventsOf([
      message('ProductChangeMessage', { common: common(80), updateToast: '上新了', updateProductInfo: [{ promotionId: '3600000000000000001' }], total: 12 }),
      message('LiveShoppingMessage', { common: common(81), promotionId: '3600000000000000002' }),
      message('LiveShoppingMessage', { common: common(82), promotionId: '3600000000000000002', soldOut: true }),
      message('LiveEcomMessage', { common: common(83), nickName: '观众', purchaseCnt: 3, text: '3人正在购买', metaIdStr: '3600000000000000003' }),
    ]);
    expect(events.map((event) => (event.type === 'ProductEvent' ? [event.action, event.promotionIds, event.total] : null))).toEqual([
      ['CART_CHANGED', ['3600000000000000001'], 12],
      ['EXPLAINING', ['3600000000000000002'], null],
      ['SOLD_OUT', ['3600000000000000002'], null],
      ['PURCHASED', ['3600000000000000003'], null],
    ]);
  });

  it('UpdateFanTicket is a FanTicketEvent with its Common id and time', () => {
    const spec = message('UpdateFanTicketMessage', { common: common(90, { createTime: 1790519969 }), roomFanTicketCount: 5 });
    expect(only([spec])).toMatchObject({ type: 'FanTicketEvent', id: '90', createdAt: 1790519969000, total: 5, totalText: null });
  });

  it('an unknown method becomes an UnknownEvent with its name and exact payload', () => {
    const payload = Uint8Array.of(0x0a, 0x03, 0x61, 0x62, 0x63, 0xff);
    expect(only([{ method: 'WebcastGiftIconFlashMessage', payload, msgId: '7690224709082037814' }])).toEqual({
      type: 'UnknownEvent',
      id: '7690224709082037814',
      roomId: ROOM,
      method: 'WebcastGiftIconFlashMessage',
      createdAt: NOW,
      user: null,
      cursor: null,
      payload: 'CgNhYmP/',
    });
  });
});

describe('decodeFrame: fallbacks', () => {
  it('takes the id from Common, else from the envelope', () => {
    const events = eventsOf([
      message('ChatMessage', { common: common(5), content: 'a' }, 6),
      message('ChatMessage', { common: common(0), content: 'b' }, 7),
      message('ChatMessage', { content: 'c' }, '18446744073709551615'),
    ]);
    expect(events.map((event) => event.id)).toEqual(['5', '7', '18446744073709551615']);
  });

  it('names a message with no id anywhere by its frame and place, so two never collide', () => {
    const messages = [message('ChatMessage', { content: 'a' }), message('ChatMessage', { content: 'b' })];
    const bytes = frameBytes({ messages }, { logId: '9223372036854775809' });
    const ids = decode(bytes, {}).events.map((event) => event.id);
    expect(ids).toEqual(['nomsgid:9223372036854775809:0', 'nomsgid:9223372036854775809:1']);
    expect(decode(bytes, {}).events.map((event) => event.id)).toEqual(ids);
  });

  it('takes the room from Common, else the connection, else 0', () => {
    const spec = message('ChatMessage', { common: { msgId: 1 }, content: 'x' });
    expect(decode(frameBytes({ messages: [spec] }), { roomId: ROOM }).events[0]!.roomId).toBe(ROOM);
    expect(decode(frameBytes({ messages: [spec] }), {}).events[0]!.roomId).toBe('0');
    const withRoom = message('ChatMessage', { common: common(1), content: 'x' });
    expect(decode(frameBytes({ messages: [withRoom] }), {}).events[0]!.roomId).toBe(ROOM);
  });

  it('dates by create_time, else event_time, else Response.now, else the arrival time', () => {
    const specs = [
      message('ChatMessage', { common: common(1, { createTime: '1790519969132' }), eventTime: 1790519900 }),
      message('ChatMessage', { common: common(2), eventTime: 1790519900 }),
      message('LikeMessage', { common: common(3), count: 1 }),
    ];
    expect(decode(frameBytes({ messages: specs })).events.map((event) => event.createdAt)).toEqual([1790519969132, 1790519900000, NOW]);
    const noNow = frameBytes({ messages: specs.slice(2), now: 0 });
    expect(decode(noNow, { roomId: ROOM, receivedAt: 1790519999999 }).events[0]!.createdAt).toBe(1790519999999);
    expect(decode(noNow, { roomId: ROOM }).events[0]!.createdAt).toBe(0);
    // A corrupt server time (past year 9999) is no time at all.
    expect(decode(frameBytes({ messages: specs.slice(2), now: '18446744073709551615' }), { roomId: ROOM }).events[0]!.createdAt).toBe(0);
  });

  it("uses Common.user when the message's own user is missing", () => {
    const [event] = eventsOf([message('MemberMessage', { common: common(1, { user: richUser('77') }) })]);
    expect(event!.user?.id).toBe('77');
  });
});

describe('decodeFrame: frame and Response', () => {
  it('reports the frame fields and the Response facts a collector needs', () => {
    const frame = decode(
      frameBytes(
        { messages: [], cursor: 't-1_r-2', internalExt: 'ext', heartbeatDuration: 15, pushServer: 'wss://push' },
        { logId: '18446744073709551615', headers: { compress_type: 'gzip', 'im-cursor': 'header-cursor', ['__proto__']: 'x' } },
      ),
    );
    expect(frame.frame).toMatchObject({ seqId: '1', logId: '18446744073709551615', payloadType: 'msg' });
    expect(Object.keys(frame.frame.headers)).toEqual(['compress_type', 'im-cursor', '__proto__']);
    expect(frame.frame.headers['__proto__']).toBe('x'); // a key like any other, not a prototype
    expect(frame.response).toEqual({
      cursor: 't-1_r-2',
      internalExt: 'ext',
      now: NOW,
      needAck: true,
      heartbeatDuration: 15,
      fetchInterval: 0,
      pushServer: 'wss://push',
      messageCount: 0,
    });
  });

  it('acks only when the Response asks', () => {
    expect(decode(frameBytes({ needAck: false })).ack).toBeNull();
    expect(decode(frameBytes({ needAck: true, internalExt: 'e' })).ack).not.toBeNull();
  });

  it('decodes nothing in frames that are not msg', () => {
    for (const payloadType of ['hb', 'close', 'ack', '']) {
      expect(decode(frameBytes({ messages: [message('ChatMessage', { content: 'x' })] }, { payloadType }))).toMatchObject({
        response: null,
        ack: null,
        events: [],
        methods: [],
      });
    }
  });

  const plain: ResponseSpec = { messages: [message('ChatMessage', { common: common(1), content: 'plain' })] };

  it('reads a plain payload as plain whatever the compress_type header says', () => {
    expect(decode(frameBytes(plain, { gzip: false, headers: { compress_type: 'gzip' } })).events).toHaveLength(1);
  });

  it.each(['gzip', 'GZIP', 'Gzip'])('refuses payload_encoding %s on a payload without gzip magic as BAD_GZIP', (payloadEncoding) => {
    expect(decodeFrame(frameBytes(plain, { gzip: false, payloadEncoding }))).toMatchObject({ ok: false, error: { code: 'BAD_GZIP' } });
  });

  it('refuses a payload that inflates past the limit as BAD_GZIP', () => {
    const bomb = gzipSync(Buffer.alloc(MAX_INFLATED_BYTES + 1));
    expect(bomb.length).toBeLessThan(100_000);
    expect(decodeFrame(frameBytes(plain, { payload: bomb }))).toMatchObject({ ok: false, error: { code: 'BAD_GZIP' } });
  });

  it('refuses gzip with a bad checksum as BAD_GZIP', () => {
    const gz = gzipSync(Buffer.from('not a response'));
    gz[gz.length - 6]! ^= 0xff;
    expect(decodeFrame(frameBytes(plain, { payload: gz }))).toMatchObject({ ok: false, error: { code: 'BAD_GZIP' } });
  });

  it('refuses an inflated payload that is not a Response as BAD_RESPONSE', () => {
    expect(decodeFrame(frameBytes(plain, { payload: gzipSync(Uint8Array.of(0x0a, 0x09, 0x01)) }))).toMatchObject({
      ok: false,
      error: { code: 'BAD_RESPONSE' },
    });
  });

  it('refuses zero bytes as EMPTY_FRAME and garbage as BAD_FRAME', () => {
    expect(decodeFrame(new Uint8Array(0))).toMatchObject({ ok: false, error: { code: 'EMPTY_FRAME' } });
    expect(decodeFrame(Uint8Array.of(0x0a, 0xff, 0xff))).toMatchObject({ ok: false, error: { code: 'BAD_FRAME' } });
  });
});

describe('decodeFrame: one bad message costs only itself', () => {
  const good = message('ChatMessage', { common: common(2), content: 'good' });

  it('a truncated payload is BAD_MESSAGE with its method and envelope id', () => {
    const bad = { method: 'WebcastChatMessage', payload: good.payload.subarray(0, 10), msgId: 99 };
    const frame = decode(frameBytes({ messages: [bad, good] }));
    expect(frame.errors).toEqual([{ code: 'BAD_MESSAGE', reason: expect.stringContaining('WebcastChatMessage'), method: 'WebcastChatMessage', msgId: '99' }]);
    expect(frame.events.map((event) => (event.type === 'ChatEvent' ? event.content : event.type))).toEqual(['good']);
    expect(frame.methods).toEqual(['WebcastChatMessage', 'WebcastChatMessage']);
  });

  it('a string that is not UTF-8 is BAD_MESSAGE; a real U+FFFD is just text', () => {
    // field 3 (content), length 2, bytes ff fe: not UTF-8
    const invalid = { method: 'WebcastChatMessage', payload: Uint8Array.of(0x1a, 0x02, 0xff, 0xfe), msgId: 1 };
    const replacement = message('ChatMessage', { common: common(3), content: 'a\uFFFDb' });
    const frame = decode(frameBytes({ messages: [invalid, replacement] }));
    expect(frame.errors.map((error) => error.code)).toEqual(['BAD_MESSAGE']);
    expect(frame.events).toMatchObject([{ type: 'ChatEvent', content: 'a\uFFFDb' }]);
  });

  it('a message naming another room is WRONG_ROOM with its Common id', () => {
    const other = message('ChatMessage', { common: { msgId: 5, roomId: '7690000000000000002' }, content: 'elsewhere' });
    const frame = decode(frameBytes({ messages: [other, good] }));
    expect(frame.errors).toEqual([
      { code: 'WRONG_ROOM', reason: expect.stringContaining('7690000000000000002'), method: 'WebcastChatMessage', msgId: '5' },
    ]);
    expect(frame.events).toHaveLength(1);
  });
});

describe('decodeFrame: 64-bit values', () => {
  it.each([
    ['1', '1'],
    ['9007199254740993', '9007199254740993'], // 2^53 + 1: a number would round it
    ['9223372036854775808', '9223372036854775808'], // 2^63
    ['18446744073709551615', '18446744073709551615'], // 2^64 - 1
  ])('keeps id %s exact from the wire to the event', (wire, expected) => {
    const [event] = eventsOf([message('ChatMessage', { common: { msgId: wire, roomId: wire }, user: { id: wire } }, wire)], { roomId: expected });
    expect([event!.id, event!.roomId, event!.user?.id]).toEqual([expected, expected, expected]);
  });

  it('reads negative int64 pay-grade values as no value rather than a negative count', () => {
    const user = { id: 1, payGrade: { level: -3, gradeDescribe: '等级', thisGradeMinDiamond: -1, nextDiamond: -5 } };
    const [event] = eventsOf([message('ChatMessage', { common: common(1), user })]);
    expect(event!.user?.payGrade).toEqual({ level: 0, name: null, description: '等级', minDiamonds: null, maxDiamonds: null, nextDiamonds: null });
  });
});

describe('DecodeStats', () => {
  it('counts frames, messages, events, errors by code and unknown methods', () => {
    const stats = createDecodeStats();
    const unknown = { method: 'WebcastGiftIconFlashMessage', payload: new Uint8Array(0), msgId: 1 };
    const wrong = message('ChatMessage', { common: { msgId: 5, roomId: '1' } });
    decodeFrame(frameBytes({ messages: [message('ChatMessage', { common: common(1) }), unknown, unknown, wrong] }), { roomId: ROOM, stats });
    decodeFrame(new Uint8Array(0), { stats });
    decodeFrame(frameBytes({}, { payloadType: 'hb' }), { stats });
    expect(stats).toMatchObject({ frames: 3, messages: 4, events: 3 });
    expect(stats.errors).toEqual({ EMPTY_FRAME: 1, BAD_FRAME: 0, BAD_GZIP: 0, BAD_RESPONSE: 0, BAD_MESSAGE: 0, WRONG_ROOM: 1 });
    expect([...stats.unknownMethods]).toEqual([['WebcastGiftIconFlashMessage', 2]]);
  });

  it('keeps at most a bounded number of unknown method names', () => {
    const stats = createDecodeStats();
    const messages = Array.from({ length: MAX_UNKNOWN_METHOD_NAMES + 50 }, (_, i) => ({ method: `WebcastNew${i}`, payload: new Uint8Array(0) }));
    decodeFrame(frameBytes({ messages }), { stats });
    expect(stats.unknownMethods.size).toBe(MAX_UNKNOWN_METHOD_NAMES + 1);
    expect(stats.unknownMethods.get(OTHER_UNKNOWN_METHODS)).toBe(50);
  });
});

describe('decode helpers', () => {
  it('payload types are the proto types the methods name', () => {
    expect(Object.keys(payloadTypes).every((name) => payloadTypes[name as keyof typeof payloadTypes].name === name)).toBe(true);
  });
});
