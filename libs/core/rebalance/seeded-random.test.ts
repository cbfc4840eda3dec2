import { describe, expect, it } from '@jest/globals';
import fc from 'fast-check';
import { seededRandom } from './seeded-random.js';

describe(seededRandom.name, () => {
  it('should yield the same numbers in [0, 1) for the same seed', () => {
    fc.assert(
      fc.property(fc.integer(), (seed) => {
        const first = seededRandom(seed);
        const second = seededRandom(seed);
        for (let draw = 0; draw < 20; draw++) {
          const value = first();
          expect(value).toBe(second());
          expect(value).toBeGreaterThanOrEqual(0);
          expect(value).toBeLessThan(1);
        }
      }),
    );
  });
});
