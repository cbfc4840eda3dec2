import { describe, expect, it } from '@jest/globals';
import fc from 'fast-check';
import type { EwmaStat } from '../health/ewma-baseline.js';
import { DEFAULT_POLICY } from '../policy/default-policy.js';
import { judgeRttSpike, median, rttWindowSize } from './rtt-spike.js';

const HEALTH = DEFAULT_POLICY.health;
const learned = (mean: number, variance = 0): EwmaStat => ({ count: HEALTH.adaptation.minSamples, mean, variance });

const windowArb = fc.array(fc.double({ min: 0, max: 2_000, noNaN: true }), { minLength: 1, maxLength: 30 });
const baselineArb = fc.record({
  count: fc.integer({ min: HEALTH.adaptation.minSamples, max: 1_000 }),
  mean: fc.double({ min: 0.01, max: 500, noNaN: true }),
  variance: fc.double({ min: 0, max: 10_000, noNaN: true }),
});
const floorArb = fc.double({ min: 0, max: 100, noNaN: true });

describe(judgeRttSpike.name, () => {
  it('should judge nothing until the baseline has minSamples windows', () => {
    const judgement = judgeRttSpike([500, 500, 500], { count: HEALTH.adaptation.minSamples - 1, mean: 1, variance: 0 }, HEALTH, 0);
    expect(judgement).toMatchObject({ spike: false, thresholdMs: null, medianMs: 500 });
  });

  it('should never call a window whose median is at or below the baseline a spike', () => {
    fc.assert(
      fc.property(windowArb, baselineArb, floorArb, (window, baseline, floor) => {
        fc.pre((median(window) ?? 0) <= baseline.mean);
        expect(judgeRttSpike(window, baseline, HEALTH, floor).spike).toBe(false);
      }),
    );
  });

  it('should keep a spike a spike when every sample gets slower', () => {
    fc.assert(
      fc.property(windowArb, baselineArb, floorArb, fc.double({ min: 0, max: 1_000, noNaN: true }), (window, baseline, floor, extra) => {
        const before = judgeRttSpike(window, baseline, HEALTH, floor);
        const after = judgeRttSpike(window.map((x) => x + extra), baseline, HEALTH, floor);
        if (before.spike) expect(after.spike).toBe(true);
      }),
    );
  });

  it('should not let one pause in a window move the verdict, but a sustained slowdown should', () => {
    const size = rttWindowSize(DEFAULT_POLICY.detector.pingIntervalMs);
    const quiet = Array<number>(size).fill(1);
    const oneGcPause = [...quiet.slice(1), 300];
    const slowedDown = quiet.map(() => 120);
    expect(judgeRttSpike(oneGcPause, learned(1), HEALTH, 20).spike).toBe(false);
    expect(judgeRttSpike(slowedDown, learned(1), HEALTH, 20)).toMatchObject({ spike: true, medianMs: 120, thresholdMs: 21 });
  });

  it('should hold a jittery gateway to its own spread and a quiet one to the floor', () => {
    // Baseline 10 ms ± 8 ms: 3 sigmas put the bar at 34 ms, above 2× and above the 20 ms floor.
    expect(judgeRttSpike([30, 30, 30], learned(10, 64), HEALTH, 20)).toMatchObject({ spike: false, thresholdMs: 34 });
    expect(judgeRttSpike([35, 35, 35], learned(10, 64), HEALTH, 20).spike).toBe(true);
    expect(judgeRttSpike([0.9, 0.9, 0.9], learned(0.3), HEALTH, 20).spike).toBe(false);
  });
});
