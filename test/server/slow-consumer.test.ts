// The slow-consumer policy over real sockets, with the room feed's real bounded queue: a
// subscriber whose queue overflows gets one final SLOW_CONSUMER result, then SSE ends its stream
// and graphql-ws closes the socket with 4008 and a reason that says how to recover; a client
// that stops reading is closed once its socket buffer passes the bound; nothing else is touched.
import type { ExecutionResult, GraphQLError } from 'graphql';
import { afterEach, describe, expect, it } from 'vitest';
import type { RoomEvent } from '../../src/domain/events.ts';
import type { RoomEventSource, RoomEventSubscription } from '../../src/schema/context.ts';
import { ServerCloseCode } from '../../src/server/graphql-ws.ts';
import { endOnSlowConsumer, isSlowConsumerFailure, SLOW_CONSUMER_REASON, SlowConsumerError } from '../../src/live/slow-consumer.ts';
import { QueueSource } from '../live/queue-source.ts';
import { RawWsClient } from '../auth/ws-client.ts';
import { chatEvent, roomIdFor } from '../schema/fakes.ts';
import { until } from '../schema/run.ts';
import { createTestApp, type TestApp } from './helpers.ts';

const ROOM = roomIdFor(1);
const LIMIT = 5;
const EVENTS = `subscription ($roomId: ID!) { roomEvents(roomId: $roomId) { __typename id ... on ChatEvent { content } } }`;

function chats(count: number, tag: string): RoomEvent[] {
  return Array.from({ length: count }, (_, i) => chatEvent(ROOM, `${tag} ${i}`));
}

let running: TestApp | null = null;
const clients: RawWsClient[] = [];
afterEach(async () => {
  for (const client of clients.splice(0)) client.close();
  await running?.app.stop();
  running = null;
});

async function start(options: { maxSocketBufferedBytes?: number } = {}) {
  const source = new QueueSource(LIMIT);
  running = createTestApp({ services: (services) => ({ ...services, events: source }), build: options });
  const { url } = await running.app.start(0, '127.0.0.1');
  return { test: running, source, url, wsUrl: url.replace(/^http/, 'ws') };
}

async function wsSubscriber(wsUrl: string, id: string): Promise<RawWsClient> {
  const client = await RawWsClient.open(wsUrl);
  clients.push(client);
  await client.init({});
  client.send({ type: 'subscribe', id, payload: { query: EVENTS, variables: { roomId: ROOM } } });
  return client;
}

describe('endOnSlowConsumer', () => {
  async function* failing(error: unknown) {
    yield { data: { n: 1 } };
    throw error;
  }

  it('turns the feed\'s SlowConsumerError, however wrapped, into one final coded result', async () => {
    let cutOffs = 0;
    const wrapped = Object.assign(new Error('wrapped'), { originalError: new SlowConsumerError(LIMIT) });
    const stream = endOnSlowConsumer(failing(wrapped), () => (cutOffs += 1));
    expect(await stream.next()).toEqual({ done: false, value: { data: { n: 1 } } });
    const last = await stream.next();
    expect(last.done).toBe(false);
    expect(last.value?.errors?.map((error: GraphQLError) => error.extensions.code)).toEqual(['SLOW_CONSUMER']);
    expect(await stream.next()).toEqual({ done: true, value: undefined });
    expect(cutOffs).toBe(1);
  });

  it('lets every other failure through unchanged', async () => {
    const boom = new Error('boom');
    const stream = endOnSlowConsumer(failing(boom));
    await stream.next();
    await expect(stream.next()).rejects.toBe(boom);
    expect(isSlowConsumerFailure(boom)).toBe(false);
  });

  it('passes return() on to the source', async () => {
    let returned = false;
    const source: AsyncIterable<ExecutionResult> = {
      [Symbol.asyncIterator]: () => ({
        next: () => new Promise(() => undefined),
        return: async () => {
          returned = true;
          return { done: true, value: undefined };
        },
      }),
    };
    await endOnSlowConsumer(source).return?.();
    expect(returned).toBe(true);
  });
});

describe('graphql-ws', () => {
  it('sends SLOW_CONSUMER, closes the socket with 4008 and its reason, and leaves other sockets alone', async () => {
    const { test, source, wsUrl } = await start();
    const slow = await wsSubscriber(wsUrl, 'slow');
    await until(() => source.open() === 1, 5000, 'the first subscription');
    // Overflow only the first subscriber's queue: the second subscribes afterwards.
    source.emit(chats(LIMIT + 2, 'burst'));
    const healthy = await wsSubscriber(wsUrl, 'healthy');
    await until(() => source.open() === 1 && source.queues.length === 2, 5000, 'the second subscription');

    const delivered = await slow.waitForMessage((f) => f.id === 'slow' && f.type === 'next');
    expect(delivered.payload.data.roomEvents.content).toBe('burst 0');
    const final = await slow.waitForMessage((f) => f.id === 'slow' && f.type === 'next');
    expect(final.payload.errors.map((e: { extensions: { code: string } }) => e.extensions.code)).toEqual(['SLOW_CONSUMER']);
    expect(await slow.waitForClose()).toEqual({ code: ServerCloseCode.SlowConsumer, reason: SLOW_CONSUMER_REASON });

    source.emit(chats(2, 'after'));
    const first = await healthy.waitForMessage((f) => f.id === 'healthy' && f.type === 'next');
    const second = await healthy.waitForMessage((f) => f.id === 'healthy' && f.type === 'next');
    expect([first, second].map((f) => f.payload.data.roomEvents.content)).toEqual(['after 0', 'after 1']);

    await until(() => test.fakes.rooms.active().length === 1, 5000, 'the slow subscriber\'s room watch to be released');
    const metrics = await test.app.metrics.render();
    expect(metrics).toContain('douyin_gateway_slow_consumers_total{transport="graphql-ws",reason="queue"} 1');
    expect(test.app.ws.stats().slowConsumerCloses).toBe(1);
  });

  it('closes a client whose socket buffer passes the bound with 4008, ending its operations at once', async () => {
    const { test, source, wsUrl } = await start({ maxSocketBufferedBytes: 64 * 1024 });
    const client = await wsSubscriber(wsUrl, 'a');
    await until(() => source.open() === 1, 5000, 'the subscription');
    client.pause();
    // The client reads nothing more: the kernel buffers fill, then the socket's own buffer.
    const bulky = 'x'.repeat(4000);
    for (let round = 0; test.app.ws.stats().slowConsumerCloses === 0; round += 1) {
      if (round > 20_000) throw new Error('the paused client was never cut off');
      source.emit(chats(4, bulky));
      await new Promise((resolve) => setImmediate(resolve));
    }
    // Its operation ended server-side without waiting for the client.
    await until(() => source.open() === 0, 5000, 'the subscription to end');
    expect(test.fakes.rooms.active()).toEqual([]);
    expect(test.app.ws.stats().peakBufferedBytes).toBeLessThanOrEqual(64 * 1024 + 8 * 1024);
    client.resume();
    expect(await client.waitForClose()).toEqual({ code: ServerCloseCode.SlowConsumer, reason: SLOW_CONSUMER_REASON });
    expect(await test.app.metrics.render()).toContain('douyin_gateway_slow_consumers_total{transport="graphql-ws",reason="socket"} 1');
  });
});

describe('SSE', () => {
  it('ends the stream with a SLOW_CONSUMER event, then complete', async () => {
    const { test, source, url } = await start();
    const response = await fetch(url, {
      method: 'POST',
      headers: { 'content-type': 'application/json', accept: 'text/event-stream' },
      body: JSON.stringify({ query: EVENTS, variables: { roomId: ROOM } }),
    });
    expect(response.status).toBe(200);
    await until(() => source.open() === 1, 5000, 'the SSE subscription');
    source.emit(chats(LIMIT + 2, 'burst'));
    const text = await response.text();
    const events = [...text.matchAll(/^event: (\w+)\ndata: ?(.*)$/gm)].map(([, type, data]) => ({ type, data }));
    expect(events.map((event) => event.type)).toEqual(['next', 'next', 'complete']);
    expect(JSON.parse(events[0]!.data!).data.roomEvents.content).toBe('burst 0');
    expect(JSON.parse(events[1]!.data!).errors.map((e: { extensions: { code: string } }) => e.extensions.code)).toEqual(['SLOW_CONSUMER']);
    await until(() => test.fakes.rooms.active().length === 0, 5000, 'the room watch to be released');
    expect(await test.app.metrics.render()).toContain('douyin_gateway_slow_consumers_total{transport="sse",reason="queue"} 1');
  });
});
