// Requests per minute per caller (a token id, or the client address when the API is open),
// as a token bucket: a burst up to the per-minute figure, refilled evenly over the minute.
import { TokenBucket } from '../../collectors/http/token-bucket.ts';

export type RateDecision = { ok: true; remaining: number } | { ok: false; retryAfterSeconds: number };

export interface RateLimiter {
  /** One request of `key`; the fleet's limiter asks Redis, so it may answer later. */
  take(key: string): RateDecision | Promise<RateDecision>;
}

export interface TokenBucketOptions {
  perMinute: number;
  /** Bucket size; defaults to perMinute. */
  burst?: number;
  now?: () => number;
  /** Callers remembered at once; the least recently seen are forgotten first (they refill anyway). */
  maxKeys?: number;
}

export class TokenBucketRateLimiter implements RateLimiter {
  private readonly buckets = new Map<string, TokenBucket>();
  private readonly capacity: number;
  private readonly perSecond: number;
  private readonly now: () => number;
  private readonly maxKeys: number;

  constructor(options: TokenBucketOptions) {
    if (!(options.perMinute > 0)) throw new RangeError('perMinute must be positive');
    this.capacity = options.burst ?? options.perMinute;
    this.perSecond = options.perMinute / 60;
    this.now = options.now ?? Date.now;
    this.maxKeys = options.maxKeys ?? 10_000;
  }

  take(key: string): RateDecision {
    const bucket = this.bucketOf(key);
    const waitMs = bucket.dueIn();
    if (waitMs > 0) return { ok: false, retryAfterSeconds: Math.max(1, Math.ceil(waitMs / 1000)) };
    bucket.take();
    return { ok: true, remaining: Math.floor(bucket.available()) };
  }

  private bucketOf(key: string): TokenBucket {
    const known = this.buckets.get(key);
    // Re-insert so Map order is least-recently-seen first.
    if (known !== undefined) this.buckets.delete(key);
    const bucket = known ?? new TokenBucket(this.perSecond, this.capacity, this.now);
    this.buckets.set(key, bucket);
    if (this.buckets.size > this.maxKeys) {
      const oldest = this.buckets.keys().next().value;
      if (oldest !== undefined) this.buckets.delete(oldest);
    }
    return bucket;
  }
}

/** The key a caller is limited under: its token, else its address. */
export function rateLimitKey(tokenId: string | null, clientAddress: string | null | undefined): string {
  if (tokenId !== null) return `token:${tokenId}`;
  return `addr:${clientAddress ?? 'unknown'}`;
}
