// issue 16 item 8, correctness half: the default mode (built-in simulator in the gateway's
// process, PGlite on disk) under the memory bench's shape of load, 20 rooms × 50 messages a
// round to 200 graphql-ws subscribers (10 a room). Every subscriber receives every message of
// its room once, in order, with a cursor, and no gap. Rounds are driven by the test (each waits
// for the previous one to arrive everywhere), so nothing depends on timing; the memory figure
// is bench/memory-load.ts's (bench/README.md).
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { SimRoom } from '../../src/simulator/index.ts';
import { startStack, subscribe, until, type Stack } from './stack.ts';

const ROOMS = 20;
const PER_ROOM = 10;
const PER_ROUND = 50;
const ROUNDS = 8;

const ROOM_EVENTS = `subscription ($roomId: ID!) {
  roomEvents(roomId: $roomId) { __typename id cursor ... on ConnectionStateEvent { state } }
}`;
type EventData = { roomEvents: { __typename: string; id: string; cursor: string | null; state?: string } };

describe('default mode under 20 rooms × 50 messages a round and 200 subscribers', () => {
  let dataDir: string;
  let stack: Stack;
  beforeAll(async () => {
    dataDir = await mkdtemp(join(tmpdir(), 'load-built-in-'));
    stack = await startStack({ gatewaySimulator: true, env: { DATA_DIR: dataDir, UPSTREAM_RATE_PER_SEC: '1000', UPSTREAM_RATE_BURST: '1000' } });
  });
  afterAll(async () => {
    await stack?.close();
    await rm(dataDir, { recursive: true, force: true });
  });

  it('delivers every message to every subscriber once, in order, with cursors and no gap', async () => {
    // Rooms of their own with no timed traffic: only what the test emits is sent.
    const rooms: SimRoom[] = Array.from({ length: ROOMS }, () => stack.sim.createRoom({ rate: 0, duplicateChatRate: 0 }));
    const client = stack.wsClient();
    const subs = rooms.map((room) => Array.from({ length: PER_ROOM }, () => subscribe<EventData>(client, ROOM_EVENTS, { roomId: room.id })));
    await until(() => subs.every((group) => group.every((sub) => sub.results.some((r) => r.roomEvents.state === 'LIVE'))), 'every room LIVE at every subscriber', 30_000);
    await until(() => rooms.every((room) => stack.sim.connections().some((c) => c.roomId === room.id && c.heartbeatsReceived > 0)), 'every push connection');

    const sent: string[][] = rooms.map(() => []);
    const received = (sub: ReturnType<typeof subscribe<EventData>>) => sub.results.map((r) => r.roomEvents).filter((e) => e.__typename !== 'ConnectionStateEvent');
    for (let round = 0; round < ROUNDS; round += 1) {
      for (const [index, room] of rooms.entries()) sent[index]!.push(...room.emit(PER_ROUND).filter((r) => !r.duplicate).map((r) => r.msgId));
      // The room's timed viewer counts and stats go on meanwhile: wait for what was emitted.
      const wanted = sent.map((ids) => new Set(ids));
      const arrived = (sub: ReturnType<typeof subscribe<EventData>>, index: number) => received(sub).filter((e) => wanted[index]!.has(e.id)).length === wanted[index]!.size;
      await until(
        () => subs.every((group, index) => group.every((sub) => arrived(sub, index))),
        () => `round ${round + 1}: ${subs.flatMap((group, index) => group.filter((sub) => !arrived(sub, index))).length} subscribers behind`,
        30_000,
      );
    }

    for (const [index, group] of subs.entries()) {
      for (const sub of group) {
        const events = received(sub);
        const emitted = new Set(sent[index]);
        expect(events.map((e) => e.id).filter((id) => emitted.has(id))).toEqual(sent[index]);
        expect(new Set(events.map((e) => e.id)).size).toBe(events.length);
        expect(events.every((e) => typeof e.cursor === 'string' && e.cursor.length > 0)).toBe(true);
        expect(events.filter((e) => e.__typename === 'StreamGapEvent')).toEqual([]);
        expect(sub.errors).toEqual([]);
      }
    }
    expect(sent.flat()).toHaveLength(ROOMS * PER_ROUND * ROUNDS);
    for (const sub of subs.flat()) sub.stop();
  });
});
