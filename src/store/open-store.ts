// Start-up entry: PostgreSQL when a database URL is configured, else the embedded PGlite store.
import type { EventStore } from './event-store.ts';
import { createSqlMonitorStore, type MonitorStore } from './monitor-store.ts';
import { createPgEngine, openPgStore } from './pg-store.ts';
import { createPgliteEngine, openPgliteStore, type PgliteStoreOptions } from './pglite-store.ts';
import { createSqlLeaseStore, type LeaseStore } from './lease-store.ts';
import { createSqlEventStore, type AppendHook } from './sql-event-store.ts';

export interface OpenStoreOptions {
  /** postgres://… ; when empty or absent the embedded store is used. */
  databaseUrl?: string | null;
  /** PGlite data directory, or `memory://`. */
  dataDir: string;
  /** The embedded store's shared_buffers, MiB; DEFAULT_SHARED_BUFFERS_MB when absent. */
  sharedBuffersMb?: number;
}

function pgliteOptions(options: OpenStoreOptions): PgliteStoreOptions {
  return { dataDir: options.dataDir, ...(options.sharedBuffersMb === undefined ? {} : { sharedBuffersMb: options.sharedBuffersMb }) };
}

/** Opens the configured store and brings its schema up to date. */
export async function openStore(options: OpenStoreOptions): Promise<EventStore> {
  const store = options.databaseUrl ? openPgStore({ connectionString: options.databaseUrl }) : await openPgliteStore(pgliteOptions(options));
  try {
    await store.migrate();
  } catch (error) {
    await store.close().catch(() => undefined);
    throw error;
  }
  return store;
}

/** The event store and the monitoring tables on one engine, with a slot for the append hook. */
export interface OpenedStores {
  store: EventStore;
  monitor: MonitorStore;
  /** Room leases, cluster interest and the instance registry, on the same database. */
  leases: LeaseStore;
  /** Installs what runs inside every event append's transaction (the webhook trigger). */
  setAppendHook(hook: AppendHook | null): void;
}

export async function openStores(options: OpenStoreOptions): Promise<OpenedStores> {
  const engine = options.databaseUrl ? createPgEngine({ connectionString: options.databaseUrl }) : await createPgliteEngine(pgliteOptions(options));
  let hook: AppendHook | null = null;
  const store = createSqlEventStore(engine, { appendHook: () => hook });
  try {
    await store.migrate();
  } catch (error) {
    await store.close().catch(() => undefined);
    throw error;
  }
  return { store, monitor: createSqlMonitorStore(engine), leases: createSqlLeaseStore(engine), setAppendHook: (next) => void (hook = next) };
}
