// HTTP queries: requests/s and latency of a `liveRoom` query whose upstream answer is already
// in memory, against the gateway (every plugin on) and, in the same run, a minimal graphql-yoga
// server answering the same query from memory with the gateway's own answer. autocannon runs
// here; each server runs in its own child process.
//
// The gateway answers from its own upstream response cache, with freshness windows longer than
// the run, so each upstream answer is fetched once and the figure is the gateway's own cost
// (yoga, plugins, Pothos, loaders, the cache lookup), not the simulator's.
// Run: npx tsx bench/http.ts [--seconds 6] [--connections 10]
import autocannon from 'autocannon';
import { startChild, type BenchChild } from './lib/child.ts';
import { describeMachine, formatLoad, loadAverage, type LoadAverage } from './lib/machine.ts';
import { argValue, isMain, parseSeconds } from './lib/main.ts';
import { ratio } from './lib/stats.ts';
import { fmtFixed, fmtInt, fmtMs, fmtRatio, formatTable } from './lib/table.ts';
import type { CpuTime } from './servers/child.ts';
import type { ServerKind, Started } from './servers/types.ts';
import { startSimulator } from '../src/simulator/index.ts';

const SERVER_SCRIPT = new URL('./servers/child.ts', import.meta.url);

const HOUR_MS = '3600000';
const CACHE_FOR_THE_WHOLE_RUN = { UPSTREAM_CACHE_ROOM_MS: HOUR_MS, UPSTREAM_CACHE_STATUS_MS: HOUR_MS };

export const LIVE_ROOM_QUERY = 'query ($roomId: ID!) { liveRoom(roomId: $roomId) { id title isLive owner { id nickname } viewerCount } }';

export interface HttpOptions {
  /** Measured time per server, ms. */
  durationMs?: number;
  warmupMs?: number;
  connections?: number;
  /** The measured time is split into this many rounds per server, alternating between them. */
  rounds?: number;
}

export interface HttpRow {
  server: string;
  requestsPerSec: number;
  /** ms, the mean of the rounds' percentiles (autocannon reports each round's, not its samples). */
  p50: number;
  p99: number;
  requests: number;
  /** Non-2xx answers, socket errors and timeouts. */
  failures: number;
  responseBytes: number;
  cpuMicrosPerRequest: number;
  load: LoadAverage;
}

export interface HttpResult {
  connections: number;
  durationMs: number;
  rounds: number;
  rows: HttpRow[];
}

interface Answer {
  data?: { liveRoom?: Record<string, unknown> | null };
  errors?: { message: string }[];
}

async function ask(url: string, roomId: string): Promise<{ answer: Answer; bytes: number }> {
  const response = await fetch(url, {
    method: 'POST',
    headers: { 'content-type': 'application/json', accept: 'application/graphql-response+json' },
    body: JSON.stringify({ query: LIVE_ROOM_QUERY, variables: { roomId } }),
  });
  const text = await response.text();
  return { answer: JSON.parse(text) as Answer, bytes: Buffer.byteLength(text) };
}

interface Target {
  name: string;
  child: BenchChild;
  url: string;
  responseBytes: number;
  requests: number;
  seconds: number;
  cpuMicros: number;
  failures: number;
  p50s: number[];
  p99s: number[];
}

async function target(name: string, child: BenchChild, url: string, roomId: string): Promise<Target> {
  const { answer, bytes } = await ask(url, roomId);
  if (answer.errors !== undefined || !answer.data?.liveRoom) throw new Error(`${name} answered ${JSON.stringify(answer).slice(0, 300)}`);
  return { name, child, url, responseBytes: bytes, requests: 0, seconds: 0, cpuMicros: 0, failures: 0, p50s: [], p99s: [] };
}

function loadFor(subject: Target, roomId: string, connections: number, seconds: number) {
  return {
    url: subject.url,
    method: 'POST',
    headers: { 'content-type': 'application/json', accept: 'application/graphql-response+json' },
    body: JSON.stringify({ query: LIVE_ROOM_QUERY, variables: { roomId } }),
    connections,
    duration: seconds,
  };
}

async function round(subject: Target, roomId: string, connections: number, seconds: number): Promise<void> {
  const cpuStart = (await subject.child.call<CpuTime>('cpu')).micros;
  const result = await autocannon(loadFor(subject, roomId, connections, seconds));
  subject.cpuMicros += (await subject.child.call<CpuTime>('cpu')).micros - cpuStart;
  subject.requests += result['2xx'];
  subject.seconds += result.duration;
  subject.failures += result.non2xx + result.errors + result.timeouts;
  subject.p50s.push(result.latency.p50);
  subject.p99s.push(result.latency.p99);
}

function toRow(subject: Target): HttpRow {
  const mean = (values: number[]) => values.reduce((sum, value) => sum + value, 0) / values.length;
  return {
    server: subject.name,
    requestsPerSec: subject.requests / subject.seconds,
    p50: mean(subject.p50s),
    p99: mean(subject.p99s),
    requests: subject.requests,
    failures: subject.failures,
    responseBytes: subject.responseBytes,
    cpuMicrosPerRequest: subject.cpuMicros / Math.max(1, subject.requests),
    load: loadAverage(),
  };
}

/** BENCH_CPU_PROF=<dir>: each server child writes a V8 CPU profile there when it stops, to see where its time goes. */
function profileFlags(): string[] {
  const dir = process.env['BENCH_CPU_PROF'];
  return dir === undefined || dir === '' ? [] : ['--cpu-prof', `--cpu-prof-dir=${dir}`];
}

async function startServer(kind: ServerKind, params: Record<string, unknown>): Promise<{ child: BenchChild; url: string }> {
  const child = startChild(SERVER_SCRIPT, { name: `http server (${kind})`, nodeFlags: profileFlags() });
  try {
    const { url } = await child.call<Started>('start', { kind, ...params });
    return { child, url };
  } catch (error) {
    await child.stop();
    throw error;
  }
}

export async function runHttpBench(options: HttpOptions = {}): Promise<HttpResult> {
  const settings: Required<HttpOptions> = { durationMs: 6_000, warmupMs: 1_000, connections: 10, rounds: 3, ...options };
  const sim = await startSimulator({ seed: 'bench-http', autoTraffic: false, rooms: 1 });
  const children: BenchChild[] = [];
  try {
    const roomId = (sim.liveRooms()[0] as { id: string }).id;
    const gateway = await startServer('gateway', { upstreamUrl: sim.url, env: CACHE_FOR_THE_WHOLE_RUN });
    children.push(gateway.child);
    // The baseline answers with the gateway's own answer, so both send the same bytes.
    const { answer } = await ask(gateway.url, roomId);
    const yoga = await startServer('yoga', { liveRoom: answer.data?.liveRoom ?? null });
    children.push(yoga.child);
    const subjects = [await target('gateway', gateway.child, gateway.url, roomId), await target('minimal yoga, from memory', yoga.child, yoga.url, roomId)];
    const warmupSeconds = Math.max(1, Math.round(settings.warmupMs / 1000));
    for (const subject of subjects) await autocannon(loadFor(subject, roomId, settings.connections, warmupSeconds));
    // Alternating rounds, so a change in the machine's load falls on both servers alike.
    const roundSeconds = Math.max(1, Math.round(settings.durationMs / settings.rounds / 1000));
    for (let i = 0; i < settings.rounds; i += 1) {
      for (const subject of subjects) await round(subject, roomId, settings.connections, roundSeconds);
    }
    return { connections: settings.connections, durationMs: roundSeconds * settings.rounds * 1000, rounds: settings.rounds, rows: subjects.map(toRow) };
  } finally {
    await Promise.all(children.map((child) => child.stop()));
    await sim.stop();
  }
}

export function formatHttp(result: HttpResult): string {
  const baseline = result.rows.find((row) => row.server.startsWith('minimal yoga'));
  const header = ['server', 'requests/s', '÷ yoga', 'p50 ms', 'p99 ms', 'CPU µs/req', '÷ yoga', 'bytes', 'failures', 'load 1m'];
  const rows = result.rows.map((row) => [
    row.server,
    fmtInt(row.requestsPerSec),
    fmtRatio(ratio(row.requestsPerSec, baseline?.requestsPerSec)),
    fmtMs(row.p50),
    fmtMs(row.p99),
    fmtInt(row.cpuMicrosPerRequest),
    fmtRatio(ratio(row.cpuMicrosPerRequest, baseline?.cpuMicrosPerRequest)),
    fmtInt(row.responseBytes),
    fmtInt(row.failures),
    fmtFixed(row.load[0], 2),
  ]);
  return [
    formatTable(header, rows),
    `autocannon, ${result.connections} connections, ${result.durationMs / 1000} s per server in ${result.rounds} alternating rounds after a warm-up; ` +
      `p50/p99: mean of the rounds'. liveRoom with its upstream answer in memory (${formatLoad(result.rows[0]?.load ?? loadAverage())})`,
  ].join('\n');
}

if (isMain(import.meta.url)) {
  const connections = Number(argValue('connections') ?? 10);
  if (!Number.isSafeInteger(connections) || connections <= 0) throw new RangeError('--connections takes a positive whole number');
  console.log(`HTTP on ${describeMachine()}; ${formatLoad(loadAverage())} at start`);
  console.log(formatHttp(await runHttpBench({ durationMs: parseSeconds(argValue('seconds'), 6_000), connections })));
}
