// Memory: what one idle subscriber and one watched room cost the gateway, read in the server's
// own child process (node --expose-gc, collected until the heap stops shrinking) before and
// after adding them. Idle subscribers are measured beside the same count of idle sockets on a
// bare `ws` server and of idle subscriptions on stock yoga + graphql-ws, in the same run. RSS
// counts pages a process touched and kept, so it moves in steps; heap is the finer figure.
//  - rooms (gateway, first): 1 watched, then R more with nobody subscribed (their push
//    connections open, the simulator sending nothing but heartbeats); cost = difference ÷ R.
//  - subscribers: the slope between N and 2N of them. 10 first (so the room is watched), then
//    up to N, and only then the "before" reading; then N more on the same room and the "after";
//    cost = difference ÷ N. Everything the second N hold is counted; what a process pays once
//    on the way (V8 compiling the connect and subscribe paths once they are hot, hash tables'
//    growth from nothing) falls before the first reading instead of being divided among them.
//    A table that grows by doubling grows once between N and 2N entries, so its share in the
//    figure is its average cost per entry. The baselines are measured the same way.
// Run: npx tsx bench/memory.ts [--subscribers 1000] [--rooms 20]
import { startChild, type BenchChild } from './lib/child.ts';
import { ClientPool, delay, waitUntilLive } from './lib/client-pool.ts';
import { publishSource, simulatorRoomSource, type LoadSource } from './lib/load-source.ts';
import { describeMachine, formatLoad, loadAverage, type LoadAverage } from './lib/machine.ts';
import { argValue, isMain } from './lib/main.ts';
import { ratio } from './lib/stats.ts';
import { fmtBytes, fmtFixed, fmtInt, fmtRatio, formatTable } from './lib/table.ts';
import type { MemoryReading } from './servers/child.ts';
import { FANOUT_SUBSCRIPTION, SERVER_LABELS, type ServerKind, type Started } from './servers/types.ts';
import { startSimulator, type Simulator } from '../src/simulator/index.ts';

const SERVER_SCRIPT = new URL('./servers/child.ts', import.meta.url);
const CLIENT_SCRIPT = new URL('./clients/ws-clients.ts', import.meta.url);
const WARM_SUBSCRIBERS = 10;
/** The gateway may call the simulator as fast as it likes: rooms connect in seconds, not at Douyin's pace. */
const FAST_UPSTREAM = { UPSTREAM_RATE_PER_SEC: '1000', UPSTREAM_RATE_BURST: '1000' };

export interface MemoryOptions {
  subscribers?: number;
  rooms?: number;
  servers?: ServerKind[];
}

export interface MemoryRow {
  server: ServerKind;
  item: 'idle subscriber' | 'watched room';
  added: number;
  before: MemoryReading;
  after: MemoryReading;
  rssPerItem: number;
  heapPerItem: number;
  load: LoadAverage;
  note: string | null;
}

export interface MemoryResult {
  rows: MemoryRow[];
}

function row(server: ServerKind, item: MemoryRow['item'], added: number, before: MemoryReading, after: MemoryReading, note: string | null = null): MemoryRow {
  return {
    server,
    item,
    added,
    before,
    after,
    rssPerItem: (after.rss - before.rss) / added,
    heapPerItem: (after.heapUsed - before.heapUsed) / added,
    load: loadAverage(),
    note,
  };
}

function startServerChild(kind: ServerKind, sockets: number): BenchChild {
  return startChild(SERVER_SCRIPT, { sockets, nodeFlags: ['--expose-gc'], name: `memory server (${kind})` });
}

interface Subject {
  kind: ServerKind;
  server: BenchChild;
  started: Started;
  source: LoadSource;
}

/** Subscribers at the "before" reading: as many as are then added (WARM_SUBSCRIBERS of them first). */
function subscribersBefore(count: number): number {
  return Math.max(WARM_SUBSCRIBERS, count);
}

async function idleSubscribers(subject: Subject, count: number): Promise<MemoryRow> {
  const { kind, server, started, source } = subject;
  const first = subscribersBefore(count);
  const clients = new ClientPool([startChild(CLIENT_SCRIPT, { sockets: first + count, name: `memory clients (${kind})` })]);
  try {
    const connect = {
      url: started.wsUrl,
      protocol: kind === 'bare-ws' ? ('raw' as const) : ('graphql-ws' as const),
      query: FANOUT_SUBSCRIPTION,
      variables: { roomId: source.roomId },
    };
    await clients.grow(WARM_SUBSCRIBERS, connect);
    await waitUntilLive(source, clients, 30_000);
    const warmed = await clients.grow(first, connect);
    await waitUntilLive(source, clients, 30_000);
    const before = await server.call<MemoryReading>('memory');
    const grown = await clients.grow(first + count, connect);
    await waitUntilLive(source, clients, 30_000);
    const after = await server.call<MemoryReading>('memory');
    const added = grown.reached - warmed.reached;
    const short = warmed.reached < first ? `only ${warmed.reached} of the first ${first} connected: ${warmed.failure}` : added < count ? `only ${added} of ${count} connected: ${grown.failure}` : null;
    return row(kind, 'idle subscriber', added, before, after, short);
  } finally {
    await Promise.all(clients.children.map((child) => child.stop()));
  }
}

/** Waits until the simulator has a push connection open for every one of these rooms. */
async function connected(sim: Simulator, roomIds: readonly string[], timeoutMs: number): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const open = new Set(sim.connections().map((connection) => connection.roomId));
    const missing = roomIds.filter((roomId) => !open.has(roomId));
    if (missing.length === 0) return;
    if (Date.now() > deadline) throw new Error(`${missing.length} of ${roomIds.length} rooms had no push connection after ${timeoutMs} ms`);
    await delay(50);
  }
}

/** Rooms after the first (which is watched first, to warm up, and later carries the subscribers). */
async function watchedRooms(server: BenchChild, sim: Simulator, count: number): Promise<MemoryRow> {
  const [first, ...rest] = sim.liveRooms().map((room) => room.id);
  const more = rest.slice(0, count);
  if (first === undefined || more.length < count) throw new Error(`the simulator has ${rest.length + 1} rooms, not ${count + 1}`);
  await server.call('watch', { roomIds: [first] });
  await connected(sim, [first], 30_000);
  await delay(500);
  const before = await server.call<MemoryReading>('memory');
  await server.call('watch', { roomIds: more });
  await connected(sim, more, 60_000);
  // Let each connection's first heartbeat and ack round trip finish.
  await delay(1_000);
  const after = await server.call<MemoryReading>('memory');
  return row('gateway', 'watched room', more.length, before, after);
}

async function measureServer(kind: ServerKind, subscribers: number, rooms: number): Promise<MemoryRow[]> {
  const sim = await startSimulator({
    seed: 'bench-memory',
    autoTraffic: false,
    rooms: Array.from({ length: kind === 'gateway' ? rooms + 1 : 1 }, () => ({ rate: 0, duplicateChatRate: 0 })),
    requestLogCapacity: 10_000,
  });
  const server = startServerChild(kind, subscribersBefore(subscribers) + subscribers);
  try {
    const started = await server.call<Started>('start', { kind, ...(kind === 'gateway' ? { upstreamUrl: sim.url, env: FAST_UPSTREAM } : {}) });
    const room = sim.liveRooms()[0];
    if (room === undefined) throw new Error('the simulator has no live room');
    const source: LoadSource = kind === 'gateway' ? simulatorRoomSource(room) : publishSource(server);
    // Rooms first, while no subscriber holds memory that a collection could move around.
    const roomRow = kind === 'gateway' ? [await watchedRooms(server, sim, rooms)] : [];
    return [await idleSubscribers({ kind, server, started, source }, subscribers), ...roomRow];
  } finally {
    await server.stop();
    await sim.stop();
  }
}

/**
 * The servers are measured side by side, each in its own process with its own simulator: a
 * reading of one process's memory does not depend on what the others do, and the bench takes a
 * third of the time.
 */
export async function runMemoryBench(options: MemoryOptions = {}): Promise<MemoryResult> {
  const subscribers = options.subscribers ?? 1000;
  const rooms = options.rooms ?? 20;
  const servers = options.servers ?? ['bare-ws', 'yoga', 'gateway'];
  const rows = await Promise.all(servers.map((kind) => measureServer(kind, subscribers, rooms)));
  return { rows: rows.flat() };
}

export function formatMemory(result: MemoryResult): string {
  const bare = result.rows.find((r) => r.server === 'bare-ws' && r.item === 'idle subscriber');
  const header = ['server', 'per', 'added', 'RSS before', 'RSS each', '÷ bare ws', 'heap each', '÷ bare ws', 'load 1m'];
  const rows = result.rows.map((r) => {
    const comparable = r.item === 'idle subscriber' ? bare : undefined;
    return [
      SERVER_LABELS[r.server],
      r.item,
      fmtInt(r.added),
      fmtBytes(r.before.rss),
      fmtBytes(r.rssPerItem),
      fmtRatio(ratio(r.rssPerItem, comparable?.rssPerItem)),
      fmtBytes(r.heapPerItem),
      fmtRatio(ratio(r.heapPerItem, comparable?.heapPerItem)),
      fmtFixed(r.load[0], 2),
    ];
  });
  const notes = result.rows.filter((r) => r.note !== null).map((r) => `  ${SERVER_LABELS[r.server]}: ${r.note}`);
  return [
    formatTable(header, rows),
    'in the server process after gc(); an idle subscriber is one WebSocket with one subscription (on bare ws: one socket), measured from N to 2N of them; a watched room has its push connection open and no subscriber.',
    ...notes,
  ].join('\n');
}

if (isMain(import.meta.url)) {
  const subscribers = Number(argValue('subscribers') ?? 1000);
  const rooms = Number(argValue('rooms') ?? 20);
  if (!Number.isSafeInteger(subscribers) || subscribers <= 0 || !Number.isSafeInteger(rooms) || rooms <= 0) {
    throw new RangeError('--subscribers and --rooms take positive whole numbers');
  }
  console.log(`memory on ${describeMachine()}; ${formatLoad(loadAverage())} at start`);
  console.log(formatMemory(await runMemoryBench({ subscribers, rooms })));
}
