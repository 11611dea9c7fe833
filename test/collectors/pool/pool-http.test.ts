// The HTTP client over a pool, against the simulator on a real port: a pair whose cookie Douyin
// answers with risk control is quarantined and the same call succeeds through the next pair;
// with every pair refused, calls fail at once with UPSTREAM_DEGRADED instead of hanging.
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { UpstreamError } from '../../../src/collectors/errors.ts';
import { DouyinHttpClient } from '../../../src/collectors/http/index.ts';
import { pairEntries, pairId, UpstreamPool } from '../../../src/collectors/pool/upstream-pool.ts';
import type { Signer } from '../../../src/collectors/signer/index.ts';
import { startSimulator, type Simulator } from '../../../src/simulator/index.ts';

const ENTER = '/webcast/room/web/enter/';
const COOKIES = ['sessionid=s0', 'sessionid=s1', 'sessionid=s2'];

let sim: Simulator;
let pool: UpstreamPool;
beforeEach(async () => {
  sim = await startSimulator({ seed: 'pool-http', rooms: 2, autoTraffic: false });
  pool = new UpstreamPool(pairEntries(COOKIES, []), { quarantineMs: 60_000, maxQuarantineMs: 600_000 });
});
afterEach(async () => {
  pool.stop();
  await sim.stop();
});

function client(signer?: Signer): DouyinHttpClient {
  return new DouyinHttpClient({ webUrl: sim.url, reflowUrl: sim.url, timeoutMs: 2000, retries: 1, ratePerSec: 10_000, rateBurst: 10_000, pool, ...(signer ? { signer } : {}) });
}

const idOf = (cookie: string) => pairId({ cookie, proxy: null });

describe('the HTTP client over a pool', () => {
  it('sends each call with a pair cookie, in turn', async () => {
    const http = client();
    const room = sim.liveRooms()[0]!;
    for (let i = 0; i < 3; i += 1) await http.roomByRoomId(room.id);
    expect(pool.snapshot().pairs.map((p) => p.calls)).toEqual([1, 1, 1]);
  });

  // Each way Douyin says no (protocol §6.5), as the simulator sends it to one cookie only.
  it.each([
    [{ kind: 'empty-body' }, /empty body/],
    [{ kind: 'captcha' }, /captcha required/],
    [{ kind: 'challenge' }, /acrawler challenge page/],
    [{ kind: 'status', status: 403 }, /HTTP 403/],
  ] as const)('quarantines a pair refused with %j and answers through the next one', async (fault, why) => {
    sim.injectFault({ target: { path: ENTER, cookie: COOKIES[0]! }, fault });
    const http = client();
    const room = sim.liveRooms()[0]!;
    const webRids = [room.webRid, room.webRid, room.webRid];
    const answered = [];
    for (const webRid of webRids) answered.push(await http.roomByWebRid(webRid));
    expect(answered.map((r) => r.id)).toEqual([room.id, room.id, room.id]);
    const refused = pool.snapshot().pairs.find((p) => p.id === idOf(COOKIES[0]!))!;
    expect(refused.state).toBe('QUARANTINED');
    expect(refused.lastFailure).toMatch(why);
    // Nothing went through the quarantined pair after its refusal.
    expect(refused.calls).toBe(1);
    expect(pool.snapshot().healthy).toBe(2);
  });

  it('fails with UPSTREAM_DEGRADED, without calling Douyin, once every pair is refused', async () => {
    for (const cookie of COOKIES) sim.injectFault({ target: { path: ENTER, cookie }, fault: { kind: 'empty-body' } });
    const http = client();
    const room = sim.liveRooms()[0]!;
    const first = await http.roomByWebRid(room.webRid).then(
      () => null,
      (error: unknown) => error,
    );
    expect(first).toBeInstanceOf(UpstreamError);
    expect((first as UpstreamError).code).toBe('UPSTREAM_DEGRADED');
    expect(pool.snapshot()).toMatchObject({ degraded: true, healthy: 0 });
    const seen = sim.requests({ kind: 'http' }).length;
    const second = await http.roomByRoomId(room.id).then(
      () => null,
      (error: unknown) => error as UpstreamError,
    );
    expect(second?.code).toBe('UPSTREAM_DEGRADED');
    expect(second?.retryAfterMs).toBeGreaterThan(50_000);
    expect(sim.requests({ kind: 'http' }).length).toBe(seen);
  });

  it('does not hold a failing signer against any pair', async () => {
    const broken: Signer = { kind: 'service', sign: () => Promise.reject(new Error('signing service down')) };
    const http = client(broken);
    const error = await http.roomByWebRid(sim.liveRooms()[0]!.webRid).then(
      () => null,
      (e: unknown) => e as UpstreamError,
    );
    expect(error?.code).toBe('UPSTREAM_UNAVAILABLE');
    expect(error?.message).toContain('the signer failed');
    expect(pool.snapshot().pairs.map((p) => [p.state, p.failures])).toEqual([
      ['HEALTHY', 0],
      ['HEALTHY', 0],
      ['HEALTHY', 0],
    ]);
  });
});
