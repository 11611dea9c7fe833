// Fleet-wide limits on the machine's Redis: two access controls on one key prefix stand for two
// gateway instances. They share one request budget and one subscription cap per token; the
// subscriptions of an instance that died stop counting after their lease; with Redis away each
// instance still limits on its own.
import { randomBytes } from 'node:crypto';
import { Redis } from 'ioredis';
import { afterAll, describe, expect, it } from 'vitest';
import { createAccessControl, type AccessControl } from '../../src/server/auth/access.ts';
import { FleetSubscriptionCaps } from '../../src/server/auth/fleet-limits.ts';
import type { CapDecision } from '../../src/server/auth/subscription-caps.ts';
import { startCuttableProxy } from '../support/cuttable-proxy.ts';
import { until } from '../support/until.ts';

const REDIS_URL = 'redis://127.0.0.1:6379';
const prefix = `test:fleet-limits:${randomBytes(4).toString('hex')}:`;
const opened: AccessControl[] = [];
const admin = new Redis(REDIS_URL);

function instance(limits: { perMinute?: number; perToken?: number; perConnection?: number }, redisUrl = REDIS_URL): AccessControl {
  const access = createAccessControl({
    security: { apiTokensFile: null, corsOrigins: [] },
    limits: {
      rateLimitPerMin: limits.perMinute ?? 1000,
      maxSubscriptionsPerConnection: limits.perConnection ?? 1000,
      maxSubscriptionsPerToken: limits.perToken ?? 1000,
    },
    bus: { redisUrl, redisPrefix: prefix },
  });
  opened.push(access);
  return access;
}

afterAll(async () => {
  await Promise.all(opened.map((access) => access.close()));
  const keys = await admin.keys(`${prefix}*`);
  if (keys.length > 0) await admin.del(...keys);
  await admin.quit();
});

async function ready(...accesses: AccessControl[]): Promise<AccessControl[]> {
  await Promise.all(accesses.map((access) => access.ready()));
  return accesses;
}

const granted = (decision: CapDecision) => decision.ok;

describe('fleet-wide limits through Redis', () => {
  it('lets two instances share one request budget per token', async () => {
    const [a, b] = await ready(instance({ perMinute: 5 }), instance({ perMinute: 5 }));
    const decisions = [];
    for (let i = 0; i < 3; i += 1) {
      decisions.push(await a!.rateLimiter.take('token:shared'));
      decisions.push(await b!.rateLimiter.take('token:shared'));
    }
    expect(decisions.map((decision) => decision.ok)).toEqual([true, true, true, true, true, false]);
    expect(decisions[5]).toMatchObject({ ok: false, retryAfterSeconds: expect.any(Number) });
    expect((decisions[5] as { retryAfterSeconds: number }).retryAfterSeconds).toBeGreaterThanOrEqual(1);
    // Another token has its own budget.
    expect((await b!.rateLimiter.take('token:other')).ok).toBe(true);
  });

  it('counts a token subscriptions across instances, and a release frees a place for either', async () => {
    const [a, b] = await ready(instance({ perToken: 3 }), instance({ perToken: 3 }));
    const first = await a!.caps.acquire({}, 'token:caps');
    expect(granted(first)).toBe(true);
    expect(granted(await b!.caps.acquire({}, 'token:caps'))).toBe(true);
    expect(granted(await a!.caps.acquire({}, 'token:caps'))).toBe(true);
    expect(await b!.caps.acquire({}, 'token:caps')).toEqual({ ok: false, code: 'TOKEN_LIMIT', limit: 3 });
    if (first.ok) first.release();
    // The release reaches Redis on A's connection, B asks on its own: the place frees shortly.
    await until(async () => granted(await b!.caps.acquire({}, 'token:caps')), 'the released place to be free for B');
  });

  it('stops counting the subscriptions of an instance that stopped renewing them after their lease', async () => {
    const redis = new Redis(REDIS_URL);
    const dead = new FleetSubscriptionCaps({ redis, keyPrefix: `${prefix}limits:`, perConnection: 10, perToken: 2, leaseMs: 1500 });
    expect(granted(await dead.acquire({}, 'token:lease'))).toBe(true);
    expect(granted(await dead.acquire({}, 'token:lease'))).toBe(true);
    // The instance dies: no release, no renewal.
    dead.close();
    await redis.quit();
    const [survivor] = (await ready(instance({ perToken: 2 }))) as [AccessControl];
    expect(await survivor.caps.acquire({}, 'token:lease')).toMatchObject({ ok: false, code: 'TOKEN_LIMIT' });
    let decision: CapDecision = { ok: false, code: 'TOKEN_LIMIT', limit: 2 };
    await until(async () => (decision = await survivor.caps.acquire({}, 'token:lease')).ok, 'the dead instance leases to expire');
    expect(decision.ok).toBe(true);
  });

  it('keeps a live holder counted past its lease by renewing it', async () => {
    const redis = new Redis(REDIS_URL);
    const holder = new FleetSubscriptionCaps({ redis, keyPrefix: prefix, perConnection: 10, perToken: 1, leaseMs: 150 });
    const other = new FleetSubscriptionCaps({ redis, keyPrefix: prefix, perConnection: 10, perToken: 1, leaseMs: 150 });
    try {
      expect(granted(await holder.acquire({}, 'token:renew'))).toBe(true);
      // Several leases long, counted by Redis's clock: the holder's renewals keep it.
      const start = Number((await redis.time())[0]) * 1000;
      let refusals = 0;
      await until(async () => {
        if (!(await other.acquire({}, 'token:renew')).ok) refusals += 1;
        return Number((await redis.time())[0]) * 1000 - start >= 1000;
      }, 'a second of refusals');
      expect(refusals).toBeGreaterThan(0);
      expect(granted(await other.acquire({}, 'token:renew'))).toBe(false);
    } finally {
      holder.close();
      other.close();
      await redis.quit();
    }
  });

  it('limits on its own while Redis is unreachable', async () => {
    const proxy = await startCuttableProxy({ host: '127.0.0.1', port: 6379 });
    try {
      proxy.cut();
      const alone = instance({ perMinute: 2, perToken: 1 }, `redis://127.0.0.1:${proxy.port}`);
      const rates = [await alone.rateLimiter.take('token:away'), await alone.rateLimiter.take('token:away'), await alone.rateLimiter.take('token:away')];
      expect(rates.map((decision) => decision.ok)).toEqual([true, true, false]);
      expect(granted(await alone.caps.acquire({}, 'token:away'))).toBe(true);
      expect(await alone.caps.acquire({}, 'token:away')).toMatchObject({ ok: false, code: 'TOKEN_LIMIT' });
    } finally {
      await proxy.close();
    }
  });
});
