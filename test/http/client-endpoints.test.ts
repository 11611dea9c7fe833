// The other endpoints: rank list, promotions, feed, gifts and the im/fetch bootstrap, plus
// signing and msToken handling.
import { fileURLToPath } from 'node:url';
import protobuf from 'protobufjs';
import { describe, expect, it } from 'vitest';
import type { Signer } from '../../src/collectors/signer/signer.ts';
import { haveSeeds, seedJsonBlocks } from '../mappers-json/captures.ts';
import { empty, json, useHarness, upstreamFailure } from './client-harness.ts';

const harnessOf = useHarness();

const ROOM_ID = '7690183442860198697';
const ANCHOR_ID = '98870923112';

const failure = upstreamFailure;

describe('rankList', () => {
  const PATH = '/webcast/ranklist/audience/';

  it.skipIf(!haveSeeds)('asks with the anchor ids and maps the ranks (vendor top-100 sample body)', async () => {
    const vendor = JSON.parse(seedJsonBlocks('vendor-api-ranklist-top100.md')[0]!) as { data: unknown };
    harnessOf().routes.set(PATH, (_req, res) => json(res, vendor.data));
    const list = await harnessOf().client({ cookie: 'sessionid=abc' }).api.rankList({ roomId: ROOM_ID, anchorId: ANCHOR_ID, secAnchorId: 'MS4wLjABAAAA' });
    expect(list.total).toBe(39847);
    expect(list.entries.map((e) => e.user.id)).toEqual(['98204909466', '2955104372400333']);
    const query = harnessOf().server.seen(PATH)[0]!.url.searchParams;
    expect([query.get('room_id'), query.get('anchor_id'), query.get('sec_anchor_id'), query.get('rank_type')]).toEqual([ROOM_ID, ANCHOR_ID, 'MS4wLjABAAAA', '30']);
  });

  it('an empty answer without a cookie means a login is needed (no ttwid refresh for it)', async () => {
    harnessOf().routes.set(PATH, empty);
    const error = await failure(harnessOf().client().api.rankList({ roomId: ROOM_ID }));
    expect(error.code).toBe('LOGIN_REQUIRED');
    expect(error.message).toContain('DOUYIN_COOKIE');
    expect(harnessOf().server.seen(PATH)).toHaveLength(1);
  });

  it('an empty answer with a cookie is Blocked', async () => {
    harnessOf().routes.set(PATH, empty);
    expect((await failure(harnessOf().client({ cookie: 'sessionid=abc' }).api.rankList({ roomId: ROOM_ID }))).code).toBe('BLOCKED');
  });
});

describe('promotions', () => {
  const PATH = '/live/promotions/pop/v3/';

  it('asks pop/v3 with author_id and entrance_info, and maps the carousel', async () => {
    harnessOf().routes.set(PATH, (_req, res) =>
      json(res, { promotions: [{ promotion_id: '3436129527946972390', title: 'jeans', price: 99900, min_price: 5990, in_stock: true }] }),
    );
    const list = await harnessOf().client().api.promotions({ roomId: ROOM_ID, authorId: ANCHOR_ID });
    expect(list.promotions).toEqual([expect.objectContaining({ id: '3436129527946972390', priceFen: 99900, minPriceFen: 5990 })]);
    const query = harnessOf().server.seen(PATH)[0]!.url.searchParams;
    expect(query.get('author_id')).toBe(ANCHOR_ID);
    expect(query.get('device_platform')).toBe('webapp');
    expect(JSON.parse(query.get('entrance_info')!)).toEqual({ room_id: ROOM_ID, anchor_id: ANCHOR_ID, carrier_type: 'live_popup_card', ecom_scene_id: '1001' });
  });

  it('an empty answer is a room without goods', async () => {
    harnessOf().routes.set(PATH, empty);
    expect(await harnessOf().client().api.promotions({ roomId: ROOM_ID, authorId: ANCHOR_ID })).toEqual({
      roomId: ROOM_ID,
      promotions: [],
      currentPromotionId: null,
      total: 0,
    });
  });
});

describe('feed and gift catalogue', () => {
  it('maps the feed\'s {type, data: Room} items', async () => {
    harnessOf().routes.set('/webcast/feed/', (_req, res) =>
      json(res, `{"data":[{"type":1,"data":{"id":${ROOM_ID},"status":2,"title":"t"}}],"status_code":0}`),
    );
    const rooms = await harnessOf().client().api.feed();
    expect(rooms.map((r) => [r.id, r.status])).toEqual([[ROOM_ID, 'LIVE']]);
  });

  it('maps data.gifts and passes the room id when given', async () => {
    harnessOf().routes.set('/webcast/gift/list/', (_req, res) => json(res, { status_code: 0, data: { gifts: [{ id: 463, name: '玫瑰', diamond_count: 1 }] } }));
    const gifts = await harnessOf().client().api.giftCatalog(ROOM_ID);
    expect(gifts.map((g) => [g.id, g.diamondCount])).toEqual([['463', 1]]);
    expect(harnessOf().server.seen('/webcast/gift/list/')[0]?.url.searchParams.get('room_id')).toBe(ROOM_ID);
  });
});

describe('imFetch', () => {
  const PATH = '/webcast/im/fetch/';
  const Response = protobuf.loadSync(fileURLToPath(new URL('../../proto/webcast.proto', import.meta.url))).lookupType('webcast.Response');

  function protobufBody(fields: Record<string, unknown>): Buffer {
    return Buffer.from(Response.encode(Response.create(fields)).finish());
  }

  it('decodes cursor, internal_ext, push server and Douyin\'s wss_push_did', async () => {
    const internalExt = `internal_src:dim|wss_push_room_id:${ROOM_ID}|wss_push_did:7345678901234567890|first_req_ms:1790519970000|fetch_time:1790519970100|seq:1|wss_info:0-1790519970100-0-0|wrds_v:7`;
    const body = protobufBody({
      cursor: 't-1790519970100_r-1_d-1_u-1',
      internalExt,
      now: 1790519970100,
      heartbeatDuration: 15,
      fetchInterval: 1000,
      pushServer: 'wss://webcast100-ws-web-hl.douyin.com/webcast/im/push/v2/',
      pushServerV2: 'wss://webcast100-ws-web-lq.douyin.com/webcast/im/push/v2/',
    });
    harnessOf().routes.set(PATH, (_req, res) => {
      res.writeHead(200, { 'content-type': 'application/protobuffer' });
      res.end(body);
    });
    const { api } = harnessOf().client();
    const bootstrap = await api.imFetch(ROOM_ID);
    expect(bootstrap).toMatchObject({
      roomId: ROOM_ID,
      cursor: 't-1790519970100_r-1_d-1_u-1',
      internalExt,
      pushServer: 'wss://webcast100-ws-web-lq.douyin.com/webcast/im/push/v2/',
      userUniqueId: '7345678901234567890',
      now: 1790519970100,
      heartbeatDuration: 15,
      fetchInterval: 1000,
    });
    expect(Buffer.from(bootstrap.response).equals(body)).toBe(true);
    const query = harnessOf().server.seen(PATH)[0]!.url.searchParams;
    expect([query.get('room_id'), query.get('resp_content_type'), query.get('user_unique_id')]).toEqual([ROOM_ID, 'protobuf', api.visitorId]);
    expect(api.visitorId).toMatch(/^\d{19}$/);
  });

  it('falls back to the visitor id it sent when Douyin assigned none', async () => {
    harnessOf().routes.set(PATH, (_req, res) => res.end(protobufBody({ cursor: 'c', internalExt: 'internal_src:dim' })));
    const { api } = harnessOf().client({ visitorId: '7000000000000000001' });
    expect(await api.imFetch(ROOM_ID)).toMatchObject({ userUniqueId: '7000000000000000001', pushServer: null });
  });

  it('reports bytes that are not a Response, and a JSON answer, as unavailable', async () => {
    harnessOf().routes.set(PATH, (_req, res) => res.end(Buffer.from([0x0a, 0xff, 0xff, 0xff, 0xff, 0x0f])));
    expect((await failure(harnessOf().client().api.imFetch(ROOM_ID))).message).toContain('not a webcast Response');
    harnessOf().routes.set(PATH, (_req, res) => json(res, { status_code: 0, data: {} }));
    expect((await failure(harnessOf().client().api.imFetch(ROOM_ID))).message).toContain('JSON instead of protobuf');
    harnessOf().routes.set(PATH, (_req, res) => json(res, { status_code: 4001038, data: { prompts: 'gone' } }));
    expect((await failure(harnessOf().client().api.imFetch(ROOM_ID))).code).toBe('ROOM_NOT_FOUND');
  });
});

describe('signing and msToken', () => {
  const REFLOW = '/webcast/room/reflow/info/';
  const ENTER = '/webcast/room/web/enter/';
  const enterBody = { status_code: 0, data: { user: { id_str: '1' }, data: [{ id_str: ROOM_ID, status: 2 }] } };

  it('appends the signer\'s a_bogus to signed calls only, URL-encoded, computed over the URL sent', async () => {
    const seen: { url: string; userAgent: string }[] = [];
    const signer: Signer = {
      kind: 'service',
      sign: async (input) => {
        seen.push(input);
        return { signature: '', aBogus: 'AB+/=' };
      },
    };
    harnessOf().routes.set(ENTER, (_req, res) => json(res, enterBody));
    harnessOf().routes.set(REFLOW, (_req, res) => json(res, { status_code: 0, data: { room: { id_str: ROOM_ID } } }));
    const { api } = harnessOf().client({ signer });
    await api.roomByWebRid('148108118778');
    await api.roomByRoomId(ROOM_ID);
    const enter = harnessOf().server.seen(ENTER)[0]!;
    const sentPath = enter.url.pathname + enter.url.search;
    expect(sentPath.endsWith('&a_bogus=AB%2B%2F%3D')).toBe(true);
    expect(seen).toHaveLength(1);
    expect(seen[0]!.url.endsWith(sentPath.replace('&a_bogus=AB%2B%2F%3D', ''))).toBe(true);
    expect(seen[0]!.userAgent).toBe(enter.headers['user-agent']);
    expect(harnessOf().server.seen(REFLOW)[0]!.url.searchParams.has('a_bogus')).toBe(false);
  });

  it('reports a failing signer as unavailable without calling the upstream', async () => {
    const signer: Signer = {
      kind: 'script',
      sign: async () => {
        throw new Error('sign() threw');
      },
    };
    const error = await failure(harnessOf().client({ signer }).api.roomByWebRid('148108118778'));
    expect(error.code).toBe('UPSTREAM_UNAVAILABLE');
    expect(error.message).toContain('signer');
    expect(harnessOf().server.seen(ENTER)).toHaveLength(0);
  });

  it('reuses the msToken Douyin hands back in x-ms-token', async () => {
    harnessOf().routes.set(REFLOW, (_req, res) => json(res, { status_code: 0, data: { room: { id_str: ROOM_ID } } }, 200, { 'x-ms-token': 'fresh-token_from-douyin' }));
    const { api } = harnessOf().client();
    await api.roomByRoomId(ROOM_ID);
    await api.roomByRoomId('7690183442860198698');
    const tokens = harnessOf().server.seen(REFLOW).map((r) => r.url.searchParams.get('msToken'));
    expect(tokens[0]).toHaveLength(184);
    expect(tokens[1]).toBe('fresh-token_from-douyin');
  });
});
