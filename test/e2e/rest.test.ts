// issue 7 proof, vendor routes: every vendor-compatible route answered end to end by the real
// gateway over the simulator, with a token from a real API_TOKENS_FILE, and checked against the
// simulator's own rooms; /chat polling returns each simulator message once.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { rankedContributions } from '../../src/simulator/room-model.ts';
import { tokenFile, vendorCall, type TokenFile } from './helpers/vendor.ts';
import { startStack, until, type Stack } from './stack.ts';

describe('vendor REST routes over the simulator', () => {
  let stack: Stack;
  let tokens: TokenFile;
  let token: string;
  let base: string;

  beforeAll(async () => {
    tokens = tokenFile();
    token = tokens.add('vendor client');
    stack = await startStack({ env: { API_TOKENS_FILE: tokens.file } });
    base = new URL(stack.url).origin;
  });
  afterAll(async () => {
    await stack?.close();
    tokens?.cleanup();
  });

  const get = (path: string, params: Record<string, string>) =>
    vendorCall(`${base}${path}?${new URLSearchParams({ token, ...params }).toString()}`);

  it('GET /douyin/liveroom/info answers the simulator\'s room by room_id and by web_rid, exact ids in the raw body', async () => {
    const room = stack.sim.liveRooms()[0]!;
    const byId = await get('/douyin/liveroom/info', { room_id: room.id });
    expect(byId.status).toBe(200);
    expect(byId.body).toMatchObject({ code: 200, msg: 'success', data: { status_code: 0 } });
    expect(byId.text).toContain(`"id":${room.id},"id_str":"${room.id}"`);
    expect(byId.body.data.data).toMatchObject({
      id_str: room.id,
      title: room.model.title,
      status: 2,
      owner: { id_str: room.model.anchor.id, nickname: room.model.anchor.nickname, sec_uid: room.model.anchor.secUid },
    });
    // Keys the domain model does not keep arrive as Douyin (here the simulator) sent them.
    expect(byId.body.data.data.room_auth).toMatchObject({ Chat: true });
    expect(byId.body.data.data.stats.fan_ticket).toBe(room.model.fanTickets);
    expect(byId.body.data.data.owner.pay_grade.new_live_icon.uri).toMatch(/aweme_pay_grade/);
    const byWebRid = await get('/douyin/liveroom/info', { room_id: room.webRid });
    expect(byWebRid.body.data.data.id_str).toBe(room.id);
  });

  it('GET /douyin/liveroom/status says which of the listed rooms are live, in the order asked', async () => {
    const [live, other, ended] = stack.sim.rooms();
    stack.sim.endRoom(ended!.id);
    const { status, body } = await get('/douyin/liveroom/status', { room_id: [ended!.id, live!.id, other!.id].join(',') });
    expect(status).toBe(200);
    expect(body.data.data).toEqual([
      { alive: false, room_id: ended!.id },
      { alive: true, room_id: live!.id },
      { alive: true, room_id: other!.id },
    ]);
  });

  it('GET /douyin/liveroom/promotions lists the room\'s cart as the simulator stocks it', async () => {
    const room = stack.sim.liveRooms().find((candidate) => candidate.model.products.length > 0)!;
    const { status, body } = await get('/douyin/liveroom/promotions', { room_id: room.id });
    expect(status).toBe(200);
    expect(body.data.promotions.map((p: { product_id: string }) => p.product_id)).toEqual(room.model.products.map((p) => p.productId));
    expect(body.data.promotions.map((p: { price: number }) => p.price)).toEqual(room.model.products.map((p) => p.priceFen));
    expect(body.data.total).toBe(room.model.products.length);
  });

  it('GET /douyin/liveroom/audience, /ranklist and POST /dy/live/get_room_ranklist rank the simulator\'s gift senders', async () => {
    const room = stack.sim.liveRooms()[0]!;
    room.emit(60, { kinds: ['gift'] });
    const expected = rankedContributions(room.model).map((entry) => ({ id: entry.user.id, score: entry.diamonds }));
    expect(expected.length).toBeGreaterThan(1);
    const ranksOf = (data: { ranks: { user: { id_str: string }; score: number }[] }) => data.ranks.map((r) => ({ id: r.user.id_str, score: r.score }));

    const audience = await get('/douyin/liveroom/audience', { room_id: room.id });
    expect(audience.status).toBe(200);
    expect(ranksOf(audience.body.data.data)).toEqual(expected);

    const ranklist = await get('/douyin/liveroom/ranklist', { room_id: room.id, anchor_id: room.model.anchor.id });
    expect(ranksOf(ranklist.body.data.data)).toEqual(expected);

    const form = new FormData();
    form.set('wcid', 'vendor-session');
    form.set('room_id', room.id);
    form.set('sec_anchor_id', room.model.anchor.secUid);
    const posted = await vendorCall(`${base}/dy/live/get_room_ranklist`, { method: 'POST', headers: { 'Access-Token': token }, body: form });
    expect(posted.status).toBe(200);
    expect(posted.body).toMatchObject({ code: 0, msg: '成功' });
    expect(ranksOf(posted.body.data.data)).toEqual(expected);
  });

  it('GET /douyin/liveroom/feed returns live simulator rooms', async () => {
    const { status, body } = await get('/douyin/liveroom/feed', {});
    expect(status).toBe(200);
    const live = new Map(stack.sim.liveRooms().map((room) => [room.id, room.model.title]));
    expect(body.data.data.length).toBeGreaterThan(0);
    for (const room of body.data.data as { id_str: string; title: string }[]) expect(live.get(room.id_str)).toBe(room.title);
  });

  it('GET /douyin/liveroom/chat: the first poll starts collecting, later polls return each simulator message once', async () => {
    const room = stack.sim.liveRooms()[1]!;
    const first = await get('/douyin/liveroom/chat', { room_id: room.id });
    expect(first.status).toBe(200);
    expect(first.body.data.messages).toEqual([]);
    await until(() => stack.gateway.supervisor.connectionState(room.id) === 'LIVE', 'the room to be collected');
    await until(() => stack.sim.connections().some((c) => c.roomId === room.id && c.heartbeatsReceived > 0), 'the push connection');

    const truth = room.emit(120, { kinds: ['chat', 'gift', 'like', 'member'] }).filter((record) => !record.duplicate);
    const seen: string[] = [];
    let cursor = first.body.data.cursor as string;
    // Poll as a client would, until every message came back or the deadline passed.
    const deadline = Date.now() + 20_000;
    while (seen.length < truth.length && Date.now() < deadline) {
      const page = await get('/douyin/liveroom/chat', { room_id: room.id });
      expect(page.status).toBe(200);
      for (const message of page.body.data.messages as { msg_id: string }[]) seen.push(message.msg_id);
      cursor = page.body.data.cursor;
    }
    expect(seen).toEqual(truth.map((record) => record.msgId));
    expect(cursor).not.toBe('');
    const again = await get('/douyin/liveroom/chat', { room_id: room.id });
    expect(again.body.data.messages).toEqual([]);
  });

  it('answers bad input in the vendor\'s error form before any upstream call, and an unknown room with 404', async () => {
    const before = stack.sim.requests({ kind: 'http' }).length;
    const bad = await get('/douyin/liveroom/info', { room_id: '12ab' });
    expect(bad.status).toBe(400);
    expect(bad.body).toEqual({ code: -1, msg: expect.stringContaining('room_id'), data: null });
    expect(bad.headers.get('x-error-code')).toBe('BAD_REQUEST');
    expect(stack.sim.requests({ kind: 'http' }).length).toBe(before);
    const missing = await get('/douyin/liveroom/info', { room_id: '7000000000000000001' });
    expect(missing.status).toBe(404);
    expect(missing.headers.get('x-error-code')).toBe('ROOM_NOT_FOUND');
  });
});
