// issue 16 item 4: one caller's burst never starves another. The host's tokens go round-robin
// over the callers with calls waiting, so a second caller's single call is sent after at most
// one call of the busy caller: within one politeness interval (1 / ratePerSec). Asserted on the
// order calls are let through, on a clock that only the limiter's own sleeps move.
import { describe, expect, it } from 'vitest';
import { withUpstreamBudget, chargeCall, currentBudget } from '../../src/collectors/http/budget.ts';
import { HostRateLimiter } from '../../src/collectors/http/token-bucket.ts';
import { isUpstreamError } from '../../src/collectors/errors.ts';

const HOST = 'upstream:1';

function limiter(options: { queuePerCaller?: number; deadlineMs?: number } = {}) {
  const clock = { now: 0 };
  const sent: { caller: string; at: number }[] = [];
  const limiter = new HostRateLimiter({
    ratePerSec: 5, // politeness interval 200 ms
    burst: 1,
    maxQueuedPerCaller: options.queuePerCaller,
    queueDeadlineMs: options.deadlineMs,
    now: () => clock.now,
    // Time moves when a sleep ends, as it would on a real clock.
    sleep: (ms) =>
      Promise.resolve().then(() => {
        clock.now += ms;
      }),
  });
  const call = (caller: string, signal?: AbortSignal) =>
    limiter.acquire(HOST, { caller, signal }).then(() => void sent.push({ caller, at: clock.now }));
  return { limiter, call, sent, clock };
}

describe('fair upstream queue', () => {
  it('3 aliases × 100 ids from one caller: the next caller\'s single room is the next call but one', async () => {
    const { call, sent } = limiter();
    const burst = Array.from({ length: 300 }, () => call('token:a').catch(() => undefined));
    const single = call('token:b');
    await single;
    await Promise.all(burst);
    // a's first call took the token that was there; b's is the very next call, one interval later.
    expect(sent.map((entry) => entry.caller).slice(0, 3)).toEqual(['token:a', 'token:b', 'token:a']);
    expect(sent[1]!.at).toBeLessThanOrEqual(200);
    expect(sent).toHaveLength(301);
  });

  it('500 made-up room ids queued by one caller: a second caller arriving mid-burst is served within one interval', async () => {
    const { call, sent, clock } = limiter();
    const burst = Array.from({ length: 500 }, () => call('token:a'));
    // Let a few of a's calls through, then b asks.
    while (sent.length < 5) await new Promise((resolve) => setImmediate(resolve));
    const askedAt = clock.now;
    const askedAfter = sent.length;
    await call('token:b');
    const served = sent.findIndex((entry) => entry.caller === 'token:b');
    expect(served).toBeLessThanOrEqual(askedAfter + 1);
    expect(sent[served]!.at - askedAt).toBeLessThanOrEqual(200);
    await Promise.all(burst);
  });

  it('fails fast with UPSTREAM_BUSY and retryAfterMs past the caller\'s queue cap, without touching the others', async () => {
    const { call, sent } = limiter({ queuePerCaller: 10 });
    // The first goes at once; ten wait.
    const queued = Array.from({ length: 11 }, () => call('token:a'));
    const over = await call('token:a').catch((error: unknown) => error);
    expect(isUpstreamError(over) && over.code).toBe('UPSTREAM_BUSY');
    expect(isUpstreamError(over) && over.retryAfterMs).toBeGreaterThan(0);
    const askedAfter = sent.length;
    await call('token:b');
    await Promise.all(queued);
    expect(sent.filter((entry) => entry.caller === 'token:a')).toHaveLength(11);
    // At most the one call already let through when b asked goes before it.
    expect(sent.findIndex((entry) => entry.caller === 'token:b')).toBeLessThanOrEqual(askedAfter + 1);
  });

  it('fails fast when the estimated wait is past the queue deadline', async () => {
    const { call, sent } = limiter({ deadlineMs: 1000 });
    const outcomes = await Promise.all(Array.from({ length: 10 }, () => call('token:a').then(() => 'sent', (error: unknown) => error)));
    // At 200 ms a call, 1 s of waiting holds five calls behind the one sent at once.
    expect(outcomes.slice(0, 6)).toEqual(Array(6).fill('sent'));
    for (const late of outcomes.slice(6)) expect(isUpstreamError(late) && late.code === 'UPSTREAM_BUSY' && late.retryAfterMs! > 0).toBe(true);
    expect(sent).toHaveLength(6);
  });

  it('drops a caller\'s queued calls when its client goes away: they are never sent', async () => {
    const { call, sent } = limiter();
    const controller = new AbortController();
    const abandoned = Array.from({ length: 50 }, () => call('token:a', controller.signal).catch((error: unknown) => error));
    controller.abort();
    const outcomes = await Promise.all(abandoned);
    expect(sent.filter((entry) => entry.caller === 'token:a').length).toBeLessThanOrEqual(1);
    expect(outcomes.filter((outcome) => isUpstreamError(outcome) && outcome.code === 'UPSTREAM_BUSY').length).toBeGreaterThanOrEqual(49);
  });
});

describe('upstream budget per request', () => {
  it('counts calls within its scope, refuses past the cap, and is invisible outside it', () => {
    const outcomes = withUpstreamBudget({ caller: 'token:a', maxCalls: 2 }, () =>
      [1, 2, 3].map(() => {
        try {
          chargeCall(currentBudget());
          return 'ok';
        } catch (error) {
          return isUpstreamError(error) ? error.code : 'other';
        }
      }),
    );
    expect(outcomes).toEqual(['ok', 'ok', 'UPSTREAM_BUSY']);
    expect(currentBudget()).toBeUndefined();
  });
});
