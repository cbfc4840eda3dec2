import { describe, expect, it } from '@jest/globals';
import fc from 'fast-check';
import { OwnStalls } from './own-stalls.js';

const SETTINGS = { beatEveryMs: 10, slackMs: 5 };

/** Beats at the given times (ascending). */
const beating = (times: readonly number[]): OwnStalls => {
  const stalls = new OwnStalls(SETTINGS);
  for (const t of times) stalls.beat(t);
  return stalls;
};

describe(OwnStalls.name, () => {
  it('should see no stall in beats on time or late within the slack', () => {
    const stalls = beating([0, 10, 20, 34, 44]);
    expect(stalls.within(0, 50)).toBe(0);
  });

  it('should count a late beat from when it was due, and only the part inside the span asked about', () => {
    const stalls = new OwnStalls(SETTINGS);
    stalls.beat(0);
    expect(stalls.beat(400)).toEqual({ fromMs: 10, toMs: 400 });
    expect(stalls.within(0, 405)).toBe(390);
    expect(stalls.within(100, 200)).toBe(100);
    expect(stalls.within(400, 405)).toBe(0);
  });

  it('should count a stall still going on up to the moment asked about', () => {
    const stalls = beating([0, 10]);
    expect(stalls.within(0, 15)).toBe(0);
    expect(stalls.within(0, 300)).toBe(280);
  });

  it('should never count more stall than the span asked about, nor less than nothing', () => {
    fc.assert(
      fc.property(fc.array(fc.integer({ min: 1, max: 500 }), { maxLength: 60 }), fc.nat(20_000), fc.nat(20_000), (gaps, a, b) => {
        let t = 0;
        const stalls = beating([0, ...gaps.map((gap) => (t += gap))]);
        const [from, to] = a <= b ? [a, b] : [b, a];
        const stalled = stalls.within(from, to);
        expect(stalled).toBeGreaterThanOrEqual(0);
        expect(stalled).toBeLessThanOrEqual(to - from);
      }),
    );
  });

  it('should add up over adjoining spans to the stall over their union (of ended stalls)', () => {
    fc.assert(
      fc.property(fc.array(fc.integer({ min: 1, max: 500 }), { maxLength: 60 }), fc.nat(10_000), fc.nat(10_000), fc.nat(10_000), (gaps, x, y, z) => {
        let t = 0;
        const stalls = beating([0, ...gaps.map((gap) => (t += gap))]);
        // Within the beats: a stall still going on is counted only once past the slack, so not additively.
        const [a, b, c] = [x, y, z].map((v) => v % (t + 1)).sort((p, q) => p - q) as [number, number, number];
        expect(stalls.within(a, b) + stalls.within(b, c)).toBe(stalls.within(a, c));
      }),
    );
  });

  it('should count exactly each beat\'s lateness beyond its due time when it exceeds the slack', () => {
    fc.assert(
      fc.property(fc.array(fc.integer({ min: 1, max: 500 }), { minLength: 1, maxLength: 60 }), (gaps) => {
        let t = 0;
        const times = [0, ...gaps.map((gap) => (t += gap))];
        const expected = gaps.reduce((sum, gap) => sum + (gap - SETTINGS.beatEveryMs > SETTINGS.slackMs ? gap - SETTINGS.beatEveryMs : 0), 0);
        expect(beating(times).within(0, t)).toBe(expected);
      }),
    );
  });
});
