// Nothing lost across a restart: the gateway saves where each room's upstream stream had got to
// once its events are stored, and a restarted gateway resumes there, so messages sent while it
// was down are collected, each once, with no gap reported.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { RoomEvent } from '../../src/domain/events.ts';
import type { EventStore } from '../../src/store/event-store.ts';
import { startSimulator, type Simulator } from '../../src/simulator/index.ts';
import { allStored } from './fixtures/all-stored.ts';
import { startStack, until, type Stack } from './stack.ts';

/** Polls the store until every id is there (a real condition, with a deadline); returns history. */
async function storedIds(store: EventStore, roomId: string, ids: readonly string[], deadlineMs = 30_000): Promise<RoomEvent[]> {
  let history: RoomEvent[] = [];
  let missing = ids.length;
  await until(
    async () => {
      history = await allStored(store, roomId);
      const have = new Set(history.map((event) => event.id));
      missing = ids.filter((id) => !have.has(id)).length;
      return missing === 0;
    },
    () => `${missing} of ${ids.length} messages to be stored`,
    deadlineMs,
  );
  return history;
}

describe('a restarted gateway resumes its rooms where it stopped', () => {
  let sim: Simulator;
  let dataDir: string;
  let stack: Stack | null = null;

  beforeAll(async () => {
    sim = await startSimulator({ seed: 'resume-restart', autoTraffic: false, rooms: 1, duplicateChatRate: 0 });
    dataDir = mkdtempSync(join(tmpdir(), 'resume-restart-'));
  });
  afterAll(async () => {
    await stack?.close();
    await sim?.stop();
    rmSync(dataDir, { recursive: true, force: true });
  });

  it('collects what was sent while it was down, once, without a gap', async () => {
    const room = sim.liveRooms()[0]!;
    const env = { DATA_DIR: dataDir, WATCH_ROOMS: room.id };
    const connected = (since: number) => () =>
      sim.connections().some((c) => c.roomId === room.id && c.openedAt >= since && c.heartbeatsReceived > 0);

    stack = await startStack({ simulator: sim, env });
    await until(connected(0), 'the first gateway to connect', 30_000);
    const before = room.emit(120).filter((record) => !record.duplicate);
    await storedIds(stack.gateway.store, room.id, before.map((record) => record.msgId));
    await stack.close();
    stack = null;

    const whileDown = room.emit(80).filter((record) => !record.duplicate);
    const restartedAt = Date.now();
    stack = await startStack({ simulator: sim, env });
    await until(connected(restartedAt), 'the restarted gateway to connect', 30_000);
    const expected = [...before, ...whileDown].map((record) => record.msgId);
    const history = await storedIds(stack.gateway.store, room.id, expected);

    // The gateway's own events (states, gaps, combo finals) are not upstream messages.
    const upstream = history.filter(
      (event) => event.type !== 'ConnectionStateEvent' && event.type !== 'StreamGapEvent' && !event.id.startsWith('combo-final:'),
    );
    expect(upstream.map((event) => event.id)).toEqual(expected);
    expect(history.filter((event) => event.type === 'StreamGapEvent')).toEqual([]);
    const resumed = sim.connections().filter((c) => c.roomId === room.id && c.openedAt >= restartedAt);
    expect(resumed.map((c) => c.resume)).toEqual(['full']);
  }, 180_000);
});
