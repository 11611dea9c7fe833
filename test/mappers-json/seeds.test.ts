// The vendor samples in ../shared/seeds wrap Douyin's own bodies as {code, data: <body>, msg}.
// Blocks that parse are used as they are; shapes whose samples are truncated are reproduced in
// small fixtures below, field names and nesting exactly as the samples show them.
import { describe, expect, it } from 'vitest';
import {
  mapCheckAlive,
  mapFeed,
  mapGiftList,
  mapPromotions,
  mapRankList,
  mapRoom,
  parseUpstreamJson,
} from '../../src/domain/mappers/json/index.ts';
import { captureJson, haveCaptures, haveSeeds, seedJsonBlocks } from './captures.ts';

function vendorBody(blockText: string): unknown {
  return (parseUpstreamJson(blockText) as { data: unknown }).data;
}

function ok<T>(result: { ok: true; value: T } | { ok: false; signal: unknown }): T {
  if (!result.ok) throw new Error(`expected a value, got ${JSON.stringify(result.signal)}`);
  return result.value;
}

describe.skipIf(!haveSeeds)('vendor samples (skipped: ../shared/seeds is absent)', () => {
  const liveroom = haveSeeds ? seedJsonBlocks('vendor-api-liveroom.md') : [];

  it('room info: an app-side Room maps with exact ids, times and owner details', () => {
    const body = vendorBody(liveroom[0]!) as { data: unknown };
    const room = mapRoom(body.data);
    expect(room).toMatchObject({
      id: '6843198199583378191',
      status: 'ENDED',
      startedAt: 1593306245000,
      finishedAt: 1593362656000,
      totalViewers: 164069,
      likeCount: 4746,
      hasCommerceGoods: true,
    });
    expect(room?.owner).toMatchObject({ id: '95760275230', gender: 'FEMALE', verified: true, followerCount: 214171, webRid: null });
    expect(room?.owner?.payGrade).toMatchObject({ level: 5, nextDiamonds: 17, description: '距离6级还差17抖币' });
    // This old room has only the single hls_pull_url: it becomes the default resolution's stream.
    expect(room?.streamUrls).toEqual([
      { protocol: 'HLS', quality: expect.any(String), url: 'http://pull-hls-f11.douyincdn.com/stage/stream-683385719577641061.m3u8' },
    ]);
  });

  it('status: check_alive room ids are bare 19-digit numbers and come out exact', () => {
    const block = liveroom[3]!;
    expect(block).toContain('"room_id": 6843198199583378191');
    expect(ok(mapCheckAlive(vendorBody(block)))).toEqual([
      { roomId: '6843198199583378191', isLive: false },
      { roomId: '6872323400263797518', isLive: true },
    ]);
    // The same body through JSON.parse: the ids were rounded, so no status is reported for them.
    expect(ok(mapCheckAlive((JSON.parse(block) as { data: unknown }).data))).toEqual([]);
  });

  it('ranklist top100: exactly_score, gap, pay grade and the total', () => {
    const block = seedJsonBlocks('vendor-api-ranklist-top100.md')[0]!;
    const list = ok(mapRankList(vendorBody(block), '6994259511469247263'));
    expect(list.roomId).toBe('6994259511469247263');
    expect(list.total).toBe(39847);
    expect(list.entries).toHaveLength(2);
    const [first, second] = list.entries;
    expect(first).toMatchObject({ rank: 1, score: 10001, exactScore: '1.0万', gap: '1.0万', delta: 0 });
    expect(first?.user).toMatchObject({ id: '98204909466', shortId: '920536341', nickname: 'ddezf', fansClub: null });
    expect(first?.user.payGrade).toEqual({
      level: 25,
      name: null,
      description: '距离26级还差1998抖币',
      minDiamonds: 15000,
      maxDiamonds: 20000,
      nextDiamonds: 1998,
    });
    expect(second).toMatchObject({ rank: 2, score: 1939, exactScore: '1939', delta: 8062 });
    expect(second?.user.id).toBe('2955104372400333');
  });

  it('audience: the older rank body (its sample has a trailing comma, removed here)', () => {
    const block = liveroom[4]!.replace(/,(\s*[\]}])/g, '$1');
    const list = ok(mapRankList(vendorBody(block), '6843198199583378191'));
    expect(list.total).toBe(0);
    expect(list.entries).toHaveLength(1);
    expect(list.entries[0]).toMatchObject({ rank: 1, score: 99, gap: '99', exactScore: null });
    expect(list.entries[0]?.user.payGrade).toMatchObject({ level: 16, maxDiamonds: 1700, nextDiamonds: 3 });
  });
});

describe('fans club (shape of vendor-api-room-ranklist-post.txt, whose JSON is truncated)', () => {
  const rankBody = {
    status_code: 0,
    data: {
      ranks: [
        {
          delta: 0,
          exactly_score: '',
          gap_description: '',
          rank: 1,
          score: 1,
          user: {
            id: 3060694528041645,
            id_str: '3060694528041645',
            nickname: '金刚',
            fans_club: {
              data: {
                anchor_id: 4416096245649518,
                available_gift_ids: [],
                badge: { icons: { '2': { uri: 'webcast/ranklist_fansclub_super_badge_19.png', url_list: [] } }, title: '金刚爱' },
                badge_type: 0,
                club_name: '金刚爱',
                level: 19,
                user_fans_club_status: 1,
              },
              prefer_data: {},
            },
            pay_grade: { grade_describe: '', level: 60, this_grade_max_diamond: 0, this_grade_min_diamond: 200000000 },
          },
        },
        { rank: 2, score: 5, user: { id_str: '', nickname: 'hidden' } },
      ],
      total: 2,
    },
  };

  it('keeps the club with its anchor, and drops an entry whose user has no id', () => {
    const list = ok(mapRankList(rankBody, '7107858435835808546'));
    expect(list.entries).toHaveLength(1);
    expect(list.entries[0]?.user.fansClub).toEqual({ name: '金刚爱', level: 19, anchorId: '4416096245649518' });
    // Level 60 is past the last threshold: Douyin sends max 0, which means "no upper bound".
    expect(list.entries[0]?.user.payGrade).toMatchObject({ level: 60, minDiamonds: 200000000, maxDiamonds: null, nextDiamonds: null });
  });

  it('signals a bad shape when data.ranks is missing, and login for 20003', () => {
    expect(mapRankList({ status_code: 0, data: {} }, '1')).toMatchObject({ ok: false, signal: { kind: 'BAD_SHAPE' } });
    expect(mapRankList({ status_code: 20003, data: {} }, '1')).toMatchObject({ ok: false, signal: { kind: 'LOGIN_REQUIRED' } });
  });
});

describe('promotions (the vendor sample is truncated with Object{...}; these reproduce its shape)', () => {
  const item = {
    cover: 'https://sf6-ttcdn-tos.pstatp.com/img/temai/4d79a9bc80b64c9ffd9412fc45f59c9bwww850-850~tplv-resize:200:0.webp',
    detail_url: 'aweme://goods/seeding/?promotion_id=3436129527946972390',
    in_stock: true,
    index: 2,
    min_price: 5990,
    price: 99900,
    product_id: '3436129527946972390',
    promotion_id: '3436129527946972390',
    sale_num: 0,
    shop_id: 3494225,
    short_title: '',
    status: 2,
    stock_num: 0,
    title: 'k00006三色显瘦牛仔裤',
  };
  const other = { ...item, promotion_id: '3436129527946972391', product_id: '3436129527946972391', index: 1, in_stock: false, price: 1990 };

  it('the promotions/page body (data-wrapped): prices in fen and the explained product', () => {
    const body = { data: { current_promotion_id: '3436129527946972390', promotions: [other, item], total: 31, has_more: false }, status_code: 0 };
    const list = ok(mapPromotions(body, '6872323400263797518'));
    expect(list).toMatchObject({ roomId: '6872323400263797518', currentPromotionId: '3436129527946972390', total: 31 });
    expect(list.promotions.map((p) => [p.id, p.isExplaining, p.inStock])).toEqual([
      ['3436129527946972391', false, false],
      ['3436129527946972390', true, true],
    ]);
    expect(list.promotions[1]).toMatchObject({ priceFen: 99900, minPriceFen: 5990, shopId: '3494225', index: 2, shortTitle: null, stock: 0 });
    expect(list.promotions[1]?.cover).toBe(item.cover);
  });

  it('the pop/v3 body: promotions at the top level, no total', () => {
    const list = ok(mapPromotions({ promotions: [item] }, '1'));
    expect(list).toMatchObject({ total: 1, currentPromotionId: null });
    expect(list.promotions[0]?.isExplaining).toBe(false);
  });

  it('a body with no list is a bad shape, not an empty shop', () => {
    expect(mapPromotions({ status_code: 0, data: {} }, '1')).toMatchObject({ ok: false, signal: { kind: 'BAD_SHAPE' } });
    expect(mapPromotions({ status_code: 100111, status_msg: '系统开小差了' }, '1')).toEqual({
      ok: false,
      signal: { kind: 'UPSTREAM_STATUS', statusCode: 100111, message: '系统开小差了' },
    });
  });
});

describe('feed and gift list', () => {
  it('the web feed wraps each room as {type, data: Room}; the app feed lists rooms; others are skipped', () => {
    const room = { id_str: '7690183442860198697', status: 2, title: 'a', owner: { id_str: '1', nickname: 'n', web_rid: '148108118778' } };
    const web = ok(mapFeed({ status_code: 0, data: [{ type: 1, data: room }, { type: 2, data: { banner: true } }] }));
    expect(web).toHaveLength(1);
    expect(web[0]).toMatchObject({ id: '7690183442860198697', status: 'LIVE', webRid: '148108118778' });
    const app = ok(mapFeed({ status_code: 0, data: [room] }));
    expect(app.map((r) => r.id)).toEqual(['7690183442860198697']);
    expect(mapFeed({ status_code: 0, data: {} })).toMatchObject({ ok: false, signal: { kind: 'BAD_SHAPE' } });
  });

  it.skipIf(!haveCaptures)('a feed item holding a recorded room maps like the room itself', () => {
    const recorded = captureJson('S04-enter-live').data.data[0];
    const feed = ok(mapFeed({ status_code: 0, data: [{ type: 1, data: recorded }] }));
    expect(feed[0]).toEqual(mapRoom(recorded));
  });

  it('gift/list: data.gifts[] with price in diamonds', () => {
    const body = {
      status_code: 0,
      data: {
        gifts_info: { speedy_gift_id: 1 },
        gifts: [
          { id: 463, name: '玫瑰', diamond_count: 1, combo: true, type: 1, image: { url_list: ['https://x/rose.png'], uri: 'rose' } },
          { id: 0, name: 'broken' },
          { id_str: '8913', id: 8913, name: '嘉年华', diamond_count: 30000, combo: false, type: 4 },
        ],
      },
    };
    expect(ok(mapGiftList(body))).toEqual([
      { id: '463', name: '玫瑰', diamondCount: 1, combo: true, type: 1, image: { urls: ['https://x/rose.png'], uri: 'rose', width: null, height: null } },
      { id: '8913', name: '嘉年华', diamondCount: 30000, combo: false, type: 4, image: null },
    ]);
    expect(mapGiftList({ data: {} })).toMatchObject({ ok: false, signal: { kind: 'BAD_SHAPE' } });
  });
});
