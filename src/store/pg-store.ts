// The PostgreSQL engine: a pg Pool behind the Sql executor. Used when DATABASE_URL is set.
import pg from 'pg';
import { StoreError } from './errors.ts';
import type { EventStore } from './event-store.ts';
import { JsonDocuments, type Sql, type SqlEngine } from './sql.ts';
import { createSqlEventStore } from './sql-event-store.ts';

export interface PgStoreOptions {
  connectionString: string;
  /** Schema to create the tables in (search_path); the schema must exist. Default: the server's. */
  schema?: string;
  /** Pool size. */
  maxConnections?: number;
  connectTimeoutMs?: number;
}

const IDLE_IN_TRANSACTION_MS = 5_000;

const SCHEMA_NAME = /^[a-z_][a-z0-9_]{0,62}$/;

export function createPgEngine(options: PgStoreOptions): SqlEngine {
  if (options.schema !== undefined && !SCHEMA_NAME.test(options.schema)) {
    throw new StoreError('BAD_ARGUMENT', `not a plain schema name: ${JSON.stringify(options.schema)}`);
  }
  const pool = new pg.Pool({
    connectionString: options.connectionString,
    max: options.maxConnections ?? 10,
    connectionTimeoutMillis: options.connectTimeoutMs ?? 10_000,
    // A process frozen inside a transaction (SIGSTOP, a VM pause) would hold the fence's lock on
    // its rooms' leases for ever and no other instance could take them over: the server ends such
    // a session instead. Our transactions are short bursts of statements, never idle for long.
    idle_in_transaction_session_timeout: IDLE_IN_TRANSACTION_MS,
    ...(options.schema === undefined ? {} : { options: `-c search_path=${options.schema}` }),
  });
  // An idle client losing its connection must not crash the process; the next query reports it.
  pool.on('error', () => undefined);

  const over = (client: pg.Pool | pg.PoolClient): Sql => ({
    query: async <Row>(text: string, params: readonly unknown[] = []) => (await client.query(text, params.map(toPgParam))).rows as Row[],
    exec: async (script) => void (await client.query(script)),
  });

  return {
    ...over(pool),
    transaction: async (work) => {
      const client = await pool.connect();
      let broken = false;
      // A checked-out client has no pool listener: a socket reset between statements would be
      // an uncaught 'error' and end the process. The failing statement reports it instead.
      const onError = (): void => {
        broken = true;
      };
      client.on('error', onError);
      try {
        await client.query('BEGIN');
        const result = await work(over(client));
        await client.query('COMMIT');
        return result;
      } catch (error) {
        await client.query('ROLLBACK').catch(() => (broken = true));
        throw error;
      } finally {
        client.off('error', onError);
        client.release(broken);
      }
    },
    close: () => pool.end(),
  };
}

/** A store on PostgreSQL; call migrate() before use (openStore does). */
export function openPgStore(options: PgStoreOptions): EventStore {
  return createSqlEventStore(createPgEngine(options));
}

/** node-postgres sends a Buffer in binary format, which jsonb reads as its binary input. */
function toPgParam(value: unknown): unknown {
  return value instanceof JsonDocuments ? value.jsonbBinary() : value;
}
