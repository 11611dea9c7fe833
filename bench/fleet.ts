// Fleet mode's cost, in one run on one machine: one room's subscribers served by one gateway
// (900 subscribers) and by three gateways on one PostgreSQL and one Redis (300 each), both fed
// by the simulator at the same steady rate: deliveries/s, send-to-receipt p50/p99, gateway CPU
// per delivery, and loss (chats sent × subscribers − deliveries). Then what a room's lease costs:
// one claim statement renewing 1, 100 and 1,000 rooms' leases.
// Run: npx tsx bench/fleet.ts [--subscribers 900] [--rate 20] [--seconds 10]
import { randomBytes } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { startMain, type MainProcess } from '../test/e2e/fixtures/gateway-main.ts';
import { startSimulator, type SimRoom } from '../src/simulator/index.ts';
import { createPgEngine } from '../src/store/pg-store.ts';
import { createSqlLeaseStore } from '../src/store/lease-store.ts';
import { createSqlEventStore } from '../src/store/sql-event-store.ts';
import { startChild } from './lib/child.ts';
import { ClientPool, delay, waitUntilLive } from './lib/client-pool.ts';
import { LatencyHistogram } from './lib/histogram.ts';
import { simulatorRoomSource } from './lib/load-source.ts';
import { describeMachine, formatLoad, loadAverage } from './lib/machine.ts';
import { argValue, isMain } from './lib/main.ts';
import { adminQuery, benchDatabaseUrl, reachable } from './lib/postgres.ts';
import { fmtFixed, fmtInt, fmtMs, formatTable } from './lib/table.ts';
import { FANOUT_SUBSCRIPTION } from './servers/types.ts';

const CLIENT_SCRIPT = new URL('./clients/ws-clients.ts', import.meta.url);
const REDIS_URL = process.env.BENCH_REDIS_URL ?? 'redis://127.0.0.1:6379';
const CLOCK_TICKS_PER_SECOND = 100;

interface FleetCell {
  layout: string;
  subscribers: number;
  deliveriesPerSecond: number;
  p50: number;
  p99: number;
  cpuMicrosPerDelivery: number;
  lost: number;
}

/** CPU seconds a process has used so far, from /proc (user + system). */
function cpuSeconds(pid: number): number {
  const fields = readFileSync(`/proc/${pid}/stat`, 'utf8').split(') ')[1]?.split(' ') ?? [];
  return (Number(fields[11]) + Number(fields[12])) / CLOCK_TICKS_PER_SECOND;
}

async function withSchema<T>(url: string, work: (databaseUrl: string, schema: string) => Promise<T>): Promise<T> {
  const schema = `bench_fleet_${randomBytes(4).toString('hex')}`;
  await adminQuery(url, `CREATE SCHEMA ${schema}`);
  try {
    return await work(`${url}${url.includes('?') ? '&' : '?'}options=${encodeURIComponent(`-c search_path=${schema}`)}`, schema);
  } finally {
    await adminQuery(url, `DROP SCHEMA IF EXISTS ${schema} CASCADE`);
  }
}

async function measureLayout(layout: string, instances: number, subscribers: number, settings: { rate: number; seconds: number }, room: SimRoom, env: Record<string, string>): Promise<FleetCell> {
  const gateways: MainProcess[] = Array.from({ length: instances }, (_, i) => startMain({ ...env, INSTANCE_ID: `bench-${layout}-${i}` }));
  // One client process per gateway slot, three in both layouts, so the clients' share is equal.
  const pools = Array.from({ length: 3 }, (_, i) => new ClientPool([startChild(CLIENT_SCRIPT, { sockets: Math.ceil(subscribers / 3), name: `fleet clients ${i + 1}` })]));
  try {
    const urls = await Promise.all(gateways.map((gateway) => gateway.url));
    await Promise.all(
      pools.map((pool, i) =>
        pool.grow(Math.floor(subscribers / 3), { url: (urls[i % urls.length] as string).replace(/^http/, 'ws'), protocol: 'graphql-ws', query: FANOUT_SUBSCRIPTION, variables: { roomId: room.id } }),
      ),
    );
    const source = simulatorRoomSource(room);
    for (const pool of pools) await waitUntilLive(source, pool, 60_000);
    await Promise.all(pools.map((pool) => pool.phase()));
    const cpuBefore = gateways.map((gateway) => cpuSeconds(gateway.pid));
    const started = performance.now();
    let sent = 0;
    const perTick = Math.max(1, Math.round(settings.rate / 10));
    while (performance.now() - started < settings.seconds * 1000) {
      const items = source.emit(perTick);
      sent += items.length;
      for (const pool of pools) pool.notifySent(items);
      await delay(100);
    }
    for (const pool of pools) await pool.settle(300, 30_000);
    const elapsed = (performance.now() - started) / 1000;
    const cpu = gateways.reduce((sum, gateway, i) => sum + cpuSeconds(gateway.pid) - (cpuBefore[i] as number), 0);
    const reports = await Promise.all(pools.map((pool) => pool.report()));
    const latency = new LatencyHistogram();
    for (const report of reports) latency.merge(report.latency.toJSON());
    const delivered = reports.reduce((sum, report) => sum + report.delivered, 0);
    const sockets = reports.reduce((sum, report) => sum + report.sockets, 0);
    return {
      layout,
      subscribers: sockets,
      deliveriesPerSecond: delivered / elapsed,
      p50: latency.percentile(50),
      p99: latency.percentile(99),
      cpuMicrosPerDelivery: delivered === 0 ? Number.NaN : (cpu * 1e6) / delivered,
      lost: sent * sockets - delivered,
    };
  } finally {
    await Promise.all(pools.flatMap((pool) => pool.children.map((child) => child.stop())));
    for (const gateway of gateways) gateway.kill('SIGTERM');
    await Promise.all(gateways.map((gateway) => gateway.exited));
  }
}

/** ms per claim statement renewing `rooms` leases, and per room. */
async function leaseCost(databaseUrl: string, schema: string): Promise<string[][]> {
  const engine = createPgEngine({ connectionString: databaseUrl.split('?')[0] as string, schema, maxConnections: 2 });
  try {
    await createSqlEventStore(engine).migrate();
    const leases = createSqlLeaseStore(engine);
    const rows: string[][] = [];
    for (const count of [1, 100, 1000]) {
      const roomIds = Array.from({ length: count }, (_, i) => String(7_400_000_000_000_000_000n + BigInt(i)));
      await leases.recordInterest('bench', roomIds.map((roomId) => ({ roomId, forMs: 600_000 })));
      await leases.claim('bench', roomIds, 600_000);
      const rounds = 20;
      const started = performance.now();
      for (let i = 0; i < rounds; i += 1) {
        await leases.recordInterest('bench', roomIds.map((roomId) => ({ roomId, forMs: 600_000 })));
        await leases.claim('bench', roomIds, 600_000);
      }
      const perTick = (performance.now() - started) / rounds;
      rows.push([fmtInt(count), fmtMs(perTick), fmtFixed((perTick * 1000) / count, 1)]);
    }
    return rows;
  } finally {
    await engine.close();
  }
}

export async function runFleetBench(log: (line: string) => void = console.log): Promise<void> {
  const url = benchDatabaseUrl();
  if (!(await reachable(url))) {
    log(`fleet: skipped, PostgreSQL at ${url} does not answer`);
    return;
  }
  const subscribers = Number(argValue('subscribers') ?? 900);
  const settings = { rate: Number(argValue('rate') ?? 20), seconds: Number(argValue('seconds') ?? 10) };
  log(describeMachine());
  const sim = await startSimulator({ seed: 'bench-fleet', autoTraffic: false, rooms: [{ rate: 0, duplicateChatRate: 0 }], requestLogCapacity: 1000 });
  try {
    const room = sim.liveRooms()[0] as SimRoom;
    const cells: FleetCell[] = [];
    let leaseRows: string[][] = [];
    await withSchema(url, async (databaseUrl, schema) => {
      const env = {
        DATABASE_URL: databaseUrl,
        REDIS_URL,
        REDIS_PREFIX: `bench:fleet:${randomBytes(4).toString('hex')}:`,
        DOUYIN_UPSTREAM: 'live',
        DOUYIN_WEB_URL: sim.url,
        DOUYIN_PUSH_URL: sim.pushUrl,
        PORT: '0',
        LOG_LEVEL: 'warn',
        DRAIN_MS: '0',
        SUBSCRIBER_BUFFER: '100000',
        RATE_LIMIT_PER_MIN: '1000000',
        MAX_SUBSCRIPTIONS_PER_TOKEN: '100000',
      };
      cells.push(await measureLayout('one instance', 1, subscribers, settings, room, env));
      cells.push(await measureLayout('three instances', 3, subscribers, settings, room, env));
      leaseRows = await leaseCost(databaseUrl, schema);
    });
    log(
      formatTable(
        ['layout', 'subscribers', 'deliveries/s', 'p50', 'p99', 'gateway CPU µs/delivery', 'lost'],
        cells.map((cell) => [cell.layout, fmtInt(cell.subscribers), fmtInt(cell.deliveriesPerSecond), fmtMs(cell.p50), fmtMs(cell.p99), fmtFixed(cell.cpuMicrosPerDelivery, 1), fmtInt(cell.lost)]),
      ),
    );
    log(`${settings.rate} chats/s for ${settings.seconds} s; ${formatLoad(loadAverage())}`);
    log(formatTable(['rooms per claim', 'ms per renewal (interest + claim)', 'µs per room'], leaseRows));
  } finally {
    await sim.stop();
  }
}

if (isMain(import.meta.url)) await runFleetBench();
