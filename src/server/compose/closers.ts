// What the composition root must close, in the reverse of the order it was built. Each closer
// gets a bounded time: one that hangs (a peer that never answers a quit) is named in the log and
// passed over, so those after it still run — above all the lease release that lets another
// instance take the rooms over at once — and the process still exits.
import { setTimeout as sleep } from 'node:timers/promises';
import type { Logger } from '../logger.ts';

const DEFAULT_CLOSE_TIMEOUT_MS = 15_000;

export class Closers {
  private readonly closers: { name: string; close: () => Promise<void> | void }[] = [];

  constructor(
    private readonly logger: Pick<Logger, 'warn'>,
    private readonly timeoutMs = DEFAULT_CLOSE_TIMEOUT_MS,
  ) {}

  add(name: string, close: () => Promise<void> | void): void {
    this.closers.push({ name, close });
  }

  async closeAll(): Promise<void> {
    for (const { name, close } of this.closers.splice(0).reverse()) {
      const stopWaiting = new AbortController();
      try {
        const closing = Promise.resolve().then(close);
        const finished = await Promise.race([
          closing.then(() => true),
          sleep(this.timeoutMs, false, { signal: stopWaiting.signal, ref: false }),
        ]);
        if (!finished) {
          closing.catch(() => undefined);
          this.logger.warn({ closer: name, timeoutMs: this.timeoutMs }, `closing ${name} did not finish in time; going on without it`);
        }
      } catch (error) {
        this.logger.warn({ err: error, closer: name }, `closing ${name} failed`);
      } finally {
        stopWaiting.abort();
      }
    }
  }
}
