// The upstream HTTP endpoints behave like Douyin's: cookies, not-found and risk-control
// answers, check_alive batching, rank lists that agree with the gifts sent, promotions, the
// feed, the gift catalogue and the im/fetch bootstrap; and every call is logged.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { giftTotals, startSimulator, type SimRoom, type Simulator } from '../../src/simulator/index.ts';
import protobuf from 'protobufjs';
import { fileURLToPath } from 'node:url';

const root = new protobuf.Root().loadSync(fileURLToPath(new URL('../../proto/webcast.proto', import.meta.url)));
const ResponseType = root.lookupType('webcast.Response');

let sim: Simulator;
let shop: SimRoom;
let plain: SimRoom;
let ended: SimRoom;
const TTWID = 'ttwid=1%7Ctest';

async function get(path: string, init: RequestInit = {}) {
  return fetch(`${sim.url}${path}`, init);
}

async function getJson(path: string): Promise<any> {
  const response = await get(path, { headers: { cookie: TTWID } });
  expect(response.headers.get('content-type')).toContain('application/json');
  return response.json();
}

beforeAll(async () => {
  sim = await startSimulator({ seed: 'endpoints', rooms: [{ goods: true, duplicateChatRate: 0 }, { goods: false }, { live: false }], autoTraffic: false });
  [shop, plain, ended] = sim.rooms() as [SimRoom, SimRoom, SimRoom];
});

afterAll(async () => {
  await sim.stop();
});

describe('page visits and cookies', () => {
  it('sets ttwid on GET / and on the room page, which carries the room in its SSR state', async () => {
    const home = await get('/');
    expect(home.headers.get('set-cookie')).toMatch(/^ttwid=1%7C[\w-]{43}%7C\d{10}%7C[0-9a-f]{64}; Path=\//);
    const page = await get(`/${shop.webRid}`);
    expect(page.headers.get('set-cookie')).toMatch(/^ttwid=/);
    const html = await page.text();
    const state = JSON.parse(decodeURIComponent(/<script id="RENDER_DATA"[^>]*>([^<]+)<\/script>/.exec(html)?.[1] ?? '')) as any;
    expect(state.app.initialState.roomStore.roomInfo.roomId).toBe(shop.id);
    expect(state.app.initialState.userStore.odin.user_unique_id).toMatch(/^7\d{18}$/);
  });

  it('does not set ttwid again when the visitor has one', async () => {
    const page = await get('/', { headers: { cookie: TTWID } });
    expect(page.headers.get('set-cookie')).toBeNull();
  });
});

describe('web/enter', () => {
  it('answers a call without the ttwid cookie with HTTP 200 and an empty body, as Douyin does', async () => {
    const response = await get(`/webcast/room/web/enter/?web_rid=${shop.webRid}`);
    expect(response.status).toBe(200);
    expect(response.headers.get('content-length')).toBe('0');
    expect(response.headers.get('content-type')).toBeNull();
    expect(await response.text()).toBe('');
  });

  it('answers an unknown web_rid with status_code 4001038 and data.prompts', async () => {
    const response = await get('/webcast/room/web/enter/?web_rid=999999999999', { headers: { cookie: TTWID } });
    expect(response.headers.get('bd-tt-error-code')).toBe('4001038');
    const body = (await response.json()) as any;
    expect(body).toMatchObject({ status_code: 4001038, data: { prompts: '该内容暂时无法无法查看' } });
    expect(typeof body.extra.now).toBe('number');
  });

  it('describes a live room (room_status 0, status 2) and an ended one (room_status 2, status 4)', async () => {
    const liveBody = await getJson(`/webcast/room/web/enter/?web_rid=${shop.webRid}`);
    expect(liveBody.data.room_status).toBe(0);
    expect(liveBody.data.data[0].status).toBe(2);
    expect(liveBody.data.user.id_str).toBe(shop.model.anchor.id);
    const endedBody = await getJson(`/webcast/room/web/enter/?web_rid=${ended.webRid}`);
    expect(endedBody.data.room_status).toBe(2);
    expect(endedBody.data.data[0].status).toBe(4);
    expect(endedBody.data.enter_room_id).toBe(ended.id);
  });

  it('gives the anchor’s new room_id after a restart, and reflow still knows the old one', async () => {
    const anchorRoom = sim.createRoom({});
    const next = sim.restartRoom(anchorRoom.id);
    expect(next.webRid).toBe(anchorRoom.webRid);
    expect(next.id).not.toBe(anchorRoom.id);
    const body = await getJson(`/webcast/room/web/enter/?web_rid=${anchorRoom.webRid}`);
    expect(body.data.enter_room_id).toBe(next.id);
    const old = await getJson(`/webcast/room/reflow/info/?room_id=${anchorRoom.id}`);
    expect(old.data.room.status).toBe(4);
    expect(old.data.room.owner.web_rid).toBe(anchorRoom.webRid);
  });
});

describe('reflow', () => {
  it('answers an unknown room_id with 4001038', async () => {
    const body = await getJson('/webcast/room/reflow/info/?room_id=7000000000000000009');
    expect(body.status_code).toBe(4001038);
  });
});

describe('check_alive', () => {
  it('answers many rooms in one call, in the order asked, with exact room ids', async () => {
    sim.clearRequests();
    const ids = [shop.id, ended.id, '7000000000000000123', plain.id];
    const response = await get(`/webcast/room/check_alive/?aid=6383&room_ids=${ids.join(',')}`);
    const text = await response.text();
    const body = JSON.parse(text) as any;
    expect(body.status_code).toBe(0);
    expect(body.data.map((d: any) => [d.room_id_str, d.alive])).toEqual([
      [shop.id, true],
      [ended.id, false],
      ['7000000000000000123', false],
      [plain.id, true],
    ]);
    expect(text).toContain(`"room_id":${shop.id}`);
    expect(sim.requestCounts('http')['/webcast/room/check_alive/']).toBe(1);
  });

  it('accepts the app SDK’s form POST and ignores ids that are not decimal', async () => {
    const response = await get('/webcast/room/check_alive/', {
      method: 'POST',
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
      body: `room_ids=${shop.id},abc,`,
    });
    const body = (await response.json()) as any;
    expect(body.data).toHaveLength(1);
    expect(body.data[0]).toMatchObject({ alive: true, room_id_str: shop.id });
  });
});

describe('rank list', () => {
  it('ranks senders by the diamonds their gift messages carried', async () => {
    shop.emit(300, { kinds: ['gift'] });
    const body = await getJson(`/webcast/ranklist/audience/?room_id=${shop.id}&anchor_id=${shop.model.anchor.id}&sec_anchor_id=${shop.model.anchor.secUid}&rank_type=30`);
    const totals = giftTotals(shop.truth());
    const ranks = body.data.ranks as any[];
    expect(ranks.length).toBe(Math.min(100, totals.byUser.size));
    expect(body.data.total).toBe(totals.byUser.size);
    for (const entry of ranks) expect(entry.score).toBe(totals.byUser.get(entry.user.id_str));
    expect(ranks.map((r) => r.rank)).toEqual(ranks.map((_, i) => i + 1));
    const scores = ranks.map((r) => r.score as number);
    expect([...scores].sort((a, b) => b - a)).toEqual(scores);
    expect(ranks[0].user.pay_grade.level).toBeGreaterThan(0);
  });

  it('fills fans-club data only for the anchor asked about', async () => {
    const withAnchor = await getJson(`/webcast/ranklist/audience/?room_id=${shop.id}&anchor_id=${shop.model.anchor.id}`);
    const withoutAnchor = await getJson(`/webcast/ranklist/audience/?room_id=${shop.id}`);
    const clubLevels = (body: any) => (body.data.ranks as any[]).map((r) => r.user.fans_club.data.level as number);
    expect(clubLevels(withAnchor).some((level) => level > 0)).toBe(true);
    expect(clubLevels(withoutAnchor).every((level) => level === 0)).toBe(true);
  });

  it('answers an unknown room with 4001038', async () => {
    const body = await getJson('/webcast/ranklist/audience/?room_id=7000000000000000555');
    expect(body.status_code).toBe(4001038);
  });
});

describe('promotions', () => {
  it('lists the room’s products in fen with the product being explained', async () => {
    shop.emit(20, { kinds: ['product', 'shopping'] });
    const response = await get(`/live/promotions/pop/v3/?room_id=${shop.id}&author_id=${shop.model.anchor.id}`);
    const body = (await response.json()) as any;
    expect(body.status_code).toBe(0);
    expect(body.promotions.map((p: any) => p.promotion_id)).toEqual(shop.model.products.map((p) => p.promotionId));
    expect(body.total).toBe(shop.model.products.length);
    expect(body.current_promotion_id).toBe(shop.model.explainingId ?? '');
    for (const promotion of body.promotions) {
      expect(Number.isInteger(promotion.price)).toBe(true);
      expect(promotion.min_price).toBeLessThanOrEqual(promotion.price);
      expect(promotion.in_stock).toBe(promotion.stock_num > 0);
    }
  });

  it('answers an empty body for a room without goods or with another author_id', async () => {
    for (const path of [`/live/promotions/pop/v3/?room_id=${plain.id}&author_id=${plain.model.anchor.id}`, `/live/promotions/pop/v3/?room_id=${shop.id}&author_id=1`]) {
      const response = await get(path);
      expect(response.status).toBe(200);
      expect(await response.text()).toBe('');
    }
  });
});

describe('feed, gifts, user', () => {
  it('lists the live rooms as data[] of {type, data: Room} with the anchor’s web_rid', async () => {
    const body = await getJson('/webcast/feed/?aid=6383&app_name=douyin_web&need_map=1&is_draw=1');
    const listed = (body.data as any[]).map((item) => item.data.id_str).sort();
    expect(listed).toEqual(sim.liveRooms().map((r) => r.id).sort());
    for (const item of body.data as any[]) {
      expect(typeof item.type).toBe('number');
      expect(item.data.status).toBe(2);
      expect(item.data.owner.web_rid).toBe(sim.room(item.data.id_str)?.webRid);
    }
  });

  it('serves the gift catalogue with diamond prices', async () => {
    const body = await getJson('/webcast/gift/list/?device_platform=webapp&aid=6383');
    const prices = new Map((body.data.gifts as any[]).map((g) => [g.name as string, g.diamond_count as number]));
    expect(Object.fromEntries(['小心心', '玫瑰', '棒棒糖', '小皇冠', '真爱玫瑰', '跑车', '嘉年华'].map((n) => [n, prices.get(n)]))).toEqual({
      小心心: 1, 玫瑰: 1, 棒棒糖: 9, 小皇冠: 10, 真爱玫瑰: 366, 跑车: 1200, 嘉年华: 3000,
    });
  });

  it('answers /webcast/user/me/ with 20003 for an anonymous visitor', async () => {
    const body = await getJson('/webcast/user/me/');
    expect(body.status_code).toBe(20003);
  });
});

describe('im/fetch', () => {
  it('bootstraps the push connection: protobuf Response with cursor, internal_ext (wss_push_did) and push_server', async () => {
    plain.emit(30, { kinds: ['chat'] });
    const response = await get(`/webcast/im/fetch/?resp_content_type=protobuf&did_rule=3&room_id=${plain.id}&cursor=&internal_ext=`);
    expect(response.headers.get('content-type')).toBe('application/protobuffer');
    const decoded = ResponseType.toObject(ResponseType.decode(new Uint8Array(await response.arrayBuffer())), { longs: String }) as any;
    expect(decoded.cursor).toMatch(/^t-\d{13}_r-\d{19}_d-1_u-1$/);
    expect(decoded.internalExt).toMatch(new RegExp(`wss_push_room_id:${plain.id}\\|wss_push_did:7\\d{18}\\|`));
    expect(decoded.pushServer).toBe(`${sim.pushUrl}/webcast/im/push/v2/`);
    expect(decoded.messages).toHaveLength(15);
    const truth = plain.truth();
    expect(decoded.messages.map((m: any) => m.msgId)).toEqual(truth.slice(-15).map((r) => r.msgId));
  });

  it('with a cursor, returns what came after it (polling mode)', async () => {
    const first = await get(`/webcast/im/fetch/?room_id=${plain.id}`);
    const cursor = (ResponseType.decode(new Uint8Array(await first.arrayBuffer())) as any).cursor as string;
    const later = plain.emit(4, { kinds: ['chat'] });
    const next = await get(`/webcast/im/fetch/?room_id=${plain.id}&cursor=${cursor}`);
    const decoded = ResponseType.decode(new Uint8Array(await next.arrayBuffer())) as any;
    expect(decoded.messages.map((m: any) => String(m.msgId))).toEqual(later.map((r) => r.msgId));
  });
});

describe('request log', () => {
  it('counts upstream calls exactly per endpoint and keeps their query', async () => {
    sim.clearRequests();
    await get(`/webcast/room/web/enter/?web_rid=${shop.webRid}`, { headers: { cookie: TTWID } });
    await get(`/webcast/room/web/enter/?web_rid=${plain.webRid}`, { headers: { cookie: TTWID } });
    await get(`/webcast/room/reflow/info/?room_id=${shop.id}`);
    await get('/__sim/rooms');
    expect(sim.requestCounts('http')).toEqual({ '/webcast/room/web/enter/': 2, '/webcast/room/reflow/info/': 1 });
    const enters = sim.requests({ path: '/webcast/room/web/enter/' });
    expect(enters.map((e) => e.query.web_rid)).toEqual([shop.webRid, plain.webRid]);
    expect(enters.every((e) => e.kind === 'http' && e.status === 200 && e.method === 'GET')).toBe(true);
  });
});

describe('risk control options', () => {
  let strict: Simulator;

  beforeAll(async () => {
    strict = await startSimulator({ seed: 'strict', rooms: [{}], autoTraffic: false, requireSignature: true, rankListRequiresLogin: true });
  });

  afterAll(async () => {
    await strict.stop();
  });

  it('answers signed endpoints without a_bogus with an empty body, and with it normally', async () => {
    const room = strict.liveRooms()[0]!;
    const unsigned = await fetch(`${strict.url}/webcast/room/web/enter/?web_rid=${room.webRid}`, { headers: { cookie: TTWID } });
    expect(await unsigned.text()).toBe('');
    const signed = await fetch(`${strict.url}/webcast/room/web/enter/?web_rid=${room.webRid}&a_bogus=xyz`, { headers: { cookie: TTWID } });
    expect(((await signed.json()) as any).data.enter_room_id).toBe(room.id);
  });

  it('answers an anonymous rank-list call with an empty body when login is required', async () => {
    const room = strict.liveRooms()[0]!;
    const anonymous = await fetch(`${strict.url}/webcast/ranklist/audience/?room_id=${room.id}&a_bogus=x`, { headers: { cookie: TTWID } });
    expect(await anonymous.text()).toBe('');
    const loggedIn = await fetch(`${strict.url}/webcast/ranklist/audience/?room_id=${room.id}&a_bogus=x`, { headers: { cookie: `${TTWID}; sessionid=abc` } });
    expect(((await loggedIn.json()) as any).status_code).toBe(0);
  });
});
