// The HTTP client against the simulator on a real port: rooms and statuses as the simulator
// holds them, live status 50 ids per call, ttwid acquired once, identical calls coalesced, and
// the simulator's HTTP faults turned into the typed errors the API reports.
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { DouyinHttpClient } from '../../src/collectors/http/index.ts';
import { UpstreamError } from '../../src/collectors/errors.ts';
import { startSimulator, type Simulator } from '../../src/simulator/index.ts';

const REFLOW = '/webcast/room/reflow/info/';
const ENTER = '/webcast/room/web/enter/';
const CHECK_ALIVE = '/webcast/room/check_alive/';

let sim: Simulator;
beforeEach(async () => {
  sim = await startSimulator({ seed: 'http', rooms: 3, autoTraffic: false });
});
afterEach(async () => {
  await sim.stop();
});

function client(options: Partial<ConstructorParameters<typeof DouyinHttpClient>[0]> = {}): DouyinHttpClient {
  return new DouyinHttpClient({
    webUrl: sim.url,
    reflowUrl: sim.url,
    timeoutMs: 2_000,
    retries: 2,
    ratePerSec: 10_000,
    rateBurst: 10_000,
    backoffBaseMs: 5,
    backoffCapMs: 20,
    ...options,
  });
}

async function failure(promise: Promise<unknown>): Promise<UpstreamError> {
  const error = await promise.then(
    () => null,
    (e: unknown) => e,
  );
  expect(error).toBeInstanceOf(UpstreamError);
  return error as UpstreamError;
}

describe('DouyinHttpClient over the simulator', () => {
  it('reads rooms by room_id and web_rid as the simulator holds them, ended ones too', async () => {
    const [live, ended] = sim.liveRooms();
    ended!.end();
    const http = client();
    const byId = await http.roomByRoomId(live!.id);
    const byWebRid = await http.roomByWebRid(live!.webRid);
    const gone = await http.roomByRoomId(ended!.id);
    expect([byId.id, byId.webRid, byId.status]).toEqual([live!.id, live!.webRid, 'LIVE']);
    expect([byWebRid.id, byWebRid.status]).toEqual([live!.id, 'LIVE']);
    expect([gone.id, gone.status]).toEqual([ended!.id, 'ENDED']);
    expect((await failure(http.roomByRoomId('7000000000000000001'))).code).toBe('ROOM_NOT_FOUND');
  });

  it('asks check_alive 50 ids at a time and reports each room as the simulator has it', async () => {
    const rooms = Array.from({ length: 117 }, () => sim.createRoom({}));
    for (const room of rooms.filter((_, i) => i % 3 === 0)) room.end();
    sim.clearRequests();
    const statuses = await client().liveStatus([...rooms.map((r) => r.id), rooms[0]!.id]);
    const calls = sim.requests({ path: CHECK_ALIVE });
    expect(calls.map((c) => c.query.room_ids!.split(',').length).sort((a, b) => a - b)).toEqual([17, 50, 50]);
    expect(statuses).toEqual(rooms.map((r) => ({ roomId: r.id, isLive: r.isLive })));
  });

  it('acquires ttwid once from the web root and sends it on later calls', async () => {
    const http = client();
    const room = sim.liveRooms()[0]!;
    await http.roomByWebRid(room.webRid);
    await http.roomByWebRid(room.webRid);
    const counts = sim.requestCounts('http');
    expect(counts['/']).toBe(1);
    expect(counts[ENTER]).toBe(2);
  });

  it('coalesces identical calls in flight into one request', async () => {
    const http = client();
    const room = sim.liveRooms()[0]!;
    sim.injectFault({ target: { path: REFLOW }, fault: { kind: 'delay', ms: 50 }, times: 1 });
    const answers = await Promise.all(Array.from({ length: 10 }, () => http.roomByRoomId(room.id)));
    expect(new Set(answers.map((a) => a.id))).toEqual(new Set([room.id]));
    expect(sim.requests({ path: REFLOW })).toHaveLength(1);
  });

  it('retries a rate limit after the Retry-After it was given, then succeeds', async () => {
    const http = client({ maxRetryAfterMs: 2_000 });
    const room = sim.liveRooms()[0]!;
    sim.injectFault({ target: { path: REFLOW }, fault: { kind: 'rate-limit', retryAfterSeconds: 1 }, times: 1 });
    const answer = await http.roomByRoomId(room.id);
    const calls = sim.requests({ path: REFLOW });
    expect(answer.id).toBe(room.id);
    expect(calls.map((c) => c.status)).toEqual([429, 200]);
    expect(calls[1]!.at - calls[0]!.at).toBeGreaterThanOrEqual(990);
  });

  it('reports a rate limit longer than it will wait as RATE_LIMITED with the wait', async () => {
    const http = client({ maxRetryAfterMs: 500 });
    sim.injectFault({ target: { path: REFLOW }, fault: { kind: 'rate-limit', retryAfterSeconds: 30 } });
    const error = await failure(http.roomByRoomId(sim.liveRooms()[0]!.id));
    expect([error.code, error.retryAfterMs]).toEqual(['RATE_LIMITED', 30_000]);
    expect(sim.requests({ path: REFLOW })).toHaveLength(1);
  });

  it('reports an empty body (risk control) as BLOCKED after one fresh ttwid, without retrying', async () => {
    const http = client();
    const room = sim.liveRooms()[0]!;
    await http.roomByWebRid(room.webRid);
    sim.clearRequests();
    sim.injectFault({ target: { path: ENTER }, fault: { kind: 'empty-body' } });
    const error = await failure(http.roomByWebRid(room.webRid));
    expect(error.code).toBe('BLOCKED');
    expect(sim.requestCounts('http')).toEqual({ [ENTER]: 2, '/': 1 });
  });

  it('gives up on a call that never answers after its time limit and the retries', async () => {
    const http = client({ timeoutMs: 100, retries: 1 });
    sim.injectFault({ target: { path: REFLOW }, fault: { kind: 'hang' } });
    const error = await failure(http.roomByRoomId(sim.liveRooms()[0]!.id));
    expect(error.code).toBe('UPSTREAM_UNAVAILABLE');
    expect(sim.requests({ path: REFLOW })).toHaveLength(2);
  });
});
