// issue 5 proof: one nested query over 20 feed rooms (owner, isLive, top-10 ranks) makes the
// fewest upstream calls possible, counted exactly in the simulator's request log.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startStack, type Stack } from './stack.ts';

const NESTED = `query ($first: Int!) {
  liveFeed(first: $first) {
    id title isLive
    owner { id nickname secUid }
    ranks(first: 10) { rank score user { id nickname payGrade { level } fansClub { name level } } }
  }
}`;

interface FeedRoom {
  id: string;
  isLive: boolean;
  owner: { id: string } | null;
  ranks: { rank: number }[];
}

async function post(stack: Stack, query: string, variables: Record<string, unknown> = {}) {
  const response = await fetch(stack.url, {
    method: 'POST',
    headers: { 'content-type': 'application/json', accept: 'application/graphql-response+json' },
    body: JSON.stringify({ query, variables }),
  });
  return (await response.json()) as { data?: Record<string, unknown>; errors?: { message: string; extensions?: { code?: string } }[] };
}

function upstreamHttpCalls(stack: Stack): Record<string, number> {
  const counts: Record<string, number> = {};
  for (const entry of stack.sim.requests({ kind: 'http' })) counts[entry.path] = (counts[entry.path] ?? 0) + 1;
  return counts;
}

describe('batching end to end', () => {
  let stack: Stack;
  beforeAll(async () => {
    stack = await startStack({ sim: { rooms: 20 } });
  });
  afterAll(async () => {
    await stack?.close();
  });

  it('answers the nested feed query with one feed, one status and one rank call per room', async () => {
    const giving = stack.sim.liveRooms().slice(0, 5);
    for (const room of giving) room.emit(20, { kinds: ['gift'] });
    await post(stack, '{ __typename }');
    stack.sim.clearRequests();
    const result = await post(stack, NESTED, { first: 20 });
    expect(result.errors).toBeUndefined();
    const rooms = (result.data?.liveFeed ?? []) as FeedRoom[];
    expect(rooms).toHaveLength(20);
    expect(rooms.every((room) => room.isLive && room.owner !== null && room.ranks.length <= 10)).toBe(true);
    for (const room of giving) expect(rooms.find((r) => r.id === room.id)?.ranks.length).toBeGreaterThan(0);
    // The first upstream call also fetches the ttwid cookie from the web root, once per client.
    const { '/': ttwid = 0, ...calls } = upstreamHttpCalls(stack);
    expect(ttwid).toBeLessThanOrEqual(1);
    expect(calls).toEqual({
      '/webcast/feed/': 1,
      '/webcast/room/check_alive/': 1,
      '/webcast/ranklist/audience/': 20,
    });
  });

  it('fetches a room named twice in one query once', async () => {
    const roomId = stack.sim.liveRooms()[0]!.id;
    stack.sim.clearRequests();
    const result = await post(
      stack,
      `query ($id: ID!) { a: liveRoom(roomId: $id) { id title isLive } b: liveRoom(roomId: $id) { id owner { nickname } isLive } }`,
      { id: roomId },
    );
    expect(result.errors).toBeUndefined();
    expect(upstreamHttpCalls(stack)).toEqual({ '/webcast/room/reflow/info/': 1, '/webcast/room/check_alive/': 1 });
  });

  it('answers liveRooms { id isLive } for 75 room_ids with two check_alive calls and no room info', async () => {
    const live = stack.sim.liveRooms().map((room) => room.id);
    const unknown = Array.from({ length: 75 - live.length }, (_, i) => String(7690000000000000000n + BigInt(i + 1)));
    const ids = [...live, ...unknown];
    await post(stack, '{ __typename }');
    stack.sim.clearRequests();
    const result = await post(stack, `query ($ids: [ID!]!) { liveRooms(ids: $ids) { id isLive } }`, { ids });
    expect(result.errors).toBeUndefined();
    const rooms = result.data?.liveRooms as { id: string; isLive: boolean }[];
    expect(rooms.map((room) => room.id)).toEqual(ids);
    expect(rooms.slice(0, live.length).every((room) => room.isLive === true)).toBe(true);
    expect(rooms.slice(live.length).every((room) => room.isLive === false)).toBe(true);
    // check_alive takes 50 ids a call: 75 ids are two calls, and nothing else is asked.
    const { '/': ttwid = 0, ...calls } = upstreamHttpCalls(stack);
    expect(ttwid).toBeLessThanOrEqual(1);
    expect(calls).toEqual({ '/webcast/room/check_alive/': 2 });
    const batches = stack.sim.requests({ kind: 'http', path: '/webcast/room/check_alive/' });
    expect(batches.map((entry) => (entry.query.room_ids ?? '').split(',').length).sort()).toEqual([25, 50]);
  });

  it('rejects a malformed room id with BAD_USER_INPUT before any upstream call', async () => {
    stack.sim.clearRequests();
    const result = await post(stack, `{ liveRoom(roomId: "12ab") { id } }`);
    expect(result.errors?.[0]?.extensions?.code).toBe('BAD_USER_INPUT');
    expect(stack.sim.requests({ kind: 'http' })).toEqual([]);
  });

  it('reports an unknown room as ROOM_NOT_FOUND and upstream failures with their codes', async () => {
    const missing = await post(stack, `{ liveRoom(webRid: "999999999999") { id } }`);
    expect(missing.errors?.[0]?.extensions?.code).toBe('ROOM_NOT_FOUND');

    stack.sim.injectFault({ fault: { kind: 'rate-limit', retryAfterSeconds: 120 }, times: 10 });
    const limited = await post(stack, `{ liveFeed(first: 1) { id } }`);
    stack.sim.clearFaults();
    expect(limited.errors?.[0]?.extensions?.code).toBe('RATE_LIMITED');
  });
});
