// Start-up entry: PostgreSQL when a database URL is configured, else the embedded PGlite store.
import type { EventStore } from './event-store.ts';
import { openPgStore } from './pg-store.ts';
import { openPgliteStore } from './pglite-store.ts';

export interface OpenStoreOptions {
  /** postgres://… ; when empty or absent the embedded store is used. */
  databaseUrl?: string | null;
  /** PGlite data directory, or `memory://`. */
  dataDir: string;
}

/** Opens the configured store and brings its schema up to date. */
export async function openStore(options: OpenStoreOptions): Promise<EventStore> {
  const store = options.databaseUrl ? openPgStore({ connectionString: options.databaseUrl }) : await openPgliteStore({ dataDir: options.dataDir });
  try {
    await store.migrate();
  } catch (error) {
    await store.close().catch(() => undefined);
    throw error;
  }
  return store;
}
