import { describe, expect, it } from '@jest/globals';
import fc from 'fast-check';
import { batchTimings } from './pacing.js';

describe(batchTimings.name, () => {
  const policy = fc.record({
    batchSize: fc.constant(1),
    pauseBetweenBatchesMs: fc.nat({ max: 5_000 }),
    jitterFraction: fc.double({ min: 0, max: 1, noNaN: true }),
  });

  it('should start at once and keep every later gap between pause and pause plus jitter', () => {
    fc.assert(
      fc.property(fc.nat({ max: 30 }), policy, fc.integer(), (count, pacing, seed) => {
        const timings = batchTimings(count, pacing, seed);
        expect(timings).toHaveLength(count);
        if (count > 0) expect(timings[0]).toEqual({ startOffsetMs: 0, pauseMs: 0, jitterMs: 0 });
        for (let index = 1; index < timings.length; index++) {
          const gap = (timings[index]?.startOffsetMs ?? 0) - (timings[index - 1]?.startOffsetMs ?? 0);
          expect(gap).toBeGreaterThanOrEqual(pacing.pauseBetweenBatchesMs);
          expect(gap).toBeLessThanOrEqual(Math.round(pacing.pauseBetweenBatchesMs * (1 + pacing.jitterFraction)) + 1);
          expect(Number.isInteger(timings[index]?.startOffsetMs)).toBe(true);
        }
        expect(batchTimings(count, pacing, seed)).toEqual(timings);
      }),
    );
  });

  it('should vary the jitter with the seed', () => {
    const pacing = { batchSize: 1, pauseBetweenBatchesMs: 1_000, jitterFraction: 0.5 };
    expect(batchTimings(10, pacing, 1)).not.toEqual(batchTimings(10, pacing, 2));
  });
});
