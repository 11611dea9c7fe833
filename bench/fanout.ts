// Subscription fan-out: N subscribers (one WebSocket each) on one room, served by the gateway
// and, in the same run, by two baselines: a bare `ws` broadcast of one pre-serialized frame
// (the practical limit) and stock graphql-yoga + graphql-ws executing per subscriber.
//
// Each server runs in its own child process; the subscribers live in client child processes;
// this process is the load source (the simulator for the gateway, IPC publishes for the
// baselines) and knows when each event id was sent. Per subscriber count, two phases:
//  - saturated: events go out in rounds, at most two rounds in flight, so the server is never
//    idle and no queue grows without bound: deliveries/s, server CPU per delivery;
//  - steady: events at a fixed share (default half) of that server's saturated rate: latency
//    from the send to the client's receipt, p50/p99 (Date.now() on both sides, 1 ms resolution).
// Run: npx tsx bench/fanout.ts [--subscribers 100,1000,5000] [--seconds 1.5] [--servers bare-ws,yoga,gateway]
import { startChild, type BenchChild } from './lib/child.ts';
import { ClientPool, delay, waitUntilLive } from './lib/client-pool.ts';
import type { LatencyHistogram } from './lib/histogram.ts';
import { publishSource, simulatorRoomSource, type LoadSource } from './lib/load-source.ts';
import { describeMachine, formatLoad, loadAverage, type LoadAverage } from './lib/machine.ts';
import { argValue, isMain, parseCounts, parseSeconds } from './lib/main.ts';
import { ratio } from './lib/stats.ts';
import { fmtFixed, fmtInt, fmtMs, fmtRatio, formatTable } from './lib/table.ts';
import type { CpuTime } from './servers/child.ts';
import { FANOUT_SUBSCRIPTION, SERVER_LABELS, type ServerKind, type Started } from './servers/types.ts';
import { startSimulator, type Simulator } from '../src/simulator/index.ts';

const SERVER_SCRIPT = new URL('./servers/child.ts', import.meta.url);
const CLIENT_SCRIPT = new URL('./clients/ws-clients.ts', import.meta.url);

export interface FanoutOptions {
  subscribers?: number[];
  servers?: ServerKind[];
  /** Length of the saturated phase per subscriber count, ms. */
  saturateMs?: number;
  /** Length of the steady phase, ms. */
  steadyMs?: number;
  /** The steady phase's rate as a share of the server's saturated deliveries/s. */
  steadyShare?: number;
  clientProcesses?: number;
  /** Deliveries per round in the saturated phase (events per round = this ÷ subscribers). */
  deliveriesPerRound?: number;
  /** How long a round may take to arrive before the cell is reported as stalled, ms. */
  stallMs?: number;
  /** Rounds sent and awaited before each measurement, so every code path is compiled. */
  warmupRounds?: number;
  /** Cells not started within this many ms of the bench's start are skipped. */
  timeLimitMs?: number;
}

export interface LatencyFigures {
  p50: number;
  p99: number;
  max: number;
  samples: number;
}

export interface FanoutCell {
  server: ServerKind;
  subscribers: number;
  saturated: {
    events: number;
    deliveries: number;
    seconds: number;
    deliveriesPerSec: number;
    /** Server CPU time per delivery, µs (user + system of the server process). */
    cpuMicrosPerDelivery: number;
    /** Server CPU seconds per wall second (1 = one core busy): well below 1, something else was the limit. */
    serverCores: number;
    /** CPU of all client processes per delivery, µs. */
    clientCpuMicrosPerDelivery: number;
    /** Closed-loop latency: includes waiting behind the rest of a round. */
    latency: LatencyFigures;
  } | null;
  steady: {
    eventsPerSec: number;
    offeredDeliveriesPerSec: number;
    deliveriesPerSec: number;
    latency: LatencyFigures;
  } | null;
  errors: number;
  note: string | null;
  load: LoadAverage;
  /** Seconds spent opening the sockets and waiting until every subscriber received an event. */
  setupSeconds: number;
}

export interface FanoutResult {
  settings: Required<FanoutOptions>;
  cells: FanoutCell[];
}

const DEFAULTS: Required<FanoutOptions> = {
  subscribers: [100, 1000, 5000],
  servers: ['bare-ws', 'yoga', 'gateway'],
  saturateMs: 1500,
  steadyMs: 1500,
  steadyShare: 0.5,
  clientProcesses: 2,
  deliveriesPerRound: 5000,
  stallMs: 15_000,
  warmupRounds: 3,
  timeLimitMs: 180_000,
};

function figures(histogram: LatencyHistogram): LatencyFigures {
  return { p50: histogram.percentile(50), p99: histogram.percentile(99), max: histogram.max, samples: histogram.count };
}

async function serverCpu(server: BenchChild): Promise<number> {
  return (await server.call<CpuTime>('cpu')).micros;
}

async function saturate(
  source: LoadSource,
  server: BenchChild,
  clients: ClientPool,
  durationMs: number,
  perRound: number,
  stallMs: number,
): Promise<{ events: number; seconds: number; cpuMicros: number }> {
  await clients.phase();
  const cpuStart = await serverCpu(server);
  const started = performance.now();
  let emitted = 0;
  let previousRound = 0;
  while (performance.now() - started < durationMs) {
    clients.notifySent(source.emit(perRound));
    const thisRound = emitted + perRound;
    // At most two rounds in flight: wait for the one before this to arrive everywhere.
    if (previousRound > 0) await clients.reach(previousRound, stallMs);
    previousRound = thisRound;
    emitted = thisRound;
  }
  await clients.reach(emitted, stallMs);
  const seconds = (performance.now() - started) / 1000;
  const cpuMicros = (await serverCpu(server)) - cpuStart;
  return { events: emitted, seconds, cpuMicros };
}

async function steady(source: LoadSource, clients: ClientPool, eventsPerSec: number, durationMs: number, stallMs: number): Promise<number> {
  await clients.phase();
  const started = performance.now();
  let emitted = 0;
  for (;;) {
    const elapsed = performance.now() - started;
    if (elapsed >= durationMs) break;
    const due = Math.floor((eventsPerSec * elapsed) / 1000) - emitted;
    if (due > 0) {
      clients.notifySent(source.emit(due));
      emitted += due;
    }
    await delay(5);
  }
  await clients.reach(emitted, stallMs);
  return (performance.now() - started) / 1000;
}

async function measureCell(
  kind: ServerKind,
  subscribers: number,
  source: LoadSource,
  server: BenchChild,
  clients: ClientPool,
  settings: Required<FanoutOptions>,
): Promise<FanoutCell> {
  const cell: FanoutCell = { server: kind, subscribers, saturated: null, steady: null, errors: 0, note: null, load: loadAverage(), setupSeconds: 0 };
  try {
    const liveStarted = performance.now();
    await waitUntilLive(source, clients, settings.stallMs);
    cell.setupSeconds = (performance.now() - liveStarted) / 1000;
    const perRound = Math.max(1, Math.round(settings.deliveriesPerRound / subscribers));
    await clients.phase();
    for (let round = 1; round <= settings.warmupRounds; round += 1) {
      clients.notifySent(source.emit(perRound));
      await clients.reach(round * perRound, settings.stallMs);
    }

    const run = await saturate(source, server, clients, settings.saturateMs, perRound, settings.stallMs);
    const saturated = await clients.report();
    cell.errors += saturated.errors;
    cell.note = saturated.firstError;
    const deliveries = saturated.delivered;
    const deliveriesPerSec = deliveries / run.seconds;
    cell.saturated = {
      events: run.events,
      deliveries,
      seconds: run.seconds,
      deliveriesPerSec,
      cpuMicrosPerDelivery: run.cpuMicros / deliveries,
      serverCores: run.cpuMicros / 1e6 / run.seconds,
      clientCpuMicrosPerDelivery: saturated.cpuMicros / deliveries,
      latency: figures(saturated.latency),
    };
    await clients.settle();

    const eventsPerSec = Math.max(1, (deliveriesPerSec * settings.steadyShare) / subscribers);
    const seconds = await steady(source, clients, eventsPerSec, settings.steadyMs, settings.stallMs);
    const held = await clients.report();
    cell.errors += held.errors;
    cell.note ??= held.firstError;
    cell.steady = {
      eventsPerSec,
      offeredDeliveriesPerSec: eventsPerSec * subscribers,
      deliveriesPerSec: held.delivered / seconds,
      latency: figures(held.latency),
    };
  } catch (error) {
    cell.note = `stalled: ${error instanceof Error ? error.message : String(error)}`;
  }
  cell.load = loadAverage();
  return cell;
}

interface RunningKind {
  kind: ServerKind;
  child: BenchChild;
  started: Started;
  source: LoadSource;
}

async function startServers(settings: Required<FanoutOptions>, sim: Simulator): Promise<RunningKind[]> {
  const most = Math.max(...settings.subscribers);
  const room = sim.liveRooms()[0];
  if (room === undefined) throw new Error('the simulator has no live room');
  const running: RunningKind[] = [];
  // One after the other: starting three children at once on two busy cores only makes each slower.
  try {
    for (const kind of settings.servers) {
      const child = startChild(SERVER_SCRIPT, { sockets: most, name: `fan-out server (${kind})` });
      const source = kind === 'gateway' ? simulatorRoomSource(room) : publishSource(child);
      // Listed before it has started, so a failed start still stops it below.
      running.push({ kind, child, started: { url: '', wsUrl: '' }, source });
      (running.at(-1) as RunningKind).started = await child.call<Started>('start', { kind, ...(kind === 'gateway' ? { upstreamUrl: sim.url } : {}) });
    }
  } catch (error) {
    await Promise.all(running.map((server) => server.child.stop()));
    throw error;
  }
  return running;
}

async function measureServer(server: RunningKind, subscribers: number, clients: ClientPool, settings: Required<FanoutOptions>): Promise<FanoutCell> {
  const connectStarted = performance.now();
  const grown = await clients.grow(subscribers, {
    url: server.started.wsUrl,
    protocol: server.kind === 'bare-ws' ? 'raw' : 'graphql-ws',
    query: FANOUT_SUBSCRIPTION,
    variables: { roomId: server.source.roomId },
  });
  const connectSeconds = (performance.now() - connectStarted) / 1000;
  const cell = await measureCell(server.kind, grown.reached, server.source, server.child, clients, settings);
  cell.setupSeconds += connectSeconds;
  if (grown.reached < subscribers) {
    const capped = `capped at ${grown.reached} of ${subscribers} sockets${grown.failure ? `: ${grown.failure}` : ' (file descriptors)'}`;
    cell.note = cell.note === null ? capped : `${capped}; ${cell.note}`;
  }
  await clients.reset();
  return cell;
}

function skipped(kind: ServerKind, subscribers: number, note: string): FanoutCell {
  return { server: kind, subscribers, saturated: null, steady: null, errors: 0, note, load: loadAverage(), setupSeconds: 0 };
}

/**
 * Every server runs (idle) for the whole bench; for each subscriber count the servers are
 * measured one after the other, so the figures compared at one count are close in time on a
 * machine whose load changes.
 */
export async function runFanoutBench(options: FanoutOptions = {}, log: (line: string) => void = () => {}): Promise<FanoutResult> {
  const settings: Required<FanoutOptions> = { ...DEFAULTS, ...options };
  const counts = [...settings.subscribers].sort((a, b) => a - b);
  const most = counts[counts.length - 1] as number;
  const began = performance.now();
  const sim = await startSimulator({
    seed: 'bench-fanout',
    autoTraffic: false,
    rooms: [{ rate: 0, duplicateChatRate: 0, viewers: 5000 }],
    requestLogCapacity: 1000,
  });
  const clients = new ClientPool(
    Array.from({ length: settings.clientProcesses }, (_, i) =>
      startChild(CLIENT_SCRIPT, { sockets: Math.ceil(most / settings.clientProcesses), name: `fan-out clients ${i + 1}` }),
    ),
  );
  let servers: RunningKind[] = [];
  const cells: FanoutCell[] = [];
  try {
    servers = await startServers(settings, sim);
    const stalled = new Set<ServerKind>();
    for (const subscribers of counts) {
      for (const server of servers) {
        let cell: FanoutCell;
        if (stalled.has(server.kind)) cell = skipped(server.kind, subscribers, 'skipped: stalled at a smaller count');
        else if (performance.now() - began > settings.timeLimitMs) cell = skipped(server.kind, subscribers, `skipped: the bench's ${settings.timeLimitMs / 1000} s were up`);
        else cell = await measureServer(server, subscribers, clients, settings);
        if (cell.note?.includes('stalled:')) stalled.add(server.kind);
        cells.push(cell);
        log(formatFanoutCell(cell));
      }
    }
  } finally {
    await Promise.all([...clients.children.map((child) => child.stop()), ...servers.map((server) => server.child.stop())]);
    await sim.stop();
  }
  return { settings, cells };
}

function formatFanoutCell(cell: FanoutCell): string {
  const s = cell.saturated;
  const t = cell.steady;
  return (
    `  ${SERVER_LABELS[cell.server]}, ${cell.subscribers} subscribers: ${fmtInt(s?.deliveriesPerSec)} deliveries/s, ` +
    `${fmtFixed(s?.cpuMicrosPerDelivery, 2)} µs CPU each; steady ${fmtInt(t?.deliveriesPerSec)}/s p50 ${fmtMs(t?.latency.p50)} ms ` +
    `p99 ${fmtMs(t?.latency.p99)} ms; client CPU ${fmtFixed(s?.clientCpuMicrosPerDelivery, 2)} µs each; set-up ${fmtFixed(cell.setupSeconds, 1)} s ` +
    `(${formatLoad(cell.load)})${cell.note ? ` — ${cell.note}` : ''}`
  );
}

export function formatFanout(result: FanoutResult): string {
  const header = [
    'server',
    'subs',
    'deliveries/s',
    '÷ bare ws',
    'CPU µs/deliv',
    '÷ bare ws',
    'server cores',
    'steady deliv/s',
    'p50 ms',
    'p99 ms',
    'p99 ÷ bare',
    'load 1m',
  ];
  const bare = new Map(result.cells.filter((cell) => cell.server === 'bare-ws').map((cell) => [cell.subscribers, cell]));
  const rows = result.cells.map((cell) => {
    const base = bare.get(cell.subscribers);
    return [
      SERVER_LABELS[cell.server],
      fmtInt(cell.subscribers),
      fmtInt(cell.saturated?.deliveriesPerSec),
      fmtRatio(ratio(cell.saturated?.deliveriesPerSec, base?.saturated?.deliveriesPerSec)),
      fmtFixed(cell.saturated?.cpuMicrosPerDelivery, 2),
      fmtRatio(ratio(cell.saturated?.cpuMicrosPerDelivery, base?.saturated?.cpuMicrosPerDelivery)),
      fmtFixed(cell.saturated?.serverCores, 2),
      fmtInt(cell.steady?.deliveriesPerSec),
      fmtMs(cell.steady?.latency.p50),
      fmtMs(cell.steady?.latency.p99),
      fmtRatio(ratio(cell.steady?.latency.p99, base?.steady?.latency.p99)),
      cell.load[0].toFixed(2),
    ];
  });
  const notes = result.cells.filter((cell) => cell.note !== null || cell.errors > 0).map((cell) => `  ${SERVER_LABELS[cell.server]} × ${cell.subscribers}: ${cell.errors} errors; ${cell.note ?? ''}`);
  const { steadyShare, saturateMs, steadyMs } = result.settings;
  return [
    formatTable(header, rows),
    `deliveries/s: saturated (rounds, ≤2 in flight), ${saturateMs} ms; server cores: its CPU s per wall s then (well below 1: the`,
    `clients or the shared machine were the limit). steady: ${Math.round(steadyShare * 100)} % of each server's own saturated rate for ${steadyMs} ms; latency from send to client receipt.`,
    ...(notes.length > 0 ? ['notes:', ...notes] : []),
  ].join('\n');
}

if (isMain(import.meta.url)) {
  const servers = argValue('servers')?.split(',').map((name) => name.trim()) as ServerKind[] | undefined;
  for (const name of servers ?? []) if (!(name in SERVER_LABELS)) throw new RangeError(`unknown server "${name}" (bare-ws, yoga, gateway)`);
  const seconds = parseSeconds(argValue('seconds'), DEFAULTS.saturateMs);
  console.log(`fan-out on ${describeMachine()}; ${formatLoad(loadAverage())} at start`);
  const result = await runFanoutBench(
    {
      subscribers: parseCounts(argValue('subscribers'), DEFAULTS.subscribers),
      saturateMs: seconds,
      steadyMs: seconds,
      ...(servers === undefined ? {} : { servers }),
    },
    (line) => console.log(line),
  );
  console.log(`\n${formatFanout(result)}`);
}
