// issue 13: a watch may pin its room to a cookie or proxy of the upstream pool. Through the
// whole gateway over the simulator: the watch mutation takes a cookie id from upstreamPool, the
// room streams through that pair and no other, keeps the pin in the watches query, and when
// Douyin refuses the pinned cookie the room waits in UPSTREAM_DEGRADED while the other pair is
// healthy. A pin nothing fits, or a malformed one, is BAD_USER_INPUT before anything is watched.
import { describe, expect, it } from 'vitest';
import { cookieId, pairId } from '../../src/collectors/pool/upstream-pool.ts';
import { postGraphQL } from './fixtures/graphql-http.ts';
import { usePoolStack } from './helpers/pool-stack.ts';
import { until } from './stack.ts';

const COOKIES = ['sessionid=pin-a; uid_tt=ua', 'sessionid=pin-b; uid_tt=ub'];
const POOL = `{ upstreamPool { degraded pairs { id cookieId proxyId state rooms } } }`;
const WATCH = `mutation ($input: WatchInput!) { watch(input: $input) { id roomId pin { cookie proxy } connectionState } }`;

interface PoolAnswer {
  upstreamPool: { degraded: boolean; pairs: { id: string; cookieId: string; proxyId: string | null; state: string; rooms: string[] }[] };
}
interface WatchAnswer {
  watch: { id: string; roomId: string; pin: { cookie: string | null; proxy: string | null } | null; connectionState: string | null };
}

const running = usePoolStack(COOKIES);

const pool = () => running.pool<PoolAnswer['upstreamPool']>(POOL);

const [idA, idB] = COOKIES.map((cookie) => pairId({ cookie, proxy: null })) as [string, string];

describe('a watch pinned to a pool cookie', () => {
  it('refuses a pin no pair fits, or a malformed one, and watches nothing', async () => {
    const room = running.stack.sim.liveRooms()[1]!;
    for (const pin of [{ cookie: 'cookie-00000000' }, { proxy: 'proxy-00000000' }, { cookie: 'sessionid=pin-a' }]) {
      const answer = await postGraphQL<WatchAnswer>(running.stack.url, WATCH, { input: { roomId: room.id, pin } });
      expect(answer.errors.map((error) => error.extensions?.code), JSON.stringify(pin)).toEqual(['BAD_USER_INPUT']);
      expect(answer.errors[0]!.message).toMatch(/^pin/);
    }
    const watches = await postGraphQL<{ watches: unknown[] }>(running.stack.url, '{ watches { id } }');
    expect(watches.data?.watches).toEqual([]);
    expect((await pool()).pairs.flatMap((pair) => pair.rooms)).toEqual([]);
  });

  it('streams the room through the pinned pair only, and waits degraded when that pair is refused', async () => {
    const room = running.stack.sim.liveRooms()[0]!;
    const before = await pool();
    // The ids the operator reads off upstreamPool are the hashes the test computes.
    expect(before.pairs.map((pair) => pair.cookieId)).toEqual(COOKIES.map(cookieId));
    const pinned = cookieId(COOKIES[1]!);
    const answer = await postGraphQL<WatchAnswer>(running.stack.url, WATCH, { input: { roomId: room.id, pin: { cookie: pinned } } });
    expect(answer.errors).toEqual([]);
    expect(answer.data!.watch.pin).toEqual({ cookie: pinned, proxy: null });
    // A second watch of the room with another pin would be ignored silently: refused instead.
    const conflicting = await postGraphQL<WatchAnswer>(running.stack.url, WATCH, { input: { roomId: room.id, pin: { cookie: cookieId(COOKIES[0]!) } } });
    expect(conflicting.errors.map((error) => error.extensions?.code)).toEqual(['BAD_USER_INPUT']);

    await until(() => running.stack.sim.connections().some((c) => c.roomId === room.id && !c.closed && c.heartbeatsReceived > 0), 'the push connection');
    const streaming = await pool();
    expect(streaming.pairs.find((pair) => pair.id === idB)!.rooms).toEqual([room.id]);
    expect(streaming.pairs.find((pair) => pair.id === idA)!.rooms).toEqual([]);
    const listed = await postGraphQL<{ watches: { id: string; pin: { cookie: string } | null }[] }>(running.stack.url, '{ watches { id pin { cookie } } }');
    expect(listed.data?.watches).toEqual([{ id: answer.data!.watch.id, pin: { cookie: pinned } }]);

    // Douyin stops letting the pinned cookie in: the room does not fall back to the other pair.
    running.stack.sim.injectFault({ target: { cookie: 'sessionid=pin-b' }, fault: { kind: 'refuse-handshake' } });
    const connection = running.stack.sim.connections().find((c) => c.roomId === room.id && !c.closed)!;
    running.stack.sim.injectFault({ target: { connectionId: connection.id }, fault: { kind: 'drop-after-frames', frames: 1 }, times: 1 });
    room.emit(3, { kinds: ['chat'] });
    await until(() => running.stack.gateway.supervisor.connectionState(room.id) === 'UPSTREAM_DEGRADED', 'UPSTREAM_DEGRADED', 15_000);
    const after = await pool();
    expect(after.degraded).toBe(false);
    expect(after.pairs.find((pair) => pair.id === idB)).toMatchObject({ state: 'QUARANTINED', rooms: [] });
    expect(after.pairs.find((pair) => pair.id === idA)).toMatchObject({ state: 'HEALTHY', rooms: [] });
    expect(running.stack.sim.connections().filter((c) => c.roomId === room.id && !c.closed)).toEqual([]);
    const state = await postGraphQL<{ watches: { connectionState: string }[] }>(running.stack.url, '{ watches { connectionState } }');
    expect(state.data?.watches).toEqual([{ connectionState: 'UPSTREAM_DEGRADED' }]);
  });
});
