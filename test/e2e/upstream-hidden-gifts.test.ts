// issue 13: Douyin's quietest refusal, end to end. The simulator withholds gift and rank
// messages from one logged-in cookie (as Douyin does to a session it distrusts) while chats and
// viewer counts still flow; in a busy room (DOUYIN_POOL_BUSY_VIEWERS) that session is judged
// after DOUYIN_POOL_SILENT_MS, its pair quarantined, and the room moves to the other cookie,
// whose gifts reach the subscriber.
import { describe, expect, it } from 'vitest';
import { usePoolStack } from './helpers/pool-stack.ts';
import { pairId } from '../../src/collectors/pool/upstream-pool.ts';
import { subscribe, until } from './stack.ts';

const COOKIES = ['sessionid=hg-a; uid_tt=a', 'sessionid=hg-b; uid_tt=b'];
const SESSIONS = ['sessionid=hg-a', 'sessionid=hg-b'];
const GIFTS = `subscription ($roomId: ID!) { roomEvents(roomId: $roomId, types: [GIFT]) { id } }`;

interface Pair {
  id: string;
  state: string;
  lastFailure: string | null;
  rooms: string[];
}

const running = usePoolStack(COOKIES, { env: { DOUYIN_POOL_SILENT_MS: '1000', DOUYIN_POOL_BUSY_VIEWERS: '1' } });

async function pairs(): Promise<Pair[]> {
  return (await running.pool<{ pairs: Pair[] }>('{ upstreamPool { pairs { id state lastFailure rooms } } }')).pairs;
}

describe('a logged-in session that gets no gift in a busy room', () => {
  it('quarantines its pair, and the room moves to a cookie that sees the gifts', async () => {
    const room = running.stack.sim.liveRooms()[0]!;
    const sub = subscribe<{ roomEvents: { id: string } }>(running.stack.wsClient(), GIFTS, { roomId: room.id });
    await until(() => running.stack.sim.connections().some((c) => c.roomId === room.id && !c.closed && c.heartbeatsReceived > 0), 'the push connection');
    const ids = COOKIES.map((cookie) => pairId({ cookie, proxy: null }));
    const first = (await pairs()).find((pair) => pair.rooms.includes(room.id))!;
    const index = ids.indexOf(first.id);
    running.stack.sim.injectFault({ target: { cookie: SESSIONS[index]! }, fault: { kind: 'hide-gifts' } });

    // The room stays busy and talkative: chats and viewer counts come, gifts are sent but hidden.
    // Traffic is driven from the wait itself, a few messages every 100 ms of it.
    let lastEmit = 0;
    const keepTalking = () => {
      if (Date.now() - lastEmit < 100) return;
      lastEmit = Date.now();
      room.emit(3, { kinds: ['chat', 'viewers', 'gift'] });
    };
    // The other session must not fall silent meanwhile either (it would be judged heartbeat-only).
    const talking = (check: () => boolean | Promise<boolean>) => async () => {
      keepTalking();
      return check();
    };
    await until(talking(async () => (await pairs())[index]!.state === 'QUARANTINED'), 'the hidden-gift session judged', 20_000);
    const judged = (await pairs())[index]!;
    expect(judged.lastFailure).toMatch(/^no gift or rank message for 1 s while \d+ watch/);
    await until(talking(async () => (await pairs())[1 - index]!.rooms.includes(room.id)), 'the room on the other cookie');
    // Gifts sent before the new socket is up are lost to it: the hidden session's cursor cannot be
    // resumed from (a StreamGapEvent says so). The ones after it come.
    // The move put the room in CONNECTING at once (the pool's answer comes after it): LIVE now is the new session.
    await until(talking(() => running.stack.gateway.supervisor.connectionState(room.id) === 'LIVE'), 'the new session live');

    const gifts = room.emit(6, { kinds: ['gift'] }).filter((r) => !r.duplicate).map((r) => r.msgId);
    await until(talking(() => gifts.every((id) => sub.results.some((r) => r.roomEvents.id === id))), 'the gifts through the other cookie');
    expect((await pairs())[1 - index]).toMatchObject({ state: 'HEALTHY', lastFailure: null });
    sub.stop();
  });
});
