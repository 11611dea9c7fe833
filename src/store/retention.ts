// Background retention: every interval, delete history older than RETENTION_DAYS. The timer is
// unref'd so retention alone never keeps the process alive; stop() waits for a running sweep.
import { callSafely } from '../call-safely.ts';
import { StoreError, asStoreError } from './errors.ts';
import type { EventStore, RetentionResult } from './event-store.ts';

const DAY_MS = 86_400_000;

export interface RetentionOptions {
  store: Pick<EventStore, 'deleteOlderThan'>;
  retentionDays: number;
  /** Time between sweeps, ms; the first sweep runs at once. */
  intervalMs?: number;
  now?: () => number;
  onSweep?: (result: RetentionResult, cutoffMs: number) => void;
  onError?: (error: StoreError) => void;
}

export interface Retention {
  /** Runs one sweep now (or joins the one already running). */
  sweep(): Promise<RetentionResult | null>;
  stop(): Promise<void>;
}

export function retentionCutoff(nowMs: number, retentionDays: number): number {
  return nowMs - retentionDays * DAY_MS;
}


export function startRetention(options: RetentionOptions): Retention {
  const { store, retentionDays } = options;
  if (typeof retentionDays !== 'number' || !Number.isFinite(retentionDays) || retentionDays <= 0) {
    throw new StoreError('BAD_ARGUMENT', `retentionDays must be a positive number of days, got ${String(retentionDays)}`);
  }
  const intervalMs = options.intervalMs ?? 3_600_000;
  const now = options.now ?? Date.now;
  let timer: NodeJS.Timeout | null = null;
  let running: Promise<RetentionResult | null> | null = null;
  let stopped = false;

  const runSweep = async (): Promise<RetentionResult | null> => {
    const cutoffMs = retentionCutoff(now(), retentionDays);
    let result: RetentionResult;
    try {
      result = await store.deleteOlderThan(cutoffMs);
    } catch (error) {
      const failure = asStoreError(error, 'retention sweep');
      callSafely(() => options.onError?.(failure));
      return null;
    }
    callSafely(() => options.onSweep?.(result, cutoffMs));
    return result;
  };

  const sweep = (): Promise<RetentionResult | null> => {
    running ??= runSweep().finally(() => (running = null));
    return running;
  };

  const schedule = (delayMs: number) => {
    timer = setTimeout(() => {
      void sweep().then(() => {
        if (!stopped) schedule(intervalMs);
      });
    }, delayMs);
    timer.unref();
  };

  schedule(0);
  return {
    sweep,
    stop: async () => {
      stopped = true;
      if (timer !== null) clearTimeout(timer);
      await running;
    },
  };
}
