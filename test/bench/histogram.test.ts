import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { bucketFloor, bucketOf, LatencyHistogram } from '../../bench/lib/histogram.ts';
import { percentile } from '../../bench/lib/stats.ts';

describe('histogram buckets', () => {
  it('are 0.1 ms wide below 10 ms, so whole milliseconds come back exactly', () => {
    for (const ms of [0, 1, 2, 7, 9]) expect(bucketFloor(bucketOf(ms))).toBeCloseTo(ms, 9);
    expect(bucketFloor(bucketOf(0.37))).toBeCloseTo(0.3, 9);
    expect(bucketOf(9.99)).toBe(99);
  });

  it('are at most 1 % wide above 10 ms, and a value is never below its bucket’s floor', () => {
    fc.assert(
      fc.property(fc.double({ min: 10, max: 600_000, noNaN: true }), (ms) => {
        const floor = bucketFloor(bucketOf(ms));
        expect(floor).toBeLessThanOrEqual(ms * (1 + 1e-9));
        expect(ms).toBeLessThan(floor * 1.01 * (1 + 1e-9));
      }),
    );
  });

  it('put negative and non-finite values (clock skew) in the first bucket', () => {
    expect(bucketOf(-3)).toBe(0);
    expect(bucketOf(Number.NaN)).toBe(0);
  });
});

describe('LatencyHistogram', () => {
  it('reports each percentile within one bucket of the exact nearest-rank sample', () => {
    fc.assert(
      fc.property(fc.array(fc.double({ min: 0, max: 5_000, noNaN: true }), { minLength: 1, maxLength: 300 }), fc.integer({ min: 0, max: 100 }), (values, p) => {
        const histogram = new LatencyHistogram();
        for (const value of values) histogram.record(value);
        const exact = percentile(values, p);
        const reported = histogram.percentile(p);
        expect(reported).toBeLessThanOrEqual(exact + 1e-9);
        expect(exact - reported).toBeLessThanOrEqual(Math.max(0.1, exact * 0.01) + 1e-9);
      }),
    );
  });

  it('merges what other processes recorded as if it had recorded it itself', () => {
    const all = new LatencyHistogram();
    const a = new LatencyHistogram();
    const b = new LatencyHistogram();
    [3, 250, 12, 0.4].forEach((ms, i) => {
      all.record(ms);
      (i % 2 === 0 ? a : b).record(ms);
    });
    const merged = LatencyHistogram.from(JSON.parse(JSON.stringify(a.toJSON()))).merge(JSON.parse(JSON.stringify(b.toJSON())));
    expect(merged.count).toBe(4);
    expect(merged.max).toBe(250);
    expect(merged.toJSON()).toEqual(all.toJSON());
    for (const p of [0, 50, 75, 99, 100]) expect(merged.percentile(p)).toBe(all.percentile(p));
  });

  it('is NaN when empty and refuses a bad percentile or a corrupt entry', () => {
    const histogram = new LatencyHistogram();
    expect(histogram.percentile(50)).toBeNaN();
    expect(() => histogram.percentile(120)).toThrow(RangeError);
    expect(() => histogram.merge({ buckets: [[-1, 3]], max: 0 })).toThrow(RangeError);
    expect(() => histogram.merge({ buckets: [[2, 1.5]], max: 0 })).toThrow(RangeError);
  });
});
