// Fleet mode in the room supervisor: a watched room is not collected until this instance holds
// its lease, everything collected carries the lease's epoch, a revoked room stops at once (what
// its old stream still says is dropped), and a room collected elsewhere shows the owner's state.
import { afterEach, describe, expect, it } from 'vitest';
import { UpstreamError } from '../../src/collectors/errors.ts';
import { PushConnection } from '../../src/collectors/push/push-connection.ts';
import { RoomSupervisor, type RoomSupervisorOptions } from '../../src/collectors/supervisor.ts';
import type { ConnectionState, ConnectionStateEvent, RoomEvent } from '../../src/domain/events.ts';
import { FAST_BACKOFF, until, uniqueIds, Upstream } from './helpers/harness.ts';

let upstream: Upstream | null = null;
let supervisor: RoomSupervisor | null = null;
afterEach(async () => {
  supervisor?.stop();
  supervisor = null;
  await upstream?.stop();
  upstream = null;
});

interface Sunk {
  event: RoomEvent;
  epoch: number | null;
}

function leasedSupervisor(up: Upstream, extra: Partial<RoomSupervisorOptions> = {}) {
  const sunk: Sunk[] = [];
  let lookups = 0;
  let changes = 0;
  supervisor = new RoomSupervisor({
    api: {
      ...up.client,
      liveStatus: (ids) => up.client.liveStatus(ids),
      roomByRoomId: (id) => {
        lookups += 1;
        return up.client.roomByRoomId(id);
      },
    } as typeof up.client,
    leased: true,
    onRoomsChanged: () => void (changes += 1),
    lingerMs: 50,
    statusPollMs: 3_600_000,
    retryResolveMs: 3_600_000,
    sink: (_roomId, batch, _resume, epoch = null) => sunk.push(...batch.map((event) => ({ event, epoch }))),
    openStream: (room, hooks) =>
      new PushConnection({ roomId: room.id, endpoint: up.endpoint(room.id), backoff: FAST_BACKOFF, onEvents: hooks.onEvents, onState: hooks.onState }),
    ...extra,
  });
  const chats = () => sunk.filter(({ event }) => event.type === 'ChatEvent');
  return { supervisor, sunk, chats, lookups: () => lookups, changes: () => changes };
}

function stateEvent(roomId: string, state: ConnectionState, createdAt: number): ConnectionStateEvent {
  return { type: 'ConnectionStateEvent', id: `state:${roomId}:${createdAt}`, roomId, method: 'ConnectionState', createdAt, user: null, cursor: null, state, previous: null, reason: 'owner' };
}

describe('RoomSupervisor with leases', () => {
  it('collects a watched room only once granted, under the granted epoch, and stops the moment it is revoked', async () => {
    upstream = await Upstream.start();
    const room = upstream.sim.liveRooms()[0]!;
    const harness = leasedSupervisor(upstream);
    const { supervisor } = harness;
    supervisor.watch(room.id);
    // Not wanted until the upstream says the room exists: a made-up id must not reach the leases.
    expect(supervisor.wantedRooms()).toEqual([]);
    expect(harness.changes()).toBe(0);
    await until(() => supervisor.wantedRooms().length === 1, 'the room to be checked');
    // Passive: the room is wanted (ownership is told) after one lookup; nothing is stored.
    expect(supervisor.wantedRooms()).toEqual([room.id]);
    expect(harness.changes()).toBe(1);
    expect(harness.lookups()).toBe(1);
    expect(harness.sunk).toEqual([]);
    expect(supervisor.collectedRooms()).toEqual([]);

    supervisor.grant(room.id, 7);
    await until(() => supervisor.connectionState(room.id) === 'LIVE', 'LIVE under the lease');
    await until(() => upstream!.openConnections(room.id).some((c) => c.heartbeatsReceived > 0), 'the connection');
    const first = uniqueIds(room.emit(6, { perFrame: 3, kinds: ['chat'] }));
    await until(() => harness.chats().length === first.length, 'the first chats');
    expect(harness.sunk.every(({ epoch }) => epoch === 7)).toBe(true);
    expect(harness.sunk.filter(({ event }) => event.type === 'ConnectionStateEvent').map(({ event }) => (event as ConnectionStateEvent).state)).toEqual([
      'RESOLVING',
      'CONNECTING',
      'LIVE',
    ]);
    expect(supervisor.collectedRooms()).toEqual([{ roomId: room.id, epoch: 7 }]);
    // The grant followed the check at once: its answer served the resolve.
    expect(harness.lookups()).toBe(1);

    supervisor.revoke(room.id);
    const sunkAtRevoke = harness.sunk.length;
    await until(() => upstream!.openConnections(room.id).length === 0, 'the connection to close');
    room.emit(4, { perFrame: 2, kinds: ['chat'] });
    // Another grant proves the room is alive again; nothing between revoke and grant was taken.
    supervisor.grant(room.id, 9);
    await until(() => supervisor.connectionState(room.id) === 'LIVE', 'LIVE under the new lease');
    const stateChanges = harness.sunk.slice(sunkAtRevoke).filter(({ event }) => event.type === 'ConnectionStateEvent');
    expect(stateChanges[0]).toMatchObject({ epoch: 9, event: { state: 'RESOLVING', previous: 'LIVE', reason: 'this instance took over the room' } });
    expect(harness.sunk.slice(sunkAtRevoke).every(({ epoch }) => epoch === 9)).toBe(true);
    expect(upstream.handshakes(room.id)).toHaveLength(2);
  });

  it("shows the owner's state for a room it does not collect, and ignores it once it collects the room", async () => {
    upstream = await Upstream.start();
    const room = upstream.sim.liveRooms()[0]!;
    const { supervisor, sunk } = leasedSupervisor(upstream);
    const seen: ConnectionState[] = [];
    supervisor.onStateChange((_roomId, event) => seen.push(event.state));
    supervisor.watch(room.id);
    supervisor.mirror(stateEvent(room.id, 'LIVE', 1));
    supervisor.mirror(stateEvent(room.id, 'LIVE', 2));
    supervisor.mirror(stateEvent('not-watched', 'ENDED', 3));
    expect(supervisor.connectionState(room.id)).toBe('LIVE');
    expect(seen).toEqual(['LIVE']);
    expect(sunk).toEqual([]);

    supervisor.grant(room.id, 1);
    await until(() => seen.at(-1) === 'LIVE' && seen.length > 1, 'LIVE of its own');
    supervisor.mirror(stateEvent(room.id, 'ENDED', Date.now()));
    expect(supervisor.connectionState(room.id)).toBe('LIVE');
  });

  it('tells ownership when a room is no longer wanted, after its linger', async () => {
    upstream = await Upstream.start();
    const room = upstream.sim.liveRooms()[0]!;
    const harness = leasedSupervisor(upstream);
    const release = harness.supervisor.watch(room.id);
    await until(() => harness.supervisor.wantedRooms().length === 1, 'the room to be checked');
    release();
    await until(() => harness.supervisor.wantedRooms().length === 0, 'the linger to end');
    await until(() => harness.supervisor.connectionState(room.id) === null, 'the session to go');
    expect(harness.changes()).toBe(2);
    expect(harness.lookups()).toBe(1);
  });

  it('never wants a room the upstream does not know: ENDED told to subscribers, nothing stored, ownership never told', async () => {
    upstream = await Upstream.start();
    const announced: RoomEvent[] = [];
    const harness = leasedSupervisor(upstream, { announce: (_roomId, events) => announced.push(...events) });
    const seen: ConnectionStateEvent[] = [];
    harness.supervisor.onStateChange((_roomId, event) => seen.push(event));
    const madeUp = '7100000000000000001';
    const release = harness.supervisor.watch(madeUp);
    await until(() => harness.supervisor.connectionState(madeUp) === 'ENDED', 'the room to be found missing');
    expect(harness.supervisor.wantedRooms()).toEqual([]);
    expect(harness.changes()).toBe(0);
    expect(harness.lookups()).toBe(1);
    expect(harness.sunk).toEqual([]);
    expect(seen.map((event) => [event.state, event.reason])).toEqual([['ENDED', `room room_id ${madeUp} does not exist`]]);
    expect(announced).toEqual(seen);
    release();
    await until(() => harness.supervisor.connectionState(madeUp) === null, 'the session to go');
    expect(harness.changes()).toBe(0);
  });

  it('keeps a failed existence check to itself (another instance may collect the room fine) and wants the room once a retry finds it', async () => {
    upstream = await Upstream.start();
    const room = upstream.sim.liveRooms()[0]!;
    const announced: RoomEvent[] = [];
    let failures = 1;
    const client = upstream.client;
    const harness = leasedSupervisor(upstream, {
      retryResolveMs: 20,
      announce: (_roomId, events) => announced.push(...events),
      api: {
        ...client,
        liveStatus: (ids) => client.liveStatus(ids),
        roomByRoomId: async (id) => {
          if (failures-- > 0) throw new UpstreamError('UPSTREAM_UNAVAILABLE', 'connection refused');
          return client.roomByRoomId(id);
        },
      } as typeof client,
    });
    const seen: ConnectionState[] = [];
    harness.supervisor.onStateChange((_roomId, event) => seen.push(event.state));
    harness.supervisor.watch(room.id);
    await until(() => harness.supervisor.wantedRooms().length === 1, 'the retried check');
    expect(seen).toEqual(['UPSTREAM_UNREACHABLE']);
    expect(announced).toEqual([]);
    expect(harness.sunk).toEqual([]);
    expect(harness.changes()).toBe(1);
  });

  it('marks a gap from the last stored message when it takes a room over with no saved upstream position', async () => {
    upstream = await Upstream.start();
    const room = upstream.sim.liveRooms()[0]!;
    const lastStored = Date.now() - 5_000;
    const { supervisor, sunk } = leasedSupervisor(upstream, { savedResumePoint: async () => null, lastStoredAt: async () => lastStored });
    supervisor.watch(room.id);
    supervisor.grant(room.id, 3);
    await until(() => supervisor.connectionState(room.id) === 'LIVE', 'LIVE');
    const gaps = sunk.filter(({ event }) => event.type === 'StreamGapEvent');
    expect(gaps).toHaveLength(1);
    expect(gaps[0]).toMatchObject({ epoch: 3, event: { from: lastStored, id: `gap:takeover:${room.id}:3` } });
    expect((gaps[0]!.event as { to: number }).to).toBeGreaterThan(lastStored);
  });

  it('marks no gap when it takes a room with nothing stored yet', async () => {
    upstream = await Upstream.start();
    const room = upstream.sim.liveRooms()[0]!;
    let asked = 0;
    const { supervisor, sunk } = leasedSupervisor(upstream, {
      savedResumePoint: async () => null,
      lastStoredAt: async () => {
        asked += 1;
        return null;
      },
    });
    supervisor.watch(room.id);
    supervisor.grant(room.id, 1);
    await until(() => supervisor.connectionState(room.id) === 'LIVE', 'LIVE');
    expect(asked).toBe(1);
    expect(sunk.filter(({ event }) => event.type === 'StreamGapEvent')).toEqual([]);
  });
});
