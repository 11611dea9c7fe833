import type { ExecutionResult } from 'graphql';
import { describe, expect, it } from 'vitest';
import { encodeCursor } from '../../src/store/cursor.ts';
import { chatEvent, contextFor, createFakes, giftEvent, likeEvent, makeRoom, roomIdFor, webRidFor } from './fakes.ts';
import { errorCodes, runSubscription, until } from './run.ts';

const ROOM = roomIdFor(1);

const EVENTS = `subscription ($roomId: ID!, $types: [RoomEventType!], $after: String) {
  roomEvents(roomId: $roomId, types: $types, after: $after) {
    __typename id type
    ... on ChatEvent { content }
    ... on LikeEvent { count total }
    ... on GiftEvent { phase totalCount gift { name } }
  }
}`;

async function openStream(result: AsyncGenerator<ExecutionResult> | ExecutionResult): Promise<AsyncGenerator<ExecutionResult>> {
  if (!(Symbol.asyncIterator in result)) throw new Error(`expected a stream, got ${JSON.stringify(result)}`);
  return result;
}

async function take(stream: AsyncGenerator<ExecutionResult>, n: number): Promise<ExecutionResult[]> {
  const results: ExecutionResult[] = [];
  while (results.length < n) {
    const next = await stream.next();
    if (next.done) break;
    results.push(next.value);
  }
  return results;
}

describe('roomEvents', () => {
  it('delivers the source\'s events in order, each once, and watches the room while subscribed', async () => {
    const fakes = createFakes([makeRoom(1)]);
    const stream = await openStream(await runSubscription(contextFor(fakes), EVENTS, { roomId: ROOM }));
    expect(fakes.rooms.active()).toEqual([ROOM]);
    expect(fakes.observer.subscribers.get(ROOM)).toBe(1);

    const sent = [chatEvent(ROOM, 'hello'), likeEvent(ROOM, 3, 40), giftEvent(ROOM, 1), chatEvent(ROOM, 'bye')];
    for (const event of sent) fakes.events.emit(ROOM, event);
    const received = await take(stream, 4);

    expect(received.map((r) => (r.data as { roomEvents: { id: string } }).roomEvents.id)).toEqual(sent.map((e) => e.id));
    expect(received[0]?.data).toEqual({ roomEvents: { __typename: 'ChatEvent', id: sent[0]?.id, type: 'CHAT', content: 'hello' } });
    expect(received[2]?.data).toMatchObject({ roomEvents: { __typename: 'GiftEvent', phase: 'STARTED', gift: { name: '玫瑰' } } });
    expect(fakes.observer.delivered).toBe(4);

    await stream.return(undefined);
    expect(fakes.rooms.active()).toEqual([]);
    expect(fakes.events.open()).toBe(0);
    expect(fakes.observer.subscribers.get(ROOM)).toBe(0);
  });

  it('asks the live source for the types, which it filters (test/live/room-feed.test.ts), and delivers what it passes', async () => {
    const fakes = createFakes([makeRoom(1)]);
    const stream = await openStream(await runSubscription(contextFor(fakes), EVENTS, { roomId: ROOM, types: ['LIKE', 'GIFT'] }));
    expect(fakes.events.subscriptions[0]?.options.types).toEqual(['LikeEvent', 'GiftEvent']);

    const like = likeEvent(ROOM, 1, 1);
    const gift = giftEvent(ROOM, 2);
    for (const event of [chatEvent(ROOM, 'x'), like, chatEvent(ROOM, 'y'), gift]) fakes.events.emit(ROOM, event);
    const received = await take(stream, 2);
    expect(received.map((r) => (r.data as { roomEvents: { id: string } }).roomEvents.id)).toEqual([like.id, gift.id]);
    await stream.return(undefined);
  });

  it('releases the room at once when the subscriber leaves while waiting for an event', async () => {
    const fakes = createFakes([makeRoom(1)]);
    const stream = await openStream(await runSubscription(contextFor(fakes), EVENTS, { roomId: ROOM }));
    const pending = stream.next();
    await until(() => fakes.events.subscriptions.length === 1);
    await stream.return(undefined);
    expect(fakes.rooms.active()).toEqual([]);
    expect(fakes.events.subscriptions[0]?.options.signal.aborted).toBe(true);
    await expect(pending).resolves.toMatchObject({ done: true });
  });

  it('releases the room when the source ends', async () => {
    const fakes = createFakes([makeRoom(1)]);
    const stream = await openStream(await runSubscription(contextFor(fakes), EVENTS, { roomId: ROOM }));
    const pending = stream.next();
    fakes.events.subscriptions[0]?.channel.end();
    await expect(pending).resolves.toMatchObject({ done: true });
    expect(fakes.rooms.active()).toEqual([]);
  });

  it('accepts a web_rid and watches that anchor\'s current room_id', async () => {
    const fakes = createFakes([makeRoom(1)]);
    const stream = await openStream(await runSubscription(contextFor(fakes), EVENTS, { roomId: webRidFor(1) }));
    expect(fakes.rooms.active()).toEqual([ROOM]);
    expect(fakes.events.subscriptions[0]?.roomId).toBe(ROOM);
    await stream.return(undefined);
  });

  it('passes a resume cursor of the same room to the source', async () => {
    const fakes = createFakes([makeRoom(1)]);
    const after = encodeCursor(ROOM, 41);
    const stream = await openStream(await runSubscription(contextFor(fakes), EVENTS, { roomId: ROOM, after }));
    expect(fakes.events.subscriptions[0]?.options.after).toBe(after);
    await stream.return(undefined);
  });

  const refused: [string, Record<string, unknown>, string, { history?: boolean }][] = [
    ['a malformed room id', { roomId: 'room-1' }, 'BAD_USER_INPUT', {}],
    ['a malformed cursor', { roomId: ROOM, after: 'not a cursor' }, 'BAD_USER_INPUT', {}],
    ['another room\'s cursor', { roomId: ROOM, after: encodeCursor(roomIdFor(2), 5) }, 'BAD_USER_INPUT', {}],
    ['a cursor without an event store', { roomId: ROOM, after: encodeCursor(ROOM, 5) }, 'HISTORY_DISABLED', { history: false }],
  ];

  it.each(refused)('refuses %s before watching anything', async (_label, variables, code, options) => {
    const fakes = createFakes([makeRoom(1)]);
    const result = await runSubscription(contextFor(fakes, options), EVENTS, variables);
    expect(Symbol.asyncIterator in result).toBe(false);
    expect(errorCodes(result as ExecutionResult)).toEqual([code]);
    expect(fakes.rooms.watches).toEqual([]);
    expect(fakes.events.subscriptions).toEqual([]);
  });

  it('reports an unknown web_rid as ROOM_NOT_FOUND', async () => {
    const fakes = createFakes([makeRoom(1)]);
    const { roomNotFound } = await import('../../src/collectors/errors.ts');
    fakes.douyin.failures.set('roomByWebRid', () => roomNotFound('x'));
    const result = (await runSubscription(contextFor(fakes), EVENTS, { roomId: webRidFor(9) })) as ExecutionResult;
    expect(errorCodes(result)).toEqual(['ROOM_NOT_FOUND']);
    expect(fakes.rooms.watches).toEqual([]);
  });

  it('loads fresh data for every event: loaders are reset between events', async () => {
    const fakes = createFakes([makeRoom(1)]);
    const stream = await openStream(
      await runSubscription(contextFor(fakes), `subscription ($r: ID!) { roomEvents(roomId: $r) { id room { title isLive } } }`, { r: ROOM }),
    );
    fakes.events.emit(ROOM, chatEvent(ROOM, 'a'));
    const [first] = await take(stream, 1);
    expect(first?.data).toMatchObject({ roomEvents: { room: { title: 'room 1', isLive: true } } });

    fakes.douyin.rooms.set(ROOM, makeRoom(1, { title: 'renamed', status: 'ENDED' }));
    fakes.events.emit(ROOM, chatEvent(ROOM, 'b'));
    const [second] = await take(stream, 1);
    expect(second?.data).toMatchObject({ roomEvents: { room: { title: 'renamed', isLive: false } } });
    expect(fakes.douyin.count('roomByRoomId')).toBe(2);
    expect(fakes.douyin.count('liveStatus')).toBe(2);
    await stream.return(undefined);
  });
});

describe('roomStatus', () => {
  const STATUS = `subscription ($ids: [ID!]!) { roomStatus(roomIds: $ids) { roomId at connectionState status reason } }`;

  it('watches every room (once each) and passes changes through', async () => {
    const fakes = createFakes([makeRoom(1), makeRoom(2)]);
    const stream = await openStream(await runSubscription(contextFor(fakes), STATUS, { ids: [ROOM, roomIdFor(2), ROOM] }));
    expect(fakes.rooms.active().sort()).toEqual([ROOM, roomIdFor(2)].sort());

    fakes.statusChanges.emit({ roomId: roomIdFor(2), anchor: null, at: Date.UTC(2026, 8, 27), connectionState: 'LIVE', status: 'LIVE', reason: null });
    const [change] = await take(stream, 1);
    expect(change?.data).toEqual({
      roomStatus: { roomId: roomIdFor(2), at: '2026-09-27T00:00:00.000Z', connectionState: 'LIVE', status: 'LIVE', reason: null },
    });
    await stream.return(undefined);
    expect(fakes.rooms.active()).toEqual([]);
    expect(fakes.statusChanges.subscriptions[0]?.signal.aborted).toBe(true);
  });

  it.each([[[]], [['nope']]])('refuses %j', async (ids) => {
    const fakes = createFakes();
    const result = (await runSubscription(contextFor(fakes), STATUS, { ids })) as ExecutionResult;
    expect(errorCodes(result)).toEqual(['BAD_USER_INPUT']);
    expect(fakes.rooms.watches).toEqual([]);
  });
});
