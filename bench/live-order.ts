// What in-order delivery costs per subscriber delivery, beside its floor in the same run: one
// room, N subscribers, E stored events pushed through an in-process bus. Cases: in order; every
// other pair swapped (each swap held once, no store read); 1% lost on the bus (each hole waits
// HOLE_FILL_MS, then is read from the store once per instance through the backstop). Baseline: a
// bare bus handler pushing into the same bounded stream, no ordering. The ordered cases run as
// with REDIS_URL (the room-level backstop in front of each subscriber's own ordering).
// Run: npx tsx bench/live-order.ts [subscribers] [events]
import { MemoryEventBus } from '../src/bus/memory-bus.ts';
import type { RoomEvent } from '../src/domain/events.ts';
import { BusBackstop } from '../src/live/bus-backstop.ts';
import { RoomFeed } from '../src/live/room-feed.ts';
import { boundedStream } from '../src/live/stream.ts';
import { IN_MEMORY, openPgliteStore } from '../src/store/pglite-store.ts';
import type { EventStore } from '../src/store/event-store.ts';
import { describeMachine, formatLoad, loadAverage } from './lib/machine.ts';
import { fmtFixed, fmtInt, formatTable } from './lib/table.ts';

const SUBSCRIBERS = Number(process.argv[2] ?? 300);
const EVENTS = Number(process.argv[3] ?? 2000);
const HOLE_FILL_MS = 50;

function chat(roomId: string, n: number): RoomEvent {
  return { type: 'ChatEvent', id: `c${n}`, roomId, method: 'WebcastChatMessage', createdAt: Date.now(), user: null, cursor: null, content: `m${n}` } as RoomEvent;
}

async function storedEvents(store: EventStore, roomId: string): Promise<RoomEvent[]> {
  const events = Array.from({ length: EVENTS }, (_, n) => chat(roomId, n));
  const out: RoomEvent[] = [];
  for (let i = 0; i < events.length; i += 500) {
    const batch = events.slice(i, i + 500);
    const refs = await store.appendEvents(batch);
    out.push(...batch.map((event, j) => ({ ...event, cursor: refs[j]?.cursor ?? null })));
  }
  return out;
}

type Order = 'in order' | 'pairs swapped' | '1% lost';

function arrival(events: readonly RoomEvent[], order: Order): RoomEvent[] {
  if (order === 'in order') return [...events];
  if (order === 'pairs swapped') {
    const out = [...events];
    for (let i = 0; i + 1 < out.length; i += 4) [out[i], out[i + 1]] = [out[i + 1] as RoomEvent, out[i] as RoomEvent];
    return out;
  }
  // Never the last one: a lost tail waits for the quiet-room check, which is not what this times.
  return events.filter((_, i) => i % 100 !== 50 || i === events.length - 1);
}

async function drain(streams: AsyncIterator<RoomEvent>[], count: number): Promise<void> {
  await Promise.all(
    streams.map(async (stream) => {
      for (let i = 0; i < count; i += 1) await stream.next();
    }),
  );
}

async function runCase(store: EventStore, name: string, order: Order | 'baseline'): Promise<string[]> {
  const roomId = `bench${name.replace(/\W/g, '')}${Date.now() % 100000}`;
  const bus = new MemoryEventBus();
  let streams: AsyncIterator<RoomEvent>[];
  let backstop: BusBackstop | null = null;
  if (order === 'baseline') {
    streams = Array.from({ length: SUBSCRIBERS }, () => boundedStream<RoomEvent>(EVENTS + 1, (sink) => bus.subscribe(roomId, (event) => sink.push(event))));
  } else {
    backstop = new BusBackstop({ bus, store, pollMs: HOLE_FILL_MS });
    const feed = new RoomFeed({ bus: backstop, store, bufferLimit: EVENTS + 1, holeFillMs: HOLE_FILL_MS });
    streams = Array.from({ length: SUBSCRIBERS }, () => feed.subscribe(roomId));
    // Let the backstop read where the room stands.
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
  // Stored after the subscribers came, as live events are.
  const events = await storedEvents(store, roomId);
  const published = arrival(events, order === 'baseline' ? 'in order' : order);
  const cpu = process.cpuUsage();
  const start = process.hrtime.bigint();
  // Readers wait on next() before anything is published, as live subscribers do.
  const read = drain(streams, EVENTS);
  await new Promise((resolve) => setImmediate(resolve));
  for (const event of published) bus.publish(roomId, event);
  await read;
  const ms = Number(process.hrtime.bigint() - start) / 1e6;
  const used = process.cpuUsage(cpu);
  for (const stream of streams) await stream.return?.();
  await backstop?.close();
  const deliveries = SUBSCRIBERS * EVENTS;
  const cpuUs = (used.user + used.system) / deliveries;
  return [name, fmtInt(deliveries), fmtInt((deliveries / ms) * 1000), fmtFixed(cpuUs, 2), fmtInt(ms)];
}

async function main(): Promise<void> {
  const store = await openPgliteStore({ dataDir: IN_MEMORY });
  await store.migrate();
  const rows: string[][] = [];
  rows.push(await runCase(store, 'baseline: bare push, no ordering', 'baseline'));
  for (const order of ['in order', 'pairs swapped', '1% lost'] as const) rows.push(await runCase(store, `in-order delivery, ${order}`, order));
  await store.close();
  process.stdout.write(`live-order: ${SUBSCRIBERS} subscribers × ${EVENTS} events, one room, HOLE_FILL_MS=${HOLE_FILL_MS}\n`);
  process.stdout.write(`${describeMachine()}; ${formatLoad(loadAverage())}\n`);
  process.stdout.write(`${formatTable(['case', 'deliveries', 'deliveries/s', 'CPU µs/delivery', 'wall ms'], rows)}\n`);
}

await main();
