// Sustained ingest into the store: events/s committed through the IngestWriter (batched, off the
// hot path) on PGlite in memory, PGlite on disk and PostgreSQL, beside the baseline of one
// appendEvents (one transaction) per event on the same engine in the same run.
// Run: [BENCH_ROOMS=4] npx tsx bench/ingest-store.ts [events]   (events spread over BENCH_ROOMS rooms; PostgreSQL from
//   BENCH_DATABASE_URL, DATABASE_URL or the local default)
import { randomBytes } from 'node:crypto';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { pathToFileURL } from 'node:url';
import type { RoomEvent } from '../src/domain/events.ts';
import type { User } from '../src/domain/model.ts';
import type { EventStore } from '../src/store/event-store.ts';
import { IngestWriter } from '../src/store/ingest-writer.ts';
import { openPgStore } from '../src/store/pg-store.ts';
import { DEFAULT_SHARED_BUFFERS_MB, IN_MEMORY, openPgliteStore } from '../src/store/pglite-store.ts';
import { adminQuery, benchDatabaseUrl, reachable } from './lib/postgres.ts';

export interface IngestStoreResult {
  engine: string;
  mode: 'writer (batched)' | 'baseline: one transaction per event';
  events: number;
  ms: number;
  eventsPerSec: number;
  /** CPU this process used per event (the driver's share included; PostgreSQL's server apart), µs. */
  cpuUsPerEvent: number;
}

export interface IngestStoreBenchOptions {
  /** Events pushed through the writer per engine. */
  events?: number;
  /** Events for the unbatched baseline (slow, so fewer). */
  baselineEvents?: number;
  /** Wall-clock cap per measurement, ms: a run stops early and reports what it did. */
  timeLimitMs?: number;
  /** null skips PostgreSQL. */
  databaseUrl?: string | null;
}

interface Engine {
  name: string;
  open(): Promise<{ store: EventStore; dispose(): Promise<void> }>;
}

const ROOMS = Array.from({ length: Math.max(1, Math.trunc(Number(process.env.BENCH_ROOMS)) || 4) }, (_, i) => String(7_400_000_000_000_000_001n + BigInt(i)));

function benchUser(n: number): User {
  return {
    id: String(80_000_000 + (n % 5000)),
    shortId: null,
    secUid: `MS4wLjABAAAAbench${n % 5000}`,
    displayId: null,
    nickname: `观众${n % 5000}`,
    avatar: { urls: [`https://p3.douyinpic.com/aweme/100x100/${n % 5000}.jpeg`], uri: null, width: 100, height: 100 },
    gender: 'UNKNOWN',
    signature: null,
    payGrade: { level: n % 40, name: null, description: null, minDiamonds: null, maxDiamonds: null, nextDiamonds: null },
    fansClub: null,
    followerCount: null,
    followingCount: null,
    verified: false,
    webRid: null,
  };
}

/** A live room's usual mix: mostly chat, then likes, gifts and viewer counts. */
export function benchEvent(run: string, n: number): RoomEvent {
  const roomId = ROOMS[n % ROOMS.length] as string;
  const base = { id: `${run}-${n}`, roomId, createdAt: 1_750_000_000_000 + n, user: benchUser(n), cursor: null };
  const kind = n % 20;
  if (kind < 14) return { ...base, type: 'ChatEvent', method: 'WebcastChatMessage', content: `主播好 第${n}条弹幕 666` };
  if (kind < 17) return { ...base, type: 'LikeEvent', method: 'WebcastLikeMessage', count: 1 + (n % 15), total: n * 3 };
  if (kind < 19) {
    return {
      ...base,
      type: 'GiftEvent',
      method: 'WebcastGiftMessage',
      gift: { id: '463', name: '小心心', diamondCount: 1, combo: true, image: null, type: 1 },
      toUser: null,
      groupId: `${run}-g${n}`,
      repeatCount: 1,
      groupCount: 1,
      repeatEnd: true,
      phase: 'FINAL',
      deltaCount: 1,
      totalCount: 1,
      totalDiamonds: 1,
    };
  }
  return { ...base, user: null, type: 'ViewerCountEvent', method: 'WebcastRoomUserSeqMessage', current: 30_000 + n, total: null, currentText: null, totalText: null, topContributors: [] };
}

type Measured = [count: number, ms: number, cpuUs: number];

async function throughWriter(store: EventStore, run: string, count: number, timeLimitMs: number): Promise<Measured> {
  const writer = new IngestWriter({ store, maxBatch: 500, flushIntervalMs: 50, maxPending: 5000 });
  const cpu = process.cpuUsage();
  const started = performance.now();
  const stored: Promise<unknown>[] = [];
  let sent = 0;
  for (; sent < count && performance.now() - started < timeLimitMs; sent += 1) {
    await writer.waitForCapacity();
    stored.push(writer.enqueue(benchEvent(run, sent)));
  }
  await writer.close();
  await Promise.all(stored);
  return [sent, performance.now() - started, cpuSince(cpu)];
}

function cpuSince(before: NodeJS.CpuUsage): number {
  const used = process.cpuUsage(before);
  return used.user + used.system;
}

async function oneByOne(store: EventStore, run: string, count: number, timeLimitMs: number): Promise<Measured> {
  const cpu = process.cpuUsage();
  const started = performance.now();
  let sent = 0;
  for (; sent < count && performance.now() - started < timeLimitMs; sent += 1) await store.appendEvents([benchEvent(run, sent)]);
  return [sent, performance.now() - started, cpuSince(cpu)];
}

function pgliteOnDisk(name: string, sharedBuffersMb: number): Engine {
  return {
    name,
    open: async () => {
      const dir = await mkdtemp(join(tmpdir(), 'bench-store-'));
      const store = await openPgliteStore({ dataDir: dir, sharedBuffersMb });
      await store.migrate();
      return { store, dispose: async () => (await store.close(), await rm(dir, { recursive: true, force: true })) };
    },
  };
}

function engines(databaseUrl: string | null): Engine[] {
  const list: Engine[] = [
    {
      name: 'PGlite (memory)',
      open: async () => {
        const store = await openPgliteStore({ dataDir: IN_MEMORY });
        await store.migrate();
        return { store, dispose: () => store.close() };
      },
    },
    pgliteOnDisk('PGlite (disk)', DEFAULT_SHARED_BUFFERS_MB),
    // PGlite's own default buffer pool, as the store ran before PGLITE_SHARED_BUFFERS_MB: what the smaller default costs the writer.
    pgliteOnDisk('PGlite (disk, 160 MiB buffers)', 160),
  ];
  if (databaseUrl !== null) {
    list.push({
      name: 'PostgreSQL',
      open: async () => {
        const schema = `bench_store_${randomBytes(5).toString('hex')}`;
        await adminQuery(databaseUrl, `CREATE SCHEMA ${schema}`);
        const store = openPgStore({ connectionString: databaseUrl, schema });
        await store.migrate();
        return { store, dispose: async () => (await store.close(), await adminQuery(databaseUrl, `DROP SCHEMA ${schema} CASCADE`)) };
      },
    });
  }
  return list;
}

export async function runIngestStoreBench(options: IngestStoreBenchOptions = {}): Promise<IngestStoreResult[]> {
  const events = options.events ?? 20_000;
  const baselineEvents = options.baselineEvents ?? 1_000;
  const timeLimitMs = options.timeLimitMs ?? 30_000;
  let databaseUrl = options.databaseUrl === undefined ? benchDatabaseUrl() : options.databaseUrl;
  if (databaseUrl !== null && !(await reachable(databaseUrl))) {
    process.stderr.write(`ingest-store: PostgreSQL at ${databaseUrl} unreachable, skipping it\n`);
    databaseUrl = null;
  }
  const results: IngestStoreResult[] = [];
  for (const engine of engines(databaseUrl)) {
    const { store, dispose } = await engine.open();
    try {
      const record = (mode: IngestStoreResult['mode'], [count, ms, cpuUs]: Measured) =>
        results.push({ engine: engine.name, mode, events: count, ms: Math.round(ms), eventsPerSec: Math.round((count / ms) * 1000), cpuUsPerEvent: Math.round(cpuUs / count) });
      record('baseline: one transaction per event', await oneByOne(store, 'base', baselineEvents, timeLimitMs));
      record('writer (batched)', await throughWriter(store, 'writer', events, timeLimitMs));
    } finally {
      await dispose();
    }
  }
  return results;
}

export function formatIngestStoreResults(results: readonly IngestStoreResult[]): string {
  const header = `${'engine'.padEnd(32)}${'mode'.padEnd(38)}${'events'.padStart(8)}${'ms'.padStart(9)}${'events/s'.padStart(11)}${'cpu µs/event'.padStart(14)}`;
  const lines = results.map(
    (r) =>
      `${r.engine.padEnd(32)}${r.mode.padEnd(38)}${String(r.events).padStart(8)}${String(r.ms).padStart(9)}${String(r.eventsPerSec).padStart(11)}${String(r.cpuUsPerEvent).padStart(14)}`,
  );
  return [header, ...lines].join('\n');
}

if (process.argv[1] !== undefined && import.meta.url === pathToFileURL(resolve(process.argv[1])).href) {
  const events = Number(process.argv[2] ?? 20_000);
  const results = await runIngestStoreBench({ events: Number.isInteger(events) && events > 0 ? events : 20_000 });
  process.stdout.write(`${formatIngestStoreResults(results)}\n`);
}
