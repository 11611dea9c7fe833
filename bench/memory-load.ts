// Memory under sustained load in the default mode (issue 16 item 8): the gateway as `npm start`
// runs it, with the built-in simulator in its own process and PGlite on disk, streaming R rooms
// × M msg/s to S subscribers (S/R per room) for a while. Its heap (after gc(), collected until it
// stops shrinking) is read every few seconds. The baseline, in the same run, is the same gateway
// with the simulator in another process (this one): the set-up whose memory stayed bounded when
// the issue was filed. A plateau shows as a heap that stops growing; the figure that matters is
// the growth over the second half of the run, in MiB/s (the issue measured 9.7 MiB/s).
// Run: npx tsx bench/memory-load.ts [--seconds 90] [--rooms 20] [--rate 50] [--subscribers 200]
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { startChild, type BenchChild } from './lib/child.ts';
import { ClientPool, delay } from './lib/client-pool.ts';
import { describeMachine, formatLoad, loadAverage } from './lib/machine.ts';
import { argValue, isMain } from './lib/main.ts';
import { fmtBytes, fmtFixed, fmtInt, formatTable } from './lib/table.ts';
import type { MemoryReading } from './servers/child.ts';
import { FANOUT_SUBSCRIPTION, type Started } from './servers/types.ts';
import { startSimulator } from '../src/simulator/index.ts';

const SERVER_SCRIPT = new URL('./servers/child.ts', import.meta.url);
const CLIENT_SCRIPT = new URL('./clients/ws-clients.ts', import.meta.url);
/** Rooms connect in seconds, not at Douyin's pace; the politeness limit is not what is measured. */
const FAST_UPSTREAM = { UPSTREAM_RATE_PER_SEC: '1000', UPSTREAM_RATE_BURST: '1000' };

export type LoadMode = 'separate' | 'built-in';

export const MODE_LABELS: Record<LoadMode, string> = {
  separate: 'simulator in its own process (baseline)',
  'built-in': 'built-in simulator, default mode',
};

export interface LoadOptions {
  seconds?: number;
  rooms?: number;
  rate?: number;
  subscribers?: number;
  /** Seconds between readings. */
  every?: number;
}

export interface Sample {
  /** Seconds since the load reached every subscriber. */
  at: number;
  memory: MemoryReading;
  /** Messages the upstream's rooms sent since the previous sample, per second. */
  upstreamPerSec: number;
  /** Chats the subscribers received since the previous sample, per subscriber and second. */
  deliveredPerSubscriberSec: number;
}

export interface LoadRun {
  mode: LoadMode;
  samples: Sample[];
  subscribers: number;
  errors: number;
  firstError: string | null;
}

export interface LoadResult {
  options: Required<LoadOptions>;
  runs: LoadRun[];
}

interface RoomSummary {
  roomId: string;
  lastSeq: number;
}

async function control<T>(simulatorUrl: string, path: string, body?: unknown): Promise<T> {
  const response = await fetch(`${simulatorUrl}/__sim/${path}`, {
    method: body === undefined ? 'GET' : 'POST',
    headers: { 'content-type': 'application/json' },
    ...(body === undefined ? {} : { body: JSON.stringify(body) }),
  });
  if (!response.ok) throw new Error(`simulator ${path}: ${response.status} ${await response.text()}`);
  return (await response.json()) as T;
}

/** Quietens the simulator's default rooms and opens `rooms` rooms at `rate` msg/s; their ids. */
async function openRooms(simulatorUrl: string, rooms: number, rate: number): Promise<string[]> {
  for (const room of await control<RoomSummary[]>(simulatorUrl, 'rooms')) await control(simulatorUrl, `rooms/${room.roomId}/rate`, { rate: 0 });
  const ids: string[] = [];
  for (let i = 0; i < rooms; i += 1) ids.push((await control<RoomSummary>(simulatorUrl, 'rooms', { rate, duplicateChatRate: 0 })).roomId);
  return ids;
}

async function upstreamSent(simulatorUrl: string, roomIds: ReadonlySet<string>): Promise<number> {
  const rooms = await control<RoomSummary[]>(simulatorUrl, 'rooms');
  return rooms.filter((room) => roomIds.has(room.roomId)).reduce((sum, room) => sum + room.lastSeq, 0);
}

async function runMode(mode: LoadMode, options: Required<LoadOptions>): Promise<LoadRun> {
  const dataDir = await mkdtemp(join(tmpdir(), 'bench-memory-load-'));
  // The baseline's simulator runs here, keeping as little ground truth as the built-in one.
  const sim = mode === 'separate' ? await startSimulator({ seed: 'bench-memory-load', truthCapacity: 1_000, requestLogCapacity: 10_000 }) : null;
  const server: BenchChild = startChild(SERVER_SCRIPT, { sockets: options.subscribers + 100, nodeFlags: ['--expose-gc'], name: `memory-load server (${mode})` });
  const clients = new ClientPool([startChild(CLIENT_SCRIPT, { sockets: options.subscribers, name: `memory-load clients (${mode})` })]);
  try {
    const env = { ...FAST_UPSTREAM, DATA_DIR: dataDir };
    const started = await server.call<Started>(
      'start',
      { kind: 'gateway', ...(sim === null ? { builtInSimulator: true } : { upstreamUrl: sim.url }), env },
      180_000,
    );
    const simulatorUrl = sim?.url ?? started.simulatorUrl;
    if (simulatorUrl === undefined) throw new Error('the gateway did not say where its simulator listens');
    const roomIds = await openRooms(simulatorUrl, options.rooms, options.rate);
    const perRoom = Math.ceil(options.subscribers / options.rooms);
    for (const [index, roomId] of roomIds.entries()) {
      const total = Math.min(options.subscribers, perRoom * (index + 1));
      const grown = await clients.grow(total, { url: started.wsUrl, protocol: 'graphql-ws', query: FANOUT_SUBSCRIPTION, variables: { roomId } });
      if (grown.failure !== null) throw new Error(grown.failure);
    }
    // Every room has its push connection open and chats reach the subscribers.
    const rooms = new Set(roomIds);
    const deadline = performance.now() + 120_000;
    for (;;) {
      const open = new Set((await control<{ roomId: string; closed: boolean }[]>(simulatorUrl, 'connections')).filter((c) => !c.closed).map((c) => c.roomId));
      const { received } = await clients.report();
      if (roomIds.every((roomId) => open.has(roomId)) && received > 0) break;
      if (performance.now() > deadline) throw new Error(`after 120 s, ${roomIds.filter((roomId) => open.has(roomId)).length} of ${roomIds.length} rooms connected, ${received} chats received`);
      await delay(500);
    }
    const samples: Sample[] = [];
    const start = performance.now();
    let previous = { at: start, sent: await upstreamSent(simulatorUrl, rooms), received: (await clients.report()).received };
    for (;;) {
      const memory = await server.call<MemoryReading>('memory');
      const now = performance.now();
      const sent = await upstreamSent(simulatorUrl, rooms);
      const { received } = await clients.report();
      const seconds = Math.max(0.001, (now - previous.at) / 1000);
      samples.push({
        at: (now - start) / 1000,
        memory,
        upstreamPerSec: samples.length === 0 ? Number.NaN : (sent - previous.sent) / seconds,
        deliveredPerSubscriberSec: samples.length === 0 ? Number.NaN : (received - previous.received) / seconds / clients.total,
      });
      previous = { at: now, sent, received };
      if (now - start >= options.seconds * 1000) break;
      await delay(Math.max(0, options.every * 1000 - (performance.now() - now)));
    }
    const report = await clients.report();
    return { mode, samples, subscribers: report.sockets, errors: report.errors, firstError: report.firstError };
  } finally {
    await Promise.all(clients.children.map((child) => child.stop()));
    await server.stop();
    await sim?.stop();
    await rm(dataDir, { recursive: true, force: true });
  }
}

/** The two set-ups one after the other (never side by side: each would take the other's CPU). */
export async function runMemoryLoadBench(options: LoadOptions = {}): Promise<LoadResult> {
  const full: Required<LoadOptions> = {
    seconds: options.seconds ?? 90,
    rooms: options.rooms ?? 20,
    rate: options.rate ?? 50,
    subscribers: options.subscribers ?? 200,
    every: options.every ?? 10,
  };
  const runs: LoadRun[] = [];
  for (const mode of ['separate', 'built-in'] as const) runs.push(await runMode(mode, full));
  return { options: full, runs };
}

/** Least-squares slope of heap over time, bytes per second, for the samples at or after `from` s. */
export function heapSlope(samples: readonly Sample[], from: number): number {
  const points = samples.filter((sample) => sample.at >= from);
  if (points.length < 2) return Number.NaN;
  const meanT = points.reduce((sum, p) => sum + p.at, 0) / points.length;
  const meanH = points.reduce((sum, p) => sum + p.memory.heapUsed, 0) / points.length;
  let num = 0;
  let den = 0;
  for (const p of points) {
    num += (p.at - meanT) * (p.memory.heapUsed - meanH);
    den += (p.at - meanT) ** 2;
  }
  return den === 0 ? Number.NaN : num / den;
}

export function formatMemoryLoad(result: LoadResult): string {
  const { seconds, rooms, rate, subscribers } = result.options;
  // external and arrayBuffers place what RSS holds outside the JS heap (buffers, zlib, WASM).
  const header = result.runs.flatMap((run) => [`s (${run.mode})`, 'heap', 'external', 'RSS', 'upstream msg/s', 'chats/s each']);
  const length = Math.max(...result.runs.map((run) => run.samples.length));
  const rows = Array.from({ length }, (_, i) =>
    result.runs.flatMap((run) => {
      const sample = run.samples[i];
      if (sample === undefined) return ['–', '–', '–', '–', '–', '–'];
      return [fmtInt(sample.at), fmtBytes(sample.memory.heapUsed), fmtBytes(sample.memory.external), fmtBytes(sample.memory.rss), fmtInt(sample.upstreamPerSec), fmtFixed(sample.deliveredPerSubscriberSec, 1)];
    }),
  );
  const summary = result.runs.map((run) => {
    const heaps = run.samples.map((sample) => sample.memory.heapUsed);
    const slope = heapSlope(run.samples, seconds / 2);
    const errors = run.errors > 0 ? `; ${run.errors} client errors (${run.firstError})` : '';
    return `  ${MODE_LABELS[run.mode]}: heap ${fmtBytes(Math.min(...heaps))}–${fmtBytes(Math.max(...heaps))}, growth over the second half ${fmtFixed(slope / 2 ** 20, 3)} MiB/s; ${run.subscribers} subscribers${errors}`;
  });
  return [
    formatTable(header, rows),
    `${rooms} rooms × ${rate} msg/s, ${subscribers} graphql-ws subscribers (${Math.ceil(subscribers / rooms)} a room), PGlite on disk, ${seconds} s; heap and RSS of the gateway's process after gc().`,
    ...summary,
  ].join('\n');
}

if (isMain(import.meta.url)) {
  const number = (name: string, fallback: number) => {
    const value = Number(argValue(name) ?? fallback);
    if (!Number.isFinite(value) || value <= 0) throw new RangeError(`--${name} takes a positive number`);
    return value;
  };
  const options = { seconds: number('seconds', 90), rooms: number('rooms', 20), rate: number('rate', 50), subscribers: number('subscribers', 200), every: number('every', 10) };
  console.log(`memory under load on ${describeMachine()}; ${formatLoad(loadAverage())} at start`);
  console.log(formatMemoryLoad(await runMemoryLoadBench(options)));
}
