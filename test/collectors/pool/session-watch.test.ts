// issue 13: a hollow Douyin session quarantines its cookie/proxy pair. The rules on a clock the
// test moves (session-watch.ts), then a pooled room stream moving off such a pair to a healthy
// one without losing its resume point.
import { afterEach, describe, expect, it } from 'vitest';
import type { RoomEvent, RoomEventType } from '../../../src/domain/events.ts';
import { PooledRoomStream } from '../../../src/collectors/pool/pooled-room-stream.ts';
import { isLoggedInCookie, SessionWatch } from '../../../src/collectors/pool/session-watch.ts';
import { UpstreamPool, type PoolPair } from '../../../src/collectors/pool/upstream-pool.ts';
import type { PushConnectionHooks } from '../../../src/collectors/push/push-connection.ts';
import type { ConnectionState } from '../../../src/domain/events.ts';

const ROOM = '7690183442860198697';
const MIN = 60_000;
const OPTIONS = { silentMs: 5 * MIN, busyViewers: 1000 };
let serial = 0;

function event(type: RoomEventType, fields: Record<string, unknown> = {}): RoomEvent {
  serial += 1;
  return { type, id: String(serial), roomId: ROOM, method: `Webcast${type}`, createdAt: 0, user: null, cursor: null, ...fields } as unknown as RoomEvent;
}
const viewers = (current: number) => event('ViewerCountEvent', { current, total: null, currentText: null, totalText: null, topContributors: [] });

describe('isLoggedInCookie', () => {
  it.each([
    ['sessionid=abc; ttwid=x', true],
    ['ttwid=x; sessionid_ss=abc', true],
    ['ttwid=x', false],
    ['sessionid=; ttwid=x', false],
    ['my_sessionid=abc', false],
    [null, false],
  ])('%s → %s', (cookie, expected) => expect(isLoggedInCookie(cookie)).toBe(expected));
});

describe('SessionWatch', () => {
  interface Case {
    name: string;
    loggedIn: boolean;
    /** [minute, events] fed in order after the connection went live at minute 0. */
    feed: [number, RoomEvent[]][];
    at: number;
    verdict: RegExp | null;
  }
  const chats = () => [event('ChatEvent', { content: 'hi' })];
  const CASES: Case[] = [
    { name: 'nothing at all for 5 min: heartbeat-only', loggedIn: false, feed: [], at: 5, verdict: /heartbeat-only/ },
    { name: 'nothing for 4.9 min is not yet', loggedIn: false, feed: [], at: 4.9, verdict: null },
    { name: 'a quiet room that still gets viewer counts is sound', loggedIn: true, feed: [[2, [viewers(3)]], [4, [viewers(2)]]], at: 6, verdict: null },
    { name: 'busy, logged in, chats but no gift for 5 min', loggedIn: true, feed: [[1, [viewers(5000), ...chats()]], [4, chats()]], at: 5, verdict: /no gift or rank message for 5 min while 5000 watch/ },
    { name: 'busy, logged in, a rank message at minute 3 keeps it sound', loggedIn: true, feed: [[1, [viewers(5000)]], [3, [event('RankUpdateEvent', { entries: [] })]], [6, chats()]], at: 7, verdict: null },
    { name: 'busy, logged in, a gift at minute 4 keeps it sound', loggedIn: true, feed: [[1, [viewers(5000)]], [4, [event('GiftEvent')]], [6, chats()]], at: 8, verdict: null },
    { name: 'busy but anonymous: gifts were never promised', loggedIn: false, feed: [[1, [viewers(5000)]], [4, chats()]], at: 6, verdict: null },
    { name: 'logged in, below the busy mark', loggedIn: true, feed: [[1, [viewers(999)]], [4, chats()]], at: 6, verdict: null },
    { name: 'connection state events are no message', loggedIn: false, feed: [[3, [event('ConnectionStateEvent')]]], at: 5, verdict: /heartbeat-only/ },
  ];

  it.each(CASES)('$name', ({ loggedIn, feed, at, verdict }) => {
    const watch = new SessionWatch(loggedIn, OPTIONS);
    watch.state(true, 0);
    for (const [minute, events] of feed) watch.observe(events, minute * MIN);
    const failure = watch.verdict(at * MIN);
    if (verdict === null) expect(failure).toBeNull();
    else expect(failure).toEqual({ kind: 'refused', reason: expect.stringMatching(verdict) });
  });

  it('judges only live time: a connection that is not live, or just came back, is not held to it', () => {
    const watch = new SessionWatch(false, OPTIONS);
    expect(watch.verdict(60 * MIN)).toBeNull();
    watch.state(true, 0);
    watch.state(false, 2 * MIN);
    expect(watch.verdict(10 * MIN)).toBeNull();
    watch.state(true, 10 * MIN);
    expect(watch.verdict(14 * MIN)).toBeNull();
    expect(watch.verdict(15 * MIN)?.reason).toMatch(/heartbeat-only/);
  });
});

describe('PooledRoomStream with a session watch', () => {
  const clock = { now: 1_000_000 };
  const cleanups: (() => void)[] = [];
  afterEach(() => {
    for (const cleanup of cleanups.splice(0)) cleanup();
  });

  function setup(cookies: string[]) {
    const pool = new UpstreamPool(
      cookies.map((cookie) => ({ cookie, proxy: null })),
      { quarantineMs: 10 * MIN, maxQuarantineMs: 60 * MIN, now: () => clock.now },
    );
    const connections: { pair: PoolPair; hooks: PushConnectionHooks; stopped: boolean }[] = [];
    const states: ConnectionState[] = [];
    const stream = new PooledRoomStream({
      roomId: ROOM,
      pool,
      hooks: { onEvents: () => undefined, onState: (state) => states.push(state) },
      resumeFrom: null,
      sessionWatch: OPTIONS,
      now: () => clock.now,
      connect: (pair, hooks) => {
        const connection = { pair, hooks, stopped: false };
        connections.push(connection);
        return { start: () => undefined, stop: () => void (connection.stopped = true) };
      },
    });
    cleanups.push(() => {
      stream.stop();
      pool.stop();
    });
    stream.start();
    return { pool, stream, connections, states };
  }

  it('a logged-in session with no gift in a busy room quarantines its pair and the room moves to the other', () => {
    const { pool, stream, connections } = setup(['sessionid=first', 'sessionid=second']);
    const first = connections[0]!;
    first.hooks.onState!('LIVE', 'CONNECTING', null);
    first.hooks.onEvents([viewers(20_000), event('ChatEvent', { content: 'hi' })]);
    clock.now += 4 * MIN;
    first.hooks.onEvents([event('ChatEvent', { content: 'still no gift' })]);
    stream.judgeSession();
    expect(connections).toHaveLength(1);
    clock.now += 1 * MIN;
    stream.judgeSession();

    expect(first.stopped).toBe(true);
    expect(connections).toHaveLength(2);
    expect(connections[1]!.pair.id).not.toBe(first.pair.id);
    expect(stream.pair?.id).toBe(connections[1]!.pair.id);
    const quarantined = pool.snapshot().pairs.find((pair) => pair.id === first.pair.id)!;
    expect(quarantined).toMatchObject({ state: 'QUARANTINED', lastFailure: expect.stringMatching(/no gift or rank message/) });
  });

  it('a heartbeat-only session quarantines its pair; with no other pair the room says UPSTREAM_DEGRADED', () => {
    const { pool, stream, connections, states } = setup(['ttwid=anonymous']);
    connections[0]!.hooks.onState!('LIVE', 'CONNECTING', null);
    clock.now += 5 * MIN;
    stream.judgeSession();
    expect(pool.snapshot()).toMatchObject({ degraded: true, pairs: [{ state: 'QUARANTINED', lastFailure: expect.stringMatching(/heartbeat-only/) }] });
    expect(states.at(-1)).toBe('UPSTREAM_DEGRADED');
  });

  it('a session that keeps delivering is left alone', () => {
    const { pool, stream, connections } = setup(['sessionid=first', 'sessionid=second']);
    connections[0]!.hooks.onState!('LIVE', 'CONNECTING', null);
    for (let minute = 1; minute <= 12; minute += 1) {
      clock.now += MIN;
      connections[0]!.hooks.onEvents([viewers(20_000), ...(minute % 4 === 0 ? [event('GiftEvent')] : [])]);
      stream.judgeSession();
    }
    expect(connections).toHaveLength(1);
    expect(pool.snapshot().healthy).toBe(2);
  });
});
