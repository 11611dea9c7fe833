// issue 13 proof, the other half of "none is lost": when a room moves off a refused pair and
// Douyin can no longer resend what it sent meanwhile (its backlog here holds 10 messages), the
// subscriber gets one StreamGapEvent at the place of the loss, then what the backlog still held
// and the live stream, each once; the pool query shows the move.
import { describe, expect, it } from 'vitest';
import { usePoolStack } from './helpers/pool-stack.ts';
import { pairId } from '../../src/collectors/pool/upstream-pool.ts';
import { subscribe, until } from './stack.ts';

const COOKIES = ['sessionid=gap-a', 'sessionid=gap-b'];
const EVENTS = `subscription ($roomId: ID!) {
  roomEvents(roomId: $roomId, types: [CHAT, STREAM_GAP]) { __typename id ... on StreamGapEvent { reason } }
}`;

interface Delivered {
  roomEvents: { __typename: string; id: string; reason?: string };
}

const running = usePoolStack(COOKIES, { sim: { backlogSize: 10, rooms: [{ duplicateChatRate: 0 }] } });

describe('a pool move Douyin cannot fully resend', () => {
  it('says what was lost with one StreamGapEvent, then delivers the rest once', async () => {
    const room = running.stack.sim.liveRooms()[0]!;
    const sub = subscribe<Delivered>(running.stack.wsClient(), EVENTS, { roomId: room.id });
    await until(() => running.stack.sim.connections().some((c) => c.roomId === room.id && !c.closed && c.heartbeatsReceived > 0), 'the push connection');
    const early = room.emit(5, { kinds: ['chat'] }).map((r) => r.msgId);
    await until(() => sub.results.length >= early.length, 'the first chats');

    const ids = COOKIES.map((cookie) => pairId({ cookie, proxy: null }));
    const pools = await running.pool<{ pairs: { id: string; rooms: string[] }[] }>('{ upstreamPool { pairs { id rooms } } }');
    const first = pools.pairs.find((pair) => pair.rooms.includes(room.id))!.id;
    const refusedCookie = COOKIES[ids.indexOf(first)]!;

    // Two frames reach the gateway, the socket drops, the reconnect through this pair's cookie
    // is refused: by the time the other pair resumes, the backlog holds only the last 10.
    running.stack.sim.injectFault({ target: { cookie: refusedCookie }, fault: { kind: 'refuse-handshake' } });
    const connection = running.stack.sim.connections().find((c) => c.roomId === room.id && !c.closed)!;
    running.stack.sim.injectFault({ target: { connectionId: connection.id }, fault: { kind: 'drop-after-frames', frames: 2 }, times: 1 });
    const during = room.emit(40, { kinds: ['chat'], perFrame: 5 }).map((r) => r.msgId);
    const kept = during.slice(-10);
    await until(() => kept.every((id) => sub.results.some((r) => r.roomEvents.id === id)), 'what the backlog still held', 15_000);
    const late = room.emit(4, { kinds: ['chat'] }).map((r) => r.msgId);
    await until(() => late.every((id) => sub.results.some((r) => r.roomEvents.id === id)), 'the live stream', 15_000);

    const delivered = sub.results.map((r) => r.roomEvents);
    const gaps = delivered.filter((event) => event.__typename === 'StreamGapEvent');
    expect(gaps).toHaveLength(1);
    expect(gaps[0]!.reason).toMatch(/resume|resend/);
    const gapAt = delivered.indexOf(gaps[0]!);
    const chats = delivered.filter((event) => event.__typename === 'ChatEvent').map((event) => event.id);
    expect(new Set(chats).size).toBe(chats.length);
    // Before the gap: a prefix of what was sent; after it: the backlog, then the live stream.
    const before = delivered.slice(0, gapAt).map((event) => event.id);
    expect(before).toEqual([...early, ...during].slice(0, before.length));
    expect(before.length).toBeLessThan(early.length + during.length - kept.length);
    expect(delivered.slice(gapAt + 1).map((event) => event.id)).toEqual([...kept, ...late]);
    expect(running.stack.sim.connections().at(-1)!.resume).toBe('partial');

    const after = await running.pool<{ pairs: { id: string; state: string; rooms: string[] }[] }>('{ upstreamPool { pairs { id state rooms } } }');
    expect(after.pairs.find((pair) => pair.id === first)).toMatchObject({ state: 'QUARANTINED', rooms: [] });
    expect(after.pairs.find((pair) => pair.id !== first)).toMatchObject({ state: 'HEALTHY', rooms: [room.id] });
    sub.stop();
  });
});
