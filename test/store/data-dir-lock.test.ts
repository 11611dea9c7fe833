// One process per embedded store: while one holds the data directory, a second (here the export
// CLI) is refused with a message naming the directory and the holder; a lock whose process is
// gone is taken over; an unknown room is an error, not an empty file.
import { execFile, spawnSync } from 'node:child_process';
import { existsSync, writeFileSync } from 'node:fs';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { LOCK_FILE } from '../../src/store/data-dir-lock.ts';
import type { EventStore } from '../../src/store/event-store.ts';
import { openPgliteStore } from '../../src/store/pglite-store.ts';
import { PGLITE_TIMEOUT_MS, T0, chat, newRoomId } from './fixtures.ts';

const CLI = fileURLToPath(new URL('../../src/store/export-cli.ts', import.meta.url));

const exportCli = (args: string[]) =>
  new Promise<{ code: number; stderr: string }>((resolve) => {
    execFile(process.execPath, ['--import', 'tsx', CLI, ...args], { env: { ...process.env, DATABASE_URL: '' }, timeout: PGLITE_TIMEOUT_MS }, (error, _stdout, stderr) =>
      resolve({ code: error === null ? 0 : typeof error.code === 'number' ? error.code : -1, stderr }),
    );
  });

describe('embedded store lock', () => {
  let dir: string;
  let dataDir: string;
  let store: EventStore;
  const roomId = newRoomId();

  beforeAll(async () => {
    dir = await mkdtemp(join(tmpdir(), 'store-lock-'));
    dataDir = join(dir, 'data');
    store = await openPgliteStore({ dataDir });
    await store.migrate();
    await store.appendEvents([chat(roomId, 'locked-1', T0)]);
  }, PGLITE_TIMEOUT_MS);
  afterAll(async () => {
    await store?.close().catch(() => undefined);
    await rm(dir, { recursive: true, force: true });
  });

  it('refuses a second process with the directory, the holder and how to export anyway', async () => {
    const result = await exportCli(['--room', roomId, '--data-dir', dataDir, '--out', join(dir, 'refused.jsonl')]);
    expect(result.code).toBe(1);
    expect(result.stderr).toContain(`the embedded store at ${dataDir} is in use by process ${process.pid}`);
    expect(result.stderr).toContain('(STORE_LOCKED)');
    expect(result.stderr).toContain('DATABASE_URL');
    expect(existsSync(join(dir, 'refused.jsonl'))).toBe(false);
  }, PGLITE_TIMEOUT_MS);

  it('releases the lock on close and takes over a lock whose process is gone', async () => {
    await store.close();
    expect(existsSync(join(dataDir, LOCK_FILE))).toBe(false);
    const gone = spawnSync(process.execPath, ['-e', '']).pid!;
    writeFileSync(join(dataDir, LOCK_FILE), JSON.stringify({ pid: gone, command: 'crashed', since: 'then' }));

    const out = join(dir, 'room.jsonl');
    const exported = await exportCli(['--room', roomId, '--data-dir', dataDir, '--out', out]);
    expect(exported.stderr).toContain(`exported 1 events of room ${roomId}`);
    expect(exported.code).toBe(0);

    const unknown = newRoomId();
    const refused = await exportCli(['--room', unknown, '--data-dir', dataDir, '--out', join(dir, 'unknown.jsonl')]);
    expect(refused.code).toBe(1);
    expect(refused.stderr).toContain(`no stored events for room ${unknown}`);
    expect(refused.stderr).toContain('(ROOM_NOT_FOUND)');
    expect(existsSync(join(dir, 'unknown.jsonl'))).toBe(false);
  }, 3 * PGLITE_TIMEOUT_MS);
});
