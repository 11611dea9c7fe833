// What graphql-ws iterates for one member of a shared group. The group writes the member's
// `next` frames itself, so this stream yields nothing while the group runs: it only says how the
// membership ended, which is what graphql-ws turns into the protocol's own frames: done → a
// `complete` (when the client did not complete it first), a failure → an `error`. A group whose
// execution gave a single result instead of a stream hands it over here, to go out as graphql-ws
// sends any single result. return() (the client's `complete`, or its socket closing) leaves the
// group at once.
import type { ExecutionResult } from 'graphql';

type Step = { kind: 'result'; result: ExecutionResult } | { kind: 'done' } | { kind: 'error'; error: unknown };

const DONE: IteratorReturnResult<undefined> = { done: true, value: undefined };

export class MemberStream implements AsyncIterableIterator<ExecutionResult> {
  private readonly steps: Step[] = [];
  private waiter: { resolve: (result: IteratorResult<ExecutionResult>) => void; reject: (error: unknown) => void } | null = null;
  private ended = false;
  private left = false;

  constructor(private readonly onLeave: () => void) {}

  /** True once the membership has ended, however it ended. */
  get closed(): boolean {
    return this.ended || this.left;
  }

  /** One result for graphql-ws to send, then the end. */
  finishWith(result: ExecutionResult): void {
    this.settle({ kind: 'result', result }, { kind: 'done' });
  }

  /** The group's source ended: graphql-ws sends `complete`. */
  end(): void {
    this.settle({ kind: 'done' });
  }

  /** The group's execution failed: graphql-ws sends `error`. */
  fail(error: unknown): void {
    this.settle({ kind: 'error', error });
  }

  next(): Promise<IteratorResult<ExecutionResult>> {
    const step = this.steps.shift();
    if (step !== undefined) return stepResult(step);
    if (this.closed) return Promise.resolve(DONE);
    return new Promise((resolve, reject) => (this.waiter = { resolve, reject }));
  }

  return(): Promise<IteratorResult<ExecutionResult>> {
    this.leave();
    return Promise.resolve(DONE);
  }

  throw(error?: unknown): Promise<IteratorResult<ExecutionResult>> {
    this.leave();
    return Promise.reject(error);
  }

  [Symbol.asyncIterator](): this {
    return this;
  }

  private settle(...steps: Step[]): void {
    if (this.closed) return;
    this.ended = true;
    this.steps.push(...steps);
    const waiter = this.waiter;
    this.waiter = null;
    if (waiter === null) return;
    const first = this.steps.shift() as Step;
    stepResult(first).then(waiter.resolve, waiter.reject);
  }

  private leave(): void {
    if (this.left) return;
    const wasMember = !this.ended;
    this.left = true;
    this.steps.length = 0;
    const waiter = this.waiter;
    this.waiter = null;
    waiter?.resolve(DONE);
    if (wasMember) this.onLeave();
  }
}

function stepResult(step: Step): Promise<IteratorResult<ExecutionResult>> {
  if (step.kind === 'result') return Promise.resolve({ done: false, value: step.result });
  if (step.kind === 'error') return Promise.reject(step.error);
  return Promise.resolve(DONE);
}
