// issue 13: a heartbeat-only session quarantines its pair, after DOUYIN_POOL_SILENT_MS. Through
// the whole gateway: the simulator answers heartbeats but its room sends nothing (no traffic is
// driven), so each pair in turn is judged hollow and the room ends UPSTREAM_DEGRADED; with
// messages flowing the same pair would have been kept (the unit tests in
// test/collectors/pool/session-watch.test.ts judge both sides).
import { describe, expect, it } from 'vitest';
import { usePoolStack } from './helpers/pool-stack.ts';
import { subscribe, until } from './stack.ts';

const COOKIES = ['sessionid=quiet-a', 'sessionid=quiet-b'];

const running = usePoolStack(COOKIES, { env: { DOUYIN_POOL_SILENT_MS: '1000' } });

describe('DOUYIN_POOL_SILENT_MS', () => {
  it('quarantines the pair of a live session that brings only heartbeat replies', async () => {
    const room = running.stack.sim.liveRooms()[0]!;
    const sub = subscribe(running.stack.wsClient(), `subscription ($roomId: ID!) { roomEvents(roomId: $roomId, types: [CHAT]) { id } }`, { roomId: room.id });
    await until(() => running.stack.gateway.supervisor.connectionState(room.id) === 'UPSTREAM_DEGRADED', 'both pairs judged hollow', 20_000);
    const answer = await running.pool<{ degraded: boolean; pairs: { state: string; lastFailure: string }[] }>('{ upstreamPool { degraded pairs { state lastFailure } } }');
    expect(answer.degraded).toBe(true);
    for (const pair of answer.pairs) {
      expect(pair).toMatchObject({ state: 'QUARANTINED', lastFailure: expect.stringMatching(/^heartbeat-only session/) });
    }
    // Each pair's session was live and answered heartbeats before it was judged.
    expect(running.stack.sim.connections().filter((c) => c.roomId === room.id && c.heartbeatsAnswered > 0).length).toBeGreaterThanOrEqual(2);
    sub.stop();
  });
});
