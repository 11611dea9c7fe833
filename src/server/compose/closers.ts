// What the composition root must close, in the reverse of the order it was built.
import type { Logger } from '../logger.ts';

export class Closers {
  private readonly closers: (() => Promise<void> | void)[] = [];

  constructor(private readonly logger: Logger) {}

  add(closer: () => Promise<void> | void): void {
    this.closers.push(closer);
  }

  async closeAll(): Promise<void> {
    for (const closer of this.closers.splice(0).reverse()) {
      try {
        await closer();
      } catch (error) {
        this.logger.warn({ err: error }, 'close failed');
      }
    }
  }
}
