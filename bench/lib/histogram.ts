// A latency histogram that client processes fill with millions of samples and the bench parent
// merges: fixed buckets, 0.1 ms wide below 10 ms and 1 % wide above, so memory stays constant
// and every percentile is within one bucket (at most 1 %) of the true sample.

const LINEAR_LIMIT_MS = 10;
const LINEAR_STEP_MS = 0.1;
const LINEAR_BUCKETS = Math.round(LINEAR_LIMIT_MS / LINEAR_STEP_MS);
const GROWTH = 1.01;
const LOG_GROWTH = Math.log(GROWTH);

/** The bucket a value in ms falls in; negative values (clock skew) count as 0. */
export function bucketOf(ms: number): number {
  const value = Number.isFinite(ms) && ms > 0 ? ms : 0;
  if (value < LINEAR_LIMIT_MS) return Math.floor(value / LINEAR_STEP_MS + 1e-9);
  return LINEAR_BUCKETS + Math.floor(Math.log(value / LINEAR_LIMIT_MS) / LOG_GROWTH + 1e-9);
}

/** The smallest value of a bucket: what a percentile reports. */
export function bucketFloor(bucket: number): number {
  if (bucket < LINEAR_BUCKETS) return bucket * LINEAR_STEP_MS;
  return LINEAR_LIMIT_MS * GROWTH ** (bucket - LINEAR_BUCKETS);
}

/** What crosses process boundaries: sparse [bucket, count] pairs and the exact largest sample. */
export interface HistogramData {
  buckets: [number, number][];
  max: number;
}

export class LatencyHistogram {
  private readonly counts = new Map<number, number>();
  private total = 0;
  private maxMs = 0;

  get count(): number {
    return this.total;
  }

  get max(): number {
    return this.maxMs;
  }

  record(ms: number): void {
    const bucket = bucketOf(ms);
    this.counts.set(bucket, (this.counts.get(bucket) ?? 0) + 1);
    this.total += 1;
    if (ms > this.maxMs) this.maxMs = ms;
  }

  merge(data: HistogramData): this {
    for (const [bucket, count] of data.buckets) {
      if (!Number.isInteger(bucket) || bucket < 0 || !Number.isInteger(count) || count < 0) {
        throw new RangeError(`not a histogram entry: [${bucket}, ${count}]`);
      }
      this.counts.set(bucket, (this.counts.get(bucket) ?? 0) + count);
      this.total += count;
    }
    if (data.max > this.maxMs) this.maxMs = data.max;
    return this;
  }

  /** Nearest-rank percentile (p in 0..100), as its bucket's floor; NaN when empty. */
  percentile(p: number): number {
    if (!(p >= 0 && p <= 100)) throw new RangeError(`percentile must be within 0..100, got ${p}`);
    if (this.total === 0) return Number.NaN;
    const rank = Math.max(1, Math.ceil((p / 100) * this.total));
    let seen = 0;
    for (const bucket of [...this.counts.keys()].sort((a, b) => a - b)) {
      seen += this.counts.get(bucket) as number;
      if (seen >= rank) return bucketFloor(bucket);
    }
    return bucketFloor(Math.max(...this.counts.keys()));
  }

  toJSON(): HistogramData {
    return { buckets: [...this.counts.entries()].sort((a, b) => a[0] - b[0]), max: this.maxMs };
  }

  static from(data: HistogramData): LatencyHistogram {
    return new LatencyHistogram().merge(data);
  }
}
