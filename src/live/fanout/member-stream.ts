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

/** A waiting next()'s resolve: handed a promise, its step follows that promise (fulfilled or rejected). */
type Resolve = (step: Step | Promise<Step>) => void;

const DONE: Step = Object.freeze({ done: true, value: undefined });

/** How the membership ended, kept until graphql-ws reads it. */
type Ending = { kind: 'done' } | { kind: 'result'; result: ExecutionResult } | { kind: 'failed'; error: unknown };

export class MemberStream implements AsyncIterableIterator<ExecutionResult, undefined> {
  /** Set once, by the group (end, fail, finishWith) or by the member leaving (return). */
  private ending: Ending | null = null;
  /**
   * A next() waiting for the end, kept as its resolve function alone: a failure resolves it with
   * a rejected promise, which settles it the same way, so its reject function need not be kept.
   * graphql-ws reads one step at a time.
   */
  private waiting: Resolve | null = null;
  /** Further next() calls made while one waits: rare, so kept apart. */
  private moreWaiting: Resolve[] | null = null;

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
      return new Promise<Step>((resolve) => {
        if (this.waiting === null) this.waiting = resolve;
        else (this.moreWaiting ??= []).push(resolve);
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
    const waiting = this.waiting === null ? [] : [this.waiting, ...(this.moreWaiting ?? [])];
    this.waiting = null;
    this.moreWaiting = null;
    // Each in the order it asked, with what next() answers now: the handed-over step, then the end.
    for (const resolve of waiting) resolve(this.next());
  }
}
