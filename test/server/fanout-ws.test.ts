// Shared execution over real sockets, with a raw graphql-ws client that keeps every frame's exact
// text: equal subscriptions share one execution and one source while each client gets frames
// with only its own operation ids; different variables or tokens never share; members join and
// leave mid-stream; a lagging member is closed with 4008 while the others get every event; the
// last one out releases the room; the protocol's own rules (4401, 4409, complete either way)
// hold; and the frames are byte for byte what the per-subscriber path sends.
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterEach, describe, expect, it } from 'vitest';
import WebSocket from 'ws';
import { loadConfig } from '../../src/config.ts';
import type { RoomEvent } from '../../src/domain/events.ts';
import type { RoomEventSource, RoomEventSubscription } from '../../src/schema/context.ts';
import { createAccessControl } from '../../src/server/auth/access.ts';
import { attachGraphQLWs, ServerCloseCode, type GraphQLWsHandle } from '../../src/server/graphql-ws.ts';
import { SLOW_CONSUMER_REASON } from '../../src/live/slow-consumer.ts';
import { createMetrics } from '../../src/server/metrics.ts';
import { QueueSource } from '../live/queue-source.ts';
import { encodeCursor } from '../../src/store/cursor.ts';
import { tokenFixture, type TokenFixture } from '../rest/helpers/tokens.ts';
import { chatEvent, likeEvent, roomIdFor } from '../schema/fakes.ts';
import { until } from '../schema/run.ts';
import { createTestApp, type TestApp, type TestAppOptions } from './helpers.ts';

const ROOM = roomIdFor(1);
const ROOM_2 = roomIdFor(2);
const EVENTS = `subscription ($roomId: ID!, $types: [RoomEventType!], $after: String) {
  roomEvents(roomId: $roomId, types: $types, after: $after) { __typename id ... on ChatEvent { content } ... on LikeEvent { count } }
}`;
const WITH_ROOM = `subscription ($roomId: ID!) { roomEvents(roomId: $roomId) { id room { title } } }`;
const STATUS = `subscription ($ids: [ID!]!) { roomStatus(roomIds: $ids) { roomId connectionState } }`;

interface Frame {
  type: string;
  id?: string;
  payload?: any;
}

/** A graphql-ws client on a raw socket that keeps each frame's text as it arrived. */
class RecordingClient {
  readonly texts: string[] = [];
  readonly frames: Frame[] = [];
  binaryFrames = 0;
  closed: { code: number; reason: string } | null = null;
  private readonly waiters: (() => void)[] = [];

  private constructor(readonly socket: WebSocket) {
    socket.on('message', (data, isBinary) => {
      if (isBinary) this.binaryFrames += 1;
      const text = String(data);
      this.texts.push(text);
      this.frames.push(JSON.parse(text) as Frame);
      this.wake();
    });
    socket.on('close', (code, reason) => {
      this.closed = { code, reason: String(reason) };
      this.wake();
    });
  }

  static async open(url: string): Promise<RecordingClient> {
    const socket = new WebSocket(url, 'graphql-transport-ws');
    await new Promise<void>((resolve, reject) => {
      socket.once('open', () => resolve());
      socket.once('error', reject);
    });
    const client = new RecordingClient(socket);
    sockets.push(client);
    return client;
  }

  send(frame: Frame): void {
    this.socket.send(JSON.stringify(frame));
  }

  async init(payload: Record<string, unknown> = {}): Promise<this> {
    this.send({ type: 'connection_init', payload });
    await this.waitFor((frame) => frame.type === 'connection_ack');
    return this;
  }

  subscribe(id: string, query: string, variables: Record<string, unknown>): void {
    this.send({ type: 'subscribe', id, payload: { query, variables } });
  }

  complete(id: string): void {
    this.send({ type: 'complete', id });
  }

  /** Frames for operation `id` (all operation frames when absent). */
  of(id?: string): Frame[] {
    return this.frames.filter((frame) => frame.id !== undefined && (id === undefined || frame.id === id));
  }

  /** Event ids of the `next` frames for `id`. */
  eventIds(id: string): string[] {
    return this.of(id)
      .filter((frame) => frame.type === 'next')
      .map((frame) => frame.payload.data.roomEvents.id as string);
  }

  /** The exact texts of the frames for operation `id`. */
  textsOf(id: string): string[] {
    return this.texts.filter((_text, index) => this.frames[index]?.id === id);
  }

  async waitFor(match: (frame: Frame) => boolean, what = 'a frame'): Promise<Frame> {
    const deadline = Date.now() + 5000;
    for (;;) {
      const found = this.frames.find(match);
      if (found !== undefined) return found;
      if (this.closed !== null) throw new Error(`closed ${this.closed.code} ${this.closed.reason} while waiting for ${what}`);
      if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
      await new Promise<void>((resolve) => {
        this.waiters.push(resolve);
        setTimeout(resolve, 50).unref();
      });
    }
  }

  async waitForClose(): Promise<{ code: number; reason: string }> {
    await until(() => this.closed !== null, 5000, 'the socket to close');
    return this.closed as { code: number; reason: string };
  }

  private wake(): void {
    for (const waiter of this.waiters.splice(0)) waiter();
  }
}

const sockets: RecordingClient[] = [];
let running: TestApp | null = null;
const extraServers: { server: Server; ws: GraphQLWsHandle }[] = [];

afterEach(async () => {
  for (const client of sockets.splice(0)) client.socket.terminate();
  for (const { server, ws } of extraServers.splice(0)) {
    await ws.close(100);
    await new Promise<void>((resolve) => server.close(() => resolve()));
  }
  await running?.app.stop();
  running = null;
});

async function start(options: TestAppOptions = {}): Promise<{ test: TestApp; wsUrl: string }> {
  running = createTestApp(options);
  const { url } = await running.app.start(0, '127.0.0.1');
  return { test: running, wsUrl: url.replace(/^http/, 'ws') };
}

/** A second graphql-ws server over the same yoga (same schema, plugins and fakes) that executes per subscriber. */
async function perSubscriberServer(test: TestApp): Promise<string> {
  const server = createServer(test.app.yoga);
  const ws = attachGraphQLWs(server, test.app.yoga, {
    logger: test.logger,
    metrics: createMetrics({ defaultMetrics: false }),
    maxBufferedBytes: 4 * 1024 * 1024,
    shareExecutions: false,
  });
  extraServers.push({ server, ws });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return `ws://127.0.0.1:${(server.address() as AddressInfo).port}/graphql`;
}

async function connected(wsUrl: string, params: Record<string, unknown> = {}): Promise<RecordingClient> {
  return (await RecordingClient.open(wsUrl)).init(params);
}

async function metric(test: TestApp, prefix: string): Promise<number | null> {
  const line = (await test.app.metrics.render()).split('\n').find((l) => l.startsWith(prefix));
  return line === undefined ? null : Number(line.split(' ').at(-1));
}

function emit(test: TestApp, roomId: string, events: RoomEvent[]): string[] {
  for (const event of events) test.fakes.events.emit(roomId, event);
  return events.map((event) => event.id);
}

describe('one execution per group of equal subscriptions', () => {
  it('serves two sockets from one execution and one source, each frame under its own id, the same payload bytes', async () => {
    const { test, wsUrl } = await start();
    const a = await connected(wsUrl);
    const b = await connected(wsUrl);
    a.subscribe('a1', EVENTS, { roomId: ROOM });
    b.subscribe('b1', EVENTS, { roomId: ROOM });
    await until(() => test.app.ws.fanout().members === 2 && test.fakes.events.open(ROOM) === 1, 5000, 'both to join one group');
    expect(test.app.ws.fanout()).toEqual({ groups: 1, members: 2 });
    expect(test.fakes.rooms.active()).toEqual([ROOM]);

    const sent = emit(test, ROOM, [chatEvent(ROOM, 'one'), likeEvent(ROOM, 3, 3), chatEvent(ROOM, 'three')]);
    await until(() => a.eventIds('a1').length === 3 && b.eventIds('b1').length === 3, 5000, 'three events at both');

    expect(a.eventIds('a1')).toEqual(sent);
    expect(b.eventIds('b1')).toEqual(sent);
    expect(a.of().every((frame) => frame.id === 'a1')).toBe(true);
    expect(b.of().every((frame) => frame.id === 'b1')).toBe(true);
    expect(a.textsOf('a1').map((text) => text.replace('"a1"', '"x"'))).toEqual(b.textsOf('b1').map((text) => text.replace('"b1"', '"x"')));
    expect(a.binaryFrames + b.binaryFrames).toBe(0);
    // One execution per event (event lag is observed as each result is produced), two subscribers counted.
    expect(await metric(test, 'douyin_gateway_event_lag_seconds_count')).toBe(3);
    expect(await metric(test, `douyin_gateway_subscribers{room_id="${ROOM}"}`)).toBe(2);
  });

  it('keeps two operations of one socket apart: complete ends only that id; the source ending completes the rest', async () => {
    const { test, wsUrl } = await start();
    const client = await connected(wsUrl);
    client.subscribe('x', EVENTS, { roomId: ROOM });
    client.subscribe('y', EVENTS, { roomId: ROOM });
    await until(() => test.app.ws.fanout().members === 2, 5000, 'both operations to join');
    expect(test.fakes.events.open(ROOM)).toBe(1);
    const [first] = emit(test, ROOM, [chatEvent(ROOM, 'both')]);
    await until(() => client.eventIds('x').length === 1 && client.eventIds('y').length === 1, 5000, 'the first event under both ids');

    client.complete('x');
    await until(() => test.app.ws.fanout().members === 1, 5000, 'x to leave');
    const [second] = emit(test, ROOM, [chatEvent(ROOM, 'only y')]);
    await client.waitFor((frame) => frame.id === 'y' && frame.payload?.data?.roomEvents.id === second, 'the second event under y');

    test.fakes.events.subscriptions[0]?.channel.end();
    await client.waitFor((frame) => frame.id === 'y' && frame.type === 'complete', 'complete for y');
    expect(client.of('x').map((frame) => frame.type)).toEqual(['next']);
    expect(client.eventIds('x')).toEqual([first]);
    expect(client.of('y').map((frame) => frame.type)).toEqual(['next', 'next', 'complete']);
    await until(() => test.app.ws.fanout().groups === 0 && test.fakes.rooms.active().length === 0, 5000, 'the room to be released');
  });

  it('never shares between different variables: each group sees only its own events', async () => {
    const { test, wsUrl } = await start();
    const chats = await connected(wsUrl);
    const likes = await connected(wsUrl);
    const other = await connected(wsUrl);
    chats.subscribe('s', EVENTS, { roomId: ROOM, types: ['CHAT'] });
    likes.subscribe('s', EVENTS, { roomId: ROOM, types: ['LIKE'] });
    other.subscribe('s', EVENTS, { roomId: ROOM_2 });
    await until(() => test.app.ws.fanout().members === 3, 5000, 'three subscriptions');
    expect(test.app.ws.fanout().groups).toBe(3);

    const [chat, like] = emit(test, ROOM, [chatEvent(ROOM, 'c'), likeEvent(ROOM, 1, 1)]);
    const [elsewhere] = emit(test, ROOM_2, [chatEvent(ROOM_2, 'room 2')]);
    const last = emit(test, ROOM, [chatEvent(ROOM, 'last')]);
    await until(() => chats.eventIds('s').length === 2 && likes.eventIds('s').length === 1 && other.eventIds('s').length === 1, 5000, 'each group\'s events');
    expect(chats.eventIds('s')).toEqual([chat, ...last]);
    expect(likes.eventIds('s')).toEqual([like]);
    expect(other.eventIds('s')).toEqual([elsewhere]);
  });

  it('shares within a token and never across tokens; the guard still refuses a bad token', async () => {
    const tokens: TokenFixture = tokenFixture();
    try {
      const access = createAccessControl({ security: { apiTokensFile: tokens.file, corsOrigins: [] } });
      const { test, wsUrl } = await start({ build: { access } });
      const good = [await connected(wsUrl, { token: tokens.good }), await connected(wsUrl, { token: tokens.good })];
      const other = await connected(wsUrl, { token: tokens.other });
      for (const client of [...good, other]) client.subscribe('op', EVENTS, { roomId: ROOM });
      await until(() => test.app.ws.fanout().members === 3, 5000, 'three members');
      expect(test.app.ws.fanout().groups).toBe(2);
      expect(test.fakes.events.open(ROOM)).toBe(2);

      const sent = emit(test, ROOM, [chatEvent(ROOM, 'for everyone')]);
      await until(() => [...good, other].every((client) => client.eventIds('op').length === 1), 5000, 'the event at every member');
      for (const client of [...good, other]) expect(client.eventIds('op')).toEqual(sent);

      const refused = await RecordingClient.open(wsUrl);
      refused.send({ type: 'connection_init', payload: { token: tokens.unknown } });
      expect((await refused.waitForClose()).code).toBe(4403);
    } finally {
      tokens.cleanup();
    }
  });

  it('admits each member under the caps: a third subscription on a capped socket is refused, a completed one frees its slot', async () => {
    const limits = { ...loadConfig({}).limits, maxSubscriptionsPerConnection: 2 };
    const { test, wsUrl } = await start({ limits });
    const client = await connected(wsUrl);
    client.subscribe('1', EVENTS, { roomId: ROOM });
    client.subscribe('2', EVENTS, { roomId: ROOM });
    client.subscribe('3', EVENTS, { roomId: ROOM });
    const refused = await client.waitFor((frame) => frame.id === '3', 'the refusal of 3');
    expect(refused.type).toBe('error');
    expect(refused.payload.map((error: { extensions: { code: string } }) => error.extensions.code)).toEqual(['SUBSCRIPTION_LIMIT']);
    await until(() => test.app.ws.fanout().members === 2, 5000, 'two members');

    client.complete('1');
    await until(() => test.app.ws.fanout().members === 1, 5000, '1 to leave');
    client.subscribe('4', EVENTS, { roomId: ROOM });
    await until(() => test.app.ws.fanout().members === 2, 5000, '4 to join');
    const sent = emit(test, ROOM, [chatEvent(ROOM, 'after the swap')]);
    await until(() => client.eventIds('4').length === 1 && client.eventIds('2').length === 1, 5000, 'the event at 2 and 4');
    expect(client.eventIds('4')).toEqual(sent);
    expect(test.app.ws.fanout().groups).toBe(1);
  });
});

describe('members come and go', () => {
  it('gives a joiner events from the next one on, keeps going when one leaves, and releases the room when the last leaves', async () => {
    const { test, wsUrl } = await start();
    const early = await connected(wsUrl);
    early.subscribe('e', EVENTS, { roomId: ROOM });
    await until(() => test.fakes.events.open(ROOM) === 1, 5000, 'the first subscription');
    const [one] = emit(test, ROOM, [chatEvent(ROOM, 'one')]);
    await until(() => early.eventIds('e').length === 1, 5000, 'the first event');

    const late = await connected(wsUrl);
    late.subscribe('l', EVENTS, { roomId: ROOM });
    await until(() => test.app.ws.fanout().members === 2, 5000, 'the joiner');
    const [two] = emit(test, ROOM, [chatEvent(ROOM, 'two')]);
    await until(() => late.eventIds('l').length === 1 && early.eventIds('e').length === 2, 5000, 'the second event');

    early.socket.close(1000);
    await until(() => test.app.ws.fanout().members === 1, 5000, 'the early one to leave');
    expect(test.fakes.rooms.active()).toEqual([ROOM]);
    const [three] = emit(test, ROOM, [chatEvent(ROOM, 'three')]);
    await until(() => late.eventIds('l').length === 2, 5000, 'the third event');

    expect(early.eventIds('e')).toEqual([one, two]);
    expect(late.eventIds('l')).toEqual([two, three]);
    expect(test.fakes.events.subscriptions).toHaveLength(1);

    late.complete('l');
    await until(() => test.app.ws.fanout().groups === 0, 5000, 'the group to end');
    await until(() => test.fakes.rooms.active().length === 0 && test.fakes.events.open(ROOM) === 0, 5000, 'the room watch to be released');
    // A room without subscribers keeps no series (room_id labels stay bounded).
    expect(await metric(test, `douyin_gateway_subscribers{room_id="${ROOM}"}`)).toBeNull();
    expect(late.of('l').map((frame) => frame.type)).toEqual(['next', 'next']);

    // The next subscriber starts a fresh execution.
    late.subscribe('again', EVENTS, { roomId: ROOM });
    await until(() => test.fakes.events.open(ROOM) === 1, 5000, 'a new execution');
    expect(test.fakes.events.subscriptions).toHaveLength(2);
  });

  it('closes a member whose socket falls behind with 4008, while the others get every event', async () => {
    const { test, wsUrl } = await start({ build: { maxSocketBufferedBytes: 64 * 1024 } });
    const slow = await connected(wsUrl);
    const healthy = [await connected(wsUrl), await connected(wsUrl)];
    for (const client of [slow, ...healthy]) client.subscribe('s', EVENTS, { roomId: ROOM });
    await until(() => test.app.ws.fanout().members === 3, 5000, 'three members');
    slow.socket.pause();

    const bulky = 'x'.repeat(4000);
    const sent: string[] = [];
    for (let round = 0; test.app.ws.stats().slowConsumerCloses === 0; round += 1) {
      if (round > 20_000) throw new Error('the paused member was never cut off');
      sent.push(...emit(test, ROOM, [chatEvent(ROOM, bulky), chatEvent(ROOM, bulky)]));
      await new Promise((resolve) => setImmediate(resolve));
    }
    await until(() => test.app.ws.fanout().members === 2, 5000, 'the slow member to leave');
    sent.push(...emit(test, ROOM, [chatEvent(ROOM, 'after the cut')]));
    await until(() => healthy.every((client) => client.eventIds('s').length === sent.length), 10_000, 'every event at the healthy members');
    for (const client of healthy) expect(client.eventIds('s')).toEqual(sent);
    expect(test.fakes.events.open(ROOM)).toBe(1);
    expect(test.app.ws.stats().peakBufferedBytes).toBeLessThanOrEqual(64 * 1024 + 8 * 1024);

    slow.socket.resume();
    expect(await slow.waitForClose()).toEqual({ code: ServerCloseCode.SlowConsumer, reason: SLOW_CONSUMER_REASON });
    expect(await metric(test, 'douyin_gateway_slow_consumers_total{transport="graphql-ws",reason="socket"}')).toBe(1);
  });
});

describe('graphql-ws protocol on the shared path', () => {
  it('closes with 4409 on a duplicate operation id, and the group carries on for its other members', async () => {
    const { test, wsUrl } = await start();
    const other = await connected(wsUrl);
    other.subscribe('keep', EVENTS, { roomId: ROOM });
    const client = await connected(wsUrl);
    client.subscribe('dup', EVENTS, { roomId: ROOM });
    await until(() => test.app.ws.fanout().members === 2, 5000, 'two members');
    client.subscribe('dup', EVENTS, { roomId: ROOM });
    expect(await client.waitForClose()).toEqual({ code: 4409, reason: 'Subscriber for dup already exists' });
    await until(() => test.app.ws.fanout().members === 1, 5000, 'the closed socket\'s member to leave');
    const sent = emit(test, ROOM, [chatEvent(ROOM, 'still here')]);
    await until(() => other.eventIds('keep').length === 1, 5000, 'the event at the other member');
    expect(other.eventIds('keep')).toEqual(sent);
  });

  it('closes with 4401 on a subscribe before connection_ack, joining nothing', async () => {
    const { test, wsUrl } = await start();
    const client = await RecordingClient.open(wsUrl);
    client.subscribe('early', EVENTS, { roomId: ROOM });
    expect(await client.waitForClose()).toEqual({ code: 4401, reason: 'Unauthorized' });
    expect(test.app.ws.fanout()).toEqual({ groups: 0, members: 0 });
    expect(test.fakes.events.subscriptions).toHaveLength(0);
  });

  it('keeps resuming (`after`) and roomStatus subscriptions on the per-subscriber path', async () => {
    const { test, wsUrl } = await start();
    const cursor = encodeCursor(ROOM, 1);
    test.fakes.history.append([chatEvent(ROOM, 'stored')]);
    const a = await connected(wsUrl);
    const b = await connected(wsUrl);
    for (const client of [a, b]) {
      client.subscribe('resume', EVENTS, { roomId: ROOM, after: cursor });
      client.subscribe('status', STATUS, { ids: [ROOM] });
    }
    await until(() => test.fakes.events.open(ROOM) === 2 && test.fakes.statusChanges.subscriptions.length === 2, 5000, 'four separate executions');
    expect(test.app.ws.fanout()).toEqual({ groups: 0, members: 0 });
  });
});

describe('the same bytes as the per-subscriber path', () => {
  it('sends identical frames for events, field errors, a refused room and a failing source', async () => {
    const source = new QueueSource();
    const { test, wsUrl } = await start({ services: (services) => ({ ...services, events: source }) });
    const plainUrl = await perSubscriberServer(test);
    const shared = [await connected(wsUrl), await connected(wsUrl)];
    const plain = await connected(plainUrl);
    for (const client of [...shared, plain]) {
      client.subscribe('op', WITH_ROOM, { roomId: ROOM });
      client.subscribe('bad', WITH_ROOM, { roomId: 'not a room' });
    }
    await until(() => source.open() === 2, 5000, 'one shared and one per-subscriber execution');
    expect(test.app.ws.fanout().groups).toBe(1);

    source.emit(chatEvent(ROOM, 'fine'));
    await until(() => [...shared, plain].every((client) => client.of('op').length === 1), 5000, 'the first event');
    test.fakes.douyin.failures.set('roomByRoomId', () => new Error('upstream said no'));
    source.emit(chatEvent(ROOM, 'room lookup fails'));
    await until(() => [...shared, plain].every((client) => client.of('op').length === 2), 5000, 'the second event');
    for (const queue of source.queues) queue.fail(new Error('feed broke'));
    for (const client of [...shared, plain]) await client.waitFor((frame) => frame.id === 'op' && frame.type !== 'next', 'the end of op');
    for (const client of [...shared, plain]) await client.waitFor((frame) => frame.id === 'bad' && frame.type === 'complete', 'the end of bad');

    const expected = plain.textsOf('op');
    expect(expected.map((text) => (JSON.parse(text) as Frame).type)).toEqual(['next', 'next', 'error']);
    expect(JSON.parse(expected[1] as string).payload.errors).toHaveLength(1);
    for (const client of shared) {
      expect(client.textsOf('op')).toEqual(expected);
      expect(client.textsOf('bad')).toEqual(plain.textsOf('bad'));
    }
    expect(plain.textsOf('bad').map((text) => (JSON.parse(text) as Frame).type)).toEqual(['next', 'complete']);
    expect(test.app.ws.fanout().groups).toBe(0);
  });
});
