// issue 16 item 4 through the whole gateway: a query's upstream calls queue under its caller's
// token (the budget scope reaches the HTTP client through the resolvers and DataLoaders), so one
// caller's burst of 3 aliases × liveRooms(20 made-up ids) never holds up another caller's single
// liveRoom for more than one politeness interval (1 / UPSTREAM_RATE_PER_SEC = 50 ms here): its
// room is asked of the upstream next but one, while the burst is still queued. The same holds
// while a roomStatus subscription over 500 made-up ids is still having each one checked (500
// calls, 25 s at this rate). Asserted on the order of the simulator's request log, not on the clock.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { tokenFile, type TokenFile } from './helpers/vendor.ts';
import { startStack, subscribe, until, type Stack } from './stack.ts';

const BURST = `query ($a: [ID!]!, $b: [ID!]!, $c: [ID!]!) {
  a: liveRooms(ids: $a) { id title }
  b: liveRooms(ids: $b) { id title }
  c: liveRooms(ids: $c) { id title }
}`;
const ROOM_QUERY = 'query ($id: ID!) { liveRoom(roomId: $id) { id title } }';
const madeUp = (from: number) => Array.from({ length: 20 }, (_, i) => `74000000000000${String(from + i).padStart(5, '0')}`);

describe('fair upstream budget through the gateway', () => {
  let stack: Stack;
  let tokens: TokenFile;
  let busy: string;
  let other: string;

  beforeAll(async () => {
    tokens = tokenFile();
    busy = tokens.add('busy');
    other = tokens.add('other');
    stack = await startStack({
      env: {
        API_TOKENS_FILE: tokens.file,
        UPSTREAM_RATE_PER_SEC: '20',
        UPSTREAM_RATE_BURST: '1',
        UPSTREAM_QUEUE_PER_CALLER: '1000',
        UPSTREAM_QUEUE_DEADLINE_MS: '600000',
        UPSTREAM_CACHE_MAX_BYTES: '0',
      },
    });
  });

  afterAll(async () => {
    await stack?.close();
    tokens?.cleanup();
  });

  const post = (token: string, query: string, variables: Record<string, unknown>) =>
    fetch(stack.url, {
      method: 'POST',
      headers: { 'content-type': 'application/json', authorization: `Bearer ${token}` },
      body: JSON.stringify({ query, variables }),
    }).then((response) => response.json() as Promise<{ data?: Record<string, unknown> | null; errors?: { extensions?: { code?: string } }[] }>);

  it('answers a second caller\'s liveRoom next but one while the first caller\'s 60 calls are still queued', async () => {
    const ids = { a: madeUp(0), b: madeUp(100), c: madeUp(200) };
    const madeUpIds = new Set([...ids.a, ...ids.b, ...ids.c]);
    const room = stack.sim.liveRooms()[0]!;
    const asked = () => stack.sim.requests({ kind: 'http' }).filter((request) => request.query.room_id !== undefined);
    const before = asked().length;
    let burstDone = false;
    const burst = post(busy, BURST, ids).finally(() => (burstDone = true));
    await until(() => asked().slice(before).filter((request) => madeUpIds.has(request.query.room_id!)).length >= 3, 'the burst to be under way');
    const askedBefore = asked().length;
    const single = await post(other, ROOM_QUERY, { id: room.id });
    expect(single.errors).toBeUndefined();
    expect(single.data).toEqual({ liveRoom: { id: room.id, title: room.summary().title } });
    expect(burstDone).toBe(false);
    const after = asked().slice(askedBefore);
    const first = after.findIndex((request) => request.query.room_id === room.id);
    // At most the one call of the burst already let through when it asked goes before it.
    expect(first).toBeGreaterThanOrEqual(0);
    expect(first).toBeLessThanOrEqual(1);
    const answered = await burst;
    expect(Object.keys(answered.data ?? {})).toEqual(['a', 'b', 'c']);
    expect(asked().slice(before).filter((request) => madeUpIds.has(request.query.room_id!)).length).toBeGreaterThanOrEqual(60);
  });

  it('answers a second caller\'s liveRoom next but one while roomStatus over 500 made-up ids is still being checked', async () => {
    const STATUS = 'subscription ($roomIds: [ID!]!) { roomStatus(roomIds: $roomIds) { roomId connectionState } }';
    const ids = Array.from({ length: 500 }, (_, i) => `75000000000000${String(i).padStart(5, '0')}`);
    const madeUpIds = new Set(ids);
    const room = stack.sim.liveRooms()[1]!;
    const asked = () => stack.sim.requests({ kind: 'http' }).filter((request) => request.query.room_id !== undefined || request.query.web_rid !== undefined);
    const aboutMadeUp = (request: { query: Record<string, string | undefined> }) => madeUpIds.has(request.query.room_id ?? request.query.web_rid ?? '');
    const before = asked().length;
    const client = stack.wsClient({ token: busy });
    const subs = Array.from({ length: 5 }, (_, i) => subscribe<{ roomStatus: { roomId: string; connectionState: string | null } }>(client, STATUS, { roomIds: ids.slice(i * 100, i * 100 + 100) }));
    try {
      await until(() => asked().slice(before).filter(aboutMadeUp).length >= 3, 'the checks to be under way');
      const askedBefore = asked().length;
      const single = await post(other, ROOM_QUERY, { id: room.id });
      expect(single.errors).toBeUndefined();
      expect(single.data).toEqual({ liveRoom: { id: room.id, title: room.summary().title } });
      const ended = new Set(subs.flatMap((sub) => sub.results).filter((r) => r.roomStatus.connectionState === 'ENDED').map((r) => r.roomStatus.roomId));
      expect(ended.size).toBeLessThan(ids.length);
      const after = asked().slice(askedBefore);
      const first = after.findIndex((request) => request.query.room_id === room.id);
      expect(first).toBeGreaterThanOrEqual(0);
      expect(first).toBeLessThanOrEqual(1);
    } finally {
      for (const sub of subs) sub.stop();
      await client.dispose();
    }
  });

  it('refuses the calls of one request past UPSTREAM_CALLS_PER_REQUEST with UPSTREAM_BUSY', async () => {
    const limited = await startStack({ env: { UPSTREAM_CALLS_PER_REQUEST: '5', UPSTREAM_RATE_PER_SEC: '1000', UPSTREAM_RATE_BURST: '1000', UPSTREAM_CACHE_MAX_BYTES: '0' } });
    try {
      const response = await fetch(limited.url, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({ query: 'query ($a: [ID!]!) { liveRooms(ids: $a) { id title } }', variables: { a: madeUp(300) } }),
      });
      const body = (await response.json()) as { errors?: { extensions?: { code?: string } }[] };
      const codes = (body.errors ?? []).map((error) => error.extensions?.code);
      expect(codes.filter((code) => code === 'UPSTREAM_BUSY').length).toBeGreaterThanOrEqual(15);
      const sent = limited.sim.requests({ kind: 'http' }).filter((request) => madeUp(300).includes(request.query.room_id ?? ''));
      expect(sent.length).toBeLessThanOrEqual(5);
    } finally {
      await limited.close();
    }
  });
});
