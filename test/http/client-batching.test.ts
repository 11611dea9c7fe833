// Batching, coalescing and rate limiting: what keeps many rooms from bursting the upstream.
import { describe, expect, it } from 'vitest';
import { json, useHarness, upstreamFailure } from './client-harness.ts';
import { until } from '../support/until.ts';

const harnessOf = useHarness();

const CHECK_ALIVE = '/webcast/room/check_alive/';
const REFLOW = '/webcast/room/reflow/info/';

/** 19-digit room ids beyond 2^53, as Douyin's are. */
function roomIds(count: number): string[] {
  return Array.from({ length: count }, (_, i) => (7690183442860198000n + BigInt(i) * 7n).toString());
}

/** check_alive answers with bare numeric room ids, as Douyin does: even last digit = alive. */
function serveCheckAlive(): void {
  harnessOf().routes.set(CHECK_ALIVE, (req, res) => {
    const ids = (req.url.searchParams.get('room_ids') ?? '').split(',');
    const entries = ids.map((id) => `{"alive":${Number(id.at(-1)) % 2 === 0},"room_id":${id}}`);
    json(res, `{"data":[${entries.join(',')}],"extra":{"now":1790502760357},"status_code":0}`);
  });
}

describe('liveStatus', () => {
  it('splits 120 ids into 3 calls of at most 50 and answers every id in order', async () => {
    serveCheckAlive();
    const ids = roomIds(120);
    const statuses = await harnessOf().client().api.liveStatus(ids);
    const calls = harnessOf().server.seen(CHECK_ALIVE);
    expect(calls).toHaveLength(3);
    const sent = calls.map((c) => c.url.searchParams.get('room_ids')!.split(','));
    expect(sent.map((batch) => batch.length).sort((a, b) => a - b)).toEqual([20, 50, 50]);
    expect(sent.flat().sort()).toEqual([...ids].sort());
    expect(statuses.map((s) => s.roomId)).toEqual(ids);
    expect(statuses.map((s) => s.isLive)).toEqual(ids.map((id) => Number(id.at(-1)) % 2 === 0));
  });

  it('asks once per distinct id and reports ids Douyin left out as not live', async () => {
    harnessOf().routes.set(CHECK_ALIVE, (_req, res) => json(res, '{"data":[{"alive":true,"room_id":7690183442860198000}],"status_code":0}'));
    const [a, b] = roomIds(2);
    const statuses = await harnessOf().client().api.liveStatus([a!, b!, a!]);
    expect(harnessOf().server.seen(CHECK_ALIVE)[0]?.url.searchParams.get('room_ids')).toBe(`${a},${b}`);
    expect(statuses).toEqual([
      { roomId: a, isLive: true },
      { roomId: b, isLive: false },
    ]);
  });

  it('makes no call for no ids', async () => {
    expect(await harnessOf().client().api.liveStatus([])).toEqual([]);
    expect(harnessOf().server.seen(CHECK_ALIVE)).toHaveLength(0);
  });
});

describe('coalescing', () => {
  it('sends one request for identical calls in flight, and one per distinct room', async () => {
    let release: () => void = () => undefined;
    const gate = new Promise<void>((resolve) => {
      release = resolve;
    });
    harnessOf().routes.set(REFLOW, async (req, res) => {
      await gate;
      json(res, { status_code: 0, data: { room: { id_str: req.url.searchParams.get('room_id'), status: 2 } } });
    });
    const { api } = harnessOf().client();
    const [first, second] = roomIds(2);
    const pending = [...Array.from({ length: 5 }, () => api.roomByRoomId(first!)), api.roomByRoomId(second!)];
    await until(() => harnessOf().server.seen(REFLOW).length === 2, 'both reflow calls to arrive', 2000);
    release();
    const rooms = await Promise.all(pending);
    expect(rooms.map((r) => r.id)).toEqual([first, first, first, first, first, second]);
    expect(harnessOf().server.seen(REFLOW).map((r) => r.url.searchParams.get('room_id'))).toEqual([first, second]);
  });

  it('forgets a finished call: the next one asks again', async () => {
    harnessOf().routes.set(REFLOW, (req, res) => json(res, { status_code: 0, data: { room: { id_str: req.url.searchParams.get('room_id') } } }));
    const { api } = harnessOf().client();
    const [id] = roomIds(1);
    await api.roomByRoomId(id!);
    await api.roomByRoomId(id!);
    expect(harnessOf().server.seen(REFLOW)).toHaveLength(2);
  });
});

describe('token bucket', () => {
  it('lets a burst through and spaces the rest at the configured rate, ttwid fetch included', async () => {
    harnessOf().routes.set(REFLOW, (req, res) => json(res, { status_code: 0, data: { room: { id_str: req.url.searchParams.get('room_id') } } }));
    // The clock moves only by the limiter's sleeps, so every wait comes from the bucket.
    const { api, sleeps, clock } = harnessOf().client({ ratePerSec: 5, rateBurst: 2 });
    await Promise.all(roomIds(6).map((id) => api.roomByRoomId(id)));
    // 7 requests on one host (the web root for the ttwid, then 6 rooms): 2 go at once, then one per 200 ms.
    expect(harnessOf().server.requests).toHaveLength(7);
    expect(sleeps).toEqual([200, 200, 200, 200, 200]);
    expect(clock.now).toBe(1000);
  });
});
