import { describe, expect, it } from 'vitest';
import { percentile, rankIndex, ratio, summarize } from '../../bench/lib/stats.ts';

describe('percentile (nearest rank)', () => {
  const hundred = Array.from({ length: 100 }, (_, i) => 100 - i); // 100, 99, …, 1: unsorted on purpose

  it('returns a measured sample, never an interpolation', () => {
    expect(percentile(hundred, 50)).toBe(50);
    expect(percentile(hundred, 99)).toBe(99);
    expect(percentile(hundred, 100)).toBe(100);
    expect(percentile([1, 2, 3, 4], 50)).toBe(2);
    expect(percentile([1, 2, 3, 4], 51)).toBe(3);
  });

  it('takes the smallest sample for p0 and the only one of a single sample', () => {
    expect(percentile(hundred, 0)).toBe(1);
    expect(percentile([42], 99)).toBe(42);
  });

  it('says NaN for no samples and refuses a p outside 0..100', () => {
    expect(percentile([], 50)).toBeNaN();
    expect(() => percentile([1], 101)).toThrow(RangeError);
    expect(() => percentile([1], -1)).toThrow(RangeError);
    expect(() => percentile([1], Number.NaN)).toThrow(RangeError);
  });

  it('does not reorder the caller’s array', () => {
    const values = [3, 1, 2];
    percentile(values, 50);
    expect(values).toEqual([3, 1, 2]);
  });

  it('ranks from 1: index ceil(p × n) − 1, clamped', () => {
    expect(rankIndex(10, 99)).toBe(9);
    expect(rankIndex(10, 10)).toBe(0);
    expect(rankIndex(10, 11)).toBe(1);
    expect(rankIndex(3, 0)).toBe(0);
  });
});

describe('summarize', () => {
  it('gives count, extremes, mean and the two percentiles', () => {
    expect(summarize([5, 1, 3, 2, 4])).toEqual({ count: 5, min: 1, p50: 3, p99: 5, max: 5, mean: 3 });
  });

  it('gives NaN figures for no samples', () => {
    const summary = summarize([]);
    expect(summary.count).toBe(0);
    expect(summary.p50).toBeNaN();
    expect(summary.mean).toBeNaN();
  });
});

describe('ratio', () => {
  it('divides the subject by the baseline', () => {
    expect(ratio(30, 120)).toBe(0.25);
  });

  it('is null when either side is missing or the baseline is zero', () => {
    expect(ratio(1, 0)).toBeNull();
    expect(ratio(null, 3)).toBeNull();
    expect(ratio(3, undefined)).toBeNull();
    expect(ratio(Number.NaN, 3)).toBeNull();
    expect(ratio(3, Number.POSITIVE_INFINITY)).toBeNull();
  });
});
