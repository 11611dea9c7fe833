// Repeated reads of one room: clients poll `liveRoom` for one room as fast as they can for a
// few seconds, and the simulator's request log counts the upstream calls that cost. The gateway
// with its response cache (the default freshness windows) is measured beside the same gateway
// with the cache off (UPSTREAM_CACHE_MAX_BYTES=0), in the same run. Both get a wide upstream rate
// limit, so the uncached one is not held back by Douyin's politeness limit.
// Run: npx tsx bench/cache.ts [--seconds 6] [--clients 4]
import { startChild, type BenchChild } from './lib/child.ts';
import { describeMachine, formatLoad, loadAverage, type LoadAverage } from './lib/machine.ts';
import { argValue, isMain, parseSeconds } from './lib/main.ts';
import { fmtFixed, fmtInt, formatTable } from './lib/table.ts';
import type { Started } from './servers/types.ts';
import { startSimulator, type Simulator } from '../src/simulator/index.ts';

const SERVER_SCRIPT = new URL('./servers/child.ts', import.meta.url);
const QUERY = 'query ($roomId: ID!) { liveRoom(roomId: $roomId) { id title isLive viewerCount } }';
const UPSTREAM_PATHS = ['/webcast/room/reflow/info/', '/webcast/room/check_alive/'];
const WIDE_UPSTREAM = { UPSTREAM_RATE_PER_SEC: '10000', UPSTREAM_RATE_BURST: '10000' };

export interface CacheOptions {
  durationMs?: number;
  clients?: number;
}

export interface CacheRow {
  server: string;
  queries: number;
  upstreamCalls: number;
  /** From the gateway's /metrics: lookups answered without a call of their own. */
  hits: number;
  saved: number;
  load: LoadAverage;
}

export interface CacheResult {
  durationMs: number;
  clients: number;
  rows: CacheRow[];
}

async function poll(url: string, roomId: string, until: number): Promise<number> {
  let queries = 0;
  while (Date.now() < until) {
    const response = await fetch(url, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ query: QUERY, variables: { roomId } }) });
    const body = (await response.json()) as { errors?: unknown[] };
    if (body.errors !== undefined) throw new Error(`the gateway answered ${JSON.stringify(body.errors).slice(0, 300)}`);
    queries += 1;
  }
  return queries;
}

function upstreamCalls(sim: Simulator): number {
  return sim.requests({ kind: 'http' }).filter((entry) => UPSTREAM_PATHS.includes(entry.path)).length;
}

async function metricSum(url: string, name: string, filter: (line: string) => boolean): Promise<number> {
  const text = await (await fetch(url.replace(/\/graphql$/, '/metrics'))).text();
  return text
    .split('\n')
    .filter((line) => line.startsWith(name) && filter(line))
    .reduce((sum, line) => sum + Number(line.split(' ').at(-1)), 0);
}

async function measure(name: string, env: Record<string, string>, sim: Simulator, roomId: string, settings: Required<CacheOptions>): Promise<CacheRow> {
  const child: BenchChild = startChild(SERVER_SCRIPT, { name: `cache bench (${name})` });
  try {
    const { url } = await child.call<Started>('start', { kind: 'gateway', upstreamUrl: sim.url, env: { ...WIDE_UPSTREAM, ...env } });
    sim.clearRequests();
    const until = Date.now() + settings.durationMs;
    const counts = await Promise.all(Array.from({ length: settings.clients }, () => poll(url, roomId, until)));
    const hits = await metricSum(url, 'douyin_gateway_upstream_cache_lookups_total', (line) => /outcome="(hit|joined)"/.test(line));
    const saved = await metricSum(url, 'douyin_gateway_upstream_calls_saved_total', () => true);
    return { server: name, queries: counts.reduce((a, b) => a + b, 0), upstreamCalls: upstreamCalls(sim), hits, saved, load: loadAverage() };
  } finally {
    await child.stop();
  }
}

export async function runCacheBench(options: CacheOptions = {}): Promise<CacheResult> {
  const settings: Required<CacheOptions> = { durationMs: 6_000, clients: 4, ...options };
  const sim = await startSimulator({ seed: 'bench-cache', autoTraffic: false, rooms: 1 });
  try {
    const roomId = (sim.liveRooms()[0] as { id: string }).id;
    const rows = [
      await measure('gateway, cache off', { UPSTREAM_CACHE_MAX_BYTES: '0' }, sim, roomId, settings),
      await measure('gateway, response cache (default windows)', {}, sim, roomId, settings),
    ];
    return { durationMs: settings.durationMs, clients: settings.clients, rows };
  } finally {
    await sim.stop();
  }
}

export function formatCache(result: CacheResult): string {
  const header = ['server', 'queries', 'upstream calls', 'calls per query', 'cache hit rate', 'calls saved', 'load 1m'];
  const rows = result.rows.map((row) => {
    const lookups = row.hits + row.upstreamCalls;
    return [
      row.server,
      fmtInt(row.queries),
      fmtInt(row.upstreamCalls),
      fmtFixed(row.upstreamCalls / Math.max(1, row.queries), 4),
      lookups === 0 || row.hits === 0 ? '–' : `${fmtFixed((100 * row.hits) / lookups, 2)} %`,
      fmtInt(row.saved),
      fmtFixed(row.load[0], 2),
    ];
  });
  return [
    formatTable(header, rows),
    `${result.clients} clients polling liveRoom (room info + live status) of one room for ${result.durationMs / 1000} s each; ` +
      `upstream calls counted in the simulator's request log (${formatLoad(result.rows[0]?.load ?? loadAverage())})`,
  ].join('\n');
}

if (isMain(import.meta.url)) {
  const clients = Number(argValue('clients') ?? 4);
  if (!Number.isSafeInteger(clients) || clients <= 0) throw new RangeError('--clients takes a positive whole number');
  console.log(`Upstream cache on ${describeMachine()}; ${formatLoad(loadAverage())} at start`);
  console.log(formatCache(await runCacheBench({ durationMs: parseSeconds(argValue('seconds'), 6_000), clients })));
}
