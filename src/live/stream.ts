// The one stream primitive of the live layer: graphql-yoga's Repeater over a bounded buffer
// this file counts. A producer that must never block (the bus) pushes; when the subscriber has
// `limit` events waiting, the stream fails with SlowConsumerError instead of growing memory. A
// producer that can wait (a replay from the store) waits for room first.
//
// Sources are attached at once (not on the first next(), as a bare Repeater would): a subscriber
// counts from the moment it subscribed, and a replay may fill the buffer before anyone reads.
import { Repeater, type RepeaterBuffer } from 'graphql-yoga';
import { SlowConsumerError } from './slow-consumer.ts';

export interface StreamSink<T> {
  /** Queues one item; past the bound the stream fails with SlowConsumerError. */
  push(item: T): void;
  /** Ends the stream with `error` (what is queued is dropped: the subscriber resumes by cursor). */
  fail(error: unknown): void;
  /** Ends the stream once the subscriber has read what is queued. */
  end(): void;
  /** Resolves once fewer than `below` items wait, or the stream ended. */
  waitUntilFewerThan(below: number): Promise<void>;
  readonly closed: boolean;
  /** Items waiting to be read. */
  readonly length: number;
}

export type BoundedStream<T> = Repeater<T> & AsyncIterableIterator<T>;

/**
 * A stream of at most `limit` waiting items. `attach` connects the sources and returns what
 * lets go of them; it runs now, and the release runs once however the stream ends (end, fail,
 * the subscriber's return(), or `signal` aborting).
 */
export function boundedStream<T>(
  limit: number,
  attach: (sink: StreamSink<T>) => () => void,
  signal?: AbortSignal,
): BoundedStream<T> {
  const buffer = new CountedBuffer<T>(limit);
  let controls: { push: (item: T) => unknown; stop: (error?: unknown) => void } | null = null;
  let ending: { error: unknown } | null = null;
  let released = false;
  let release = () => {};
  const releaseOnce = () => {
    if (released) return;
    released = true;
    buffer.wakeAll();
    release();
  };
  const close = (error: unknown) => {
    if (ending !== null) return;
    ending = { error };
    releaseOnce();
    controls?.stop(error);
  };
  const sink: StreamSink<T> = {
    push(item) {
      if (ending !== null) return;
      if (buffer.full) {
        sink.fail(new SlowConsumerError(limit));
        return;
      }
      if (controls === null) buffer.add(item);
      else void controls.push(item);
    },
    fail(error) {
      if (ending !== null) return;
      buffer.clear();
      close(error);
    },
    end: () => close(undefined),
    waitUntilFewerThan: (below) => (ending !== null ? Promise.resolve() : buffer.waitForLengthBelow(below)),
    get closed() {
      return ending !== null;
    },
    get length() {
      return buffer.length;
    },
  };
  const stream = new Repeater<T>(async (push, stop) => {
    controls = { push, stop };
    if (ending !== null) stop(ending.error);
    await stop;
    close(undefined);
  }, buffer) as BoundedStream<T>;
  if (signal?.aborted) {
    sink.end();
    return stream;
  }
  signal?.addEventListener('abort', () => sink.end(), { once: true });
  release = attach(sink);
  // A source may have ended the stream while attaching: let go of it now.
  if (ending !== null) release();
  return releasingOnReturn(stream, () => close(undefined));
}

/**
 * Makes `stream.return()` also run `release`: a Repeater's return() before its first next()
 * never runs the executor, so what was attached outside it must be let go here.
 */
export function releasingOnReturn<T, S extends Repeater<T>>(stream: S, release: () => void): S {
  const giveBack = stream.return.bind(stream);
  stream.return = (value?: unknown) => {
    try {
      release();
    } catch {
      // Letting go must not keep the subscriber from leaving.
    }
    return giveBack(value as T);
  };
  return stream;
}

/** A FIFO the Repeater reads from, counting what waits so producers can be bounded and woken. */
class CountedBuffer<T> implements RepeaterBuffer {
  private items: unknown[] = [];
  private head = 0;
  private waiters: { below: number; resolve: () => void }[] = [];

  constructor(private readonly capacity: number) {}

  get length(): number {
    return this.items.length - this.head;
  }

  get empty(): boolean {
    return this.length === 0;
  }

  get full(): boolean {
    return this.length >= this.capacity;
  }

  add(value: unknown): void {
    this.items.push(value);
  }

  remove(): unknown {
    if (this.empty) throw new Error('the buffer is empty');
    const value = this.items[this.head];
    this.items[this.head] = undefined;
    this.head += 1;
    if (this.head > 1024 && this.head * 2 > this.items.length) {
      this.items = this.items.slice(this.head);
      this.head = 0;
    }
    this.wake();
    return value;
  }

  clear(): void {
    this.items = [];
    this.head = 0;
  }

  waitForLengthBelow(below: number): Promise<void> {
    if (this.length < below) return Promise.resolve();
    return new Promise((resolve) => this.waiters.push({ below, resolve }));
  }

  wakeAll(): void {
    for (const waiter of this.waiters.splice(0)) waiter.resolve();
  }

  private wake(): void {
    if (this.waiters.length === 0) return;
    const ready = this.waiters.filter((waiter) => this.length < waiter.below);
    if (ready.length === 0) return;
    this.waiters = this.waiters.filter((waiter) => this.length >= waiter.below);
    for (const waiter of ready) waiter.resolve();
  }
}

/**
 * Inside a Repeater's executor: pushes what `iterator` yields, one at a time at the reader's
 * pace, until it is done or the Repeater stops (the reader left). A failure of the iterator
 * is thrown; a failure after the reader left has no one to tell.
 *
 * `stop` is watched once, not raced at every step: each Promise.race would leave one more
 * reaction on that long-lived promise, holding its step's item until the reader leaves.
 */
export async function forward<T>(iterator: AsyncIterator<T>, push: (value: T) => Promise<unknown>, stop: PromiseLike<unknown>): Promise<void> {
  type Ended = { failed: false } | { failed: true; error: unknown };
  let ended: Ended | null = null;
  // Set by the stop callbacks: read through a function so the loop does not narrow it to null.
  const endedNow = (): Ended | null => ended;
  let waiting: { resolve: (step: IteratorResult<T> | null) => void; reject: (error: unknown) => void } | null = null;
  Promise.resolve(stop).then(
    () => {
      ended = { failed: false };
      waiting?.resolve(null);
    },
    (error: unknown) => {
      ended = { failed: true, error };
      waiting?.reject(error);
    },
  );
  for (;;) {
    const stopped = endedNow();
    if (stopped !== null) {
      if (stopped.failed) throw stopped.error;
      return;
    }
    const pending = iterator.next();
    pending.catch(() => undefined);
    const step = await new Promise<IteratorResult<T> | null>((resolve, reject) => {
      waiting = { resolve, reject };
      pending.then(resolve, reject);
    });
    waiting = null;
    if (step === null || step.done === true) return;
    await push(step.value);
  }
}
