// issue 5 proof: a graphql-ws client subscribed to roomEvents receives the simulator's messages
// for that room, in order, each once, filtered by type when asked; N subscribers, one upstream.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startStack, subscribe, until, type Stack } from './stack.ts';
import { watchMadeUpRooms } from './helpers/made-up-rooms.ts';

const ROOM_EVENTS = `subscription ($roomId: ID!, $types: [RoomEventType!]) {
  roomEvents(roomId: $roomId, types: $types) {
    __typename id cursor
    ... on ChatEvent { content user { id nickname } }
    ... on ConnectionStateEvent { state }
  }
}`;

type EventData = { roomEvents: { __typename: string; id: string; cursor: string | null; content?: string; state?: string } };

describe('roomEvents end to end over the simulator', () => {
  let stack: Stack;
  beforeAll(async () => {
    // The made-up rooms test resolves 500 ids: the politeness rate would make that 100 s.
    stack = await startStack({ env: { UPSTREAM_RATE_PER_SEC: '10000', UPSTREAM_RATE_BURST: '10000' } });
  });
  afterAll(async () => {
    await stack?.close();
  });

  it('delivers every message of the room once, in order, with cursors', async () => {
    const room = stack.sim.liveRooms()[0]!;
    const sub = subscribe<EventData>(stack.wsClient(), ROOM_EVENTS, { roomId: room.id });
    await until(() => sub.results.some((r) => r.roomEvents.state === 'LIVE'), 'the room to go LIVE');
    await until(() => stack.sim.connections().some((c) => c.roomId === room.id && c.heartbeatsReceived > 0), 'the push connection');

    const truth = room.emit(300);
    const unique = truth.filter((record) => !record.duplicate);
    const upstream = () => sub.results.map((r) => r.roomEvents).filter((e) => e.__typename !== 'ConnectionStateEvent');
    const ids = new Set(unique.map((record) => record.msgId));
    await until(() => upstream().filter((e) => ids.has(e.id)).length >= ids.size, 'every message');

    const delivered = upstream().filter((e) => ids.has(e.id));
    expect(delivered.map((e) => e.id)).toEqual(unique.map((record) => record.msgId));
    expect(new Set(delivered.map((e) => e.id)).size).toBe(delivered.length);
    expect(delivered.every((e) => typeof e.cursor === 'string' && e.cursor.length > 0)).toBe(true);
    const chats = unique.filter((record) => record.kind === 'chat');
    const chatEvents = delivered.filter((e) => e.__typename === 'ChatEvent');
    expect(chatEvents.map((e) => e.content)).toEqual(chats.map((record) => record.text));
    sub.stop();
  });

  it('filters by type on the server', async () => {
    const room = stack.sim.liveRooms()[1]!;
    const all = subscribe<EventData>(stack.wsClient(), ROOM_EVENTS, { roomId: room.id });
    const chats = subscribe<EventData>(stack.wsClient(), ROOM_EVENTS, { roomId: room.id, types: ['CHAT'] });
    await until(() => all.results.some((r) => r.roomEvents.state === 'LIVE'), 'the room to go LIVE');
    await until(() => stack.sim.connections().some((c) => c.roomId === room.id && c.heartbeatsReceived > 0), 'the push connection');
    const truth = room.emit(200).filter((record) => !record.duplicate);
    const expectedChats = truth.filter((record) => record.kind === 'chat').map((record) => record.msgId);
    const last = truth.at(-1)!.msgId;
    await until(() => all.results.some((r) => r.roomEvents.id === last), 'the last message');
    await until(() => chats.results.length >= expectedChats.length, 'the chats');
    expect(chats.results.map((r) => r.roomEvents.__typename)).toEqual(expectedChats.map(() => 'ChatEvent'));
    expect(chats.results.map((r) => r.roomEvents.id)).toEqual(expectedChats);
    all.stop();
    chats.stop();
  });

  it('serves 100 subscribers of one room from one upstream connection', async () => {
    const room = stack.sim.liveRooms()[2]!;
    const before = stack.sim.requests({ kind: 'ws' }).filter((r) => r.query.room_id === room.id).length;
    const client = stack.wsClient();
    const subs = Array.from({ length: 100 }, () => subscribe<EventData>(client, ROOM_EVENTS, { roomId: room.id, types: ['CHAT'] }));
    await until(() => stack.gateway.supervisor.connectionState(room.id) === 'LIVE', 'the room to go LIVE');
    await until(() => stack.sim.connections().some((c) => c.roomId === room.id && c.heartbeatsReceived > 0), 'the push connection');
    const chats = room.emit(50, { kinds: ['chat'] }).filter((record) => !record.duplicate);
    await until(() => subs.every((s) => s.results.length >= chats.length), 'all 100 subscribers to receive every chat');
    const handshakes = stack.sim.requests({ kind: 'ws' }).filter((r) => r.query.room_id === room.id).length - before;
    expect(handshakes).toBe(1);
    for (const sub of subs) expect(sub.results.map((r) => r.roomEvents.id)).toEqual(chats.map((record) => record.msgId));
    for (const sub of subs) sub.stop();
  });

  it('leaves no stored row, event or metric series behind for 500 made-up room ids', async () => {
    const { ids: madeUp, stop } = await watchMadeUpRooms(stack, 7_100_000_000_000_000_000n);
    // The series are bounded while they watch.
    const watching = (await stack.app.metrics.render()).split('\n').filter((line) => line.startsWith('douyin_gateway_subscribers{'));
    expect(watching.length).toBeLessThanOrEqual(201);
    expect(watching).toContain('douyin_gateway_subscribers{room_id="_other"} 300');
    stop();
    await until(async () => !(await stack.app.metrics.render()).includes('douyin_gateway_subscribers{room_id="7'), 'the series to go');
    await until(() => madeUp.every((id) => stack.gateway.supervisor.connectionState(id) === null), 'the rooms to be let go', 15_000);

    for (const id of madeUp.slice(0, 50)) expect(await stack.gateway.store.countEvents(id)).toBe(0);
    const stats = await Promise.all(madeUp.map((id) => stack.gateway.store.roomStats(id)));
    expect(stats.every((room) => room.totalMessages === 0)).toBe(true);
    expect(await stack.app.metrics.render()).not.toContain('_other');
  });
});

