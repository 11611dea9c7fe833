// The embedded engine: PGlite (PostgreSQL compiled to WASM) in a data directory, so the gateway
// keeps history with no database server. `memory://` keeps it in memory only.
import { existsSync } from 'node:fs';
import { mkdir } from 'node:fs/promises';
import { join } from 'node:path';
import { PGlite, type Transaction } from '@electric-sql/pglite';
import { lockDataDir, type DataDirLock } from './data-dir-lock.ts';
import { asStoreError } from './errors.ts';
import type { EventStore } from './event-store.ts';
import { readPgliteTemplate } from './pglite-template.ts';
import { JsonDocuments, type Sql, type SqlEngine } from './sql.ts';
import { createSqlEventStore } from './sql-event-store.ts';

export const IN_MEMORY = 'memory://';

export interface PgliteStoreOptions {
  /** A directory (created when missing) or `memory://`. */
  dataDir: string;
  /** shared_buffers, MiB (PGLITE_SHARED_BUFFERS_MB); DEFAULT_SHARED_BUFFERS_MB when absent. */
  sharedBuffersMb?: number;
}

/**
 * PGlite's own default is 160 MiB of shared buffers inside its WASM memory, which the buffer
 * pool touches as it fills: that was about 120 MiB of an idle gateway's resident memory, for a
 * store whose hot pages are the tail of the events table and its indexes. 16 MiB keeps those in
 * memory (bench/README.md: idle RSS and the writer's rate, before and after); the pages that do
 * not fit are read from the data directory's files, which the OS caches anyway.
 */
export const DEFAULT_SHARED_BUFFERS_MB = 16;

export async function createPgliteEngine(options: PgliteStoreOptions): Promise<SqlEngine> {
  const lock = await lockUnlessInMemory(options.dataDir).catch((error: unknown) => {
    throw asStoreError(error, `opening the embedded store at ${options.dataDir}`);
  });
  const db = await openDatabase(options.dataDir, options.sharedBuffersMb ?? DEFAULT_SHARED_BUFFERS_MB).catch((error: unknown) => {
    lock?.release();
    throw asStoreError(error, `opening the embedded store at ${options.dataDir}`);
  });

  const over = (target: PGlite | Transaction): Sql => ({
    query: async <Row>(text: string, params: readonly unknown[] = []) => (await target.query<Row>(text, params.map(toPgliteParam))).rows,
    exec: async (script) => void (await target.exec(script)),
  });

  return {
    ...over(db),
    transaction: (work) => db.transaction((tx) => work(over(tx))),
    close: async () => {
      try {
        await db.close();
      } finally {
        lock?.release();
      }
    },
  };
}

async function lockUnlessInMemory(dataDir: string): Promise<DataDirLock | null> {
  if (dataDir === IN_MEMORY) return null;
  await mkdir(dataDir, { recursive: true });
  return lockDataDir(dataDir);
}

async function fromTemplate(): Promise<{ loadDataDir?: Blob }> {
  const template = await readPgliteTemplate();
  return template === undefined ? {} : { loadDataDir: template };
}

/** A new store starts from the initdb template when there is one (pglite-template.ts). */
async function openDatabase(dataDir: string, sharedBuffersMb: number): Promise<PGlite> {
  // startParams replaces PGlite's own list, so that list comes first.
  const startParams = [...PGlite.defaultStartParams, '-c', `shared_buffers=${sharedBuffersMb}MB`];
  if (dataDir === IN_MEMORY) return PGlite.create({ ...(await fromTemplate()), startParams });
  await mkdir(dataDir, { recursive: true });
  // A restart opens what is there: the 40 MB template is not even read.
  if (existsSync(join(dataDir, 'PG_VERSION'))) return PGlite.create({ dataDir, startParams });
  const template = await fromTemplate();
  if (template.loadDataDir === undefined) return PGlite.create({ dataDir, startParams });
  // Unpacked, then opened afresh: a PGlite made from the template keeps it (40 MB) for its life.
  await (await PGlite.create({ dataDir, startParams, ...template })).close();
  return PGlite.create({ dataDir, startParams });
}

/** A store on PGlite; call migrate() before use (openStore does). */
export async function openPgliteStore(options: PgliteStoreOptions): Promise<EventStore> {
  return createSqlEventStore(await createPgliteEngine(options));
}

function toPgliteParam(value: unknown): unknown {
  return value instanceof JsonDocuments ? value.text() : value;
}
