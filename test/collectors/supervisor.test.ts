// issue 4 proof, the room supervisor over real sockets: one upstream connection per room
// however many watchers, closed after the linger period; rooms that cannot be resolved or are
// not live yet wait and are checked 50 per status call; gift totals from the ledger equal the
// simulator's ground truth, combos that never sent repeat_end included; the end of a broadcast
// reaches the watchers as ENDED.
import { afterEach, describe, expect, it } from 'vitest';
import { PushConnection } from '../../src/collectors/push/push-connection.ts';
import { RoomSupervisor, type RoomSupervisorOptions } from '../../src/collectors/supervisor.ts';
import type { DouyinApi } from '../../src/collectors/douyin-api.ts';
import type { ConnectionState, GiftEvent, RoomEvent, RoomStatusEvent } from '../../src/domain/events.ts';
import type { TruthRecord } from '../../src/simulator/index.ts';
import { FAST_BACKOFF, until, uniqueIds, Upstream } from './helpers/harness.ts';

let upstream: Upstream | null = null;
let supervisor: RoomSupervisor | null = null;
afterEach(async () => {
  supervisor?.stop();
  supervisor = null;
  await upstream?.stop();
  upstream = null;
});

interface Harness {
  supervisor: RoomSupervisor;
  events: Map<string, RoomEvent[]>;
  upstreamEvents(roomId: string): RoomEvent[];
  states(roomId: string): ConnectionState[];
}

function supervise(up: Upstream, options: Partial<RoomSupervisorOptions> = {}): Harness {
  const events = new Map<string, RoomEvent[]>();
  supervisor = new RoomSupervisor({
    api: up.client,
    lingerMs: 100,
    statusPollMs: 3_600_000,
    retryResolveMs: 3_600_000,
    sink: (roomId, batch) => events.set(roomId, [...(events.get(roomId) ?? []), ...batch]),
    openStream: (room, hooks) =>
      new PushConnection({ roomId: room.id, endpoint: up.endpoint(room.id), backoff: FAST_BACKOFF, onEvents: hooks.onEvents, onState: hooks.onState }),
    ...options,
  });
  return {
    supervisor,
    events,
    upstreamEvents: (roomId) => (events.get(roomId) ?? []).filter((e) => e.type !== 'ConnectionStateEvent' && e.type !== 'StreamGapEvent'),
    states: (roomId) => (events.get(roomId) ?? []).flatMap((e) => (e.type === 'ConnectionStateEvent' ? [e.state] : [])),
  };
}

describe('RoomSupervisor over the simulator', () => {
  it('serves N watchers of a room from one upstream connection and closes it a linger period after the last leaves', async () => {
    upstream = await Upstream.start();
    const room = upstream.sim.liveRooms()[0]!;
    const { supervisor, upstreamEvents } = supervise(upstream, { lingerMs: 150 });
    const releases = Array.from({ length: 5 }, () => supervisor.watch(room.id));
    await until(() => supervisor.connectionState(room.id) === 'LIVE', 'LIVE');
    await until(() => upstream!.openConnections(room.id).some((c) => c.heartbeatsReceived > 0), 'the connection');
    const sent = uniqueIds(room.emit(10, { perFrame: 5, kinds: ['chat'] }));
    await until(() => upstreamEvents(room.id).length === sent.length, 'the messages');
    expect(supervisor.watchedRooms()).toEqual([{ roomId: room.id, watchers: 5, state: 'LIVE' }]);
    expect(upstream.handshakes(room.id)).toHaveLength(1);
    expect(upstreamEvents(room.id).map((e) => e.id)).toEqual(sent);

    for (const release of releases.slice(0, 4)) release();
    releases[0]!(); // releasing twice counts once
    expect(supervisor.watchedRooms()[0]?.watchers).toBe(1);
    releases[4]!();
    // Still open right after the last release; the exact linger period is pinned with fake timers
    // in supervisor-linger.test.ts.
    expect(upstream.openConnections(room.id)).toHaveLength(1);
    await until(() => upstream!.openConnections(room.id).length === 0, 'the linger to close the connection');
    expect(supervisor.connectionState(room.id)).toBeNull();
    expect(upstream.handshakes(room.id)).toHaveLength(1);
  });

  it('checks 50 waiting rooms with one check_alive call and connects each when it is live', async () => {
    upstream = await Upstream.start({ rooms: 50 });
    const rooms = upstream.sim.liveRooms();
    expect(rooms).toHaveLength(50);
    // Risk control on the room lookup (an empty body) leaves every room waiting.
    const fault = upstream.sim.injectFault({ target: { path: '/webcast/room/reflow/info/' }, fault: { kind: 'empty-body' } })!;
    const { supervisor } = supervise(upstream);
    for (const room of rooms) supervisor.watch(room.id);
    await until(() => rooms.every((room) => supervisor.connectionState(room.id) === 'WAITING_FOR_LIVE'), 'all 50 rooms to wait');
    upstream.sim.clearFaults(fault);
    upstream.sim.clearRequests();

    await supervisor.pollWaitingRooms();
    const checks = upstream.sim.requests({ path: '/webcast/room/check_alive/' });
    expect(checks).toHaveLength(1);
    expect(checks[0]!.query.room_ids!.split(',').sort()).toEqual(rooms.map((r) => r.id).sort());
    await until(() => rooms.every((room) => supervisor.connectionState(room.id) === 'LIVE'), 'all 50 rooms to go LIVE', 20_000);
    expect(upstream.sim.requests({ kind: 'ws' })).toHaveLength(50);
    expect(upstream.sim.requests({ path: '/webcast/room/check_alive/' })).toHaveLength(1);
  });

  it('leaves a room that is not live yet WAITING_FOR_LIVE until the status check finds it live', async () => {
    upstream = await Upstream.start();
    const [room, ended] = upstream.sim.liveRooms();
    ended!.end();
    const client = upstream.client;
    // The simulator has no "not started yet" state: the first lookup reports the room as preparing.
    let lookups = 0;
    const api: DouyinApi = Object.assign(Object.create(client) as DouyinApi, {
      roomByRoomId: async (roomId: string) => {
        const found = await client.roomByRoomId(roomId);
        return roomId === room!.id && lookups++ === 0 ? { ...found, status: 'PREPARING' as const } : found;
      },
    });
    const { supervisor, states } = supervise(upstream, { api });
    supervisor.watch(room!.id);
    supervisor.watch(ended!.id);
    await until(() => supervisor.connectionState(room!.id) === 'WAITING_FOR_LIVE', 'the room to wait');
    await until(() => supervisor.connectionState(ended!.id) === 'ENDED', 'the ended room to be ENDED');
    expect(upstream.sim.requests({ kind: 'ws' })).toHaveLength(0);

    await supervisor.pollWaitingRooms();
    await until(() => supervisor.connectionState(room!.id) === 'LIVE', 'LIVE');
    expect(states(room!.id)).toEqual(['RESOLVING', 'WAITING_FOR_LIVE', 'RESOLVING', 'CONNECTING', 'LIVE']);
    expect(states(ended!.id)).toEqual(['RESOLVING', 'ENDED']);
    const checks = upstream.sim.requests({ path: '/webcast/room/check_alive/' });
    expect(checks.map((c) => c.query.room_ids)).toEqual([room!.id]);
    expect(upstream.handshakes(room!.id)).toHaveLength(1);
    expect(upstream.handshakes(ended!.id)).toHaveLength(0);
  });

  it('totals gifts exactly as the simulator’s ground truth, combos without repeat_end included', async () => {
    upstream = await Upstream.start({ seed: 'gifts' });
    const room = upstream.sim.liveRooms()[0]!;
    const { supervisor, upstreamEvents, events } = supervise(upstream, { giftIdleMs: 30 });
    supervisor.watch(room.id);
    await until(() => supervisor.connectionState(room.id) === 'LIVE', 'LIVE');
    await until(() => upstream!.openConnections(room.id).some((c) => c.heartbeatsReceived > 0), 'the connection');
    const gifts = (): GiftEvent[] => upstreamEvents(room.id).filter((e): e is GiftEvent => e.type === 'GiftEvent');
    const finalised = (groupId: string) => gifts().some((g) => g.groupId === groupId && g.phase === 'FINAL');

    const truth: TruthRecord[] = [];
    // Rounds with pauses longer than the idle timeout: combos are finalised by the sweep between
    // rounds, and some carry on in the next round.
    for (let round = 0; round < 3; round += 1) {
      const sent = room.emit(150, { perFrame: 10, kinds: ['gift', 'chat'] });
      truth.push(...sent);
      const ids = new Set(uniqueIds(sent));
      await until(() => upstreamEvents(room.id).filter((e) => ids.has(e.id)).length === ids.size, `round ${round}`);
      const groups = new Set(truth.flatMap((r) => (r.gift ? [r.gift.groupId] : [])));
      await until(() => [...groups].every(finalised), `every combo of round ${round} to be final`, 5_000);
    }
    const control = room.end();
    await until(() => events.get(room.id)!.some((e) => e.id === control?.msgId), 'the end');

    const expected = upstream.sim.giftTotals(room.id);
    const delivered = gifts();
    const diamonds = delivered.reduce((sum, g) => sum + g.deltaCount * g.gift.diamondCount, 0);
    const count = delivered.reduce((sum, g) => sum + g.deltaCount, 0);
    const byUser = new Map<string, number>();
    for (const g of delivered) byUser.set(g.user!.id, (byUser.get(g.user!.id) ?? 0) + g.deltaCount * g.gift.diamondCount);
    expect(diamonds).toBe(expected.diamonds);
    expect(count).toBe(expected.gifts);
    expect(new Map([...byUser].filter(([, d]) => d > 0))).toEqual(expected.byUser);

    // Each combo ends with a FINAL whose totals are the combo's own in the ground truth.
    const combos = new Map<string, { gifts: number; diamonds: number; ended: boolean }>();
    for (const record of truth) {
      const gift = record.gift;
      if (!gift || record.duplicate) continue;
      const combo = combos.get(gift.groupId) ?? { gifts: 0, diamonds: 0, ended: false };
      combo.gifts += gift.diamonds / gift.diamondCount;
      combo.diamonds += gift.diamonds;
      combo.ended ||= gift.repeatEnd;
      combos.set(gift.groupId, combo);
    }
    const withoutEnd = [...combos.values()].filter((c) => !c.ended).length;
    expect(withoutEnd).toBeGreaterThan(0);
    // Some combos went on after the idle timeout had finalised them: their later sends count too.
    const wentOn = [...combos.keys()].filter((groupId) => {
      const phases = delivered.filter((g) => g.groupId === groupId).map((g) => g.phase);
      return phases.indexOf('FINAL') < phases.lastIndexOf('PROGRESS') && phases.includes('FINAL');
    });
    expect(wentOn.length).toBeGreaterThan(0);
    for (const [groupId, combo] of combos) {
      const last = delivered.filter((g) => g.groupId === groupId).at(-1)!;
      expect([groupId, last.phase, last.totalCount, last.totalDiamonds]).toEqual([groupId, 'FINAL', combo.gifts, combo.diamonds]);
    }
    expect(new Set(delivered.map((g) => g.id)).size).toBe(delivered.length);
  });

  it('moves a room to ENDED when the broadcast ends and tells the watchers', async () => {
    upstream = await Upstream.start();
    const room = upstream.sim.liveRooms()[0]!;
    const { supervisor, upstreamEvents, states } = supervise(upstream);
    const seen: ConnectionState[] = [];
    supervisor.onStateChange((roomId, event) => roomId === room.id && seen.push(event.state));
    supervisor.watch(room.id);
    await until(() => supervisor.connectionState(room.id) === 'LIVE', 'LIVE');
    await until(() => upstream!.openConnections(room.id).some((c) => c.heartbeatsReceived > 0), 'the connection');
    const control = room.end()!;
    await until(() => supervisor.connectionState(room.id) === 'ENDED', 'ENDED');
    const status = upstreamEvents(room.id).at(-1) as RoomStatusEvent;
    expect([status.id, status.type, status.status]).toEqual([control.msgId, 'RoomStatusEvent', 'ENDED']);
    expect(states(room.id)).toEqual(['RESOLVING', 'CONNECTING', 'LIVE', 'ENDED']);
    expect(seen).toEqual(['RESOLVING', 'CONNECTING', 'LIVE', 'ENDED']);
    expect(upstream.handshakes(room.id)).toHaveLength(1);
  });
});
