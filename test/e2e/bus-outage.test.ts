// issue 11 / issue 16 item 3 proof: Redis cut for a few seconds (through a TCP proxy the test
// runs) under one gateway on PostgreSQL with REDIS_URL. A live subscriber keeps receiving every
// event during the cut (read from the store), nothing is lost or doubled across the cut and the
// recovery, and /ready answers 503 naming the bus while Redis is unreachable.
import { randomBytes } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startCuttableProxy, type CuttableProxy } from '../support/cuttable-proxy.ts';
import { pgUnavailable, postgresStore, type StoreUnderTest } from './fixtures/stores.ts';
import { startStack, subscribe, until, type Stack } from './stack.ts';

const ROOM_EVENTS = `subscription ($roomId: ID!) {
  roomEvents(roomId: $roomId) { __typename id cursor ... on ConnectionStateEvent { state } }
}`;

type EventData = { roomEvents: { __typename: string; id: string; cursor: string | null; state?: string } };

const seqOf = (cursor: string) => Number(Buffer.from(cursor, 'base64url').toString('utf8').split(':').at(-1));

async function readiness(stack: Stack): Promise<{ status: number; body: { checks: { name: string; ok: boolean; state?: string }[] } }> {
  const response = await fetch(stack.url.replace(/\/graphql$/, '/ready'));
  return { status: response.status, body: (await response.json()) as { checks: { name: string; ok: boolean; state?: string }[] } };
}

describe.skipIf(pgUnavailable !== null)('Redis outage under a live subscriber', () => {
  let proxy: CuttableProxy;
  let store: StoreUnderTest;
  let stack: Stack;

  beforeAll(async () => {
    proxy = await startCuttableProxy({ host: '127.0.0.1', port: 6379 });
    store = await postgresStore('bus_outage');
    stack = await startStack({
      // A seed of its own: room ids (and so Redis channels) no other run shares.
      sim: { seed: `bus-outage-${randomBytes(4).toString('hex')}`, rooms: 1 },
      env: { ...store.env, REDIS_URL: `redis://127.0.0.1:${proxy.port}`, HOLE_FILL_MS: '100' },
    });
  });
  afterAll(async () => {
    await stack?.close();
    await store?.dispose();
    await proxy?.close();
  });

  it('delivers every stored event during and after the cut, once and in order, with /ready 503 meanwhile', async () => {
    const room = stack.sim.liveRooms()[0]!;
    const sub = subscribe<EventData>(stack.wsClient(), ROOM_EVENTS, { roomId: room.id });
    await until(() => sub.results.some((r) => r.roomEvents.state === 'LIVE'), 'the room to go LIVE');
    await until(() => stack.sim.connections().some((c) => c.roomId === room.id && c.heartbeatsReceived > 0), 'the push connection');
    const upstream = () => sub.results.map((r) => r.roomEvents).filter((e) => e.__typename !== 'ConnectionStateEvent');
    const emitted: string[] = [];
    const emit = (count: number) => emitted.push(...room.emit(count).filter((record) => !record.duplicate).map((record) => record.msgId));
    const received = (ids: readonly string[]) => {
      const seen = new Set(upstream().map((e) => e.id));
      return ids.every((id) => seen.has(id));
    };

    emit(30);
    await until(() => received(emitted), 'the events before the cut');
    expect((await readiness(stack)).status).toBe(200);

    proxy.cut();
    await until(async () => (await readiness(stack)).status === 503, '/ready to answer 503');
    const during = await readiness(stack);
    expect(during.body.checks.find((check) => check.name === 'bus')).toMatchObject({ ok: false, state: 'BUS_UNAVAILABLE' });
    expect(during.body.checks.find((check) => check.name === 'store')).toMatchObject({ ok: true });
    expect(await stack.metrics.registry.getSingleMetricAsString('douyin_gateway_bus_up')).toMatch(/bus_up 0/);

    // Still cut: these reach the subscriber only by the store poll. The cut lasts a few
    // seconds of traffic, so the Redis client goes through several reconnect attempts.
    const cutAt = Date.now();
    while (Date.now() - cutAt < 3000) {
      const from = emitted.length;
      emit(10);
      await until(() => received(emitted.slice(from)), 'the events emitted during the cut');
    }
    expect((await readiness(stack)).status).toBe(503);

    proxy.restore();
    await until(async () => (await readiness(stack)).status === 200, '/ready to answer 200 again');
    emit(40);
    await until(() => received(emitted), 'the events after the recovery');

    const delivered = upstream();
    expect(delivered.map((e) => e.id)).toEqual(emitted);
    const sequences = delivered.map((e) => seqOf(e.cursor as string));
    expect(sequences.every((seq, i) => i === 0 || seq === (sequences[i - 1] as number) + 1)).toBe(true);
    expect(sub.errors).toEqual([]);
    sub.stop();
  });
});
