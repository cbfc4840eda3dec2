/**
 * A fixed-size histogram of non-negative values (milliseconds, say): what a
 * long-running workflow carries across continue-as-new instead of every value,
 * so its input stays the same size however many values it has seen.
 *
 * Bucket upper bounds grow by about 10 % (1, 2, …, 10, 11, 12, 14, …), so a
 * percentile read from it is never below the true one and at most ~10 % (or
 * 1 unit) above it, up to `HISTOGRAM_MAX_BOUND`; above that, values are only
 * counted (and the exact maximum kept).
 */
export interface Histogram {
  /** counts[i]: values in (HISTOGRAM_BOUNDS[i-1], HISTOGRAM_BOUNDS[i]]; the last one: above every bound. */
  readonly counts: readonly number[];
  readonly n: number;
  /** Exact smallest and largest value seen (0 while empty: the histogram must survive JSON). */
  readonly min: number;
  readonly max: number;
}

const growBounds = (limit: number): number[] => {
  const bounds: number[] = [];
  for (let b = 0; b <= limit; b = Math.max(b + 1, Math.ceil(b * 1.1))) bounds.push(b);
  return bounds;
};

export const HISTOGRAM_MAX_BOUND = 600_000;
export const HISTOGRAM_BOUNDS: readonly number[] = growBounds(HISTOGRAM_MAX_BOUND);

export const emptyHistogram = (): Histogram => ({ counts: new Array<number>(HISTOGRAM_BOUNDS.length + 1).fill(0), n: 0, min: 0, max: 0 });

/** The first bucket whose upper bound is ≥ value (binary search). */
const bucketOf = (value: number): number => {
  let lo = 0;
  let hi = HISTOGRAM_BOUNDS.length;
  while (lo < hi) {
    const mid = (lo + hi) >> 1;
    if ((HISTOGRAM_BOUNDS[mid] as number) >= value) hi = mid;
    else lo = mid + 1;
  }
  return lo;
};

/**
 * The histogram with `values` added. It never throws (it runs inside workflows, where
 * a throw would fail the task over and over): a negative value counts as 0, a
 * non-finite one is left out.
 */
export const recordValues = (histogram: Histogram, values: readonly number[]): Histogram => {
  const counts = [...histogram.counts];
  let { min, max } = histogram.n === 0 ? { min: Number.POSITIVE_INFINITY, max: 0 } : histogram;
  const kept = values.filter(Number.isFinite).map((v) => Math.max(0, v));
  if (kept.length === 0) return histogram;
  for (const value of kept) {
    const bucket = bucketOf(value);
    counts[bucket] = (counts[bucket] as number) + 1;
    min = Math.min(min, value);
    max = Math.max(max, value);
  }
  return { counts, n: histogram.n + kept.length, min, max };
};

export const mergeHistograms = (a: Histogram, b: Histogram): Histogram => {
  if (a.n === 0) return b;
  if (b.n === 0) return a;
  return { counts: a.counts.map((count, i) => count + (b.counts[i] as number)), n: a.n + b.n, min: Math.min(a.min, b.min), max: Math.max(a.max, b.max) };
};

/**
 * Nearest-rank percentile (p in 0..100), estimated as the upper bound of the
 * bucket holding that rank, kept within the exact minimum and maximum; NaN when empty.
 */
export const histogramPercentile = (histogram: Histogram, p: number): number => {
  if (histogram.n === 0) return Number.NaN;
  const rank = Math.min(histogram.n, Math.max(1, Math.ceil((p / 100) * histogram.n)));
  let seen = 0;
  for (const [i, count] of histogram.counts.entries()) {
    seen += count;
    if (seen >= rank) return Math.min(histogram.max, Math.max(histogram.min, HISTOGRAM_BOUNDS[i] ?? histogram.max));
  }
  return histogram.max;
};
