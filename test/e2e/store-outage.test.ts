// issue 16 item 2 proof: PostgreSQL cut for 12 s mid-run through a TCP proxy the test runs (the machine's
// own server keeps running). While it is away nothing reaches subscribers without a cursor and
// /ready is 503 naming the store; when it is back every event is stored once and published once
// with its cursor, and a client resuming from before the outage reads it all with no gap.
import { randomBytes } from 'node:crypto';
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { TEST_DATABASE_URL, pgUnavailableReason } from '../store/pg-harness.ts';
import { startTcpProxy, type TcpProxy } from '../support/tcp-proxy.ts';
import { startStack, subscribe, until, type Stack } from './stack.ts';

const ROOM_EVENTS = `subscription ($roomId: ID!, $after: String) {
  roomEvents(roomId: $roomId, after: $after) {
    __typename id cursor
    ... on ConnectionStateEvent { state }
  }
}`;

type EventData = { roomEvents: { __typename: string; id: string; cursor: string | null; state?: string } };
type ReadyBody = { status: string; checks: { name: string; ok: boolean; state?: string; detail?: string }[] };

const unavailable = await pgUnavailableReason();
const OUTAGE_MS = 12_000;

async function admin(text: string): Promise<void> {
  const client = new pg.Client({ connectionString: TEST_DATABASE_URL });
  await client.connect();
  try {
    await client.query(text);
  } finally {
    await client.end();
  }
}

describe.skipIf(unavailable !== null)('a PostgreSQL outage during ingest', () => {
  const database = `outage_${randomBytes(6).toString('hex')}`;
  let proxy: TcpProxy;
  let stack: Stack;

  beforeAll(async () => {
    await admin(`CREATE DATABASE ${database}`);
    const real = new URL(TEST_DATABASE_URL);
    proxy = await startTcpProxy({ host: real.hostname, port: Number(real.port || 5432) });
    const throughProxy = new URL(TEST_DATABASE_URL);
    throughProxy.port = String(proxy.port);
    throughProxy.pathname = `/${database}`;
    stack = await startStack({ env: { DATABASE_URL: throughProxy.toString() } });
  });

  afterAll(async () => {
    await stack?.close();
    await proxy?.close();
    await admin(`DROP DATABASE IF EXISTS ${database} WITH (FORCE)`);
  });

  const ready = async (): Promise<{ status: number; body: ReadyBody }> => {
    const response = await fetch(stack.url.replace(/\/graphql$/, '/ready'));
    return { status: response.status, body: (await response.json()) as ReadyBody };
  };

  it('holds events while the store is cut, then stores and delivers each once with its cursor; /ready says 503 meanwhile', async () => {
    const room = stack.sim.liveRooms()[0]!;
    const live = subscribe<EventData>(stack.wsClient(), ROOM_EVENTS, { roomId: room.id });
    await until(() => live.results.some((r) => r.roomEvents.state === 'LIVE'), 'the room to go LIVE');
    await until(() => stack.sim.connections().some((c) => c.roomId === room.id && c.heartbeatsReceived > 0), 'the push connection');
    // What the room sent: not the gateway's own state events, nor the FINAL it makes for a gift
    // combo that went quiet (the outage outlasts the combo idle time).
    const fromRoom = (e: { __typename: string; id: string }) => e.__typename !== 'ConnectionStateEvent' && !e.id.startsWith('combo-final:');
    const received = () => live.results.map((r) => r.roomEvents).filter(fromRoom);

    const before = room.emit(20, { perFrame: 5 });
    await until(() => received().length >= before.length, 'the events before the outage');

    proxy.cut();
    const cutAt = Date.now();
    const during = room.emit(30, { perFrame: 5 });
    const writer = stack.gateway.writer;
    // Several attempts, the backoff's cap among them: the outage outlasts more than one retry,
    // and lasts the 12 s.
    await until(() => writer.stats().retries >= 6, () => `attempts while cut (${writer.stats().retries})`, 20_000);
    await until(() => Date.now() - cutAt >= OUTAGE_MS, 'the end of the 12 s outage', OUTAGE_MS + 5_000);
    const whileCut = await ready();
    expect(whileCut.status).toBe(503);
    expect(whileCut.body.checks.find((check) => check.name === 'store')).toMatchObject({ ok: false, state: 'STORE_UNAVAILABLE' });
    expect(received().length).toBe(before.length);
    const more = room.emit(10, { perFrame: 5 });

    proxy.restore();
    const after = room.emit(10, { perFrame: 5 });
    const truth = [...before, ...during, ...more, ...after].filter((record) => !record.duplicate).map((record) => record.msgId);
    await until(() => received().length >= truth.length, () => `every event (${received().length} of ${truth.length})`, 20_000);

    const delivered = received();
    expect(delivered.map((e) => e.id)).toEqual(truth);
    expect(delivered.every((e) => typeof e.cursor === 'string' && e.cursor.length > 0)).toBe(true);
    expect(new Set(delivered.map((e) => e.cursor)).size).toBe(delivered.length);
    expect(stack.logs.lines.some((line) => String(line.msg).startsWith('store unreachable'))).toBe(true);
    const back = await ready();
    expect(back.status).toBe(200);

    const stored = await stack.gateway.store.listEvents(room.id, { first: 1000 });
    expect(stored.events.filter((e) => fromRoom({ __typename: e.type, id: e.id })).map((e) => e.id)).toEqual(truth);

    // A client that last saw the first event resumes through the outage: everything, no gap.
    const resumed = subscribe<EventData>(stack.wsClient(), ROOM_EVENTS, { roomId: room.id, after: delivered[0]!.cursor });
    const replayed = () => resumed.results.map((r) => r.roomEvents).filter(fromRoom);
    await until(() => replayed().length >= truth.length - 1, 'the replay');
    expect(replayed().map((e) => e.id)).toEqual(truth.slice(1));
    live.stop();
    resumed.stop();
  });
});
