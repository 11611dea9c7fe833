import { createClient, type Client } from 'graphql-ws';
import { afterEach, describe, expect, it } from 'vitest';
import WebSocket from 'ws';
import type { RoomEvent } from '../../src/domain/events.ts';
import { chatEvent, giftEvent, likeEvent, roomIdFor } from '../schema/fakes.ts';
import { until } from '../schema/run.ts';
import { createTestApp, type TestApp } from './helpers.ts';

const ROOM = roomIdFor(1);
const EVENTS = `subscription ($roomId: ID!, $types: [RoomEventType!]) {
  roomEvents(roomId: $roomId, types: $types) { __typename id ... on ChatEvent { content } ... on LikeEvent { count } }
}`;

let running: TestApp | null = null;
const clients: Client[] = [];

async function startApp(): Promise<{ test: TestApp; url: string; wsUrl: string }> {
  running = createTestApp();
  const { url } = await running.app.start(0, '127.0.0.1');
  return { test: running, url, wsUrl: url.replace(/^http/, 'ws') };
}

function wsClient(url: string, onClose?: (code: number) => void): Client {
  const client = createClient({
    url,
    webSocketImpl: WebSocket,
    retryAttempts: 0,
    lazy: true,
    on: onClose === undefined ? undefined : { closed: (event) => onClose((event as { code: number }).code) },
  });
  clients.push(client);
  return client;
}

afterEach(async () => {
  for (const client of clients.splice(0)) await client.dispose();
  await running?.app.stop();
  running = null;
});

type Result = { data?: { roomEvents: { __typename: string; id: string } }; errors?: { extensions?: { code?: string } }[] };

function collect(client: Client, variables: Record<string, unknown>) {
  const results: Result[] = [];
  let completed = false;
  let error: unknown = null;
  const unsubscribe = client.subscribe<Result['data']>(
    { query: EVENTS, variables },
    {
      next: (value) => results.push(value as Result),
      error: (e) => {
        error = e;
        completed = true;
      },
      complete: () => (completed = true),
    },
  );
  return { results, unsubscribe, isDone: () => completed, error: () => error };
}

describe('graphql-ws', () => {
  it('delivers the source\'s events in order, each once, filtered by type, and frees the room on unsubscribe', async () => {
    const { test, wsUrl } = await startApp();
    const sub = collect(wsClient(wsUrl), { roomId: ROOM, types: ['CHAT', 'LIKE'] });
    await until(() => test.fakes.events.open(ROOM) === 1, 5000, 'the subscription to reach the source');

    const sent: RoomEvent[] = [chatEvent(ROOM, 'one'), giftEvent(ROOM, 1), likeEvent(ROOM, 5, 5), chatEvent(ROOM, 'two'), giftEvent(ROOM, 2)];
    for (const event of sent) test.fakes.events.emit(ROOM, event);
    const expected = sent.filter((e) => e.type !== 'GiftEvent').map((e) => e.id);
    await until(() => sub.results.length >= expected.length, 5000, 'events over the socket');

    expect(sub.results.map((r) => r.data?.roomEvents.id)).toEqual(expected);
    expect(sub.results[0]?.data?.roomEvents).toEqual({ __typename: 'ChatEvent', id: sent[0]?.id, content: 'one' });

    const metrics = await test.app.metrics.render();
    expect(metrics).toContain(`douyin_gateway_subscribers{room_id="${ROOM}"} 1`);
    // Every delivered event is timed, filtered ones are not.
    expect(metrics).toContain(`douyin_gateway_event_lag_seconds_count ${expected.length}`);

    sub.unsubscribe();
    await until(() => test.fakes.rooms.active().length === 0, 5000, 'the room to be released');
    expect(test.fakes.events.open(ROOM)).toBe(0);
    // A room without subscribers keeps no series (room_id labels stay bounded).
    expect(await test.app.metrics.render()).not.toContain(`douyin_gateway_subscribers{room_id="${ROOM}"}`);
  });

  it('fans one source out to two sockets independently', async () => {
    const { test, wsUrl } = await startApp();
    const a = collect(wsClient(wsUrl), { roomId: ROOM });
    const b = collect(wsClient(wsUrl), { roomId: ROOM, types: ['LIKE'] });
    await until(() => test.fakes.events.open(ROOM) === 2, 5000, 'two subscriptions');
    test.fakes.events.emit(ROOM, chatEvent(ROOM, 'x'));
    test.fakes.events.emit(ROOM, likeEvent(ROOM, 1, 1));
    await until(() => a.results.length === 2 && b.results.length === 1, 5000, 'both subscribers');
    expect(b.results[0]?.data?.roomEvents.__typename).toBe('LikeEvent');
  });

  it('sends coded errors for a bad room id, without watching anything', async () => {
    const { test, wsUrl } = await startApp();
    const sub = collect(wsClient(wsUrl), { roomId: 'not-a-room' });
    await until(sub.isDone, 5000, 'the subscription to fail');
    const errors = sub.error() as { extensions?: { code?: string } }[] | null;
    const codes = Array.isArray(errors) ? errors.map((e) => e.extensions?.code) : sub.results.flatMap((r) => r.errors?.map((e) => e.extensions?.code) ?? []);
    expect(codes).toEqual(['BAD_USER_INPUT']);
    expect(test.fakes.rooms.watches).toEqual([]);
  });

  it('refuses an invalid document with validation errors', async () => {
    const { wsUrl } = await startApp();
    const client = wsClient(wsUrl);
    const error = await new Promise<unknown>((resolve) => {
      client.subscribe({ query: 'subscription { roomEvents(roomId: "1") { nope } }' }, { next: () => undefined, error: resolve, complete: () => resolve(null) });
    });
    expect(Array.isArray(error)).toBe(true);
    expect(JSON.stringify(error)).toContain('nope');
  });

  it('stop() closes live sockets with 1012 (service restart: resume elsewhere) and releases their rooms', async () => {
    const { test, wsUrl } = await startApp();
    const closeCodes: number[] = [];
    const sub = collect(wsClient(wsUrl, (code) => closeCodes.push(code)), { roomId: ROOM });
    await until(() => test.fakes.events.open(ROOM) === 1, 5000, 'the subscription');

    await test.app.stop();
    await until(() => closeCodes.length === 1, 5000, 'the client to see the close');
    expect(closeCodes).toEqual([1012]);
    expect(test.fakes.rooms.active()).toEqual([]);
    expect(sub.isDone()).toBe(true);
  });
});

describe('SSE', () => {
  it('streams a subscription over plain HTTP', async () => {
    const { test, url } = await startApp();
    const controller = new AbortController();
    const response = await fetch(url, {
      method: 'POST',
      headers: { 'content-type': 'application/json', accept: 'text/event-stream' },
      body: JSON.stringify({ query: EVENTS, variables: { roomId: ROOM } }),
      signal: controller.signal,
    });
    expect(response.status).toBe(200);
    expect(response.headers.get('content-type')).toContain('text/event-stream');

    await until(() => test.fakes.events.open(ROOM) === 1, 5000, 'the SSE subscription to reach the source');
    const sent = [chatEvent(ROOM, 'over sse'), likeEvent(ROOM, 2, 9)];
    for (const event of sent) test.fakes.events.emit(ROOM, event);

    const reader = response.body!.getReader();
    const decoder = new TextDecoder();
    let text = '';
    const deadline = Date.now() + 5000;
    while ((text.match(/^data: /gm) ?? []).length < 2 && Date.now() < deadline) {
      const { value, done } = await reader.read();
      if (done) break;
      text += decoder.decode(value, { stream: true });
    }
    const payloads = [...text.matchAll(/^data: (.*)$/gm)].map(([, json]) => JSON.parse(json as string) as Result);
    expect(payloads.map((p) => p.data?.roomEvents.id)).toEqual(sent.map((e) => e.id));

    controller.abort();
    await reader.cancel().catch(() => undefined);
    await until(() => test.fakes.rooms.active().length === 0, 5000, 'the room to be released after the client left');
  });
});
