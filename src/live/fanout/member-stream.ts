// What graphql-ws iterates for one member of a shared group. The group writes the member's
// `next` frames itself, so this stream yields nothing while the group runs: it only says how the
// membership ended, which is what graphql-ws turns into the protocol's own frames: done → a
// `complete` (when the client did not complete it first), a failure → an `error`. A group whose
// execution gave a single result instead of a stream hands it over here, to go out as graphql-ws
// sends any single result. return() (the client's `complete`, or its socket closing) leaves the
// group at once.
//
// One small object rather than a bounded Repeater: a member lives as long as its subscriber and
// holds at most one result, so every closure, buffer and promise a general stream keeps per
// subscriber was memory spent on nothing (bench/README.md, "Memory per subscriber").
import type { ExecutionResult } from 'graphql';

type Step = IteratorResult<ExecutionResult, undefined>;

const DONE: Step = Object.freeze({ done: true, value: undefined });

/** How the membership ended, kept until graphql-ws reads it. */
type Ending = { kind: 'done' } | { kind: 'result'; result: ExecutionResult } | { kind: 'failed'; error: unknown };

interface Waiter {
  resolve(step: Step): void;
  reject(error: unknown): void;
}

export class MemberStream implements AsyncIterableIterator<ExecutionResult, undefined> {
  /** Set once, by the group (end, fail, finishWith) or by the member leaving (return). */
  private ending: Ending | null = null;
  /** A next() waiting for the end (kept as its two functions, not an object holding them); graphql-ws reads one step at a time. */
  private resolveWaiting: ((step: Step) => void) | null = null;
  private rejectWaiting: ((error: unknown) => void) | null = null;
  /** Further next() calls made while one waits: rare, so kept apart. */
  private moreWaiters: Waiter[] | null = null;

  /** `onLeave` runs once if the member leaves (return()) before the group ended its membership. */
  constructor(private readonly onLeave: (stream: MemberStream) => void) {}

  /** True once the membership has ended, however it ended. */
  get closed(): boolean {
    return this.ending !== null;
  }

  /** One result for graphql-ws to send, then the end. */
  finishWith(result: ExecutionResult): void {
    this.settle({ kind: 'result', result });
  }

  /** The group's source ended: graphql-ws sends `complete`. */
  end(): void {
    this.settle({ kind: 'done' });
  }

  /** The group's execution failed: graphql-ws sends `error`. */
  fail(error: unknown): void {
    this.settle({ kind: 'failed', error });
  }

  next(): Promise<Step> {
    if (this.ending === null) {
      return new Promise<Step>((resolve, reject) => {
        if (this.resolveWaiting === null) {
          this.resolveWaiting = resolve;
          this.rejectWaiting = reject;
        } else (this.moreWaiters ??= []).push({ resolve, reject });
      });
    }
    const ending = this.ending;
    // What the group handed over is read once; every later step is the end.
    if (ending.kind !== 'done') this.ending = { kind: 'done' };
    if (ending.kind === 'failed') return Promise.reject(ending.error);
    return Promise.resolve(ending.kind === 'result' ? { done: false, value: ending.result } : DONE);
  }

  return(value?: undefined): Promise<Step> {
    if (this.ending === null) {
      this.settle({ kind: 'done' });
      this.onLeave(this);
    }
    return Promise.resolve(value === undefined ? DONE : { done: true, value });
  }

  [Symbol.asyncIterator](): this {
    return this;
  }

  private settle(ending: Ending): void {
    if (this.ending !== null) return;
    this.ending = ending;
    const waiters: Waiter[] = [];
    if (this.resolveWaiting !== null && this.rejectWaiting !== null) waiters.push({ resolve: this.resolveWaiting, reject: this.rejectWaiting });
    waiters.push(...(this.moreWaiters ?? []));
    this.resolveWaiting = null;
    this.rejectWaiting = null;
    this.moreWaiters = null;
    for (const waiter of waiters) void this.next().then(waiter.resolve, waiter.reject);
  }
}
