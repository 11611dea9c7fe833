// Room ownership over the real lease statements (PGlite; the PostgreSQL statements are the same
// and tested in test/store/room-leases.test.ts): instances that want one room agree on one
// collector; a clean stop, a dropped interest or an owner that stops renewing hands the room
// to the other instance with the next epoch; a refusal by the fence stops the collector at once.
import { afterEach, describe, expect, it } from 'vitest';
import { MemoryEventBus } from '../../src/bus/memory-bus.ts';
import type { ConnectionStateEvent } from '../../src/domain/events.ts';
import { RoomOwnership, type LeasedRooms } from '../../src/live/ownership.ts';
import { createSqlLeaseStore, type LeaseStore } from '../../src/store/lease-store.ts';
import { IN_MEMORY, createPgliteEngine } from '../../src/store/pglite-store.ts';
import { createSqlEventStore } from '../../src/store/sql-event-store.ts';
import type { SqlEngine } from '../../src/store/sql.ts';
import { until } from '../support/until.ts';

const ROOM = '7380000000000000001';

class FakeRooms implements LeasedRooms {
  wanted = new Set<string>([ROOM]);
  readonly grants: { roomId: string; epoch: number }[] = [];
  readonly revokes: string[] = [];
  readonly mirrored: ConnectionStateEvent[] = [];
  collecting = new Map<string, number>();

  wantedRooms(): string[] {
    return [...this.wanted];
  }
  grant(roomId: string, epoch: number): void {
    this.grants.push({ roomId, epoch });
    this.collecting.set(roomId, epoch);
  }
  revoke(roomId: string): void {
    this.revokes.push(roomId);
    this.collecting.delete(roomId);
  }
  mirror(event: ConnectionStateEvent): void {
    this.mirrored.push(event);
  }
}

/** A lease store whose database can be cut off from one instance (a partition, a long pause). */
function cuttable(leases: LeaseStore): { leases: LeaseStore; cut(): void } {
  let cut = false;
  const guard =
    <A extends unknown[], R>(work: (...args: A) => Promise<R>) =>
    (...args: A): Promise<R> =>
      cut ? Promise.reject(Object.assign(new Error('connection refused'), { code: 'STORE_UNAVAILABLE' })) : work(...args);
  return {
    leases: {
      claim: guard(leases.claim),
      expiries: guard(leases.expiries),
      release: guard(leases.release),
      recordInterest: guard(leases.recordInterest),
      forgetOldInterest: guard(leases.forgetOldInterest),
      heartbeatInstance: guard(leases.heartbeatInstance),
      removeInstance: guard(leases.removeInstance),
    },
    cut: () => void (cut = true),
  };
}

let engine: SqlEngine | null = null;
const running: RoomOwnership[] = [];
afterEach(async () => {
  await Promise.all(running.splice(0).map((ownership) => ownership.close()));
  await engine?.close();
  engine = null;
});

async function fleet(ttlMs: number, count = 2, stored: ConnectionStateEvent[] = []) {
  engine = await createPgliteEngine({ dataDir: IN_MEMORY });
  const store = createSqlEventStore(engine);
  await store.migrate();
  if (stored.length > 0) await store.appendEvents(stored);
  const leases = createSqlLeaseStore(engine);
  const bus = new MemoryEventBus();
  const members = Array.from({ length: count }, (_, i) => {
    const rooms = new FakeRooms();
    const link = cuttable(leases);
    const lost: string[] = [];
    const renewals = { count: 0 };
    const ownership = new RoomOwnership({
      leases: link.leases,
      bus,
      store,
      holder: `gw-${i}/test`,
      instanceId: `gw-${i}`,
      busKind: 'memory',
      ttlMs,
      tickMs: 50,
      observer: { lost: (roomId, reason) => lost.push(`${roomId}:${reason}`), renewed: (n) => void (renewals.count += n) },
    });
    running.push(ownership);
    return { rooms, ownership, cut: link.cut, lost, renewals };
  });
  for (const member of members) member.ownership.start(member.rooms);
  return { members, bus, store };
}

const collectors = <M extends { rooms: FakeRooms }>(members: M[]): M[] => members.filter((member) => member.rooms.collecting.has(ROOM));

describe('RoomOwnership', () => {
  it('gives a room wanted by three instances to exactly one of them, renewed under one epoch', async () => {
    const { members } = await fleet(60_000, 3);
    await until(() => collectors(members).length === 1, 'one collector');
    const [owner] = collectors(members);
    // Several renewals later there is still one collector, the same one, never re-granted.
    await until(() => owner!.renewals.count >= 5, 'five renewals');
    expect(collectors(members)).toEqual([owner]);
    expect(members.map((member) => member.renewals.count > 0)).toEqual(members.map((member) => member === owner));
    expect(members.flatMap((member) => member.rooms.grants)).toEqual([{ roomId: ROOM, epoch: 1 }]);
  });

  it('hands the room over at once on a clean stop, long before the lease would have run out', async () => {
    const { members } = await fleet(60_000);
    await until(() => collectors(members).length === 1, 'one collector');
    const [owner] = collectors(members);
    const other = members.find((member) => member !== owner)!;
    await owner!.ownership.close();
    await until(() => other.rooms.collecting.get(ROOM) === 2, 'the other instance to collect under epoch 2');
  });

  it('hands the room over when its owner no longer wants it', async () => {
    const { members } = await fleet(60_000);
    await until(() => collectors(members).length === 1, 'one collector');
    const [owner] = collectors(members);
    const other = members.find((member) => member !== owner)!;
    owner!.rooms.wanted.clear();
    owner!.ownership.roomsChanged();
    await until(() => other.rooms.collecting.get(ROOM) === 2, 'the other instance to collect under epoch 2');
    expect(owner!.ownership.ownedRooms()).toEqual([]);
  });

  it('takes over from an owner cut off from the database once the lease expires; the cut-off owner stops by itself', async () => {
    const { members } = await fleet(1_000);
    await until(() => collectors(members).length === 1, 'one collector');
    const [owner] = collectors(members);
    const other = members.find((member) => member !== owner)!;
    owner!.cut();
    await until(() => other.rooms.collecting.get(ROOM) === 2, 'the takeover under epoch 2', 10_000);
    await until(() => !owner!.rooms.collecting.has(ROOM), 'the cut-off owner to stop collecting', 10_000);
    expect(owner!.lost).toEqual([`${ROOM}:expired`]);
    expect(owner!.rooms.revokes).toEqual([ROOM]);
  });

  it('stops collecting at once when the fence refuses a write under its epoch', async () => {
    const { members } = await fleet(60_000);
    await until(() => collectors(members).length === 1, 'one collector');
    const [owner] = collectors(members);
    owner!.ownership.fenced(ROOM, 99); // not its epoch: ignored
    expect(owner!.rooms.collecting.get(ROOM)).toBe(1);
    owner!.ownership.fenced(ROOM, 1);
    expect(owner!.rooms.revokes).toEqual([ROOM]);
    expect(owner!.lost).toEqual([`${ROOM}:fenced`]);
  });

  it("tells instances that do not collect the room its owner's state: the newest stored first, then each published one", async () => {
    const state = (createdAt: number, value: ConnectionStateEvent['state']): ConnectionStateEvent => ({
      type: 'ConnectionStateEvent',
      id: `state:${ROOM}:${createdAt}`,
      roomId: ROOM,
      method: 'ConnectionState',
      createdAt,
      user: null,
      cursor: null,
      state: value,
      previous: null,
      reason: null,
    });
    const { members, bus } = await fleet(60_000, 2, [state(1_000, 'RESOLVING'), state(2_000, 'WAITING_FOR_LIVE')]);
    await until(() => collectors(members).length === 1, 'one collector');
    const [owner] = collectors(members);
    const other = members.find((member) => member !== owner)!;
    await until(() => other.rooms.mirrored.length === 1, 'the stored state');
    expect(other.rooms.mirrored[0]?.state).toBe('WAITING_FOR_LIVE');
    bus.publish(ROOM, state(Date.now(), 'LIVE'));
    // An older state arriving late does not undo the newer one.
    bus.publish(ROOM, state(3_000, 'CONNECTING'));
    expect(other.rooms.mirrored.map((event) => event.state)).toEqual(['WAITING_FOR_LIVE', 'LIVE']);
    expect(owner!.rooms.mirrored).toEqual([]);
  });
});
