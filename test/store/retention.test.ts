import { afterEach, describe, expect, it, vi } from 'vitest';
import type { EventStore, RetentionResult } from '../../src/store/event-store.ts';
import { retentionCutoff, startRetention } from '../../src/store/retention.ts';
import { T0, chat, newRoomId, useMemoryStore } from './fixtures.ts';

const DAY = 86_400_000;
const HOUR = 3_600_000;
let store: EventStore;
useMemoryStore((opened) => (store = opened));
afterEach(() => {
  vi.useRealTimers();
});

/** Sweep outcomes as a queue of promises, so a test awaits the sweep itself instead of polling. */
function outcomes() {
  const waiting: ((outcome: string) => void)[] = [];
  const arrived: string[] = [];
  const report = (outcome: string) => {
    const next = waiting.shift();
    if (next) next(outcome);
    else arrived.push(outcome);
  };
  const next = () => {
    const ready = arrived.shift();
    return ready !== undefined ? Promise.resolve(ready) : new Promise<string>((resolve) => waiting.push(resolve));
  };
  return { report, next };
}

/** The real store, with each sweep's cutoff recorded and an optional outage. */
function recording() {
  const cutoffs: number[] = [];
  let failures = 0;
  return {
    cutoffs,
    failNext: () => (failures += 1),
    deleteOlderThan: async (cutoffMs: number): Promise<RetentionResult> => {
      cutoffs.push(cutoffMs);
      if (failures > 0) {
        failures -= 1;
        throw new Error('canceling statement due to lock timeout');
      }
      return store.deleteOlderThan(cutoffMs);
    },
  };
}

describe('retention', () => {
  it('sweeps at start and then every interval, deleting history older than the retention window', async () => {
    vi.useFakeTimers({ toFake: ['setTimeout', 'clearTimeout'] });
    let clock = T0;
    const roomId = newRoomId();
    await store.appendEvents([chat(roomId, 'ancient', T0 - 10 * DAY), chat(roomId, 'week-old', T0 - 6 * DAY), chat(roomId, 'today', T0)]);
    const target = recording();
    const sweeps = outcomes();
    const retention = startRetention({ store: target, retentionDays: 7, intervalMs: HOUR, now: () => clock, onSweep: (result) => sweeps.report(`deleted ${result.events}`) });

    await vi.advanceTimersByTimeAsync(0);
    expect(await sweeps.next()).toBe('deleted 1');
    expect(target.cutoffs).toEqual([T0 - 7 * DAY]);
    expect((await store.listEvents(roomId, { first: 10 })).events.map((event) => event.id)).toEqual(['week-old', 'today']);

    clock = T0 + 2 * DAY;
    await vi.advanceTimersByTimeAsync(HOUR - 1);
    expect(target.cutoffs).toHaveLength(1);
    await vi.advanceTimersByTimeAsync(1);
    expect(await sweeps.next()).toBe('deleted 1');
    expect(target.cutoffs[1]).toBe(retentionCutoff(T0 + 2 * DAY, 7));
    expect((await store.listEvents(roomId, { first: 10 })).events.map((event) => event.id)).toEqual(['today']);
    await retention.stop();
  });

  it('reports a failed sweep with a code and sweeps again at the next interval', async () => {
    vi.useFakeTimers({ toFake: ['setTimeout', 'clearTimeout'] });
    const target = recording();
    target.failNext();
    const sweeps = outcomes();
    const retention = startRetention({
      store: target,
      retentionDays: 30,
      intervalMs: HOUR,
      now: () => T0,
      onError: (error) => sweeps.report(error.code),
      onSweep: () => sweeps.report('swept'),
    });
    await vi.advanceTimersByTimeAsync(0);
    expect(await sweeps.next()).toBe('STORE_UNAVAILABLE');
    await vi.advanceTimersByTimeAsync(HOUR);
    expect(await sweeps.next()).toBe('swept');
    expect(target.cutoffs).toEqual([T0 - 30 * DAY, T0 - 30 * DAY]);
    await retention.stop();
  });

  it('keeps its schedule when the onSweep observer throws', async () => {
    vi.useFakeTimers({ toFake: ['setTimeout', 'clearTimeout'] });
    const target = recording();
    const sweeps = outcomes();
    const retention = startRetention({
      store: target,
      retentionDays: 30,
      intervalMs: HOUR,
      now: () => T0,
      onSweep: () => {
        sweeps.report('swept');
        throw new Error('observer bug');
      },
    });
    await vi.advanceTimersByTimeAsync(0);
    expect(await sweeps.next()).toBe('swept');
    await vi.advanceTimersByTimeAsync(HOUR);
    expect(await sweeps.next()).toBe('swept');
    expect(target.cutoffs).toHaveLength(2);
    await retention.stop();
  });

  it('stops sweeping after stop()', async () => {
    vi.useFakeTimers({ toFake: ['setTimeout', 'clearTimeout'] });
    const target = recording();
    const retention = startRetention({ store: target, retentionDays: 1, intervalMs: HOUR, now: () => T0 });
    await retention.stop();
    await vi.advanceTimersByTimeAsync(5 * HOUR);
    expect(target.cutoffs).toEqual([]);
    expect(await retention.sweep()).toEqual({ events: 0, snapshots: 0, giftTotals: 0, users: 0 });
  });

  it('refuses a retention window that is not a positive number of days', () => {
    for (const retentionDays of [0, -1, Number.NaN, Number.POSITIVE_INFINITY]) {
      expect(() => startRetention({ store, retentionDays }), String(retentionDays)).toThrow(expect.objectContaining({ code: 'BAD_ARGUMENT' }));
    }
  });
});
