import { describe, expect, it } from '@jest/globals';
import fc from 'fast-check';
import type { HysteresisSettings } from '../policy/hysteresis-policy.js';
import {
  INITIAL_HEALTH_TRACKER_STATE,
  stepHealthTracker,
  type HealthObservation,
  type HealthTrackerState,
  type HealthTransition,
} from './health-tracker.js';

const SETTINGS: HysteresisSettings = { fireBelow: 50, fireAfterMs: 300, clearAbove: 70, clearAfterMs: 1_000 };

interface Step {
  readonly observation: HealthObservation;
  readonly transition: HealthTransition | null;
  readonly state: HealthTrackerState;
}

const run = (observations: readonly HealthObservation[], settings: HysteresisSettings): Step[] => {
  let state = INITIAL_HEALTH_TRACKER_STATE;
  return observations.map((observation) => {
    const step = stepHealthTracker(state, observation, settings);
    state = step.state;
    return { observation, transition: step.transition, state };
  });
};

const settingsArb: fc.Arbitrary<HysteresisSettings> = fc
  .record({
    fireBelow: fc.integer({ min: 10, max: 60 }),
    gap: fc.integer({ min: 0, max: 30 }),
    fireAfterMs: fc.integer({ min: 1, max: 1_000 }),
    clearAfterMs: fc.integer({ min: 1, max: 2_000 }),
  })
  .map(({ gap, ...s }) => ({ ...s, clearAbove: s.fireBelow + gap }));

/** Scores at non-decreasing times, biased towards the interesting band around the thresholds. */
const observationsArb: fc.Arbitrary<HealthObservation[]> = fc
  .tuple(
    fc.integer({ min: 0, max: 1_000_000 }),
    fc.array(fc.record({ dt: fc.integer({ min: 0, max: 400 }), score: fc.integer({ min: 0, max: 100 }) }), { maxLength: 80 }),
  )
  .map(([start, steps]) => {
    let atMs = start;
    return steps.map(({ dt, score }) => ({ score, atMs: (atMs += dt) }));
  });

describe(stepHealthTracker.name, () => {
  it('should never fire before the score stayed below fireBelow for fireAfterMs', () => {
    fc.assert(
      fc.property(settingsArb, observationsArb, (settings, observations) => {
        const steps = run(observations, settings);
        steps.forEach((step, i) => {
          if (step.transition === null) return;
          const [hold, onTheWay] =
            step.transition === 'fired'
              ? [settings.fireAfterMs, (s: number) => s < settings.fireBelow]
              : [settings.clearAfterMs, (s: number) => s > settings.clearAbove];
          // The run of qualifying samples that ends here, after the previous transition.
          let first = i;
          while (first > 0 && steps[first - 1]?.transition === null && onTheWay(steps[first - 1]?.observation.score ?? NaN)) first -= 1;
          const runStart = steps[first]?.observation.atMs ?? Infinity;
          expect(step.observation.atMs - runStart).toBeGreaterThanOrEqual(hold);
          expect(onTheWay(step.observation.score)).toBe(true);
        });
      }),
    );
  });

  it('should bound the transitions of a flapping input by the elapsed time', () => {
    fc.assert(
      fc.property(settingsArb, observationsArb, (settings, observations) => {
        const transitions = run(observations, settings).filter((s) => s.transition !== null).length;
        const first = observations[0]?.atMs ?? 0;
        const last = observations.at(-1)?.atMs ?? 0;
        const shortestHold = Math.min(settings.fireAfterMs, settings.clearAfterMs);
        expect(transitions).toBeLessThanOrEqual(Math.floor((last - first) / shortestHold));
      }),
    );
  });

  it('should alternate between fired and cleared', () => {
    fc.assert(
      fc.property(settingsArb, observationsArb, (settings, observations) => {
        const transitions = run(observations, settings).flatMap((s) => (s.transition === null ? [] : [s.transition]));
        transitions.forEach((t, i) => expect(t).toBe(i % 2 === 0 ? 'fired' : 'cleared'));
      }),
    );
  });

  it('should fire once a low score has held for fireAfterMs, and clear after clearAfterMs above clearAbove', () => {
    const low = [0, 100, 200, 300, 400].map((atMs) => ({ score: 30, atMs }));
    const high = [500, 1_000, 1_499, 1_500].map((atMs) => ({ score: 90, atMs }));
    const steps = run([...low, ...high], SETTINGS);
    expect(steps.map((s) => s.transition)).toEqual([null, null, null, 'fired', null, null, null, null, 'cleared']);
    expect(steps[3]?.state).toEqual({ alarm: 'firing', pendingSinceMs: null, changedAtMs: 300, lastAtMs: 300 });
  });

  it('should damp a gateway that dips and recovers faster than fireAfterMs', () => {
    const flapping = Array.from({ length: 100 }, (_, i) => ({ score: i % 2 === 0 ? 20 : 90, atMs: i * 100 }));
    expect(run(flapping, SETTINGS).every((s) => s.state.alarm === 'clear')).toBe(true);
  });

  it('should stay firing while the score only reaches the band between the thresholds', () => {
    const lows = [0, 300].map((atMs) => ({ score: 10, atMs }));
    const band = Array.from({ length: 50 }, (_, i) => ({ score: i % 2 === 0 ? 60 : 95, atMs: 400 + i * 600 }));
    const steps = run([...lows, ...band], SETTINGS);
    expect(steps.at(-1)?.state.alarm).toBe('firing');
  });

  it('should ignore observations that arrive out of order or are not numbers', () => {
    const { state } = stepHealthTracker(INITIAL_HEALTH_TRACKER_STATE, { score: 10, atMs: 1_000 }, SETTINGS);
    expect(stepHealthTracker(state, { score: 10, atMs: 999 }, SETTINGS)).toEqual({ state, transition: null });
    expect(stepHealthTracker(state, { score: NaN, atMs: 2_000 }, SETTINGS)).toEqual({ state, transition: null });
  });

  it('should fire on the first low score when fireAfterMs is 0', () => {
    const step = stepHealthTracker(INITIAL_HEALTH_TRACKER_STATE, { score: 10, atMs: 5 }, { ...SETTINGS, fireAfterMs: 0 });
    expect(step.transition).toBe('fired');
  });
});
