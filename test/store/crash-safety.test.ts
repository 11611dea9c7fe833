// Crash safety: a writer process killed with SIGKILL mid-ingest loses nothing it reported stored,
// and replaying the whole stream afterwards stores nothing twice (events or gift ledger).
import { type ChildProcess, spawn } from 'node:child_process';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createInterface } from 'node:readline';
import { fileURLToPath } from 'node:url';
import { afterAll, describe, expect, it } from 'vitest';
import type { EventStore } from '../../src/store/event-store.ts';
import { openPgStore } from '../../src/store/pg-store.ts';
import { openPgliteStore } from '../../src/store/pglite-store.ts';
import { crashSequence } from './crash-sequence.ts';
import { PGLITE_TIMEOUT_MS, newRoomId } from './fixtures.ts';
import { TEST_DATABASE_URL, createTestSchema, pgUnavailableReason } from './pg-harness.ts';

const CHILD = fileURLToPath(new URL('./crash-child.ts', import.meta.url));
const TOTAL = 6_000;
const KILL_AFTER_STORED = 400;
const pgUnavailable = await pgUnavailableReason();

interface ChildRun {
  stored: Map<string, string>;
  sawDone: boolean;
  signal: NodeJS.Signals | null;
}

/** Runs the child until it has reported KILL_AFTER_STORED events stored, then SIGKILLs it. */
function runAndKill(args: string[]): Promise<ChildRun> {
  const child: ChildProcess = spawn(process.execPath, ['--import', 'tsx', CHILD, ...args], { stdio: ['ignore', 'pipe', 'pipe'] });
  const stored = new Map<string, string>();
  let sawDone = false;
  let stderr = '';
  child.stderr?.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
  createInterface({ input: child.stdout! }).on('line', (line) => {
    const [word, id, cursor] = line.split(' ');
    if (word === 'STORED' && id && cursor) stored.set(id, cursor);
    if (word === 'DONE') sawDone = true;
    if (stored.size >= KILL_AFTER_STORED) child.kill('SIGKILL');
  });
  return new Promise((resolve, reject) => {
    const deadline = setTimeout(() => {
      child.kill('SIGKILL');
      reject(new Error(`crash child did not reach ${KILL_AFTER_STORED} stored events in time; stderr: ${stderr}`));
    }, PGLITE_TIMEOUT_MS);
    child.on('exit', (_code, signal) => {
      clearTimeout(deadline);
      resolve({ stored, sawDone, signal });
    });
  });
}

async function allStored(store: EventStore, roomId: string): Promise<Map<string, string>> {
  const byId = new Map<string, string>();
  let after: string | null = null;
  for (;;) {
    const page = await store.listEvents(roomId, { first: 1000, after });
    for (const event of page.events) {
      expect(byId.has(event.id), `event ${event.id} stored twice`).toBe(false);
      byId.set(event.id, event.cursor ?? '');
    }
    if (!page.hasNextPage) return byId;
    after = page.endCursor;
  }
}

async function checkRecovery(store: EventStore, roomId: string, run: ChildRun): Promise<void> {
  expect(run.signal).toBe('SIGKILL');
  expect(run.sawDone, 'the child finished before it was killed: the test did not crash it mid-ingest').toBe(false);

  const afterCrash = await allStored(store, roomId);
  for (const [id, cursor] of run.stored) expect(afterCrash.get(id), `reported-stored event ${id}`).toBe(cursor);
  expect(afterCrash.size).toBeLessThan(TOTAL);

  const sequence = crashSequence(roomId, TOTAL);
  const refs = [];
  for (let i = 0; i < TOTAL; i += 500) refs.push(...(await store.appendEvents(sequence.slice(i, i + 500))));
  const replayedAsNew = refs.filter((ref) => ref.isNew).map((ref) => ref.id);
  expect(replayedAsNew.filter((id) => afterCrash.has(id))).toEqual([]);
  expect(replayedAsNew.length).toBe(TOTAL - afterCrash.size);

  const final = await allStored(store, roomId);
  expect(final.size).toBe(TOTAL);
  for (const [id, cursor] of afterCrash) expect(final.get(id)).toBe(cursor);

  // The ledger was written in the same transactions as the events: each gift counted exactly once.
  const expectedDiamonds = sequence.reduce((sum, event) => (event.type === 'GiftEvent' ? sum + event.deltaCount * event.gift.diamondCount : sum), 0);
  const gifters = await store.topGifters(roomId, 1000);
  expect(gifters.reduce((sum, row) => sum + row.diamonds, 0)).toBe(expectedDiamonds);
}

describe('crash safety (SIGKILL mid-ingest)', () => {
  const cleanups: (() => Promise<void>)[] = [];
  afterAll(async () => {
    for (const cleanup of cleanups.reverse()) await cleanup();
  });

  it('PGlite: keeps every event reported stored and stores none twice on replay', async () => {
    const dataDir = await mkdtemp(join(tmpdir(), 'store-crash-'));
    cleanups.push(() => rm(dataDir, { recursive: true, force: true }));
    const roomId = newRoomId();
    const run = await runAndKill(['--room', roomId, '--count', String(TOTAL), '--data-dir', dataDir]);

    const store = await openPgliteStore({ dataDir });
    cleanups.push(() => store.close());
    await store.migrate();
    await checkRecovery(store, roomId, run);
  }, 2 * PGLITE_TIMEOUT_MS);

  it.skipIf(pgUnavailable !== null)(`PostgreSQL: keeps every event reported stored and stores none twice on replay${pgUnavailable ? ` (skipped: ${pgUnavailable})` : ''}`, async () => {
    const schema = await createTestSchema('store_crash');
    cleanups.push(() => schema.drop());
    const roomId = newRoomId();
    const run = await runAndKill(['--room', roomId, '--count', String(TOTAL), '--database-url', TEST_DATABASE_URL, '--schema', schema.schema]);

    const store = openPgStore({ connectionString: TEST_DATABASE_URL, schema: schema.schema });
    cleanups.push(() => store.close());
    await store.migrate();
    await checkRecovery(store, roomId, run);
  }, 2 * PGLITE_TIMEOUT_MS);
});
