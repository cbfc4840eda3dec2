import { describe, expect, it } from '@jest/globals';
import fc from 'fast-check';
import { EMPTY_BASELINE, updateBaseline, updateEwmaStat } from './ewma-baseline.js';
import type { HealthMetrics } from './health-metrics.js';

const ewmaStatArb = fc.record({
  count: fc.integer({ min: 0, max: 1_000 }),
  mean: fc.double({ min: 0, max: 1_000, noNaN: true }),
  variance: fc.double({ min: 0, max: 10_000, noNaN: true }),
});

const metrics = (x: number): HealthMetrics => ({
  unavailability: x,
  rttMeanMs: x,
  rttJitter: x,
  finRst: x,
  synRetransmit: x,
  writeBlocked: x,
  heartbeatMisses: x,
});

describe(updateBaseline.name, () => {
  it('should return a new baseline and leave the old one alone', () => {
    const before = updateBaseline(EMPTY_BASELINE, metrics(1), 0.5);
    const snapshot = JSON.stringify(before);
    const after = updateBaseline(before, metrics(3), 0.5);
    expect(JSON.stringify(before)).toBe(snapshot);
    expect(after).not.toBe(before);
    expect(after.finRst).toEqual({ count: 2, mean: 2, variance: 1 });
  });

  it('should take the first sample as the mean', () => {
    expect(updateBaseline(EMPTY_BASELINE, metrics(7), 0.1).rttMeanMs).toEqual({ count: 1, mean: 7, variance: 0 });
  });

  it('should leave a metric without evidence untouched', () => {
    const next = updateBaseline(EMPTY_BASELINE, { ...metrics(4), rttJitter: null }, 0.1);
    expect(next.rttJitter).toBe(EMPTY_BASELINE.rttJitter);
  });

  it('should reject an alpha outside (0, 1]', () => {
    for (const alpha of [0, -0.1, 1.5, NaN]) {
      expect(() => updateBaseline(EMPTY_BASELINE, metrics(1), alpha)).toThrow(RangeError);
    }
  });
});

describe(updateEwmaStat.name, () => {
  it('should keep the mean between the old mean and the sample, and the variance non-negative', () => {
    fc.assert(
      fc.property(ewmaStatArb, fc.double({ min: 0, max: 1_000, noNaN: true }), fc.double({ min: 0.001, max: 1, noNaN: true }), (stat, x, alpha) => {
        const next = updateEwmaStat(stat, x, alpha);
        const [low, high] = stat.count === 0 ? [x, x] : [Math.min(stat.mean, x), Math.max(stat.mean, x)];
        expect(next.mean).toBeGreaterThanOrEqual(low - 1e-9);
        expect(next.mean).toBeLessThanOrEqual(high + 1e-9);
        expect(next.variance).toBeGreaterThanOrEqual(0);
        expect(next.count).toBe(stat.count + 1);
      }),
    );
  });

  it('should converge on a constant signal', () => {
    let stat = { count: 1, mean: 100, variance: 50 };
    for (let i = 0; i < 500; i += 1) stat = updateEwmaStat(stat, 10, 0.05);
    expect(stat.mean).toBeCloseTo(10, 6);
    expect(stat.variance).toBeCloseTo(0, 6);
  });
});
