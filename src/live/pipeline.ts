// The live pipeline of one instance: ingest → store → publish, resume saving, and each
// subscriber's replay-then-live stream and the room status stream built on them.
import type { EventBus } from '../bus/event-bus.ts';
import type { RoomSupervisor } from '../collectors/supervisor.ts';
import type { EventStore } from '../store/event-store.ts';
import { BusBackstop } from './bus-backstop.ts';
import type { HoleObserver } from './in-order.ts';
import { Ingest, type IngestTarget } from './ingest.ts';
import type { RoomEventSource, RoomStatusSource } from './ports.ts';
import { ResumeSaver } from './resume-saver.ts';
import { RoomFeed } from './room-feed.ts';
import { createStatusChanges, type AnchorFollowing } from './status-changes.ts';

export interface LivePipelineOptions {
  bus: EventBus;
  store: EventStore;
  writer: IngestTarget;
  /** Events one subscriber may fall behind before it is cut off. */
  bufferLimit: number;
  /** How long a subscriber waits for a missing event over the bus before reading it from the store. */
  holeFillMs: number;
  holes?: HoleObserver;
  /** The bus can lose events (Redis): subscribers are backed by the store (bus-backstop.ts). */
  busCanLose?: boolean;
  onStoreError(error: { code: string; message: string }, roomId: string): void;
  onPublishError(error: unknown): void;
  onResumeSaveError(error: unknown): void;
  /** Events of a room were refused under a stale lease epoch: this instance no longer owns it. */
  onFenced?(roomId: string, epoch: number): void;
  onBackstopError?(error: unknown): void;
}

export interface LivePipeline {
  ingest: Ingest;
  resumeSaver: ResumeSaver;
  events: RoomEventSource;
  /** The status stream reads the collectors' states, built after the pipeline. */
  statusChanges(supervisor: RoomSupervisor, following: AnchorFollowing): RoomStatusSource;
  /** Stores and publishes what was accepted, and saves pending resume points. */
  close(): Promise<void>;
}

export function createLivePipeline(options: LivePipelineOptions): LivePipeline {
  const { bus, store } = options;
  const resumeSaver = new ResumeSaver({
    save: (roomId, point, epoch) => store.saveResumePoint(roomId, point, epoch),
    onError: options.onResumeSaveError,
  });
  const ingest = new Ingest({
    bus,
    writer: options.writer,
    onStoreError: (error, event) => options.onStoreError(error, event.roomId),
    onPublishError: options.onPublishError,
    ...(options.onFenced ? { onFenced: options.onFenced } : {}),
  });
  const backstop = options.busCanLose
    ? new BusBackstop({
        bus,
        store,
        pollMs: options.holeFillMs,
        ...(options.holes ? { holes: options.holes } : {}),
        ...(options.onBackstopError ? { onError: options.onBackstopError } : {}),
      })
    : null;
  const feed = new RoomFeed({
    bus: backstop ?? bus,
    store,
    bufferLimit: options.bufferLimit,
    holeFillMs: options.holeFillMs,
    ...(options.holes ? { observer: options.holes } : {}),
  });
  return {
    ingest,
    resumeSaver,
    events: { subscribe: (roomId, subscription) => feed.subscribe(roomId, subscription) },
    statusChanges: (supervisor, following) => createStatusChanges(supervisor, following),
    async close() {
      await ingest.settled();
      await resumeSaver.flush();
      await backstop?.close();
    },
  };
}
