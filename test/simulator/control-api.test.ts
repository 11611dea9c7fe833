// The standalone simulator's control API under /__sim/: the in-process operations as JSON over
// HTTP, with typed errors for bad input.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startSimulator, type Simulator } from '../../src/simulator/index.ts';

let sim: Simulator;

async function call(method: string, path: string, body?: unknown): Promise<{ status: number; json: any }> {
  const response = await fetch(`${sim.url}${path}`, {
    method,
    ...(body === undefined ? {} : { body: typeof body === 'string' ? body : JSON.stringify(body), headers: { 'content-type': 'application/json' } }),
  });
  return { status: response.status, json: await response.json() };
}

beforeAll(async () => {
  sim = await startSimulator({ seed: 'control', rooms: [{ rate: 20, duplicateChatRate: 0 }], autoTraffic: false });
});

afterAll(async () => {
  await sim.stop();
});

describe('control API', () => {
  it('describes the simulator and its rooms', async () => {
    const { status, json } = await call('GET', '/__sim/');
    expect(status).toBe(200);
    expect(json).toMatchObject({ url: sim.url, pushUrl: sim.pushUrl, seed: 'control' });
    expect(json.rooms.map((r: any) => r.roomId)).toEqual(sim.rooms().map((r) => r.id));
  });

  it('creates a room that the feed then lists, emits into it and returns the ground truth', async () => {
    const created = await call('POST', '/__sim/rooms', { title: '测试直播间', rate: 0, goods: true, viewers: 1234 });
    expect(created.status).toBe(201);
    expect(created.json).toMatchObject({ title: '测试直播间', status: 'live', viewers: 1234, source: 'generated' });
    const roomId = created.json.roomId as string;
    const feed = (await (await fetch(`${sim.url}/webcast/feed/`)).json()) as any;
    expect(feed.data.map((item: any) => item.data.id_str)).toContain(roomId);
    const emitted = await call('POST', `/__sim/rooms/${roomId}/emit`, { count: 5, kinds: ['chat'], perFrame: 2 });
    expect(emitted.json).toHaveLength(5);
    const truth = await call('GET', `/__sim/rooms/${roomId}/truth?kind=chat`);
    expect(truth.json.map((r: any) => r.msgId)).toEqual(emitted.json.map((r: any) => r.msgId));
    const gifts = await call('POST', `/__sim/rooms/${roomId}/emit`, { count: 30, kinds: ['gift'] });
    const totals = await call('GET', `/__sim/rooms/${roomId}/gifts`);
    expect(totals.json.diamonds).toBe(gifts.json.reduce((sum: number, r: any) => sum + (r.duplicate ? 0 : r.gift.diamonds), 0));
  });

  it('ends and restarts rooms, and ticks clock-driven traffic', async () => {
    const created = await call('POST', '/__sim/rooms', { rate: 10 });
    const roomId = created.json.roomId as string;
    const ticked = await call('POST', '/__sim/tick', { ms: 1000 });
    expect(ticked.json.filter((r: any) => r.roomId === roomId && !['viewers', 'stats', 'rank'].includes(r.kind))).toHaveLength(10);
    const ended = await call('POST', `/__sim/rooms/${roomId}/end`);
    expect(ended.json.status).toBe('ended');
    const restarted = await call('POST', `/__sim/rooms/${roomId}/restart`, {});
    expect(restarted.status).toBe(201);
    expect(restarted.json.webRid).toBe(created.json.webRid);
    expect(restarted.json.roomId).not.toBe(roomId);
  });

  it('injects, lists and retires faults', async () => {
    const injected = await call('POST', '/__sim/faults', { target: { path: '/webcast/feed/' }, fault: { kind: 'rate-limit', retryAfterSeconds: 3 }, times: 1 });
    expect(injected.status).toBe(201);
    expect((await call('GET', '/__sim/faults')).json.map((f: any) => f.id)).toEqual([injected.json.id]);
    const limited = await fetch(`${sim.url}/webcast/feed/`);
    expect(limited.status).toBe(429);
    expect(limited.headers.get('retry-after')).toBe('3');
    expect((await call('GET', '/__sim/faults')).json).toEqual([]);
    const missing = await call('DELETE', `/__sim/faults/${injected.json.id}`);
    expect(missing).toMatchObject({ status: 404, json: { error: { code: 'FAULT_NOT_FOUND' } } });
  });

  it('logs upstream calls but not its own', async () => {
    await call('DELETE', '/__sim/requests');
    await fetch(`${sim.url}/webcast/gift/list/`);
    await call('GET', '/__sim/rooms');
    const logged = await call('GET', '/__sim/requests?kind=http');
    expect(logged.json.map((r: any) => r.path)).toEqual(['/webcast/gift/list/']);
  });

  it('answers bad input with a status and a code, never a crash', async () => {
    expect(await call('POST', '/__sim/rooms', { rate: -1 })).toMatchObject({ status: 400, json: { error: { code: 'BAD_REQUEST' } } });
    expect((await call('POST', '/__sim/rooms', { rate: -1 })).json.error.message).toMatch(/rate/);
    expect(await call('POST', '/__sim/rooms', { colour: 'red' })).toMatchObject({ status: 400 });
    expect(await call('POST', '/__sim/rooms', '{not json')).toMatchObject({ status: 400, json: { error: { message: 'the body is not JSON' } } });
    expect(await call('POST', '/__sim/rooms/7000000000000000001/emit', { count: 1 })).toMatchObject({ status: 404, json: { error: { code: 'ROOM_NOT_FOUND' } } });
    expect(await call('POST', '/__sim/faults', { fault: { kind: 'explode' } })).toMatchObject({ status: 400 });
    expect(await call('POST', '/__sim/faults', { target: { roomId: '1' }, fault: { kind: 'hang' } })).toMatchObject({ status: 400 });
    expect(await call('GET', '/__sim/rooms/1/emit')).toMatchObject({ status: 405 });
    expect(await call('GET', '/__sim/nothing')).toMatchObject({ status: 404 });
    const ended = (await call('POST', '/__sim/rooms', { live: false })).json.roomId as string;
    expect(await call('POST', `/__sim/rooms/${ended}/emit`, { count: 1 })).toMatchObject({ status: 409, json: { error: { code: 'ROOM_ENDED' } } });
    expect((await call('GET', '/__sim/')).status).toBe(200);
  });
});
