import { describe, expect, it } from '@jest/globals';
import fc from 'fast-check';
import { adaptThreshold } from './adaptive-threshold.js';

const ewmaStatArb = fc.record({
  count: fc.integer({ min: 0, max: 1_000 }),
  mean: fc.double({ min: 0, max: 1_000, noNaN: true }),
  variance: fc.double({ min: 0, max: 10_000, noNaN: true }),
});

const adaptation = { alpha: 0.1, sigmas: 3, maxFactor: 4, minSamples: 10 };
const threshold = { warn: 5, critical: 50 };

describe(adaptThreshold.name, () => {
  it('should use the policy threshold until the baseline has enough samples', () => {
    expect(adaptThreshold(threshold, { count: 9, mean: 100, variance: 0 }, adaptation)).toEqual({ ...threshold, adapted: false });
  });

  it('should move warn to mean + sigmas·stddev and keep the span', () => {
    expect(adaptThreshold(threshold, { count: 10, mean: 8, variance: 1 }, adaptation)).toEqual({ warn: 11, critical: 56, adapted: true });
  });

  it('should cap the drift at warn·maxFactor', () => {
    expect(adaptThreshold(threshold, { count: 50, mean: 1_000, variance: 0 }, adaptation)).toEqual({ warn: 20, critical: 65, adapted: true });
  });

  it('should never go below the policy, beyond the cap, or change the span', () => {
    fc.assert(
      fc.property(ewmaStatArb, (stat) => {
        const effective = adaptThreshold(threshold, stat, adaptation);
        expect(effective.warn).toBeGreaterThanOrEqual(threshold.warn);
        expect(effective.warn).toBeLessThanOrEqual(threshold.warn * adaptation.maxFactor);
        expect(effective.critical - effective.warn).toBeCloseTo(threshold.critical - threshold.warn, 9);
      }),
    );
  });

  it('should not adapt a threshold whose warn is 0', () => {
    expect(adaptThreshold({ warn: 0, critical: 3 }, { count: 50, mean: 2, variance: 1 }, adaptation).adapted).toBe(false);
  });
});
