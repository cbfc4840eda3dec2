import { describe, expect, it } from '@jest/globals';
import fc from 'fast-check';
import { apportion } from './apportion.js';

describe(apportion.name, () => {
  const weightsAndTotal = fc
    .array(fc.nat({ max: 1_000 }), { minLength: 1, maxLength: 10 })
    .chain((weights) =>
      fc.tuple(fc.constant(weights), fc.nat({ max: weights.reduce((sum, weight) => sum + weight, 0) })),
    );

  it('should hand out exactly the total, each share within one of its exact quota and within its weight', () => {
    fc.assert(
      fc.property(weightsAndTotal, ([weights, total]) => {
        const shares = apportion(total, weights);
        const weightSum = weights.reduce((sum, weight) => sum + weight, 0);
        expect(shares.reduce((sum, share) => sum + share, 0)).toBe(total);
        shares.forEach((share, index) => {
          const weight = weights[index] ?? 0;
          const exactQuota = weightSum === 0 ? 0 : (total * weight) / weightSum;
          expect(Math.abs(share - exactQuota)).toBeLessThan(1);
          expect(share).toBeLessThanOrEqual(weight);
        });
      }),
    );
  });

  it('should give the odd unit to the earlier of equal weights', () => {
    expect(apportion(1, [5, 5])).toEqual([1, 0]);
    expect(apportion(5, [1, 1, 1])).toEqual([2, 2, 1]);
  });
});
