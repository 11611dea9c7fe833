// A bounded push/pull queue between a publisher that must never block (the bus) and one
// subscriber that reads at its own pace. When the subscriber falls `limit` events behind, the
// queue fails instead of growing the server's memory without bound.

export class SlowConsumerError extends Error {
  readonly code = 'SLOW_CONSUMER';
  constructor(readonly limit: number) {
    super(`the subscriber fell more than ${limit} events behind and was cut off; resume from its last cursor`);
    this.name = 'SlowConsumerError';
  }
}

export class EventQueue<T> implements AsyncIterableIterator<T> {
  private readonly items: T[] = [];
  private head = 0;
  private waiting: ((result: IteratorResult<T>) => void) | null = null;
  private failWaiting: ((error: unknown) => void) | null = null;
  private failure: unknown = null;
  private done = false;
  private roomWaiters: { below: number; resolve: () => void }[] = [];

  constructor(
    private readonly limit: number,
    private readonly onClose: () => void = () => {},
  ) {}

  get closed(): boolean {
    return this.done || this.failure !== null;
  }

  get length(): number {
    return this.items.length - this.head;
  }

  push(item: T): void {
    if (this.done || this.failure !== null) return;
    if (this.waiting !== null) {
      const resolve = this.waiting;
      this.waiting = null;
      this.failWaiting = null;
      resolve({ value: item, done: false });
      return;
    }
    if (this.length >= this.limit) {
      this.fail(new SlowConsumerError(this.limit));
      return;
    }
    this.items.push(item);
  }

  /** Ends the stream with an error once the subscriber has read what is already queued. */
  fail(error: unknown): void {
    if (this.done || this.failure !== null) return;
    this.failure = error;
    this.items.length = 0;
    this.head = 0;
    this.releaseProducers();
    if (this.failWaiting !== null) {
      const reject = this.failWaiting;
      this.waiting = null;
      this.failWaiting = null;
      reject(error);
    }
    this.onClose();
  }

  end(): void {
    if (this.done) return;
    this.done = true;
    this.releaseProducers();
    if (this.waiting !== null) {
      const resolve = this.waiting;
      this.waiting = null;
      this.failWaiting = null;
      resolve({ value: undefined, done: true });
    }
    this.onClose();
  }

  /** Resolves once fewer than `below` events wait, so a producer that can wait (replay) does. */
  waitForRoom(below: number): Promise<void> {
    if (this.length < below || this.done || this.failure !== null) return Promise.resolve();
    return new Promise((resolve) => this.roomWaiters.push({ below, resolve }));
  }

  next(): Promise<IteratorResult<T>> {
    if (this.failure !== null) return Promise.reject(this.failure);
    if (this.length > 0) {
      const value = this.items[this.head] as T;
      this.head += 1;
      this.wakeProducers();
      if (this.head > 1024 && this.head * 2 > this.items.length) {
        this.items.splice(0, this.head);
        this.head = 0;
      }
      return Promise.resolve({ value, done: false });
    }
    if (this.done) return Promise.resolve({ value: undefined, done: true });
    return new Promise((resolve, reject) => {
      this.waiting = resolve;
      this.failWaiting = reject;
    });
  }

  return(): Promise<IteratorResult<T>> {
    this.end();
    return Promise.resolve({ value: undefined, done: true });
  }

  private releaseProducers(): void {
    for (const waiter of this.roomWaiters.splice(0)) waiter.resolve();
  }

  private wakeProducers(): void {
    if (this.roomWaiters.length === 0) return;
    const ready = this.roomWaiters.filter((waiter) => this.length < waiter.below);
    this.roomWaiters = this.roomWaiters.filter((waiter) => this.length >= waiter.below);
    for (const waiter of ready) waiter.resolve();
  }

  [Symbol.asyncIterator](): this {
    return this;
  }
}
