import { describe, expect, it } from '@jest/globals';
import fc from 'fast-check';
import { peakInWindow } from './peak-rate.js';

describe(peakInWindow.name, () => {
  it('should count the busiest window, wherever it starts', () => {
    expect(peakInWindow([], 1_000)).toBe(0);
    expect(peakInWindow([0, 10, 999, 1_000, 2_500], 1_000)).toBe(4);
    expect(peakInWindow([3_000, 0, 2_100, 2_200, 2_900], 1_000)).toBe(4);
  });

  it('should equal a brute-force count over every window starting at an event', () => {
    fc.assert(
      fc.property(fc.array(fc.integer({ min: 0, max: 10_000 }), { maxLength: 100 }), fc.integer({ min: 1, max: 3_000 }), (times, windowMs) => {
        const brute = Math.max(0, ...times.map((t) => times.filter((u) => u >= t && u <= t + windowMs).length));
        expect(peakInWindow(times, windowMs)).toBe(brute);
      }),
    );
  });
});
