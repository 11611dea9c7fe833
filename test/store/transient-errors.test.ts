// Which store failures the ingest writer waits out and retries, on errors PostgreSQL really
// sends. A session ended by idle_in_transaction_session_timeout (a gateway stalled for seconds
// mid-transaction on a loaded machine) rolled its batch back: trying again is right, and giving
// the batch up would lose what was received.
import pg from 'pg';
import { describe, expect, it } from 'vitest';
import { asStoreError, isTransientStoreError } from '../../src/store/errors.ts';
import { TEST_DATABASE_URL, pgUnavailableReason } from './pg-harness.ts';

const unavailable = await pgUnavailableReason();

/** The error the server sends when it ends a session that stays idle inside a transaction. */
async function idleInTransactionError(): Promise<Error> {
  const client = new pg.Client({ connectionString: TEST_DATABASE_URL });
  await client.connect();
  const ended = new Promise<Error>((resolve) => client.once('error', resolve));
  await client.query("SET idle_in_transaction_session_timeout = '50ms'");
  await client.query('BEGIN');
  const error = await ended;
  await client.end().catch(() => undefined);
  return error;
}

describe.skipIf(unavailable !== null)('transient store errors', () => {
  it('retries a batch whose session the server ended for idling in its transaction', async () => {
    const error = await idleInTransactionError();
    expect((error as { code?: string }).code).toBe('25P03');
    expect(isTransientStoreError(asStoreError(error, 'storing a batch'))).toBe(true);
  });

  it('does not retry what the database refuses for what it is', async () => {
    const client = new pg.Client({ connectionString: TEST_DATABASE_URL });
    await client.connect();
    try {
      const error = await client.query('SELECT 1/0').then(
        () => null,
        (refused: Error) => refused,
      );
      expect((error as { code?: string } | null)?.code).toBe('22012');
      expect(isTransientStoreError(asStoreError(error, 'storing a batch'))).toBe(false);
    } finally {
      await client.end();
    }
  });
});
