import { describe, expect, it } from '@jest/globals';
import fc from 'fast-check';
import { covered } from './covered-time.js';

describe(covered.name, () => {
  it('should count overlapping intervals once and gaps not at all', () => {
    expect(covered([{ from: 0, to: 10 }, { from: 5, to: 15 }, { from: 20, to: 25 }, { from: 21, to: 22 }])).toBe(20);
  });

  it('should never exceed the sum of the intervals nor the span from the first start to the last end', () => {
    const interval = fc.tuple(fc.integer({ min: 0, max: 1_000 }), fc.integer({ min: 0, max: 100 })).map(([from, length]) => ({ from, to: from + length }));
    fc.assert(
      fc.property(fc.array(interval, { minLength: 1, maxLength: 30 }), (intervals) => {
        const total = covered(intervals);
        const span = Math.max(...intervals.map((i) => i.to)) - Math.min(...intervals.map((i) => i.from));
        return total <= intervals.reduce((n, i) => n + i.to - i.from, 0) && total <= span && total >= Math.max(...intervals.map((i) => i.to - i.from));
      }),
    );
  });
});
