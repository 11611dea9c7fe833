// PGlite allows one process per data directory; a second one would corrupt it. The first process
// to open a directory writes its pid to a lock file there; a later one is refused with who holds
// it, unless that process is gone (a stale lock left by a crash, which is taken over).
import { openSync, readFileSync, rmSync, writeSync, closeSync } from 'node:fs';
import { join } from 'node:path';
import { StoreError } from './errors.ts';

export const LOCK_FILE = 'gateway.lock';

interface LockOwner {
  pid: number;
  command: string;
  since: string;
}

export interface DataDirLock {
  release(): void;
}

/** Takes the directory's lock for this process, or throws STORE_LOCKED naming the holder. */
export function lockDataDir(dataDir: string): DataDirLock {
  const file = join(dataDir, LOCK_FILE);
  const owner: LockOwner = { pid: process.pid, command: process.argv.slice(1).join(' '), since: new Date().toISOString() };
  for (let attempt = 0; attempt < 2; attempt++) {
    try {
      const fd = openSync(file, 'wx');
      writeSync(fd, `${JSON.stringify(owner)}\n`);
      closeSync(fd);
      return { release: () => releaseIfOurs(file) };
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== 'EEXIST') throw error;
    }
    const holder = readOwner(file);
    if (holder !== null && holder.pid !== process.pid && isRunning(holder.pid)) {
      throw new StoreError(
        'STORE_LOCKED',
        `the embedded store at ${dataDir} is in use by process ${holder.pid} (${holder.command}, since ${holder.since}); ` +
          'one process at a time can open it: stop that process, or set DATA_DIR to another directory',
      );
    }
    rmSync(file, { force: true }); // stale: its process is gone
  }
  throw new StoreError('STORE_LOCKED', `could not take the lock ${file}: another process keeps taking it`);
}

function readOwner(file: string): LockOwner | null {
  try {
    const parsed = JSON.parse(readFileSync(file, 'utf8')) as Partial<LockOwner>;
    return typeof parsed.pid === 'number' ? { pid: parsed.pid, command: parsed.command ?? '?', since: parsed.since ?? '?' } : null;
  } catch {
    return null;
  }
}

function isRunning(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === 'EPERM';
  }
}

function releaseIfOurs(file: string): void {
  if (readOwner(file)?.pid === process.pid) rmSync(file, { force: true });
}
