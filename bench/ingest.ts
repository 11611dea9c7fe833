// Sustained ingest through the whole gateway pipeline: simulator → push connections (real
// sockets, real protocol) → collectors → ingest writer → store → bus, for 1, 10 and 50 busy rooms,
// on the embedded store (PGlite on disk) and PostgreSQL. The simulator runs in its own process
// (this file with --upstream), as Douyin would, so the gateway's thread is measured alone.
// Each room count is measured twice: at a fixed offered rate (does the pipeline keep up, and how
// late does an event reach the bus?) and saturated (the simulator keeps a fixed number of
// messages unstored ahead of the gateway: how many events/s does it store?). The baseline in the
// same run is what the simulator offered. Two latencies: from the simulator creating a message
// to its event reaching a bus subscriber, and from the store committing it to the same moment
// (publish after store).
// Run: npx tsx bench/ingest.ts [--rooms 500] [--rate 10000] [--seconds 60] [--modes offered,saturated] [--engines pglite,postgres]
//   (the defaults are issue 15's sustained load; PostgreSQL from BENCH_DATABASE_URL, DATABASE_URL or the local default)
import { type ChildProcess, spawn } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { setMaxListeners } from 'node:events';
import { mkdtemp, readdir, readFile, rm } from 'node:fs/promises';
import { cpus, tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { createInterface } from 'node:readline';
import { setTimeout as sleep } from 'node:timers/promises';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { parseArgs } from 'node:util';
import { loadConfig } from '../src/config.ts';
import { createGateway, type Gateway } from '../src/server/gateway.ts';
import { createLogger } from '../src/server/logger.ts';
import { startSimulator } from '../src/simulator/index.ts';
import type { EventStore } from '../src/store/event-store.ts';
import { liveUpstreamEnv } from './lib/live-upstream.ts';
import { describeMachine, formatLoad, loadAverage } from './lib/machine.ts';
import { adminQuery, benchDatabaseUrl, reachable } from './lib/postgres.ts';

export interface IngestBenchResult {
  engine: string;
  rooms: number;
  mode: 'offered rate' | 'saturated';
  /** Upstream messages per second the simulator sent during the measurement (the baseline). */
  offeredPerSec: number;
  /** New events per second committed to the store during the measurement. */
  storedPerSec: number;
  /** From the simulator creating a message to its event reaching a bus subscriber, ms (chats excluded: whole-second times). */
  latencyP50Ms: number | null;
  latencyP99Ms: number | null;
  /** From the store committing an event to its reaching a bus subscriber, ms. */
  publishP50Ms: number | null;
  publishP99Ms: number | null;
  /** enqueue() calls the store's backpressure held back during the measurement. */
  backpressureWaits: number;
  /** CPU the gateway process used during the measurement, % of one core (the simulator runs apart). */
  gatewayCpuPercent: number;
  /** The gateway's CPU per stored event, µs. */
  cpuUsPerStored: number | null;
  /** CPU the load process (the simulator) used, % of one core: on a small machine its share is taken from the gateway and the database. */
  loadCpuPercent: number | null;
  /** CPU of the PostgreSQL server's processes, % of one core; null for PGlite, which runs in the gateway's process. */
  databaseCpuPercent: number | null;
  /** Gateway + database server + load process CPU per stored event, µs: what the machine pays for one. */
  allCpuUsPerStored: number | null;
  /** Busy share of the whole machine during the measurement, % of one core (200 is two cores full). */
  machineBusyPercent: number | null;
  /** Where the writer's time went: events per batch, and wall ms per batch in each store call. */
  writes: WriteTimes;
  /** Whether everything sent was stored within the drain deadline after the measurement. */
  drained: boolean;
}

export interface IngestBenchOptions {
  /** Room counts to measure; default 1, 10, 50. */
  rooms?: readonly number[];
  /** Offered rate for all rooms together, messages/s; default 1000. */
  offeredPerSec?: number;
  /** Length of each measurement, ms; default 5000. */
  measureMs?: number;
  /** null skips PostgreSQL. */
  databaseUrl?: string | null;
  /** Default both. */
  modes?: readonly IngestBenchResult['mode'][];
  /** Default both (PostgreSQL when it answers). */
  engines?: readonly ('pglite' | 'postgres')[];
}

interface WriteTimes {
  eventsPerBatch: number | null;
  appendMsPerBatch: number | null;
  usersMsPerBatch: number | null;
  snapshotMsPerBatch: number | null;
}

/** Wall time spent in the store calls the writer makes: events (one transaction per batch), users seen, snapshots. */
class StoreCallTimes {
  private totals = { batches: 0, events: 0, appendMs: 0, usersMs: 0, snapshotMs: 0 };

  constructor(store: EventStore) {
    const appendEvents = this.timed(store.appendEvents.bind(store), 'appendMs');
    store.appendEvents = (events, options) => {
      this.totals.batches += 1;
      this.totals.events += events.length;
      return appendEvents(events, options);
    };
    store.upsertUsers = this.timed(store.upsertUsers.bind(store), 'usersMs');
    store.saveSnapshots = this.timed(store.saveSnapshots.bind(store), 'snapshotMs');
  }

  /** The times since the previous take. */
  take(): WriteTimes {
    const { batches, events, appendMs, usersMs, snapshotMs } = this.totals;
    this.totals = { batches: 0, events: 0, appendMs: 0, usersMs: 0, snapshotMs: 0 };
    const perBatch = (value: number) => (batches === 0 ? null : Math.round((value / batches) * 10) / 10);
    return { eventsPerBatch: perBatch(events), appendMsPerBatch: perBatch(appendMs), usersMsPerBatch: perBatch(usersMs), snapshotMsPerBatch: perBatch(snapshotMs) };
  }

  private timed<Args extends unknown[], Result>(call: (...args: Args) => Promise<Result>, total: 'appendMs' | 'usersMs' | 'snapshotMs') {
    return async (...args: Args): Promise<Result> => {
      const started = performance.now();
      try {
        return await call(...args);
      } finally {
        this.totals[total] += performance.now() - started;
      }
    };
  }
}

/** User + system CPU of another process so far, µs (Linux), or null where /proc cannot say. */
async function processCpuUs(pid: number | undefined): Promise<number | null> {
  if (pid === undefined) return null;
  try {
    return cpuUsOfStat(await readFile(`/proc/${pid}/stat`, 'utf8'));
  } catch {
    return null;
  }
}

/** User + system CPU from a /proc/<pid>/stat line, µs. */
function cpuUsOfStat(stat: string): number {
  const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
  // utime and stime are fields 14 and 15 of the line, in clock ticks (100 a second on Linux).
  return (Number(fields[11]) + Number(fields[12])) * 10_000;
}

/** User + system CPU of every PostgreSQL server process on this machine so far, µs (Linux), or null. */
async function postgresServerCpuUs(): Promise<number | null> {
  try {
    const pids = (await readdir('/proc')).filter((name) => /^\d+$/.test(name));
    let total = 0;
    for (const pid of pids) {
      // A process that ended meanwhile reads as empty and counts nothing.
      const stat = await readFile(`/proc/${pid}/stat`, 'utf8').catch(() => '');
      if (stat.includes('(postgres)')) total += cpuUsOfStat(stat);
    }
    return total;
  } catch {
    return null;
  }
}

/** Busy and total CPU time of the whole machine so far, µs (the first line of /proc/stat), or null. */
async function machineCpuUs(): Promise<{ busy: number; total: number } | null> {
  try {
    const [user, nice, system, idle, iowait, irq, softirq, steal] = (await readFile('/proc/stat', 'utf8')).split('\n')[0]!.trim().split(/\s+/).slice(1).map(Number) as number[];
    const busy = user! + nice! + system! + irq! + softirq! + steal!;
    return { busy: busy * 10_000, total: (busy + idle! + iowait!) * 10_000 };
  } catch {
    return null;
  }
}

interface Engine {
  name: string;
  env: Record<string, string>;
  /** CPU of the database server so far, µs, where it runs in processes of its own. */
  serverCpuUs?: () => Promise<number | null>;
  dispose(): Promise<void>;
}

const SELF = fileURLToPath(import.meta.url);
/** Unstored messages the saturating driver keeps in flight: enough that the writer never starves. */
const SATURATION_AHEAD = 4_000;
/** Messages asked of the simulator per request while saturating. */
const SATURATION_STEP = 500;
const WARMUP_MS = 1_000;
const DRAIN_MS = 20_000;
const GATEWAY_EVENTS = new Set(['ConnectionStateEvent', 'StreamGapEvent']);
/** Chats carry only a whole-second event_time (the simulator backdates it like Douyin): no latency from them. */
const COARSE_TIME_EVENTS = new Set(['ChatEvent']);

/** The simulator in a child process, driven over stdin: `emit <per room>` answers `SENT <messages>`. */
class Upstream {
  sent = 0;
  private answers: (() => void)[] = [];

  private constructor(
    readonly child: ChildProcess,
    readonly url: string,
    readonly roomIds: string[],
  ) {
    createInterface({ input: child.stdout! }).on('line', (line) => {
      const [word, count] = line.split(' ');
      if (word !== 'SENT') return;
      this.sent += Number(count);
      this.answers.shift()?.();
    });
  }

  static async start(rooms: number): Promise<Upstream> {
    const child = spawn(process.execPath, ['--import', 'tsx', SELF, '--upstream', String(rooms)], { stdio: ['pipe', 'pipe', 'inherit'] });
    const first = await new Promise<string>((resolveLine, reject) => {
      child.once('exit', (code) => reject(new Error(`the upstream exited (${code}) before it was ready`)));
      createInterface({ input: child.stdout! }).once('line', resolveLine);
    });
    const [word, url, ids] = first.split(' ');
    if (word !== 'READY' || !url || !ids) throw new Error(`unexpected upstream greeting: ${first}`);
    return new Upstream(child, url, ids.split(','));
  }

  emit(perRoom: number): Promise<void> {
    return new Promise((answered) => {
      this.answers.push(answered);
      this.child.stdin!.write(`emit ${perRoom}\n`);
    });
  }

  async stop(): Promise<void> {
    const exited = new Promise((done) => this.child.once('exit', done));
    this.child.stdin!.end('stop\n');
    await exited;
  }
}

async function runUpstream(rooms: number): Promise<void> {
  const sim = await startSimulator({ seed: `bench-ingest-${rooms}`, autoTraffic: false, rooms: Array.from({ length: rooms }, () => ({ rate: 0 })), host: '127.0.0.1', backlogSize: 1_000 });
  const live = sim.liveRooms();
  process.stdout.write(`READY ${sim.url} ${live.map((room) => room.id).join(',')}\n`);
  for await (const line of createInterface({ input: process.stdin })) {
    const [word, count] = line.split(' ');
    if (word === 'stop') break;
    if (word !== 'emit') continue;
    let sent = 0;
    for (const room of live) sent += room.emit(Number(count)).filter((record) => !record.duplicate).length;
    process.stdout.write(`SENT ${sent}\n`);
  }
  await sim.stop();
  process.exit(0);
}

interface Pipeline {
  upstream: Upstream;
  gateway: Gateway;
  /** Upstream events that reached the bus (so were stored first), since the pipeline started. */
  delivered: number;
  latencies: number[] | null;
  /** Store commit → bus subscriber, ms, while measuring. */
  afterStore: number[] | null;
  /** When each event still on its way to the bus was committed (performance.now()). */
  committedAt: Map<string, number>;
  storeCalls: StoreCallTimes;
  stop(): Promise<void>;
}

async function startPipeline(engine: Engine, roomCount: number): Promise<Pipeline> {
  const upstream = await Upstream.start(roomCount);
  const config = loadConfig({
    ...liveUpstreamEnv(upstream.url),
    LOG_LEVEL: 'error',
    SUBSCRIBER_BUFFER: '10000000',
    ROOM_LINGER_MS: '60000',
    // Hundreds of rooms each make their start-up calls to the local simulator at once: Douyin's
    // politeness limit (5 calls/s, 50 queued) would make joining them all the measurement.
    UPSTREAM_RATE_PER_SEC: '10000',
    UPSTREAM_RATE_BURST: '10000',
    UPSTREAM_QUEUE_PER_CALLER: '100000',
    ...engine.env,
  });
  const gateway = await createGateway(config, { logger: createLogger({ level: 'error', destination: process.stderr }) });
  const storeCalls = new StoreCallTimes(gateway.store);
  const pipeline: Pipeline = { upstream, gateway, delivered: 0, latencies: null, afterStore: null, committedAt: new Map(), storeCalls, stop: async () => {} };
  // The commit time of each event, taken in the writer's own promise: this reaction is registered
  // before the pipeline's await on the same promise, so it runs first, at the commit.
  const writer = gateway.writer;
  const enqueue = writer.enqueue.bind(writer);
  writer.enqueue = (event, epoch) => {
    const written = enqueue(event, epoch);
    written.then(
      () => pipeline.afterStore !== null && pipeline.committedAt.set(event.id, performance.now()),
      () => undefined,
    );
    return written;
  };
  const stopFeeds = new AbortController();
  setMaxListeners(roomCount + 10, stopFeeds.signal);
  const releases = upstream.roomIds.map((roomId) => gateway.supervisor.watch(roomId));
  const feeds = upstream.roomIds.map(async (roomId) => {
    for await (const event of gateway.services.events.subscribe(roomId, { signal: stopFeeds.signal })) {
      if (GATEWAY_EVENTS.has(event.type)) continue;
      pipeline.delivered += 1;
      if (!COARSE_TIME_EVENTS.has(event.type)) pipeline.latencies?.push(Date.now() - event.createdAt);
      const committed = pipeline.committedAt.get(event.id);
      if (committed !== undefined) {
        pipeline.committedAt.delete(event.id);
        pipeline.afterStore?.push(performance.now() - committed);
      }
    }
  });
  const joinMs = 60_000 + roomCount * 100;
  const deadline = Date.now() + joinMs;
  while (!upstream.roomIds.every((roomId) => gateway.supervisor.connectionState(roomId) === 'LIVE')) {
    if (Date.now() > deadline) throw new Error(`not every room went LIVE within ${joinMs / 1000} s`);
    await sleep(20);
  }
  pipeline.stop = async () => {
    stopFeeds.abort();
    for (const release of releases) release();
    await gateway.close();
    await Promise.allSettled(feeds);
    await upstream.stop();
  };
  return pipeline;
}

type Driver = (pipeline: Pipeline, ms: number) => Promise<void>;

/** Sends `perSec` messages/s across the rooms in small steps. */
function offered(perSec: number): Driver {
  return async ({ upstream }, ms) => {
    const started = performance.now();
    let owed = 0;
    for (let last = started; performance.now() - started < ms; ) {
      await sleep(5);
      const now = performance.now();
      owed += ((now - last) / 1000) * perSec;
      last = now;
      const perRoom = Math.floor(owed / upstream.roomIds.length);
      if (perRoom < 1) continue;
      owed -= perRoom * upstream.roomIds.length;
      await upstream.emit(perRoom);
    }
  };
}

/** Keeps SATURATION_AHEAD messages sent but not yet stored. */
const saturated: Driver = async (pipeline, ms) => {
  const { upstream } = pipeline;
  const started = performance.now();
  const perRoom = Math.max(1, Math.floor(SATURATION_STEP / upstream.roomIds.length));
  const inFlight = new Set<Promise<void>>();
  while (performance.now() - started < ms) {
    // Two requests in flight keep the simulator busy while an answer travels back.
    if (inFlight.size < 2 && upstream.sent + inFlight.size * SATURATION_STEP - pipeline.delivered < SATURATION_AHEAD) {
      const request = upstream.emit(perRoom).finally(() => inFlight.delete(request));
      inFlight.add(request);
    } else {
      await Promise.race([sleep(2), ...inFlight]);
    }
  }
  await Promise.all(inFlight);
};

async function measure(pipeline: Pipeline, mode: IngestBenchResult['mode'], drive: Driver, measureMs: number, engine: Engine): Promise<Omit<IngestBenchResult, 'engine'>> {
  const { upstream, gateway } = pipeline;
  await drive(pipeline, WARMUP_MS);
  const sentBefore = upstream.sent;
  const before = gateway.writer.stats();
  pipeline.latencies = [];
  pipeline.afterStore = [];
  pipeline.committedAt.clear();
  pipeline.storeCalls.take();
  const cpuBefore = process.cpuUsage();
  const loadCpuBefore = await processCpuUs(upstream.child.pid);
  const databaseCpuBefore = (await engine.serverCpuUs?.()) ?? null;
  const machineBefore = await machineCpuUs();
  const started = performance.now();
  await drive(pipeline, measureMs);
  const elapsed = performance.now() - started;
  const cpu = process.cpuUsage(cpuBefore);
  const loadCpuAfter = await processCpuUs(upstream.child.pid);
  const databaseCpuAfter = (await engine.serverCpuUs?.()) ?? null;
  const machineAfter = await machineCpuUs();
  const writes = pipeline.storeCalls.take();
  const after = gateway.writer.stats();
  const sent = upstream.sent - sentBefore;
  const latencies = pipeline.latencies.sort((a, b) => a - b);
  pipeline.latencies = null;
  const drainDeadline = Date.now() + DRAIN_MS;
  while (pipeline.delivered < upstream.sent && Date.now() < drainDeadline) await sleep(20);
  const afterStore = pipeline.afterStore.sort((a, b) => a - b);
  pipeline.afterStore = null;
  pipeline.committedAt.clear();
  const quantile = (sorted: number[], q: number) => (sorted.length === 0 ? null : (sorted[Math.min(sorted.length - 1, Math.floor(q * sorted.length))] as number));
  const at = (q: number) => quantile(latencies, q);
  const publishAt = (q: number) => {
    const ms = quantile(afterStore, q);
    return ms === null ? null : Math.round(ms * 10) / 10;
  };
  const stored = after.stored - before.stored;
  const loadCpu = loadCpuBefore === null || loadCpuAfter === null ? null : loadCpuAfter - loadCpuBefore;
  const databaseCpu = databaseCpuBefore === null || databaseCpuAfter === null ? null : databaseCpuAfter - databaseCpuBefore;
  const percentOfCore = (us: number | null) => (us === null ? null : Math.round((us / 1000 / elapsed) * 100));
  const gatewayCpu = cpu.user + cpu.system;
  return {
    rooms: upstream.roomIds.length,
    mode,
    offeredPerSec: Math.round((sent / elapsed) * 1000),
    storedPerSec: Math.round(((after.stored - before.stored) / elapsed) * 1000),
    latencyP50Ms: at(0.5),
    latencyP99Ms: at(0.99),
    publishP50Ms: publishAt(0.5),
    publishP99Ms: publishAt(0.99),
    backpressureWaits: after.backpressureWaits - before.backpressureWaits,
    gatewayCpuPercent: percentOfCore(gatewayCpu) as number,
    cpuUsPerStored: stored === 0 ? null : Math.round(gatewayCpu / stored),
    loadCpuPercent: percentOfCore(loadCpu),
    databaseCpuPercent: percentOfCore(databaseCpu),
    allCpuUsPerStored: stored === 0 || loadCpu === null ? null : Math.round((gatewayCpu + (databaseCpu ?? 0) + loadCpu) / stored),
    machineBusyPercent:
      machineBefore === null || machineAfter === null || machineAfter.total === machineBefore.total
        ? null
        : Math.round(((machineAfter.busy - machineBefore.busy) / (machineAfter.total - machineBefore.total)) * cpus().length * 100),
    writes,
    drained: pipeline.delivered >= upstream.sent,
  };
}

async function embedded(): Promise<Engine> {
  const dir = await mkdtemp(join(tmpdir(), 'bench-ingest-'));
  return { name: 'PGlite (disk)', env: { DATA_DIR: dir }, dispose: () => rm(dir, { recursive: true, force: true }) };
}

async function postgres(databaseUrl: string): Promise<Engine> {
  const schema = `bench_ingest_${randomBytes(5).toString('hex')}`;
  await adminQuery(databaseUrl, `CREATE SCHEMA ${schema}`);
  const url = `${databaseUrl}${databaseUrl.includes('?') ? '&' : '?'}options=${encodeURIComponent(`-c search_path=${schema}`)}`;
  // The server's CPU is read from /proc only when it runs on this machine.
  const local = ['127.0.0.1', 'localhost', '[::1]'].includes(new URL(databaseUrl).hostname);
  return { name: 'PostgreSQL', env: { DATABASE_URL: url }, ...(local ? { serverCpuUs: postgresServerCpuUs } : {}), dispose: () => adminQuery(databaseUrl, `DROP SCHEMA ${schema} CASCADE`) };
}

export async function runIngestBench(options: IngestBenchOptions = {}): Promise<IngestBenchResult[]> {
  const roomCounts = options.rooms ?? [1, 10, 50];
  const offeredPerSec = options.offeredPerSec ?? 1_000;
  const measureMs = options.measureMs ?? 5_000;
  let databaseUrl = options.databaseUrl === undefined ? benchDatabaseUrl() : options.databaseUrl;
  if (databaseUrl !== null && !(await reachable(databaseUrl))) {
    process.stderr.write(`ingest: PostgreSQL at ${databaseUrl} unreachable, skipping it\n`);
    databaseUrl = null;
  }
  const wanted = new Set(options.engines ?? ['pglite', 'postgres']);
  const modes = new Set(options.modes ?? ['offered rate', 'saturated']);
  const makers: (() => Promise<Engine>)[] = [
    ...(wanted.has('pglite') ? [embedded] : []),
    ...(databaseUrl === null || !wanted.has('postgres') ? [] : [() => postgres(databaseUrl as string)]),
  ];
  const results: IngestBenchResult[] = [];
  for (const make of makers) {
    const engine = await make();
    try {
      for (const rooms of roomCounts) {
        const pipeline = await startPipeline(engine, rooms);
        try {
          if (modes.has('offered rate')) results.push({ engine: engine.name, ...(await measure(pipeline, 'offered rate', offered(offeredPerSec), measureMs, engine)) });
          if (modes.has('saturated')) results.push({ engine: engine.name, ...(await measure(pipeline, 'saturated', saturated, measureMs, engine)) });
        } finally {
          await pipeline.stop();
        }
      }
    } finally {
      await engine.dispose();
    }
  }
  return results;
}

export function formatIngestResults(results: readonly IngestBenchResult[]): string {
  const header = `${'engine'.padEnd(15)}${'rooms'.padStart(6)}  ${'mode'.padEnd(13)}${'offered/s'.padStart(10)}${'stored/s'.padStart(10)}${'p50 ms'.padStart(8)}${'p99 ms'.padStart(8)}${'pub p50'.padStart(9)}${'pub p99'.padStart(9)}${'bp waits'.padStart(10)}${'cpu %'.padStart(7)}${'µs/ev'.padStart(7)}${'load %'.padStart(8)}${'db %'.padStart(6)}${'all µs/ev'.padStart(11)}${'machine %'.padStart(11)}${'batch'.padStart(7)}${'ms: events'.padStart(12)}${'users'.padStart(7)}${'snaps'.padStart(7)}  drained`;
  const lines = results.map(
    (r) =>
      `${r.engine.padEnd(15)}${String(r.rooms).padStart(6)}  ${r.mode.padEnd(13)}${String(r.offeredPerSec).padStart(10)}${String(r.storedPerSec).padStart(10)}` +
      `${String(r.latencyP50Ms ?? '-').padStart(8)}${String(r.latencyP99Ms ?? '-').padStart(8)}${String(r.publishP50Ms ?? '-').padStart(9)}${String(r.publishP99Ms ?? '-').padStart(9)}${String(r.backpressureWaits).padStart(10)}${String(r.gatewayCpuPercent).padStart(7)}` +
      `${String(r.cpuUsPerStored ?? '-').padStart(7)}${String(r.loadCpuPercent ?? '-').padStart(8)}${String(r.databaseCpuPercent ?? '-').padStart(6)}${String(r.allCpuUsPerStored ?? '-').padStart(11)}${String(r.machineBusyPercent ?? '-').padStart(11)}${String(r.writes.eventsPerBatch ?? '-').padStart(7)}` +
      `${String(r.writes.appendMsPerBatch ?? '-').padStart(12)}${String(r.writes.usersMsPerBatch ?? '-').padStart(7)}${String(r.writes.snapshotMsPerBatch ?? '-').padStart(7)}  ${r.drained ? 'yes' : 'NO'}`,
  );
  return [header, ...lines].join('\n');
}

if (process.argv[1] !== undefined && import.meta.url === pathToFileURL(resolve(process.argv[1])).href) {
  if (process.argv[2] === '--upstream') {
    await runUpstream(Number(process.argv[3] ?? 1));
  } else {
    const { values } = parseArgs({
      options: {
        rooms: { type: 'string', default: '500' },
        rate: { type: 'string', default: '10000' },
        seconds: { type: 'string', default: '60' },
        modes: { type: 'string', default: 'offered' },
        engines: { type: 'string', default: 'pglite,postgres' },
      },
    });
    const rooms = values.rooms.split(',').map(Number);
    const rate = Number(values.rate);
    const seconds = Number(values.seconds);
    if (!rooms.every((n) => Number.isSafeInteger(n) && n > 0) || !(rate > 0) || !(seconds > 0)) throw new RangeError('--rooms takes whole numbers, --rate and --seconds positive numbers');
    const modeNames = { offered: 'offered rate', saturated: 'saturated' } as const;
    const modes = values.modes.split(',').map((name) => {
      if (!(name in modeNames)) throw new RangeError(`--modes takes offered and/or saturated, not ${name}`);
      return modeNames[name as keyof typeof modeNames];
    });
    const engines = values.engines.split(',').map((name) => {
      if (name !== 'pglite' && name !== 'postgres') throw new RangeError(`--engines takes pglite and/or postgres, not ${name}`);
      return name;
    });
    process.stdout.write(`ingest on ${describeMachine()}; ${formatLoad(loadAverage())} at start\n`);
    const results = await runIngestBench({ rooms, offeredPerSec: rate, measureMs: seconds * 1000, modes, engines });
    process.stdout.write(`${formatIngestResults(results)}\n${formatLoad(loadAverage())} at the end\n`);
  }
}
