// issue 15 proof: a client polling one room costs the upstream one call per freshness window,
// the savings show on /metrics, and a room's end pushed over the WebSocket reaches the cached
// answer without another upstream call.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startStack, subscribe, until, type Stack } from './stack.ts';

const ROOM = `query ($id: ID!) { liveRoom(roomId: $id) { id title status viewerCount isLive } }`;
const STATES = `subscription ($roomId: ID!) { roomEvents(roomId: $roomId) { __typename ... on ConnectionStateEvent { state } } }`;

type RoomData = { liveRoom: { id: string; status: string; viewerCount: number | null; isLive: boolean } };

async function post(stack: Stack, query: string, variables: Record<string, unknown>): Promise<{ data?: RoomData; errors?: unknown[] }> {
  const response = await fetch(stack.url, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ query, variables }) });
  return (await response.json()) as { data?: RoomData; errors?: unknown[] };
}

function httpCalls(stack: Stack, path: string): number {
  return stack.sim.requests({ kind: 'http' }).filter((entry) => entry.path === path).length;
}

async function metric(stack: Stack, line: string): Promise<number> {
  const text = await stack.metrics.render();
  const found = text.split('\n').find((l) => l.startsWith(line));
  return found === undefined ? 0 : Number(found.slice(line.length).trim());
}

describe('the upstream response cache end to end', () => {
  let stack: Stack;
  beforeAll(async () => {
    // A window longer than the test, so no expiry interferes with counting.
    stack = await startStack({ env: { UPSTREAM_CACHE_ROOM_MS: '600000', UPSTREAM_CACHE_STATUS_MS: '600000' } });
  });
  afterAll(async () => {
    await stack?.close();
  });

  it('answers ten polls of a room with one upstream call and counts nine saved', async () => {
    const roomId = stack.sim.liveRooms()[0]!.id;
    stack.sim.clearRequests();
    for (let i = 0; i < 10; i += 1) {
      const result = await post(stack, ROOM, { id: roomId });
      expect(result.errors).toBeUndefined();
      expect(result.data?.liveRoom).toMatchObject({ id: roomId, status: 'LIVE', isLive: true });
    }
    expect(httpCalls(stack, '/webcast/room/reflow/info/')).toBe(1);
    expect(httpCalls(stack, '/webcast/room/check_alive/')).toBe(1);
    expect(await metric(stack, 'douyin_gateway_upstream_calls_saved_total{endpoint="room.reflow"}')).toBe(9);
    expect(await metric(stack, 'douyin_gateway_upstream_cache_lookups_total{endpoint="room.reflow",outcome="hit"}')).toBe(9);
    expect(await metric(stack, 'douyin_gateway_upstream_cache_bytes')).toBeGreaterThan(0);
  });

  it('shows a room that ended on the push connection as ended, without asking the upstream again', async () => {
    const room = stack.sim.liveRooms()[1]!;
    const states = subscribe<{ roomEvents: { __typename: string; state?: string } }>(stack.wsClient(), STATES, { roomId: room.id });
    await until(() => states.results.some((r) => r.roomEvents.state === 'LIVE'), 'the room to go LIVE');
    expect((await post(stack, ROOM, { id: room.id })).data?.liveRoom).toMatchObject({ status: 'LIVE', isLive: true });
    stack.sim.clearRequests();
    room.end();
    await until(() => states.results.some((r) => r.roomEvents.__typename === 'RoomStatusEvent'), 'the live-ended event');
    await until(async () => (await metric(stack, 'douyin_gateway_upstream_cache_push_updates_total{action="patched"}')) >= 2, 'the cache patched');
    expect((await post(stack, ROOM, { id: room.id })).data?.liveRoom).toMatchObject({ status: 'ENDED', isLive: false });
    expect(httpCalls(stack, '/webcast/room/reflow/info/')).toBe(0);
    expect(httpCalls(stack, '/webcast/room/check_alive/')).toBe(0);
    states.stop();
  });
});
