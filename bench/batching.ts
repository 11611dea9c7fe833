// Batching: the nested feed query (20 rooms, each with its owner, isLive and top-10 ranks)
// against the gateway, counting the upstream calls it makes in the simulator's request log,
// beside the count a resolver-per-field server without batching would make, and its latency
// over N runs. The gateway runs in a child process; this process runs the simulator and the
// client. The upstream token bucket is opened wide: the default 5 calls/s is a politeness limit
// for Douyin and would turn every figure into the limiter's pace.
// Run: npx tsx bench/batching.ts [--runs 30] [--seconds 15]
import { startChild } from './lib/child.ts';
import { describeMachine, formatLoad, loadAverage, type LoadAverage } from './lib/machine.ts';
import { argValue, isMain, parseSeconds } from './lib/main.ts';
import { summarize, type Summary } from './lib/stats.ts';
import { fmtFixed, fmtInt, fmtMs, fmtRatio, formatTable } from './lib/table.ts';
import type { Started } from './servers/types.ts';
import { startSimulator, type Simulator } from '../src/simulator/index.ts';

const SERVER_SCRIPT = new URL('./servers/child.ts', import.meta.url);

export const NESTED_FEED_QUERY = `query ($first: Int!) {
  liveFeed(first: $first) {
    id title isLive
    owner { id nickname secUid }
    ranks(first: 10) { rank score user { id nickname payGrade { level } fansClub { name level } } }
  }
}`;

export interface BatchingOptions {
  rooms?: number;
  runs?: number;
  /** Wall-clock cap on the measured runs, ms: fewer runs when the machine is slow. */
  timeLimitMs?: number;
  warmupRuns?: number;
}

/** What a server without batching would call: every field that needs upstream data asks alone. */
export interface NaiveModel {
  feed: number;
  roomInfo: number;
  liveStatus: number;
  rankList: number;
  ownerProfile: number;
  total: number;
}

export function naiveCalls(rooms: number): NaiveModel {
  return { feed: 1, roomInfo: rooms, liveStatus: rooms, rankList: rooms, ownerProfile: rooms, total: 1 + 4 * rooms };
}

export interface BatchingResult {
  rooms: number;
  runs: number;
  /** Upstream calls per run, by path (the mean over runs; every run should make the same). */
  callsByPath: Record<string, number>;
  calls: Summary;
  naive: NaiveModel;
  /** Ranks entries returned per run (a check that the answer was real). */
  rankEntries: number;
  latencyMs: Summary;
  errors: string[];
  load: LoadAverage;
}

interface FeedAnswer {
  data?: { liveFeed?: { id: string; isLive: boolean | null; owner: unknown; ranks: unknown[] }[] };
  errors?: { message: string }[];
}

async function query(url: string, rooms: number): Promise<FeedAnswer> {
  const response = await fetch(url, {
    method: 'POST',
    headers: { 'content-type': 'application/json', accept: 'application/graphql-response+json' },
    body: JSON.stringify({ query: NESTED_FEED_QUERY, variables: { first: rooms } }),
  });
  return (await response.json()) as FeedAnswer;
}

/** Gifts give every room a rank list worth asking for. */
function giveGifts(sim: Simulator): void {
  for (const room of sim.liveRooms()) room.emit(30, { kinds: ['gift'] });
}

/** HTTP calls per path in the log; '/' is the web root the client visits once for its ttwid cookie. */
function upstreamCalls(sim: Simulator): Record<string, number> {
  const { '/': _ttwid, ...calls } = sim.requestCounts('http');
  return calls;
}

export async function runBatchingBench(options: BatchingOptions = {}): Promise<BatchingResult> {
  const rooms = options.rooms ?? 20;
  const runs = options.runs ?? 30;
  const timeLimitMs = options.timeLimitMs ?? 15_000;
  const sim = await startSimulator({ seed: 'bench-batching', autoTraffic: false, rooms, requestLogCapacity: 10_000 });
  const server = startChild(SERVER_SCRIPT, { name: 'batching server (gateway)' });
  try {
    giveGifts(sim);
    const { url } = await server.call<Started>('start', {
      kind: 'gateway',
      upstreamUrl: sim.url,
      // The cache off: this counts what one query costs upstream, not what a repeat of it costs.
      env: { UPSTREAM_RATE_PER_SEC: '10000', UPSTREAM_RATE_BURST: '10000', UPSTREAM_CACHE_MAX_BYTES: '0' },
    });
    const errors: string[] = [];
    for (let i = 0; i < (options.warmupRuns ?? 3); i += 1) {
      const answer = await query(url, rooms);
      if (answer.errors !== undefined) throw new Error(`the gateway refused the nested feed query: ${answer.errors.map((e) => e.message).join('; ')}`);
    }

    const latencies: number[] = [];
    const callCounts: number[] = [];
    const byPath: Record<string, number> = {};
    let rankEntries = 0;
    const started = performance.now();
    for (let run = 0; run < runs && performance.now() - started < timeLimitMs; run += 1) {
      sim.clearRequests();
      const sent = performance.now();
      const answer = await query(url, rooms);
      latencies.push(performance.now() - sent);
      for (const error of answer.errors ?? []) if (errors.length < 5) errors.push(error.message);
      const feed = answer.data?.liveFeed ?? [];
      if (feed.length !== rooms && errors.length < 5) errors.push(`the feed had ${feed.length} rooms, not ${rooms}`);
      rankEntries = feed.reduce((sum, room) => sum + room.ranks.length, 0);
      const calls = upstreamCalls(sim);
      callCounts.push(Object.values(calls).reduce((sum, count) => sum + count, 0));
      for (const [path, count] of Object.entries(calls)) byPath[path] = (byPath[path] ?? 0) + count;
    }
    const done = latencies.length;
    const callsByPath = Object.fromEntries(Object.entries(byPath).map(([path, count]) => [path, count / done]));
    return {
      rooms,
      runs: done,
      callsByPath,
      calls: summarize(callCounts),
      naive: naiveCalls(rooms),
      rankEntries,
      latencyMs: summarize(latencies),
      errors,
      load: loadAverage(),
    };
  } finally {
    await server.stop();
    await sim.stop();
  }
}

export function formatBatching(result: BatchingResult): string {
  const header = ['', 'upstream calls / query', 'p50 ms', 'p99 ms', 'runs'];
  const rows = [
    [`gateway (batched), ${result.rooms} rooms`, fmtFixed(result.calls.mean, 1), fmtMs(result.latencyMs.p50), fmtMs(result.latencyMs.p99), fmtInt(result.runs)],
    ['naive: a call per field per room', fmtInt(result.naive.total), '–', '–', '–'],
  ];
  const paths = Object.entries(result.callsByPath)
    .map(([path, count]) => `${path} ×${fmtFixed(count, 1)}`)
    .join(', ');
  const { naive } = result;
  return [
    formatTable(header, rows),
    `gateway ÷ naive calls: ${fmtRatio(result.calls.mean / naive.total)}; per query: ${paths}; ${result.rankEntries} rank entries returned (${formatLoad(result.load)})`,
    `naive model: ${naive.feed} feed + ${naive.roomInfo} room info + ${naive.liveStatus} live status (one room each) + ${naive.rankList} rank lists + ${naive.ownerProfile} owner profiles = ${naive.total}; rank entries' users come inside the rank lists in both.`,
    ...(result.errors.length > 0 ? [`errors: ${result.errors.join(' | ')}`] : []),
  ].join('\n');
}

if (isMain(import.meta.url)) {
  const runs = Number(argValue('runs') ?? 30);
  if (!Number.isSafeInteger(runs) || runs <= 0) throw new RangeError('--runs takes a positive whole number');
  console.log(`batching on ${describeMachine()}; ${formatLoad(loadAverage())} at start`);
  const result = await runBatchingBench({ runs, timeLimitMs: parseSeconds(argValue('seconds'), 15_000) });
  console.log(formatBatching(result));
}
