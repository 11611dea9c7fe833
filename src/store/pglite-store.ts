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
import type { Sql, SqlEngine } from './sql.ts';
import { createSqlEventStore } from './sql-event-store.ts';

export const IN_MEMORY = 'memory://';

export interface PgliteStoreOptions {
  /** A directory (created when missing) or `memory://`. */
  dataDir: string;
}

export async function createPgliteEngine(options: PgliteStoreOptions): Promise<SqlEngine> {
  const lock = await lockUnlessInMemory(options.dataDir).catch((error: unknown) => {
    throw asStoreError(error, `opening the embedded store at ${options.dataDir}`);
  });
  const db = await openDatabase(options.dataDir).catch((error: unknown) => {
    lock?.release();
    throw asStoreError(error, `opening the embedded store at ${options.dataDir}`);
  });

  const over = (target: PGlite | Transaction): Sql => ({
    query: async <Row>(text: string, params: readonly unknown[] = []) => (await target.query<Row>(text, [...params])).rows,
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

/** A new store starts from the initdb template when there is one (pglite-template.ts). */
async function openDatabase(dataDir: string): Promise<PGlite> {
  const template = await readPgliteTemplate();
  const fromTemplate = template === undefined ? {} : { loadDataDir: template };
  if (dataDir === IN_MEMORY) return PGlite.create(fromTemplate);
  await mkdir(dataDir, { recursive: true });
  const isNew = !existsSync(join(dataDir, 'PG_VERSION'));
  return PGlite.create({ dataDir, ...(isNew ? fromTemplate : {}) });
}

/** A store on PGlite; call migrate() before use (openStore does). */
export async function openPgliteStore(options: PgliteStoreOptions): Promise<EventStore> {
  return createSqlEventStore(await createPgliteEngine(options));
}
