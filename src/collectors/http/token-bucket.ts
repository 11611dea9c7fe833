// One token bucket per upstream host, so a hundred watched rooms never burst Douyin (or the
// one stand-in that serves every path). A caller reserves its token at once and sleeps until
// it is due: callers are served in the order they asked, and nobody polls.

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
    const t = this.now();
    this.tokens = Math.min(this.burst, this.tokens + ((t - this.last) * this.ratePerSec) / 1000);
    this.last = t;
    this.tokens -= 1;
    return this.tokens >= 0 ? 0 : (-this.tokens * 1000) / this.ratePerSec;
  }
}

export interface RateLimiterOptions {
  ratePerSec: number;
  burst: number;
  now?: () => number;
  sleep?: (ms: number) => Promise<void>;
}

export const realSleep = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms));

export class HostRateLimiter {
  private readonly buckets = new Map<string, TokenBucket>();
  private readonly now: () => number;
  private readonly sleep: (ms: number) => Promise<void>;

  constructor(private readonly options: RateLimiterOptions) {
    this.now = options.now ?? (() => performance.now());
    this.sleep = options.sleep ?? realSleep;
  }

  async acquire(host: string): Promise<void> {
    let bucket = this.buckets.get(host);
    if (bucket === undefined) {
      bucket = new TokenBucket(this.options.ratePerSec, this.options.burst, this.now);
      this.buckets.set(host, bucket);
    }
    const wait = bucket.reserve();
    if (wait > 0) await this.sleep(wait);
  }
}
