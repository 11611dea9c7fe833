// One token bucket per upstream host, so a hundred watched rooms never burst Douyin (or the
// one stand-in that serves every path), shared fairly between the callers waiting for it.
// TokenBucket itself is the one bucket of the code base: the API's per-caller limit uses it too.
import { setTimeout } from 'node:timers/promises';
import { clientGone, GATEWAY_CALLER, upstreamBusy } from './budget.ts';

export class TokenBucket {
  private tokens: number;
  private last: number;

  constructor(
    private readonly ratePerSec: number,
    private readonly burst: number,
    private readonly now: () => number,
  ) {
    this.tokens = burst;
    this.last = now();
  }

  /** Takes one token; returns how many ms to wait before using it (0 = go now). */
  reserve(): number {
    this.refill();
    this.tokens -= 1;
    return this.tokens >= 0 ? 0 : (-this.tokens * 1000) / this.ratePerSec;
  }

  /** Milliseconds until a whole token is there (0 = now). */
  dueIn(): number {
    this.refill();
    return this.tokens >= 1 ? 0 : ((1 - this.tokens) * 1000) / this.ratePerSec;
  }

  /** Takes a token that dueIn() said is there. */
  take(): void {
    this.refill();
    this.tokens -= 1;
  }

  /** Tokens there now, a fraction included. */
  available(): number {
    this.refill();
    return this.tokens;
  }

  private refill(): void {
    const t = this.now();
    // A wall clock may step back: that refills nothing rather than draining the bucket.
    this.tokens = Math.min(this.burst, this.tokens + (Math.max(0, t - this.last) * this.ratePerSec) / 1000);
    this.last = t;
  }
}

export interface RateLimiterOptions {
  ratePerSec: number;
  burst: number;
  /** Calls one caller may have waiting for a host at once; more fail fast with UPSTREAM_BUSY. */
  maxQueuedPerCaller?: number;
  /** A call whose estimated wait is longer fails at once with UPSTREAM_BUSY and retryAfterMs. */
  queueDeadlineMs?: number;
  now?: () => number;
  sleep?: (ms: number) => Promise<void>;
}

/** Node's own timer promise, typed as the `sleep` option. */
export const realSleep: (ms: number) => Promise<void> = setTimeout;

/** Who is waiting: the caller's fair-queue key and its client's abort signal. */
export interface SlotTicket {
  caller: string;
  signal?: AbortSignal | undefined;
}

interface Waiter {
  resolve: () => void;
  reject: (error: Error) => void;
  signal: AbortSignal | undefined;
  onAbort: () => void;
}

/**
 * One politeness bucket per upstream host, shared fairly: each caller has its own queue and each
 * token goes to the waiting caller served longest ago. So however many calls one caller queues,
 * another caller's single call is the next one sent: it waits for the next token, at most one
 * politeness interval (1 / ratePerSec), plus one interval per other caller also waiting.
 */
export class HostRateLimiter {
  private readonly hosts = new Map<string, FairHostQueue>();
  private readonly now: () => number;
  private readonly sleep: (ms: number) => Promise<void>;

  constructor(private readonly options: RateLimiterOptions) {
    this.now = options.now ?? (() => performance.now());
    this.sleep = options.sleep ?? realSleep;
  }

  /** Resolves when the call may go; rejects with UPSTREAM_BUSY when over the caller's share or its client left. */
  acquire(host: string, ticket: SlotTicket = { caller: GATEWAY_CALLER }): Promise<void> {
    let queue = this.hosts.get(host);
    if (queue === undefined) {
      queue = new FairHostQueue(new TokenBucket(this.options.ratePerSec, this.options.burst, this.now), this.options, this.sleep);
      this.hosts.set(host, queue);
    }
    return queue.enqueue(ticket);
  }

  /** Calls waiting for a host, by caller (for tests and metrics). */
  waiting(host: string): Map<string, number> {
    return this.hosts.get(host)?.waiting() ?? new Map();
  }
}

/** Callers whose last turn is remembered after their queue empties (a burst that pauses keeps its place). */
const REMEMBERED_CALLERS = 1000;

class FairHostQueue {
  private readonly callers = new Map<string, Waiter[]>();
  /** The turn each caller was last served in: the waiting caller served longest ago goes next. */
  private readonly lastServed = new Map<string, number>();
  private turn = 0;
  private pumping = false;

  constructor(
    private readonly bucket: TokenBucket,
    private readonly options: RateLimiterOptions,
    private readonly sleep: (ms: number) => Promise<void>,
  ) {}

  enqueue(ticket: SlotTicket): Promise<void> {
    if (ticket.signal?.aborted === true) return Promise.reject(clientGone());
    const own = this.callers.get(ticket.caller)?.length ?? 0;
    const interval = 1000 / this.options.ratePerSec;
    // Round robin: this call goes after `own` rounds, each a turn of every waiting caller.
    const rounds = own + 1;
    const estimateMs = rounds * Math.max(1, this.callers.size + (own === 0 ? 1 : 0)) * interval;
    const cap = this.options.maxQueuedPerCaller ?? Number.POSITIVE_INFINITY;
    const deadline = this.options.queueDeadlineMs ?? Number.POSITIVE_INFINITY;
    if (own >= cap || (own > 0 && estimateMs > deadline)) {
      const retryAfterMs = Math.ceil(Math.max(interval, estimateMs - deadline));
      const why = own >= cap ? `${own} calls already waiting (limit ${cap})` : `the wait would be about ${Math.round(estimateMs)} ms`;
      return Promise.reject(upstreamBusy(why, retryAfterMs));
    }
    return new Promise<void>((resolve, reject) => {
      const waiter: Waiter = { resolve, reject, signal: ticket.signal, onAbort: () => this.drop(ticket.caller, waiter) };
      ticket.signal?.addEventListener('abort', waiter.onAbort, { once: true });
      const queue = this.callers.get(ticket.caller);
      if (queue === undefined) this.callers.set(ticket.caller, [waiter]);
      else queue.push(waiter);
      void this.pump();
    });
  }

  waiting(): Map<string, number> {
    return new Map([...this.callers].map(([caller, queue]) => [caller, queue.length]));
  }

  private drop(caller: string, waiter: Waiter): void {
    const queue = this.callers.get(caller);
    const index = queue?.indexOf(waiter) ?? -1;
    if (queue === undefined || index < 0) return;
    queue.splice(index, 1);
    if (queue.length === 0) this.callers.delete(caller);
    waiter.reject(clientGone());
  }

  /** The waiting caller served longest ago (never = first); ties go to whoever queued first. */
  private nextCaller(): string {
    let best: string | null = null;
    let bestTurn = Number.POSITIVE_INFINITY;
    for (const caller of this.callers.keys()) {
      const turn = this.lastServed.get(caller) ?? Number.NEGATIVE_INFINITY;
      if (best === null || turn < bestTurn) {
        best = caller;
        bestTurn = turn;
      }
    }
    return best as string;
  }

  private served(caller: string): void {
    this.turn += 1;
    this.lastServed.delete(caller);
    this.lastServed.set(caller, this.turn);
    if (this.lastServed.size > REMEMBERED_CALLERS) {
      const oldest = this.lastServed.keys().next().value as string;
      this.lastServed.delete(oldest);
    }
  }

  /** Hands out tokens as they come due, one caller's turn at a time. */
  private async pump(): Promise<void> {
    if (this.pumping) return;
    this.pumping = true;
    try {
      while (this.callers.size > 0) {
        const wait = this.bucket.dueIn();
        if (wait > 0) {
          await this.sleep(wait);
          continue;
        }
        const caller = this.nextCaller();
        const queue = this.callers.get(caller) as Waiter[];
        const waiter = queue.shift() as Waiter;
        if (queue.length === 0) this.callers.delete(caller);
        this.served(caller);
        this.bucket.take();
        waiter.signal?.removeEventListener('abort', waiter.onAbort);
        waiter.resolve();
      }
    } finally {
      this.pumping = false;
    }
  }
}
