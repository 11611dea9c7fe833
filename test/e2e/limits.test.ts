// issue 7 proof, abuse limits: over-deep and over-costly operations are refused before
// execution (the simulator sees no call), over HTTP and graphql-ws; a subscriber that stops
// reading is closed with 4008 while the room's other subscribers receive every event, and the
// server's per-socket buffer never grows past its bound meanwhile.
import type { Client } from 'graphql-ws';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ServerCloseCode } from '../../src/server/graphql-ws.ts';
import { SLOW_CONSUMER_REASON } from '../../src/live/slow-consumer.ts';
import { RawWsClient } from '../auth/ws-client.ts';
import { startStack, subscribe, until, type Stack } from './stack.ts';

async function post(stack: Stack, query: string, variables: Record<string, unknown> = {}) {
  const response = await fetch(stack.url, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ query, variables }) });
  return (await response.json()) as { data?: unknown; errors?: { message: string; extensions: { code: string } }[] };
}

async function rejections(stack: Stack, reason: string): Promise<number> {
  const line = (await stack.metrics.render()).split('\n').find((l) => l.startsWith(`douyin_gateway_graphql_rejections_total{reason="${reason}"}`));
  return line === undefined ? 0 : Number(line.split(' ').at(-1));
}

describe('query limits against the simulator', () => {
  let stack: Stack;
  let roomId: string;
  beforeAll(async () => {
    stack = await startStack({ env: { MAX_QUERY_DEPTH: '5' } });
    roomId = stack.sim.liveRooms()[0]!.id;
  });
  afterAll(async () => {
    await stack?.close();
  });

  // Valid against the schema, six levels deep: only the depth limit can refuse it.
  const DEEP = `query ($id: ID!) { liveRoom(roomId: $id) { events(first: 5) { edges { node { user { avatar { url } } } } } } }`;
  // Every live room, each with its top 100 givers: up to 101 upstream calls.
  const COSTLY = `query ($n: Int!) { liveFeed(first: $n) { id ranks(first: 100) { rank user { nickname } } } }`;

  it('refuses an over-deep query with QUERY_TOO_DEEP and calls nothing upstream', async () => {
    stack.sim.clearRequests();
    const body = await post(stack, DEEP, { id: roomId });
    expect(body.data).toBeUndefined();
    expect(body.errors?.map((e) => e.extensions.code)).toEqual(['QUERY_TOO_DEEP']);
    expect(stack.sim.requests()).toEqual([]);
    expect(await rejections(stack, 'QUERY_TOO_DEEP')).toBe(1);
  });

  it('refuses an over-costly query with QUERY_TOO_COSTLY, its page size a variable, and calls nothing upstream', async () => {
    stack.sim.clearRequests();
    const body = await post(stack, COSTLY, { n: 100 });
    expect(body.errors?.map((e) => e.extensions.code)).toEqual(['QUERY_TOO_COSTLY']);
    expect(body.errors?.[0]?.message).toMatch(/^Query Cost limit of 10000 exceeded/);
    expect(stack.sim.requests()).toEqual([]);
    expect(await rejections(stack, 'QUERY_TOO_COSTLY')).toBe(1);
  });

  it('refuses both over graphql-ws too, with the socket left open for the next operation', async () => {
    stack.sim.clearRequests();
    const client = await RawWsClient.open(stack.wsUrl);
    try {
      await client.init({});
      client.send({ type: 'subscribe', id: 'deep', payload: { query: DEEP, variables: { id: roomId } } });
      client.send({ type: 'subscribe', id: 'costly', payload: { query: COSTLY, variables: { n: 100 } } });
      const deep = await client.waitForMessage((f) => f.id === 'deep');
      expect(deep.payload.map((e: { extensions: { code: string } }) => e.extensions.code)).toEqual(['QUERY_TOO_DEEP']);
      const costly = await client.waitForMessage((f) => f.id === 'costly' && f.type !== 'complete');
      const errors = deep.type === 'error' && costly.type === 'error' ? costly.payload : costly.payload.errors;
      expect(errors.map((e: { extensions: { code: string } }) => e.extensions.code)).toEqual(['QUERY_TOO_COSTLY']);
      expect(stack.sim.requests()).toEqual([]);
      client.send({ type: 'subscribe', id: 'fine', payload: { query: 'query ($id: ID!) { liveRoom(roomId: $id) { title } }', variables: { id: roomId } } });
      expect(await client.waitForMessage((f) => f.id === 'fine')).toMatchObject({ type: 'next', payload: { data: { liveRoom: { title: stack.sim.byRoomId(roomId)!.model.title } } } });
    } finally {
      client.close();
    }
  });

  it('lets a reasonable query through: a small feed with a short rank list', async () => {
    const body = await post(stack, COSTLY.replace('ranks(first: 100)', 'ranks(first: 3)'), { n: 3 });
    expect(body.errors).toBeUndefined();
    expect((body.data as { liveFeed: unknown[] }).liveFeed.length).toBeGreaterThan(0);
  });
});

describe('a subscriber that never reads', () => {
  const SOCKET_BOUND = 64 * 1024;
  const EVENTS = `subscription ($id: ID!, $types: [RoomEventType!]) {
    roomEvents(roomId: $id, types: $types) { __typename id cursor createdAt user { id nickname } ... on ChatEvent { content } }
  }`;
  let stack: Stack;
  beforeAll(async () => {
    stack = await startStack({ app: { maxSocketBufferedBytes: SOCKET_BOUND } });
  });
  afterAll(async () => {
    await stack?.close();
  });

  async function subscribers(roomId: string): Promise<number> {
    const line = (await stack.metrics.render()).split('\n').find((l) => l.startsWith(`douyin_gateway_subscribers{room_id="${roomId}"}`));
    return line === undefined ? 0 : Number(line.split(' ').at(-1));
  }

  it('is closed with 4008 once its socket buffer passes the bound, while the others receive every event', async () => {
    const room = stack.sim.liveRooms()[0]!;
    const healthyClients: Client[] = [stack.wsClient(), stack.wsClient()];
    const healthy = healthyClients.map((client) => subscribe<{ roomEvents: { id: string } }>(client, EVENTS, { id: room.id, types: ['CHAT'] }));

    // The slow client subscribes many times over, so each event costs it many messages.
    const slow = await RawWsClient.open(stack.wsUrl);
    await slow.init({});
    const SLOW_SUBSCRIPTIONS = 20;
    for (let i = 0; i < SLOW_SUBSCRIPTIONS; i += 1) slow.send({ type: 'subscribe', id: `s${i}`, payload: { query: EVENTS, variables: { id: room.id } } });
    await until(() => stack.gateway.supervisor.connectionState(room.id) === 'LIVE', 'the room to be collected');
    await until(() => stack.sim.connections().some((c) => c.roomId === room.id && c.heartbeatsReceived > 0), 'the push connection');
    const everyone = healthy.length + SLOW_SUBSCRIPTIONS;
    const deadline = Date.now() + 10_000;
    while ((await subscribers(room.id)) < everyone && Date.now() < deadline) await new Promise((resolve) => setImmediate(resolve));
    expect(await subscribers(room.id)).toBe(everyone);
    slow.pause();

    // Traffic in rounds; each round waits until the healthy subscribers have it all.
    const expected: string[] = [];
    let rounds = 0;
    let roundsAfterCut = 0;
    while (roundsAfterCut < 2) {
      if (rounds > 200) throw new Error('the paused client was never cut off');
      rounds += 1;
      const chats = room.emit(200, { kinds: ['chat'] }).filter((record) => !record.duplicate);
      expected.push(...chats.map((record) => record.msgId));
      await until(() => healthy.every((sub) => sub.results.length >= expected.length), `round ${rounds} at the healthy subscribers`, 20_000);
      expect(stack.app.ws.stats().peakBufferedBytes).toBeLessThanOrEqual(SOCKET_BOUND + 4096);
      if (stack.app.ws.stats().slowConsumerCloses > 0) roundsAfterCut += 1;
    }

    expect(stack.app.ws.stats().slowConsumerCloses).toBe(1);
    for (const sub of healthy) {
      expect(sub.errors).toEqual([]);
      expect(sub.results.map((result) => result.roomEvents.id)).toEqual(expected);
    }
    // The slow client's operations were ended server-side without waiting for it to read.
    expect(await subscribers(room.id)).toBe(healthy.length);
    expect(await stack.metrics.render()).toContain('douyin_gateway_slow_consumers_total{transport="graphql-ws",reason="socket"} 1');

    // When it reads again it finds what was already queued, then the close with its reason.
    slow.resume();
    expect(await slow.waitForClose()).toEqual({ code: ServerCloseCode.SlowConsumer, reason: SLOW_CONSUMER_REASON });
    for (const sub of healthy) sub.stop();
  });
});
