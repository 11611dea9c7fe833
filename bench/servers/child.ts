// The server side of a bench, in its own process: one server of the requested kind, plus what
// the parent measures it by (CPU time, memory after a full GC). Started by bench/lib/child.ts.
import { writeHeapSnapshot } from 'node:v8';
import { serveRpc } from '../lib/rpc.ts';
import type { BenchChat, RunningServer, StartParams, Started } from './types.ts';

export interface CpuTime {
  /** user + system, µs */
  micros: number;
}

export interface MemoryReading {
  rss: number;
  heapUsed: number;
  external: number;
  arrayBuffers: number;
}

let server: RunningServer | null = null;

function running(): RunningServer {
  if (server === null) throw new Error('no server started');
  return server;
}

async function start(params: StartParams): Promise<Started> {
  if (server !== null) throw new Error('a server is already running in this process');
  // Imported on demand: a baseline process holds only its own code, so its memory is its own.
  if (params.kind === 'gateway') server = await (await import('./gateway.ts')).startGatewayServer(params);
  else if (params.kind === 'yoga') server = await (await import('./yoga-baseline.ts')).startYogaBaseline({ liveRoom: params.liveRoom ?? null });
  else if (params.kind === 'bare-ws') server = await (await import('./bare-ws.ts')).startBareWs();
  else throw new Error(`unknown server kind ${String(params.kind)}`);
  return { url: server.url, wsUrl: server.wsUrl, ...(server.simulatorUrl === undefined ? {} : { simulatorUrl: server.simulatorUrl }) };
}

/** Memory after collecting garbage until the heap stops shrinking (needs --expose-gc). */
async function memory(): Promise<MemoryReading> {
  const gc = globalThis.gc;
  if (gc === undefined) throw new Error('memory readings need node --expose-gc');
  let previous = Number.POSITIVE_INFINITY;
  for (let round = 0; round < 6; round += 1) {
    gc();
    // Let finalizers and socket teardown run between collections.
    await new Promise((resolve) => setTimeout(resolve, 50));
    const heap = process.memoryUsage().heapUsed;
    if (previous - heap < 64 * 1024) break;
    previous = heap;
  }
  const { rss, heapUsed, external, arrayBuffers } = process.memoryUsage();
  // BENCH_HEAP_SNAPSHOTS=dir: a heap snapshot beside each reading, to see what the difference is.
  const dir = process.env.BENCH_HEAP_SNAPSHOTS;
  if (dir !== undefined && dir !== '') writeHeapSnapshot(`${dir}/${process.pid}-${Date.now()}.heapsnapshot`);
  return { rss, heapUsed, external, arrayBuffers };
}

serveRpc({
  start,
  cpu: (): CpuTime => {
    const { user, system } = process.cpuUsage();
    return { micros: user + system };
  },
  memory,
  publish: (params: { roomId: string; chats: BenchChat[] }) => running().publish(params.roomId, params.chats),
  watch: (params: { roomIds: string[] }) => running().watch(params.roomIds),
  sockets: () => running().sockets(),
  stop: async () => {
    const current = server;
    server = null;
    await current?.stop();
    setImmediate(() => process.exit(0));
  },
});
