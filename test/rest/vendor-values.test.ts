// The vendor shape functions map domain values to the right vendor fields and codes.
import { describe, expect, it } from 'vitest';
import type { RoomEvent } from '../../src/domain/events.ts';
import type { RoomStatus } from '../../src/domain/model.ts';
import { idLiteral, JsonInt, stringifyVendorJson } from '../../src/server/rest/json.ts';
import { vendorChatMessage, vendorChatPage } from '../../src/server/rest/shapes/chat.ts';
import { vendorPromotions } from '../../src/server/rest/shapes/promotion.ts';
import { vendorRankList } from '../../src/server/rest/shapes/rank.ts';
import { vendorRoom, vendorStatusList } from '../../src/server/rest/shapes/room.ts';
import { vendorUser } from '../../src/server/rest/shapes/user.ts';
import { chatEvent, fullRoom, fullUser, OTHER_ROOM_ID, promotionList, rankList, ROOM_ID } from './helpers/fakes.ts';

/** Serialize and parse back; integers beyond 2^53 come back as "#<exact digits>" (Node 20 has no JSON.parse source access). */
function roundTrip(value: Parameters<typeof stringifyVendorJson>[0]): any {
  const text = stringifyVendorJson(value).replace(/([:[,])(-?\d{16,})(?=[,}\]])/g, (all, lead: string, digits: string) =>
    Number.isSafeInteger(Number(digits)) ? all : `${lead}"#${digits}"`,
  );
  return JSON.parse(text);
}

describe('stringifyVendorJson', () => {
  it('writes JsonInt as the exact digits, unquoted', () => {
    expect(stringifyVendorJson({ room_id: new JsonInt('7690183442860198697'), n: 1 })).toBe('{"room_id":7690183442860198697,"n":1}');
  });

  it('matches JSON.stringify for plain values, dropping undefined and writing non-finite numbers as null', () => {
    const value = { a: 'q"uote\n', b: [1, true, null, { c: 'é' }], d: undefined, e: Number.NaN };
    expect(stringifyVendorJson(value)).toBe(JSON.stringify(value));
  });

  it('refuses a JsonInt that is not a decimal integer', () => {
    expect(() => new JsonInt('12a')).toThrow(TypeError);
    expect(() => new JsonInt('007')).toThrow(TypeError);
  });

  it('idLiteral keeps non-numeric ids as strings and makes absent ids 0', () => {
    expect(idLiteral('state:1')).toBe('state:1');
    expect(stringifyVendorJson({ a: idLiteral(null), b: idLiteral('') })).toBe('{"a":0,"b":0}');
  });
});

describe('vendorRoom', () => {
  it('maps the room to Douyin field names with exact ids', () => {
    const room = roundTrip(vendorRoom(fullRoom()));
    expect(room).toMatchObject({
      id: `#${ROOM_ID}`,
      id_str: ROOM_ID,
      status: 2,
      title: '小鱼家正在直播',
      owner_user_id: 95760275230,
      user_count: 1083,
      like_count: 4746,
      has_commerce_goods: true,
      stats: { id_str: ROOM_ID, total_user: 164069, like_count: 4746 },
      living_room_attrs: { room_id: `#${ROOM_ID}`, room_id_str: ROOM_ID },
      cover: { url_list: ['https://p9-webcast.douyinpic.com/img/webcast/cover.image'], uri: 'webcast/cover', width: 720, height: 1280 },
    });
    expect(room.owner).toMatchObject({ id_str: '95760275230', nickname: '小鱼', sec_uid: fullUser().secUid });
  });

  it('derives create_time from the room id and times in seconds', () => {
    const room = roundTrip(vendorRoom(fullRoom({ startedAt: 1_790_510_400_123, finishedAt: 1_790_520_000_999 })));
    // 7690183442860198697 >> 32 = 1790510360 (protocol §1.1).
    expect(room.create_time).toBe(1_790_510_360);
    expect(room.start_time).toBe(1_790_510_400);
    expect(room.finish_time).toBe(1_790_520_000);
  });

  it.each<[RoomStatus, number]>([
    ['PREPARING', 1],
    ['LIVE', 2],
    ['PAUSED', 3],
    ['ENDED', 4],
    ['UNKNOWN', 0],
  ])('status %s is %i', (status, code) => {
    expect(roundTrip(vendorRoom(fullRoom({ status }))).status).toBe(code);
  });

  it('groups stream URLs by quality and picks the best of each protocol', () => {
    const stream = roundTrip(vendorRoom(fullRoom())).stream_url;
    expect(stream.flv_pull_url).toEqual({
      FULL_HD1: 'https://pull-flv.example/stage/stream_or4.flv',
      SD1: 'https://pull-flv.example/stage/stream_ld.flv',
    });
    expect(stream.hls_pull_url_map).toEqual({ FULL_HD1: 'https://pull-hls.example/stage/stream_or4.m3u8' });
    expect(stream.rtmp_pull_url).toBe('https://pull-flv.example/stage/stream_or4.flv');
    expect(stream.hls_pull_url).toBe('https://pull-hls.example/stage/stream_or4.m3u8');
    expect(stream.default_resolution).toBe('FULL_HD1');
  });

  it('leaves owner out and zeroes owner_user_id when the anchor is unknown; empty streams give empty maps', () => {
    const room = roundTrip(vendorRoom(fullRoom({ owner: null, streamUrls: [], cover: null, viewerCount: null })));
    expect('owner' in room).toBe(false);
    expect(room.owner_user_id).toBe(0);
    expect(room.stream_url).toEqual({ flv_pull_url: {}, hls_pull_url_map: {}, hls_pull_url: '', rtmp_pull_url: '', default_resolution: '' });
    expect(room.cover).toEqual({ uri: '', url_list: [], width: 0, height: 0 });
    expect(room.user_count).toBe(0);
  });
});

describe('vendorUser', () => {
  it.each([
    ['UNKNOWN', 0],
    ['MALE', 1],
    ['FEMALE', 2],
  ] as const)('gender %s is %i', (gender, code) => {
    expect(roundTrip(vendorUser(fullUser({ gender }))).gender).toBe(code);
  });

  it('fills what Douyin would send as zero values when the domain has none', () => {
    const user = roundTrip(
      vendorUser(fullUser({ shortId: null, secUid: null, displayId: null, payGrade: null, fansClub: null, followerCount: null, avatarSizes: null, webRid: null })),
    );
    expect(user).toMatchObject({ short_id: 0, sec_uid: '', display_id: '', web_rid: '', follow_info: { follower_count: 0, following_count: 7 } });
    expect(user.pay_grade).toEqual({ level: 0, name: '', grade_describe: '', this_grade_min_diamond: 0, this_grade_max_diamond: 0, next_diamond: 0 });
    expect(user.fans_club).toEqual({ data: { club_name: '', level: 0, anchor_id: 0 } });
    expect(user.avatar_thumb.url_list).toEqual(fullUser().avatar?.urls);
    expect('avatar_large' in user).toBe(false);
  });

  it('maps pay grade and fans club', () => {
    const user = roundTrip(vendorUser(fullUser()));
    expect(user.pay_grade).toEqual({
      level: 16,
      name: '',
      grade_describe: '距离17级还差3抖币',
      this_grade_min_diamond: 1300,
      this_grade_max_diamond: 1700,
      next_diamond: 1703,
    });
    expect(user.fans_club.data).toEqual({ club_name: '鱼粉', level: 7, anchor_id: 95760275231 });
    expect(user.avatar_large.width).toBe(1080);
  });
});

describe('vendorStatusList', () => {
  it('answers every asked room in order; rooms the upstream left out are not alive', () => {
    const list = roundTrip(vendorStatusList([OTHER_ROOM_ID, ROOM_ID], [{ roomId: ROOM_ID, isLive: true }]));
    expect(list).toEqual([
      { alive: false, room_id: `#${OTHER_ROOM_ID}` },
      { alive: true, room_id: `#${ROOM_ID}` },
    ]);
  });
});

describe('vendorRankList', () => {
  it('maps entries, falling back to the score for exactly_score and to the entry count for total', () => {
    const list = rankList();
    const ranks = roundTrip(vendorRankList({ ...list, total: null }));
    expect(ranks.total).toBe(2);
    expect(ranks.has_more).toBe(false);
    expect(ranks.ranks[0]).toMatchObject({ rank: 1, score: 10001, exactly_score: '10001', gap_description: '10001', delta: 0 });
    expect(ranks.ranks[1]).toMatchObject({ rank: 2, score: 1939, exactly_score: '1939', gap_description: '', delta: 8062 });
    expect(ranks.ranks[1].user.id).toBe(2955104372400333);
  });
});

describe('vendorPromotions', () => {
  it('keeps prices in fen and names the explained product when Douyin gave no current id', () => {
    const data = roundTrip(vendorPromotions(promotionList()));
    expect(data.current_promotion_id).toBe('3436129527946972390');
    expect(data.total).toBe(31);
    expect(data.promotions[0]).toMatchObject({ price: 99900, min_price: 5990, stock_num: 12, sale_num: 345, shop_id: 3494225, in_stock: true, index: 2 });
  });

  it('prefers Douyin\'s current promotion id and falls back to the price for min_price', () => {
    const list = promotionList();
    const [product] = list.promotions;
    const data = roundTrip(vendorPromotions({ ...list, currentPromotionId: '42', promotions: [{ ...product!, minPriceFen: null, isExplaining: false }] }));
    expect(data.current_promotion_id).toBe('42');
    expect(data.promotions[0].min_price).toBe(99900);
  });
});

describe('vendorChatMessage', () => {
  const base = { roomId: ROOM_ID, createdAt: 1, cursor: null, user: fullUser({ id: '61152922824', displayId: '834508049' }) };
  const gift = { id: '1', name: '小心心', diamondCount: 1, combo: true, image: null, type: null };
  const cases: [string, RoomEvent, string | null][] = [
    ['chat', chatEvent('想要长款连衣裙'), '想要长款连衣裙'],
    ['like', { ...base, id: '2', method: 'WebcastLikeMessage', type: 'LikeEvent', count: 3, total: 10 }, '点赞'],
    ['member', { ...base, id: '3', method: 'WebcastMemberMessage', type: 'MemberJoinedEvent', memberCount: null }, '来了'],
    ['follow', { ...base, id: '4', method: 'WebcastSocialMessage', type: 'FollowEvent', followerCount: 5 }, '关注了主播'],
    [
      'gift',
      {
        ...base,
        id: '5',
        method: 'WebcastGiftMessage',
        type: 'GiftEvent',
        gift,
        toUser: null,
        groupId: 'g',
        repeatCount: 3,
        groupCount: 1,
        repeatEnd: false,
        phase: 'PROGRESS',
        deltaCount: 1,
        totalCount: 3,
        totalDiamonds: 3,
      },
      '小鱼:送给主播 3个小心心',
    ],
    ['intro', { ...base, id: '6', method: 'WebcastRoomIntroMessage', type: 'RoomIntroEvent', intro: '欢迎', labels: [] }, '欢迎'],
    ['notice (not carried)', { ...base, id: '7', method: 'WebcastRoomMessage', type: 'RoomNoticeEvent', content: 'x' }, null],
  ];

  it.each(cases)('%s', (_name, event, content) => {
    const message = vendorChatMessage(event);
    if (content === null) {
      expect(message).toBeNull();
      return;
    }
    const parsed = roundTrip(message as NonNullable<typeof message>);
    expect(parsed.method).toBe(event.method);
    expect(parsed.payload.content).toBe(content);
    expect(parsed.payload.room_id).toBe(`#${ROOM_ID}`);
  });

  it('writes msg_id, room_id and uid as exact number literals, and user fields by vendor name', () => {
    const event = chatEvent('hi', ROOM_ID, fullUser({ id: '3729150495435053', displayId: 'dynxkkjzy929' }));
    const text = stringifyVendorJson(vendorChatMessage(event) as NonNullable<ReturnType<typeof vendorChatMessage>>);
    expect(text).toContain(`"msg_id":${event.id},`);
    expect(text).toContain('"uid":3729150495435053');
    expect(text).toContain('"unique_id":"dynxkkjzy929"');
  });

  it('a page drops events the route does not carry and reports the cursor', () => {
    const page = roundTrip(vendorChatPage([chatEvent('a'), { ...chatEvent('b'), type: 'RoomNoticeEvent' } as RoomEvent], 'abc', 99));
    expect(page.messages).toHaveLength(1);
    expect(page).toMatchObject({ cursor: 'abc', now: 99, fetch_interval: 1000 });
  });
});
