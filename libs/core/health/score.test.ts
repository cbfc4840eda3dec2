import { describe, expect, it } from '@jest/globals';
import fc from 'fast-check';
import { DEFAULT_POLICY } from '../policy/default-policy.js';
import { EMPTY_BASELINE, updateBaseline, type EwmaBaseline } from './ewma-baseline.js';
import type { HealthVitals } from './health-metrics.js';
import { scoreHealth } from './score.js';

const policy = DEFAULT_POLICY.health;

const vitalsArb: fc.Arbitrary<HealthVitals> = fc.record({
  rttSamplesMs: fc.array(fc.double({ min: 0, max: 5_000, noNaN: true }), { maxLength: 20 }),
  finRstPerSec: fc.double({ min: 0, max: 1_000, noNaN: true }),
  synRetransmitPerSec: fc.double({ min: 0, max: 1_000, noNaN: true }),
  writeBlockedRatio: fc.double({ min: 0, max: 1, noNaN: true }),
  heartbeatMisses: fc.integer({ min: 0, max: 10 }),
  unavailableFraction: fc.option(fc.double({ min: 0, max: 1, noNaN: true }), { nil: undefined }),
});

const ewmaStatArb = fc.record({
  count: fc.integer({ min: 0, max: 1_000 }),
  mean: fc.double({ min: 0, max: 1_000, noNaN: true }),
  variance: fc.double({ min: 0, max: 10_000, noNaN: true }),
});

const baselineArb: fc.Arbitrary<EwmaBaseline> = fc.oneof(
  fc.constant(EMPTY_BASELINE),
  fc.record({
    rttMeanMs: ewmaStatArb,
    rttJitter: ewmaStatArb,
    finRst: ewmaStatArb,
    synRetransmit: ewmaStatArb,
    writeBlocked: ewmaStatArb,
  }),
);

const QUIET: HealthVitals = {
  rttSamplesMs: [2, 2.1, 1.9, 2, 2.05],
  finRstPerSec: 0.5,
  synRetransmitPerSec: 0,
  writeBlockedRatio: 0,
  heartbeatMisses: 0,
};

const learn = (vitals: HealthVitals, times: number): EwmaBaseline => {
  let baseline = EMPTY_BASELINE;
  for (let i = 0; i < times; i += 1) {
    baseline = updateBaseline(baseline, scoreHealth(vitals, baseline, policy).metrics, policy.adaptation.alpha);
  }
  return baseline;
};

describe(scoreHealth.name, () => {
  it('should stay within 0..100, whatever it is fed', () => {
    const anyNumber = fc.oneof(fc.double(), fc.constantFrom(NaN, Infinity, -1));
    const garbageArb = fc.record({
      rttSamplesMs: fc.array(anyNumber, { maxLength: 10 }),
      finRstPerSec: anyNumber,
      synRetransmitPerSec: anyNumber,
      writeBlockedRatio: anyNumber,
      heartbeatMisses: anyNumber,
    });
    fc.assert(
      fc.property(fc.oneof(vitalsArb, garbageArb), baselineArb, (vitals, baseline) => {
        const { score } = scoreHealth(vitals, baseline, policy);
        expect(score).toBeGreaterThanOrEqual(0);
        expect(score).toBeLessThanOrEqual(100);
      }),
    );
  });

  it('should never raise the score for worse vitals', () => {
    const worseningArb = fc.record({
      rttFactor: fc.double({ min: 1, max: 20, noNaN: true }),
      finRst: fc.double({ min: 0, max: 500, noNaN: true }),
      syn: fc.double({ min: 0, max: 500, noNaN: true }),
      blocked: fc.double({ min: 0, max: 1, noNaN: true }),
      misses: fc.integer({ min: 0, max: 5 }),
    });
    fc.assert(
      fc.property(vitalsArb, worseningArb, baselineArb, (vitals, w, baseline) => {
        const worse: HealthVitals = {
          rttSamplesMs: vitals.rttSamplesMs.map((x) => x * w.rttFactor),
          finRstPerSec: vitals.finRstPerSec + w.finRst,
          synRetransmitPerSec: vitals.synRetransmitPerSec + w.syn,
          writeBlockedRatio: Math.min(1, vitals.writeBlockedRatio + w.blocked),
          heartbeatMisses: vitals.heartbeatMisses + w.misses,
          unavailableFraction: vitals.unavailableFraction === undefined ? undefined : Math.min(1, vitals.unavailableFraction + w.blocked),
        };
        const before = scoreHealth(vitals, baseline, policy).score;
        expect(scoreHealth(worse, baseline, policy).score).toBeLessThanOrEqual(before + 1e-9);
      }),
    );
  });

  it('should never raise the score for more jitter at the same mean RTT', () => {
    fc.assert(
      fc.property(
        fc.double({ min: 1, max: 1_000, noNaN: true }),
        fc.double({ min: 0, max: 1, noNaN: true }),
        fc.double({ min: 0, max: 1, noNaN: true }),
        (meanMs, a, b) => {
          const [small, large] = a <= b ? [a, b] : [b, a];
          const spread = (s: number): HealthVitals => ({ ...QUIET, rttSamplesMs: [meanMs * (1 - s), meanMs * (1 + s)] });
          const calm = scoreHealth(spread(small), EMPTY_BASELINE, policy).score;
          expect(scoreHealth(spread(large), EMPTY_BASELINE, policy).score).toBeLessThanOrEqual(calm + 1e-9);
        },
      ),
    );
  });

  it('should explain itself: deductions add up to what is missing from 100', () => {
    fc.assert(
      fc.property(vitalsArb, baselineArb, (vitals, baseline) => {
        const { score, components } = scoreHealth(vitals, baseline, policy);
        const deducted = components.reduce((sum, c) => sum + c.deduction, 0);
        expect(score).toBeCloseTo(100 - deducted, 9);
        for (const c of components) {
          expect(c.penalty).toBeGreaterThanOrEqual(0);
          expect(c.penalty).toBeLessThanOrEqual(1);
          // Availability is left out where it is not measured (no unavailableFraction given).
          const measured = c.component !== 'unavailability' || vitals.unavailableFraction !== undefined;
          expect(c.weight).toBe(measured ? policy.weights[c.component] : 0);
        }
      }),
    );
  });

  it('should score quiet vitals 100 and hopeless ones 0', () => {
    expect(scoreHealth(QUIET, EMPTY_BASELINE, policy).score).toBe(100);
    const hopeless: HealthVitals = {
      rttSamplesMs: [1, 1, 1, 2_000],
      finRstPerSec: 500,
      synRetransmitPerSec: 100,
      writeBlockedRatio: 1,
      heartbeatMisses: 5,
    };
    const baseline = learn(QUIET, policy.adaptation.minSamples);
    expect(scoreHealth(hopeless, baseline, policy).score).toBe(0);
  });

  it('should show each component with its value, thresholds, penalty and weight', () => {
    const { components, score } = scoreHealth({ ...QUIET, heartbeatMisses: 1, writeBlockedRatio: 0.275 }, EMPTY_BASELINE, policy);
    expect(components.find((c) => c.component === 'heartbeatMisses')).toEqual({
      component: 'heartbeatMisses',
      value: 1,
      warnAt: 0,
      criticalAt: 3,
      adapted: false,
      penalty: expect.closeTo(1 / 3, 9),
      weight: 25,
      deduction: expect.closeTo(25 / 3, 9),
    });
    expect(components.find((c) => c.component === 'writeBlocked')?.penalty).toBeCloseTo(0.5, 9);
    expect(components.find((c) => c.component === 'rttLevel')?.value).toBeNull();
    expect(score).toBeCloseTo(100 - 25 / 3 - 12.5, 9);
  });

  it('should not flag a noisy but healthy gateway once its baseline is learned', () => {
    const noisy: HealthVitals = { ...QUIET, rttSamplesMs: [5, 20, 8, 30, 6, 25], finRstPerSec: 12 };
    const stranger = scoreHealth(noisy, EMPTY_BASELINE, policy);
    const known = scoreHealth(noisy, learn(noisy, 50), policy);
    expect(stranger.score).toBeLessThan(97);
    expect(known.score).toBe(100);
    expect(known.components.find((c) => c.component === 'finRst')?.adapted).toBe(true);
  });

  it('should flag an RTT well above the gateway’s own normal', () => {
    const baseline = learn(QUIET, 50);
    const slow = scoreHealth({ ...QUIET, rttSamplesMs: QUIET.rttSamplesMs.map((x) => x * 12) }, baseline, policy);
    const level = slow.components.find((c) => c.component === 'rttLevel');
    expect(level?.value).toBeCloseTo(12, 1);
    expect(level?.penalty).toBe(1);
  });

  it('should cost more the longer a gateway was unavailable, and nothing where availability is not measured', () => {
    fc.assert(
      fc.property(fc.double({ min: 0, max: 1, noNaN: true }), fc.double({ min: 0, max: 1, noNaN: true }), (a, b) => {
        const [less, more] = a <= b ? [a, b] : [b, a];
        const at = (f: number) => scoreHealth({ ...QUIET, unavailableFraction: f }, EMPTY_BASELINE, policy).score;
        expect(at(more)).toBeLessThanOrEqual(at(less) + 1e-9);
      }),
    );
    const frozenFifth = scoreHealth({ ...QUIET, unavailableFraction: 0.2 }, EMPTY_BASELINE, policy);
    expect(frozenFifth.score).toBeLessThan(100);
    expect(frozenFifth.components.find((c) => c.component === 'unavailability')?.penalty).toBe(1);
    expect(scoreHealth(QUIET, EMPTY_BASELINE, policy).components.find((c) => c.component === 'unavailability')).toMatchObject({ weight: 0, deduction: 0 });
  });
});

describe('RTT jitter at sub-millisecond round trips', () => {
  it('should not take points off a healthy loopback gateway for wobbles of a tenth of a millisecond', () => {
    const loopback: HealthVitals = { ...QUIET, rttSamplesMs: [0.12, 0.31, 0.09, 0.22, 0.45, 0.15, 0.11, 0.27] };
    const jitter = scoreHealth(loopback, EMPTY_BASELINE, policy).components.find((c) => c.component === 'rttJitter');
    expect(jitter?.deduction).toBe(0);
  });

  it('should still see spikes that a client would feel, however small the typical round trip', () => {
    const spiky: HealthVitals = { ...QUIET, rttSamplesMs: [0.2, 0.2, 0.2, 6, 0.2, 0.2, 7, 0.2] };
    const jitter = scoreHealth(spiky, EMPTY_BASELINE, policy).components.find((c) => c.component === 'rttJitter');
    expect(jitter?.penalty).toBe(1);
  });
});

describe('RTT level measured by the detector', () => {
  it('should score a level handed in by a scorer without a baseline of its own', () => {
    const level = (rttLevel?: number) => scoreHealth({ ...QUIET, ...(rttLevel === undefined ? {} : { rttLevel }) }, EMPTY_BASELINE, policy).components.find((c) => c.component === 'rttLevel');
    expect(level()?.value).toBeNull();
    expect(level(1)?.deduction).toBe(0);
    expect(level(12)).toMatchObject({ value: 12, penalty: 1 });
    expect(level(Number.NaN)?.value).toBeNull();
  });

  it('should prefer its own baseline where it has learned one', () => {
    const baseline = learn(QUIET, 50);
    const own = scoreHealth({ ...QUIET, rttLevel: 12 }, baseline, policy).components.find((c) => c.component === 'rttLevel');
    expect(own?.value).toBeCloseTo(1, 1);
  });
});
