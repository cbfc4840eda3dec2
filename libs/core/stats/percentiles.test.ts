import { describe, expect, it } from '@jest/globals';
import fc from 'fast-check';
import { percentile, summarise } from './percentiles.js';

describe(percentile.name, () => {
  it('should pick nearest-rank values', () => {
    const values = Array.from({ length: 100 }, (_, i) => 100 - i);
    expect(percentile(values, 50)).toBe(50);
    expect(percentile(values, 99)).toBe(99);
    expect(percentile(values, 100)).toBe(100);
    expect(percentile(values, 0)).toBe(1);
  });

  it('should return a member of the input that is monotone in p', () => {
    fc.assert(
      fc.property(fc.array(fc.double({ noNaN: true }), { minLength: 1 }), fc.nat(100), fc.nat(100), (values, a, b) => {
        const [lo, hi] = a <= b ? [a, b] : [b, a];
        expect(values).toContain(percentile(values, lo));
        expect(percentile(values, lo)).toBeLessThanOrEqual(percentile(values, hi));
      }),
    );
  });

  it('should say NaN rather than invent a figure for no data', () => {
    expect(summarise([])).toMatchObject({ n: 0, p50: Number.NaN });
  });
});
