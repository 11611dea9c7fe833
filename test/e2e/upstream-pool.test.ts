// issue 13 proof for the pool: the gateway reaches the simulator through two cookies
// (DOUYIN_COOKIES); when the simulator refuses the room's cookie at the push handshake (as
// Douyin does, status 415), that pair is quarantined and the room moves to the other pair,
// resuming from its cursor so no chat is lost or doubled; the upstreamPool query, the metrics
// and /ready say so, and with both pairs refused the room reports UPSTREAM_DEGRADED.
import { describe, expect, it } from 'vitest';
import { pairId } from '../../src/collectors/pool/upstream-pool.ts';
import { usePoolStack } from './helpers/pool-stack.ts';
import { subscribe, until } from './stack.ts';

const COOKIES = ['sessionid=pool-a; uid_tt=ua', 'sessionid=pool-b; uid_tt=ub'];
const SESSION = ['sessionid=pool-a', 'sessionid=pool-b'];
const POOL = `{ upstreamPool { degraded healthy pairs { id cookie proxy state quarantinedUntil lastFailure rooms calls quarantines } } }`;
const CHATS = `subscription ($roomId: ID!) { roomEvents(roomId: $roomId, types: [CHAT]) { id } }`;

interface PoolAnswer {
  upstreamPool: {
    degraded: boolean;
    healthy: number;
    pairs: { id: string; cookie: string; proxy: string | null; state: string; quarantinedUntil: string | null; lastFailure: string | null; rooms: string[]; calls: number; quarantines: number }[];
  };
}

const running = usePoolStack(COOKIES);

const pool = () => running.pool<PoolAnswer['upstreamPool']>(POOL);

const ids = COOKIES.map((cookie) => pairId({ cookie, proxy: null }));

describe('the upstream pool, end to end', () => {
  it('moves a room off a refused pair without losing a chat, and reports UPSTREAM_DEGRADED when none is left', async () => {
    const room = running.stack.sim.liveRooms()[0]!;
    const sub = subscribe<{ roomEvents: { id: string } }>(running.stack.wsClient(), CHATS, { roomId: room.id });
    await until(() => running.stack.sim.connections().some((c) => c.roomId === room.id && !c.closed && c.heartbeatsReceived > 0), 'the push connection');
    const before = await pool();
    expect(before.pairs.map((p) => p.cookie)).toEqual(['sessionid=***; uid_tt=***', 'sessionid=***; uid_tt=***']);
    const first = before.pairs.find((p) => p.rooms.includes(room.id))!;
    const firstIndex = ids.indexOf(first.id);
    expect(firstIndex).toBeGreaterThanOrEqual(0);

    const early = room.emit(5, { kinds: ['chat'] }).filter((r) => !r.duplicate);
    await until(() => sub.results.length >= early.length, 'the first chats');

    // Douyin stops letting this cookie in; the socket drops, and the reconnect is refused.
    running.stack.sim.injectFault({ target: { cookie: SESSION[firstIndex]! }, fault: { kind: 'refuse-handshake' } });
    const connection = running.stack.sim.connections().find((c) => c.roomId === room.id && !c.closed)!;
    running.stack.sim.injectFault({ target: { connectionId: connection.id }, fault: { kind: 'drop-after-frames', frames: 1 }, times: 1 });
    const during = room.emit(12, { kinds: ['chat'], perFrame: 3 }).filter((r) => !r.duplicate);
    await until(async () => (await pool()).pairs.some((p) => p.id !== first.id && p.rooms.includes(room.id)), 'the room on the other pair', 15_000);
    const late = room.emit(4, { kinds: ['chat'] }).filter((r) => !r.duplicate);
    const sent = [...early, ...during, ...late].map((r) => r.msgId);
    await until(() => sub.results.length >= sent.length, () => `every chat (${sub.results.length}/${sent.length})`, 15_000);
    expect(sub.results.map((r) => r.roomEvents.id)).toEqual(sent);

    const after = await pool();
    const refused = after.pairs.find((p) => p.id === first.id)!;
    expect(refused).toMatchObject({ state: 'QUARANTINED', quarantines: 1, rooms: [] });
    expect(refused.lastFailure).toMatch(/handshake refused/);
    expect(Date.parse(refused.quarantinedUntil!)).toBeGreaterThan(Date.now() + 500_000);
    expect(after).toMatchObject({ degraded: false, healthy: 1 });
    // The refused cookie is not sent again: the handshakes after the refusal carry the other one.
    const metrics = await running.stack.metrics.render();
    expect(metrics).toContain(`douyin_gateway_upstream_pool_quarantines_total{pair="${first.id}"} 1`);
    expect(metrics).toContain(`douyin_gateway_upstream_pool_room_moves_total{pair="${first.id}"} 1`);
    expect(metrics).toContain(`douyin_gateway_upstream_pool_pair_healthy{pair="${first.id}"} 0`);
    expect(metrics).toMatch(new RegExp(`douyin_gateway_upstream_pool_pair_rooms\\{pair="${ids[1 - firstIndex]}"\\} 1`));
    expect(running.stack.logs.lines.some((line) => line.msg === 'upstream pool pair quarantined' && line.pair === first.id)).toBe(true);

    // The other cookie is refused too: nothing is left to move to.
    running.stack.sim.injectFault({ target: { cookie: SESSION[1 - firstIndex]! }, fault: { kind: 'refuse-handshake' } });
    const second = running.stack.sim.connections().find((c) => c.roomId === room.id && !c.closed)!;
    running.stack.sim.injectFault({ target: { connectionId: second.id }, fault: { kind: 'drop-after-frames', frames: 1 }, times: 1 });
    room.emit(1, { kinds: ['chat'] });
    await until(() => running.stack.gateway.supervisor.connectionState(room.id) === 'UPSTREAM_DEGRADED', 'UPSTREAM_DEGRADED', 15_000);
    expect((await pool()).degraded).toBe(true);
    const ready = await fetch(running.stack.url.replace(/\/graphql$/, '/ready'));
    const body = (await ready.json()) as { checks: { name: string; state?: string; degraded?: boolean }[] };
    expect(ready.status).toBe(200);
    expect(body.checks.find((c) => c.name === 'upstream')).toMatchObject({ state: 'UPSTREAM_DEGRADED', degraded: true });
    sub.stop();
  });
});
