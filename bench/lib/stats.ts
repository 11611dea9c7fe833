// Percentiles of a plain list of samples (latencies of N runs and the like): nearest rank, so a
// reported p99 is a value that was actually measured, never an interpolation between two.

export interface Summary {
  count: number;
  min: number;
  p50: number;
  p99: number;
  max: number;
  mean: number;
}

/** The nearest-rank percentile (p in 0..100) of `values`; NaN when there are none. */
export function percentile(values: readonly number[], p: number): number {
  if (!(p >= 0 && p <= 100)) throw new RangeError(`percentile must be within 0..100, got ${p}`);
  if (values.length === 0) return Number.NaN;
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[rankIndex(sorted.length, p)] as number;
}

/** Index of the nearest-rank sample among `count` sorted ones: ceil(p/100 × count), 1-based. */
export function rankIndex(count: number, p: number): number {
  return Math.min(count - 1, Math.max(0, Math.ceil((p / 100) * count) - 1));
}

export function summarize(values: readonly number[]): Summary {
  if (values.length === 0) return { count: 0, min: Number.NaN, p50: Number.NaN, p99: Number.NaN, max: Number.NaN, mean: Number.NaN };
  const sorted = [...values].sort((a, b) => a - b);
  const total = sorted.reduce((sum, value) => sum + value, 0);
  return {
    count: sorted.length,
    min: sorted[0] as number,
    p50: sorted[rankIndex(sorted.length, 50)] as number,
    p99: sorted[rankIndex(sorted.length, 99)] as number,
    max: sorted[sorted.length - 1] as number,
    mean: total / sorted.length,
  };
}

/** subject ÷ baseline, or null when either is missing or the baseline is zero. */
export function ratio(subject: number | null | undefined, baseline: number | null | undefined): number | null {
  if (subject === null || subject === undefined || baseline === null || baseline === undefined) return null;
  if (!Number.isFinite(subject) || !Number.isFinite(baseline) || baseline === 0) return null;
  return subject / baseline;
}
