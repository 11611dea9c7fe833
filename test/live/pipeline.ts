// The real history pipeline for wiring tests: a PGlite store in memory, the in-process bus, the
// ingest writer and Ingest, plus probes that let a test act at an exact point of a replay.
import { MemoryEventBus } from '../../src/bus/memory-bus.ts';
import type { RoomEvent } from '../../src/domain/events.ts';
import type { EventPage, EventStore, ListEventsOptions, StoredEventRef } from '../../src/store/event-store.ts';
import { IngestWriter } from '../../src/store/ingest-writer.ts';
import { Ingest, type IngestOptions, type IngestTarget } from '../../src/live/ingest.ts';
import { T0, chat } from '../store/fixtures.ts';

export interface Pipeline {
  bus: MemoryEventBus;
  /** Errors thrown by bus handlers (a subscriber's bug); tests expect none. */
  busErrors: unknown[];
  writer: IngestWriter;
  ingest: Ingest;
  /** Stores and publishes the events, resolving once both happened. */
  record(roomId: string, events: readonly RoomEvent[]): Promise<void>;
  close(): Promise<void>;
}

export function pipeline(store: EventStore, options: Partial<IngestOptions> = {}, target?: (writer: IngestWriter) => IngestTarget): Pipeline {
  const busErrors: unknown[] = [];
  const bus = new MemoryEventBus((error) => busErrors.push(error));
  const writer = new IngestWriter({ store, maxBatch: 50, flushIntervalMs: 1 });
  const ingest = new Ingest({ bus, writer: target ? target(writer) : writer, ...options });
  return {
    bus,
    busErrors,
    writer,
    ingest,
    async record(roomId, events) {
      ingest.accept(roomId, events);
      await ingest.settled();
    },
    async close() {
      await ingest.settled();
      await writer.close();
    },
  };
}

/** Chats `from`..`to - 1` of a room, ids `c<n>`, one ms apart. */
export function chats(roomId: string, from: number, to: number): RoomEvent[] {
  return Array.from({ length: to - from }, (_, i) => chat(roomId, `c${from + i}`, T0 + from + i, `n${from + i}`));
}

export type ReplayHook = (call: number, page: EventPage, options: ListEventsOptions) => Promise<void> | void;

/** The store with its listEvents observed: each page passes `hook` before the reader gets it. */
export function probedStore(store: EventStore, hook: ReplayHook = () => undefined): EventStore & { calls: ListEventsOptions[] } {
  const calls: ListEventsOptions[] = [];
  return {
    ...store,
    calls,
    listEvents: async (roomId, options) => {
      calls.push(options);
      const page = await store.listEvents(roomId, options);
      await hook(calls.length, page, options);
      return page;
    },
  };
}

/** An ingest target whose answers wait at a gate: the event is stored, its publication held. */
export class HeldAnswers implements IngestTarget {
  private gate: Promise<void> | null = null;
  private open: () => void = () => undefined;

  constructor(private readonly inner: IngestTarget) {}

  hold(): void {
    this.gate = new Promise((resolve) => (this.open = resolve));
  }

  release(): void {
    this.open();
    this.gate = null;
  }

  async enqueue(event: RoomEvent): Promise<StoredEventRef> {
    const gate = this.gate;
    const ref = await this.inner.enqueue(event);
    if (gate !== null) await gate;
    return ref;
  }
}

/** Reads `count` events, failing with what was read so far when the deadline passes first. */
export async function take(source: AsyncIterator<RoomEvent>, count: number, deadlineMs = 15_000): Promise<RoomEvent[]> {
  const read: RoomEvent[] = [];
  const deadline = Date.now() + deadlineMs;
  while (read.length < count) {
    let timer: NodeJS.Timeout | undefined;
    const timeout = new Promise<never>((_resolve, reject) => {
      timer = setTimeout(() => reject(new Error(`read ${read.length} of ${count} events before the deadline: ${ids(read).slice(-5).join(',')}`)), Math.max(1, deadline - Date.now()));
    });
    try {
      const result = await Promise.race([source.next(), timeout]);
      if (result.done) throw new Error(`the stream ended after ${read.length} of ${count} events`);
      read.push(result.value);
    } finally {
      clearTimeout(timer);
    }
  }
  return read;
}

export const ids = (events: readonly RoomEvent[]): string[] => events.map((event) => event.id);

/** One turn of the event loop: lets settled I/O callbacks and promise chains run. */
export const turn = () => new Promise<void>((resolve) => setImmediate(resolve));
