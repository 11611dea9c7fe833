// The webcast mappers as pure functions over plain wire objects: tables of inputs and the
// domain values they must give.
import { describe, expect, it } from 'vitest';
import { mapFansclub, mapSocial, shareTarget } from '../../src/domain/mappers/webcast/audience.ts';
import { mapChat } from '../../src/domain/mappers/webcast/chat.ts';
import { baseEvent, type MessageEnvelope } from '../../src/domain/mappers/webcast/envelope.ts';
import { giftPhase, mapGift } from '../../src/domain/mappers/webcast/gift.ts';
import { mapControl, mapRoomStats } from '../../src/domain/mappers/webcast/room.ts';
import { mapImage, mapUser } from '../../src/domain/mappers/webcast/user.ts';
import type { WireGiftMessage, WireUser } from '../../src/domain/wire.ts';
import { incompleteness, userSchema } from './event-schema.ts';

const envelope: MessageEnvelope = { method: 'WebcastTestMessage', msgId: '900', roomId: '7690183442860198697', now: 1790519971068 };

describe('mapUser', () => {
  it('maps every field the wire carries', () => {
    const user = mapUser({
      id: '1152921504606846977',
      shortId: 7,
      nickname: '小明',
      gender: 1,
      signature: 'hi',
      avatarThumb: { urlList: ['https://a/thumb.jpeg'], uri: 'thumb', width: 100, height: 100 },
      avatarMedium: { urlList: ['https://a/medium.jpeg'] },
      verified: true,
      followInfo: { followingCount: 3, followerCount: 0 },
      payGrade: { level: 12, name: '12级', gradeDescribe: '距离13级还差35抖币', thisGradeMinDiamond: 0, thisGradeMaxDiamond: 2000 },
      fansClub: { data: { clubName: '木森团', level: 8, anchorId: '98765432101' } },
      displayId: 'dy7',
      secUid: 'MS4w',
      webRid: '148108118778',
    });
    expect(user).toEqual({
      id: '1152921504606846977',
      shortId: '7',
      secUid: 'MS4w',
      displayId: 'dy7',
      nickname: '小明',
      avatar: { urls: ['https://a/thumb.jpeg'], uri: 'thumb', width: 100, height: 100 },
      avatarSizes: {
        SMALL: { urls: ['https://a/thumb.jpeg'], uri: 'thumb', width: 100, height: 100 },
        MEDIUM: { urls: ['https://a/medium.jpeg'], uri: null, width: null, height: null },
      },
      gender: 'MALE',
      signature: 'hi',
      // next_diamond is 0, so the description says how far the next level is
      payGrade: { level: 12, name: '12级', description: '距离13级还差35抖币', minDiamonds: 0, maxDiamonds: 2000, nextDiamonds: 35 },
      fansClub: { name: '木森团', level: 8, anchorId: '98765432101' },
      followerCount: 0,
      followingCount: 3,
      verified: true,
      webRid: '148108118778',
    });
    expect(userSchema.safeParse(user).success).toBe(true);
  });

  it.each<[string, WireUser, string | null]>([
    ['id', { id: 42 }, '42'],
    ['id_str when id is 0', { id: 0, idStr: '1234567890123456789' }, '1234567890123456789'],
    ['nothing: no user', { nickname: 'ghost' }, null],
    ['a non-decimal id_str: no user', { idStr: 'abc' }, null],
  ])('takes the %s', (_, wire, id) => {
    expect(mapUser(wire)?.id ?? null).toBe(id);
  });

  it.each([
    [0, 'UNKNOWN'],
    [1, 'MALE'],
    [2, 'FEMALE'],
    [7, 'UNKNOWN'],
  ])('maps gender %i to %s', (gender, expected) => {
    expect(mapUser({ id: 1, gender })?.gender).toBe(expected);
  });

  it('leaves out a placeholder pay grade and a club without a name', () => {
    const user = mapUser({ id: 1, payGrade: { level: 0 }, fansClub: { data: { clubName: '', level: 3 } } });
    expect(user).toMatchObject({ payGrade: null, fansClub: null, followerCount: null, avatar: null, avatarSizes: null });
  });

  it('takes the avatar from the smallest size sent', () => {
    expect(mapUser({ id: 1, avatarLarge: { urlList: ['https://a/l.jpeg'] } })?.avatar?.urls).toEqual(['https://a/l.jpeg']);
  });

  it('gives no image for an Image without URLs', () => {
    expect(mapImage({ urlList: ['', ''], uri: 'x' })).toBeNull();
    expect(mapImage(null)).toBeNull();
  });
});

describe('baseEvent', () => {
  it.each([
    ['Common ids, room and time', { msgId: 5, roomId: '7690000000000000009', createTime: 1790519969 }, undefined, ['5', '7690000000000000009', 1790519969000]],
    ['create_time in ms', { msgId: 5, createTime: '1790519969132' }, undefined, ['5', '7690183442860198697', 1790519969132]],
    ['the envelope when Common is empty', {}, undefined, ['900', '7690183442860198697', 1790519971068]],
    ['the fallback time when create_time is corrupt', { createTime: '9000000000000000' }, 1790519968, ['900', '7690183442860198697', 1790519968000]],
  ])('takes %s', (_, common, fallbackTime, [id, roomId, createdAt]) => {
    expect(baseEvent(common, envelope, { fallbackTime })).toMatchObject({ id, roomId, createdAt, method: 'WebcastTestMessage', cursor: null, user: null });
  });

  it("prefers the message's user over Common.user", () => {
    expect(baseEvent({ user: { id: 1 } }, envelope, { user: { id: 2 } }).user?.id).toBe('2');
    expect(baseEvent({ user: { id: 1 } }, envelope, { user: null }).user?.id).toBe('1');
  });

  it("falls back to room '0' without a Common room or a connection room", () => {
    expect(baseEvent({}, { ...envelope, roomId: null }).roomId).toBe('0');
  });
});

describe('mapGift', () => {
  it.each([
    [false, 0, 'STARTED'],
    [false, 1, 'STARTED'],
    [false, 2, 'PROGRESS'],
    [true, 1, 'FINAL'],
    [true, 30, 'FINAL'],
  ] as const)('repeat_end %s, repeat_count %i is %s', (repeatEnd, repeatCount, phase) => {
    expect(giftPhase(repeatEnd, repeatCount)).toBe(phase);
  });

  it.each<[string, WireGiftMessage, Record<string, unknown>]>([
    [
      'counts groups of gifts and their diamonds',
      { repeatCount: 3, groupCount: 10, gift: { id: 5, diamondCount: 52 } },
      { deltaCount: 3, totalCount: 30, totalDiamonds: 1560, phase: 'PROGRESS' },
    ],
    ['treats group_count 0 as one gift per send', { repeatCount: 4, groupCount: 0, gift: { id: 5, diamondCount: 1 } }, { totalCount: 4, totalDiamonds: 4 }],
    ['reads the final message of a combo', { repeatCount: 9, repeatEnd: 1, gift: { id: 5, diamondCount: 1 } }, { phase: 'FINAL', repeatEnd: true, totalCount: 9 }],
    ['takes gift_id when there is no struct', { giftId: 463, repeatCount: 1 }, { gift: { id: '463', name: '', diamondCount: 0, combo: false, image: null, type: null } }],
    ['takes the icon when the struct has no image', { gift: { id: 1, icon: { urlList: ['https://g/i.png'] } } }, { gift: { image: { urls: ['https://g/i.png'] } } }],
    ['clamps a negative int32 price to 0', { repeatCount: 1, gift: { id: 1, diamondCount: -5 } }, { totalDiamonds: 0 }],
  ])('%s', (_, wire, expected) => {
    const event = mapGift(wire, envelope);
    expect(event).toMatchObject(expected);
    expect(incompleteness(event)).toBe('');
  });
});

describe('audience and room mappers', () => {
  it.each([
    ['1', 'WECHAT'],
    ['2', 'MOMENTS'],
    ['3', 'WEIBO'],
    ['4', 'QZONE'],
    ['5', 'QQ'],
    ['112', 'DOUYIN_FRIENDS'],
    ['99', 'OTHER'],
    ['', 'OTHER'],
    ['constructor', 'OTHER'],
  ])('share target %j is %s', (wire, target) => {
    expect(shareTarget(wire)).toBe(target);
  });

  it('maps only follow and share socials', () => {
    expect(mapSocial({ action: 1 }, envelope)?.type).toBe('FollowEvent');
    expect(mapSocial({ action: 3 }, envelope)?.type).toBe('ShareEvent');
    expect(mapSocial({ action: 0 }, envelope)).toBeNull();
  });

  it.each([
    [1, 'LEVEL_UP'],
    [2, 'JOINED'],
    [0, 'OTHER'],
  ])('fans club action %i is %s', (action, expected) => {
    expect(mapFansclub({ action }, envelope).action).toBe(expected);
  });

  it.each([
    [1, 'PAUSED'],
    [2, 'LIVE'],
    [3, 'ENDED'],
    [4, 'ENDED'],
    [0, 'UNKNOWN'],
  ])('control action %i is %s', (action, status) => {
    expect(mapControl({ action }, envelope)).toMatchObject({ status, action });
  });

  it('takes the control reason from tips, else Common.describe', () => {
    expect(mapControl({ action: 3, common: { describe: '主播已下播' } }, envelope).reason).toBe('主播已下播');
    expect(mapControl({ action: 3 }, envelope).reason).toBeNull();
  });

  it.each([
    [1, 'ONLINE'],
    [3, 'CUMULATIVE'],
    [2, 'OTHER'],
  ])('room stats display_type %i is %s', (displayType, kind) => {
    expect(mapRoomStats({ displayType }, envelope).kind).toBe(kind);
  });

  it('gives a chat without content an empty string, not undefined', () => {
    expect(mapChat({}, envelope)).toMatchObject({ content: '', user: null, id: '900' });
  });
});
