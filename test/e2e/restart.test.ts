// issue 6 proof: the gateway, a separate process recording a busy room (WATCH_ROOMS, no client),
// is killed with SIGKILL during heavy ingest and restarted on the same data. Every event it had
// reported stored is still there under the same cursor; the upstream then resends the whole
// stream from its backlog, and nothing is stored (or counted in the gift ledger) twice, while
// what the killed gateway never got to store is stored now: the room ends equal to the truth.
import { afterEach, describe, expect, it } from 'vitest';
import type { RoomEvent } from '../../src/domain/events.ts';
import { giftTotals, startSimulator, type Simulator, type TruthRecord } from '../../src/simulator/index.ts';
import { PGLITE_TIMEOUT_MS } from '../store/fixtures.ts';
import { allStored } from './fixtures/all-stored.ts';
import { startGatewayProcess, type GatewayProcess } from './fixtures/gateway-process.ts';
import { startRewindingFront, type RewindingFront } from './fixtures/rewinding-front.ts';
import { embeddedStore, pgUnavailable, postgresStore, type StoreUnderTest } from './fixtures/stores.ts';
import { until } from './stack.ts';

/** Killed once it has reported this many events stored, with the simulator still sending. */
const KILL_AFTER_STORED = 1_500;
/** The simulator keeps at most this many messages unstored ahead of the gateway. */
const AHEAD = 2_000;
const SENT_WHILE_DOWN = 500;
const SENT_AFTER_RESTART = 300;

const turn = () => new Promise<void>((resolve) => setImmediate(resolve));
const unique = (truth: readonly TruthRecord[]) => truth.filter((record) => !record.duplicate);

/** Events the gateway makes itself rather than receives from Douyin. */
function isGatewayEvent(event: RoomEvent): boolean {
  if (event.type === 'ConnectionStateEvent' || event.type === 'StreamGapEvent') return true;
  return event.type === 'GiftEvent' && event.id.startsWith('combo-final:') && event.deltaCount === 0;
}

async function readyWithin(gateway: GatewayProcess, what: string): Promise<void> {
  let timer: NodeJS.Timeout | undefined;
  const deadline = new Promise<never>((_resolve, reject) => {
    timer = setTimeout(() => reject(new Error(`${what} was not ready in time: ${gateway.stderr()}`)), PGLITE_TIMEOUT_MS / 2);
  });
  try {
    await Promise.race([gateway.ready, deadline]);
  } finally {
    clearTimeout(timer);
  }
}

describe('restart after SIGKILL during heavy ingest', () => {
  const cleanups: (() => Promise<unknown> | unknown)[] = [];
  afterEach(async () => {
    for (const cleanup of cleanups.splice(0).reverse()) await cleanup();
  }, PGLITE_TIMEOUT_MS);

  async function proveRestart(target: StoreUnderTest): Promise<void> {
    cleanups.push(() => target.dispose());
    const sim: Simulator = await startSimulator({ seed: 'restart', autoTraffic: false, rooms: [{ rate: 0 }], backlogSize: 50_000 });
    cleanups.push(() => sim.stop());
    const room = sim.liveRooms()[0]!;
    const front: RewindingFront = await startRewindingFront(sim.url);
    cleanups.push(() => front.close());
    const env = {
      ...target.env,
      DOUYIN_UPSTREAM: 'live',
      DOUYIN_WEB_URL: front.url,
      DOUYIN_PUSH_URL: sim.pushUrl,
      WATCH_ROOMS: room.id,
      PORT: '0',
      HOST: '127.0.0.1',
      LOG_LEVEL: 'warn',
      SUBSCRIBER_BUFFER: '1000000',
    };
    const connected = (since: number) => () =>
      sim.connections().some((c) => c.roomId === room.id && !c.closed && c.openedAt >= since && c.heartbeatsReceived > 0);

    // 1. The first gateway records the room while the simulator sends as fast as it stores.
    const first = startGatewayProcess(env);
    cleanups.push(() => first.kill('SIGKILL'));
    first.onStored = (count) => {
      if (count >= KILL_AFTER_STORED) first.kill('SIGKILL');
    };
    await readyWithin(first, 'the first gateway');
    await until(connected(0), "the first gateway's push connection", 30_000);
    let killed = false;
    void first.exited.then(() => (killed = true));
    const deadline = Date.now() + 60_000;
    while (!killed) {
      if (Date.now() > deadline) throw new Error(`the first gateway reported ${first.stored.size} stored, never ${KILL_AFTER_STORED}: ${first.stderr()}`);
      if (unique(room.truth()).length - first.stored.size < AHEAD) room.emit(100);
      await turn();
    }
    expect((await first.exited).signal).toBe('SIGKILL');
    const reported = new Map(first.stored);
    expect(reported.size).toBeGreaterThanOrEqual(KILL_AFTER_STORED);
    // Mid-ingest: the simulator had sent more than the gateway reported stored.
    expect(unique(room.truth()).length).toBeGreaterThan(reported.size);

    // 2. The room goes on while no gateway is up.
    room.emit(SENT_WHILE_DOWN);

    // 3. Restart on the same data; the upstream resends the room from its start.
    front.rewind(room.id, 0);
    const restartedAt = Date.now();
    const second = startGatewayProcess(env);
    cleanups.push(() => second.kill('SIGKILL'));
    await readyWithin(second, 'the restarted gateway');
    await until(connected(restartedAt), "the restarted gateway's push connection", 30_000);
    const resumed = sim.connections().find((c) => c.roomId === room.id && c.openedAt >= restartedAt)!;
    expect(front.rewound).toBeGreaterThanOrEqual(1);
    expect(resumed.resume).toBe('full');
    room.emit(SENT_AFTER_RESTART);
    const truth = unique(room.truth());
    const lastId = truth.at(-1)!.msgId;
    await until(() => second.stored.has(lastId), 'the restarted gateway to store the last message', 60_000);
    second.kill('SIGTERM');
    expect((await second.exited).code).toBe(0);

    // 4. What the first gateway reported stored is there, once, under the same cursor.
    const store = await target.open();
    cleanups.push(() => store.close());
    const rows = await allStored(store, room.id);
    const byId = new Map<string, string>();
    for (const row of rows) {
      expect(byId.has(row.id), `${row.id} stored twice`).toBe(false);
      byId.set(row.id, row.cursor ?? '');
    }
    expect(await store.countEvents(room.id)).toBe(rows.length);
    const lostOrChanged = [...reported].filter(([id, cursor]) => byId.get(id) !== cursor);
    expect(lostOrChanged).toEqual([]);

    // 5. The resend stored nothing again: the restarted gateway published none of those events anew.
    expect(second.storedOrder.filter((id) => reported.has(id))).toEqual([]);
    // And what was in flight at the kill came back with the resend: the room equals the truth.
    const truthIds = new Set(truth.map((record) => record.msgId));
    const upstreamRows = rows.filter((row) => truthIds.has(row.id));
    expect(upstreamRows.length).toBe(truthIds.size);
    expect(rows.filter((row) => !truthIds.has(row.id) && !isGatewayEvent(row)).map((row) => row.id)).toEqual([]);
    const sentBeforeRestart = truth.slice(0, truth.length - SENT_AFTER_RESTART).map((record) => record.msgId);
    expect(sentBeforeRestart.filter((id) => !byId.has(id))).toEqual([]);
    // Gifts were counted once: the ledger equals the simulator's totals.
    const stats = await store.roomStats(room.id);
    expect(stats.giftDiamondsTotal).toBe(giftTotals(truth).diamonds);
  }

  it('PGlite in a data directory: keeps every reported event and stores none twice after the resend', async () => {
    await proveRestart(await embeddedStore('restart-e2e'));
  }, 3 * PGLITE_TIMEOUT_MS);

  it.skipIf(pgUnavailable !== null)(`PostgreSQL: keeps every reported event and stores none twice after the resend${pgUnavailable ? ` (skipped: ${pgUnavailable})` : ''}`, async () => {
    await proveRestart(await postgresStore('restart_e2e'));
  }, 3 * PGLITE_TIMEOUT_MS);
});
