// Per-token request rates and subscription caps counted across the fleet, in Redis, so N
// instances behind a load balancer allow what one does, not N times as much.
//
// Rates: rate-limiter-flexible's RateLimiterRedis (an atomic INCR + TTL script per key, a fixed
// 60 s window), with its in-memory insurance limiter answering while Redis is unreachable.
// Caps: each admitted subscription is a member of the token's sorted set, scored by an expiry
// on Redis's own clock; the holding instance renews its members, so the subscriptions of an
// instance that died stop counting within LEASE_MS. While Redis is unreachable each instance
// counts its own (the per-instance caps still hold).
import { randomBytes } from 'node:crypto';
import type { Redis } from 'ioredis';
import { RateLimiterMemory, RateLimiterRedis, RateLimiterRes } from 'rate-limiter-flexible';
import type { RateDecision, RateLimiter } from './rate-limiter.ts';
import { SubscriptionCaps, type CapDecision, type SubscriptionCapsPort } from './subscription-caps.ts';

export interface FleetRateLimiterOptions {
  redis: Redis;
  keyPrefix: string;
  perMinute: number;
}

export class FleetRateLimiter implements RateLimiter {
  private readonly limiter: RateLimiterRedis;

  constructor(options: FleetRateLimiterOptions) {
    this.limiter = new RateLimiterRedis({
      storeClient: options.redis,
      keyPrefix: `${options.keyPrefix}rate`,
      points: options.perMinute,
      duration: 60,
      // Without Redis, each instance limits on its own rather than refusing or letting all through.
      rejectIfRedisNotReady: true,
      insuranceLimiter: new RateLimiterMemory({ points: options.perMinute, duration: 60 }),
    });
  }

  async take(key: string): Promise<RateDecision> {
    try {
      const res = await this.limiter.consume(key, 1);
      return { ok: true, remaining: res.remainingPoints };
    } catch (rejection) {
      if (rejection instanceof RateLimiterRes) return { ok: false, retryAfterSeconds: Math.max(1, Math.ceil(rejection.msBeforeNext / 1000)) };
      // Neither Redis nor the insurance answered: a limiter fault must not lock callers out.
      return { ok: true, remaining: 0 };
    }
  }
}

const ACQUIRE = `
local now = redis.call('TIME')
local ms = tonumber(now[1]) * 1000 + math.floor(tonumber(now[2]) / 1000)
redis.call('ZREMRANGEBYSCORE', KEYS[1], '-inf', ms)
if redis.call('ZCARD', KEYS[1]) >= tonumber(ARGV[2]) then return 0 end
redis.call('ZADD', KEYS[1], ms + tonumber(ARGV[3]), ARGV[1])
redis.call('PEXPIRE', KEYS[1], ARGV[3])
return 1`;

const RENEW = `
local now = redis.call('TIME')
local ms = tonumber(now[1]) * 1000 + math.floor(tonumber(now[2]) / 1000)
local lease = tonumber(ARGV[1])
for i = 2, #ARGV do redis.call('ZADD', KEYS[1], ms + lease, ARGV[i]) end
redis.call('PEXPIRE', KEYS[1], lease)
return 1`;

type CapsRedis = Redis & {
  capAcquire(key: string, member: string, limit: number, leaseMs: number): Promise<number>;
  capRenew(key: string, leaseMs: number, ...members: string[]): Promise<number>;
};

export interface FleetSubscriptionCapsOptions {
  redis: Redis;
  keyPrefix: string;
  perConnection: number;
  perToken: number;
  /** How long a subscription counts without its instance renewing it. */
  leaseMs?: number;
  onError?: (error: unknown) => void;
}

export class FleetSubscriptionCaps implements SubscriptionCapsPort {
  /** This instance's own counts: the per-connection cap, and the per-token cap when Redis is away. */
  private readonly local: SubscriptionCaps;
  private readonly redis: CapsRedis;
  private readonly leaseMs: number;
  private readonly instance = randomBytes(6).toString('hex');
  /** member → sorted-set key, for every subscription this instance holds in Redis. */
  private readonly held = new Map<string, string>();
  private next = 0;
  private readonly renewTimer: NodeJS.Timeout;
  private readonly onError: (error: unknown) => void;

  constructor(private readonly options: FleetSubscriptionCapsOptions) {
    this.local = new SubscriptionCaps({ perConnection: options.perConnection, perToken: options.perToken });
    this.leaseMs = options.leaseMs ?? 30_000;
    this.onError = options.onError ?? (() => undefined);
    this.redis = options.redis as CapsRedis;
    this.redis.defineCommand('capAcquire', { numberOfKeys: 1, lua: ACQUIRE });
    this.redis.defineCommand('capRenew', { numberOfKeys: 1, lua: RENEW });
    this.renewTimer = setInterval(() => void this.renew(), Math.max(10, Math.floor(this.leaseMs / 3)));
    this.renewTimer.unref();
  }

  async acquire(connection: unknown, tokenKey: string): Promise<CapDecision> {
    const local = this.local.acquire(connection, tokenKey);
    if (!local.ok) return local;
    const key = `${this.options.keyPrefix}subs:${tokenKey}`;
    const member = `${this.instance}:${(this.next += 1)}`;
    try {
      const admitted = await this.redis.capAcquire(key, member, this.options.perToken, this.leaseMs);
      if (admitted !== 1) {
        local.release();
        return { ok: false, code: 'TOKEN_LIMIT', limit: this.options.perToken };
      }
      this.held.set(member, key);
    } catch (error) {
      // Redis unreachable: this instance's own count decided.
      this.onError(error);
    }
    let released = false;
    return {
      ok: true,
      release: () => {
        if (released) return;
        released = true;
        local.release();
        if (this.held.delete(member)) this.redis.zrem(key, member).catch(this.onError);
      },
    };
  }

  tokenCount(tokenKey: string): number {
    return this.local.tokenCount(tokenKey);
  }

  close(): void {
    clearInterval(this.renewTimer);
  }

  private async renew(): Promise<void> {
    const byKey = new Map<string, string[]>();
    for (const [member, key] of this.held) byKey.set(key, [...(byKey.get(key) ?? []), member]);
    for (const [key, members] of byKey) {
      try {
        await this.redis.capRenew(key, this.leaseMs, ...members);
      } catch (error) {
        this.onError(error);
      }
    }
  }
}
