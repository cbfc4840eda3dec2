import { describe, expect, it } from '@jest/globals';
import fc from 'fast-check';
import { HISTOGRAM_BOUNDS, HISTOGRAM_MAX_BOUND, emptyHistogram, histogramPercentile, mergeHistograms, recordValues } from './histogram.js';
import { percentile } from './percentiles.js';

const values = fc.array(fc.double({ min: 0, max: HISTOGRAM_MAX_BOUND * 2, noNaN: true }), { minLength: 1, maxLength: 300 });
const p = fc.double({ min: 0, max: 100, noNaN: true });

describe(histogramPercentile.name, () => {
  it('should never read below the true percentile, nor more than ~10 % (or 1) above it within the bounds, nor above the maximum', () => {
    fc.assert(
      fc.property(values, p, (vs, q) => {
        const estimate = histogramPercentile(recordValues(emptyHistogram(), vs), q);
        const truth = percentile(vs, q);
        expect(estimate).toBeGreaterThanOrEqual(truth);
        expect(estimate).toBeLessThanOrEqual(Math.max(...vs));
        if (truth <= HISTOGRAM_MAX_BOUND) expect(estimate).toBeLessThanOrEqual(truth * 1.1 + 1);
      }),
    );
  });

  it('should be exact for whole milliseconds up to 10', () => {
    const h = recordValues(emptyHistogram(), [3, 1, 4, 1, 5, 9, 2, 6]);
    expect([50, 99, 100].map((q) => histogramPercentile(h, q))).toEqual([3, 9, 9]);
  });

  it('should be NaN when empty', () => {
    expect(histogramPercentile(emptyHistogram(), 50)).toBeNaN();
  });
});

describe(recordValues.name, () => {
  it('should stay the same size however many values it has seen, and survive JSON', () => {
    const big = recordValues(emptyHistogram(), Array.from({ length: 100_000 }, (_, i) => i % 5_000));
    expect(big.counts).toHaveLength(HISTOGRAM_BOUNDS.length + 1);
    expect(JSON.parse(JSON.stringify(big))).toEqual(big);
    expect(JSON.parse(JSON.stringify(emptyHistogram()))).toEqual(emptyHistogram());
    expect(JSON.stringify(big).length).toBeLessThan(2_000);
  });

  it('should never throw (it runs in workflows): a negative value counts as 0, a non-finite one is left out', () => {
    expect(recordValues(emptyHistogram(), [-1, Number.NaN, Number.POSITIVE_INFINITY])).toMatchObject({ n: 1, min: 0, max: 0 });
    expect(recordValues(emptyHistogram(), [Number.NaN])).toEqual(emptyHistogram());
  });
});

describe(mergeHistograms.name, () => {
  it('should equal the histogram of all the values, in any split', () => {
    fc.assert(
      fc.property(values, values, (a, b) => {
        const merged = mergeHistograms(recordValues(emptyHistogram(), a), recordValues(emptyHistogram(), b));
        expect(merged).toEqual(recordValues(emptyHistogram(), [...a, ...b]));
        expect(mergeHistograms(emptyHistogram(), merged)).toEqual(merged);
      }),
    );
  });
});
