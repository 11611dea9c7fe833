// The HTTP client with the response cache in front: repeated reads within a window cost one
// upstream request, failures are not kept, and push events keep the cached answers true.
import { describe, expect, it } from 'vitest';
import { applyPushEvents } from '../../src/collectors/cache/push-freshness.ts';
import { UpstreamResponseCache } from '../../src/collectors/cache/response-cache.ts';
import type { RoomEvent } from '../../src/domain/events.ts';
import { captureText, haveCaptures, haveSeeds, seedJsonBlocks } from '../mappers-json/captures.ts';
import { empty, json, useHarness, upstreamFailure } from './client-harness.ts';

const harnessOf = useHarness();

const REFLOW = '/webcast/room/reflow/info/';
const CHECK_ALIVE = '/webcast/room/check_alive/';
const RANKS = '/webcast/ranklist/audience/';
const PROMOTIONS = '/live/promotions/pop/v3/';
const LIVE_ROOM = '7687741736843512602';
const ANCHOR_ID = '98870923112';

function cachedClient(overrides: { maxBytes?: number } = {}) {
  const clock = { now: 0 };
  const cache = new UpstreamResponseCache({
    maxBytes: overrides.maxBytes ?? 1 << 20,
    freshMs: { 'room.reflow': 5000, 'room.checkAlive': 5000, 'ranklist.audience': 10_000, 'promotions.pop': 10_000 },
    now: () => clock.now,
  });
  const { api } = harnessOf().client({ cache, cookie: 'sessionid=abc' });
  return { api, cache, clock };
}

function event(fields: Record<string, unknown>): RoomEvent {
  return { id: 'm1', roomId: LIVE_ROOM, method: 'Webcast', createdAt: 1_790_000_000_000, user: null, cursor: null, ...fields } as unknown as RoomEvent;
}

function serveReflow(): void {
  harnessOf().routes.set(REFLOW, (_req, res) => json(res, captureText('S05-reflow-live')));
}

function serveCheckAlive(): void {
  harnessOf().routes.set(CHECK_ALIVE, (req, res) => {
    const ids = (req.url.searchParams.get('room_ids') ?? '').split(',');
    json(res, `{"data":[${ids.map((id) => `{"alive":true,"room_id":${id}}`).join(',')}],"status_code":0}`);
  });
}

describe.skipIf(!haveCaptures)('the client with a response cache', () => {
  it('asks Douyin once per freshness window however often a room is read', async () => {
    serveReflow();
    const { api, clock } = cachedClient();
    const reads = await Promise.all([api.roomByRoomId(LIVE_ROOM), api.roomByRoomId(LIVE_ROOM)]);
    for (let i = 0; i < 5; i += 1) reads.push(await api.roomByRoomId(LIVE_ROOM));
    expect(new Set(reads.map((room) => room.title)).size).toBe(1);
    expect(harnessOf().server.seen(REFLOW)).toHaveLength(1);
    clock.now = 5000;
    await api.roomByRoomId(LIVE_ROOM);
    expect(harnessOf().server.seen(REFLOW)).toHaveLength(2);
  });

  it('keeps no failure: a room that was not found is asked for again', async () => {
    harnessOf().routes.set(REFLOW, (_req, res) => json(res, { data: { prompts: 'not found' }, status_code: 4001038 }));
    const { api, cache } = cachedClient();
    expect((await upstreamFailure(api.roomByRoomId(LIVE_ROOM))).code).toBe('ROOM_NOT_FOUND');
    expect((await upstreamFailure(api.roomByRoomId(LIVE_ROOM))).code).toBe('ROOM_NOT_FOUND');
    expect(harnessOf().server.seen(REFLOW)).toHaveLength(2);
    expect(cache.size.entries).toBe(0);
  });

  it('keeps an empty promotions answer as the empty list it means', async () => {
    harnessOf().routes.set(PROMOTIONS, empty);
    const { api } = cachedClient();
    const first = await api.promotions({ roomId: LIVE_ROOM, authorId: ANCHOR_ID });
    const second = await api.promotions({ roomId: LIVE_ROOM, authorId: ANCHOR_ID });
    expect(second).toEqual(first);
    expect(second.promotions).toEqual([]);
    expect(harnessOf().server.seen(PROMOTIONS)).toHaveLength(1);
  });

  it('writes pushed viewer counts into the cached room without asking Douyin', async () => {
    serveReflow();
    const { api, cache } = cachedClient();
    const before = await api.roomByRoomId(LIVE_ROOM);
    applyPushEvents(cache, [
      event({ type: 'ViewerCountEvent', current: 123_456, total: 9_000_000, currentText: null, totalText: null, topContributors: [] }),
    ]);
    const after = await api.roomByRoomId(LIVE_ROOM);
    expect(after).toEqual({ ...before, viewerCount: 123_456, totalViewers: 9_000_000 });
    applyPushEvents(cache, [event({ type: 'RoomStatsEvent', kind: 'ONLINE', value: 7, displayShort: null, displayLong: null })]);
    expect((await api.roomByRoomId(LIVE_ROOM)).viewerCount).toBe(7);
    expect(harnessOf().server.seen(REFLOW)).toHaveLength(1);
  });

  it('marks a room that ended as ended in the cached room and live status', async () => {
    serveReflow();
    serveCheckAlive();
    const { api, cache } = cachedClient();
    const other = '7687741736843512604';
    expect(await api.liveStatus([LIVE_ROOM, other])).toEqual([
      { roomId: LIVE_ROOM, isLive: true },
      { roomId: other, isLive: true },
    ]);
    expect((await api.roomByRoomId(LIVE_ROOM)).status).toBe('LIVE');
    applyPushEvents(cache, [event({ type: 'RoomStatusEvent', status: 'ENDED', action: 3, reason: null })]);
    expect(await api.liveStatus([LIVE_ROOM, other])).toEqual([
      { roomId: LIVE_ROOM, isLive: false },
      { roomId: other, isLive: true },
    ]);
    expect(await api.roomByRoomId(LIVE_ROOM)).toMatchObject({ status: 'ENDED', finishedAt: 1_790_000_000_000 });
    expect([harnessOf().server.seen(CHECK_ALIVE).length, harnessOf().server.seen(REFLOW).length]).toEqual([1, 1]);
  });

  it('a pause or resume drops the cached room and status, so the next read asks again', async () => {
    serveReflow();
    serveCheckAlive();
    const { api, cache } = cachedClient();
    await api.roomByRoomId(LIVE_ROOM);
    await api.liveStatus([LIVE_ROOM]);
    applyPushEvents(cache, [event({ type: 'RoomStatusEvent', status: 'PAUSED', action: 1, reason: null })]);
    await api.roomByRoomId(LIVE_ROOM);
    await api.liveStatus([LIVE_ROOM]);
    expect([harnessOf().server.seen(CHECK_ALIVE).length, harnessOf().server.seen(REFLOW).length]).toEqual([2, 2]);
  });

  it.skipIf(!haveSeeds)('a rank update drops the cached rank list; chats and purchases leave the cache alone', async () => {
    const vendor = JSON.parse(seedJsonBlocks('vendor-api-ranklist-top100.md')[0]!) as { data: unknown };
    harnessOf().routes.set(RANKS, (_req, res) => json(res, vendor.data));
    harnessOf().routes.set(PROMOTIONS, empty);
    const { api, cache } = cachedClient();
    const query = { roomId: LIVE_ROOM, anchorId: ANCHOR_ID };
    await api.rankList(query);
    await api.promotions({ roomId: LIVE_ROOM, authorId: ANCHOR_ID });
    applyPushEvents(cache, [
      event({ type: 'ChatEvent', content: 'hi' }),
      event({ type: 'ProductEvent', action: 'PURCHASED', promotionIds: [], text: null, total: null }),
    ]);
    await api.rankList(query);
    await api.promotions({ roomId: LIVE_ROOM, authorId: ANCHOR_ID });
    expect([harnessOf().server.seen(RANKS).length, harnessOf().server.seen(PROMOTIONS).length]).toEqual([1, 1]);
    applyPushEvents(cache, [
      event({ type: 'RankUpdateEvent', entries: [] }),
      event({ type: 'ProductEvent', action: 'SOLD_OUT', promotionIds: ['1'], text: null, total: null }),
    ]);
    await api.rankList(query);
    await api.promotions({ roomId: LIVE_ROOM, authorId: ANCHOR_ID });
    expect([harnessOf().server.seen(RANKS).length, harnessOf().server.seen(PROMOTIONS).length]).toEqual([2, 2]);
  });
});
