import { describe, expect, it } from '@jest/globals';
import fc from 'fast-check';
import { RetryBackoff } from './retry-backoff.js';

describe(RetryBackoff.name, () => {
  it('should wait between half and all of a doubling ceiling, capped, and start over after reset', () => {
    fc.assert(
      fc.property(fc.array(fc.double({ min: 0, max: 1, maxExcluded: true, noNaN: true }), { minLength: 1, maxLength: 12 }), (draws) => {
        let i = 0;
        const backoff = new RetryBackoff({ initialMs: 100, maxMs: 2_000 }, () => draws[i++ % draws.length] as number);
        draws.forEach((_, n) => {
          const ceiling = Math.min(2_000, 100 * 2 ** n);
          const wait = backoff.next();
          expect(wait).toBeGreaterThanOrEqual(Math.floor(ceiling / 2));
          expect(wait).toBeLessThanOrEqual(ceiling);
        });
        backoff.reset();
        expect(backoff.next()).toBeLessThanOrEqual(100);
      }),
    );
  });
});
