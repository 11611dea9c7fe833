// The storage subsystem: the event store, its batching writer and retention.
import type { Config } from '../../config.ts';
import type { EventStore } from '../../store/event-store.ts';
import { IngestWriter } from '../../store/ingest-writer.ts';
import { openStores, type OpenedStores } from '../../store/open-store.ts';
import { startRetention } from '../../store/retention.ts';
import type { Logger } from '../logger.ts';
import type { Closers } from './closers.ts';

export interface Storage {
  store: EventStore;
  monitor: OpenedStores['monitor'];
  leases: OpenedStores['leases'];
  setAppendHook: OpenedStores['setAppendHook'];
  writer: IngestWriter;
  /** Who pauses upstream reads while the store is behind (the collectors, built later). */
  onBackpressure(pause: (paused: boolean) => void): void;
}

export async function createStorage(config: Readonly<Config>, logger: Logger, closers: Closers): Promise<Storage> {
  const opening = performance.now();
  const { store, monitor, leases, setAppendHook } = await openStores({
    databaseUrl: config.store.databaseUrl,
    dataDir: config.store.dataDir,
    sharedBuffersMb: config.store.pgliteSharedBuffersMb,
  });
  // Opening and migrating the store is the longest step of a start on a new embedded store:
  // logged with its time so a slow start says where it went (bench/startup.ts reads it).
  logger.info({ ms: Math.round(performance.now() - opening), engine: config.store.databaseUrl === null ? 'pglite' : 'postgres' }, 'store open');
  closers.add('the store', () => store.close());
  let pause: (paused: boolean) => void = () => undefined;
  const writer = new IngestWriter({
    store,
    // Live events are published once stored: a short batch window keeps that wait small, and
    // under load batches fill by count long before it expires.
    flushIntervalMs: 10,
    onBackpressure: (active, stats) => {
      logger.warn({ pending: stats.pending, active }, active ? 'store is behind: pausing upstream reads' : 'store caught up');
      pause(active);
    },
    onDeriveError: (error) => logger.warn({ code: error.code }, error.message),
    // Batches are held and tried again meanwhile; with the queue full, upstream reads pause.
    onStoreOutage: (error, stats) => {
      if (error === null) logger.info({ pending: stats.pending }, 'store reachable again: held events stored');
      else logger.error({ code: error.code, pending: stats.pending }, `store unreachable, holding events: ${error.message}`);
    },
  });
  closers.add('the ingest writer', () => writer.close());
  const retention = startRetention({
    store,
    retentionDays: config.store.retentionDays,
    onError: (error) => logger.warn({ code: error.code }, `retention: ${error.message}`),
  });
  closers.add('retention', () => retention.stop());
  return {
    store,
    monitor,
    leases,
    setAppendHook,
    writer,
    onBackpressure: (next) => {
      pause = next;
    },
  };
}
