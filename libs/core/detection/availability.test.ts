import { describe, expect, it } from '@jest/globals';
import fc from 'fast-check';
import { DEFAULT_POLICY } from '../policy/default-policy.js';
import {
  type AvailabilityState,
  INITIAL_AVAILABILITY_STATE,
  isIntermittent,
  recordAnswer,
  recordMissedPong,
  summariseAvailability,
} from './availability.js';

const SETTINGS = DEFAULT_POLICY.detector.availability;
const PING_MS = 100;
const TIMEOUT_MS = 250;

/**
 * Pings every 100 ms against a gateway frozen for `freezeMs` out of every `periodMs`: a ping
 * sent during a freeze is answered when it ends, a miss when that is past its deadline.
 */
const simulate = (durationMs: number, periodMs: number, freezeMs: number): AvailabilityState => {
  let state = INITIAL_AVAILABILITY_STATE;
  const events: { atMs: number; apply: (s: AvailabilityState) => AvailabilityState }[] = [];
  for (let sent = 0; sent < durationMs; sent += PING_MS) {
    const phase = sent % periodMs;
    const answeredAt = freezeMs > 0 && phase < freezeMs ? sent - phase + freezeMs + 1 : sent + 1;
    const late = answeredAt - sent > TIMEOUT_MS;
    if (late) events.push({ atMs: sent + TIMEOUT_MS + 1, apply: (s) => recordMissedPong(s, sent, sent + TIMEOUT_MS + 1, SETTINGS) });
    events.push({ atMs: answeredAt, apply: (s) => recordAnswer(s, !late, answeredAt, SETTINGS) });
  }
  events.sort((a, b) => a.atMs - b.atMs);
  for (const event of events) state = event.apply(state);
  return state;
};

describe('availability window', () => {
  it('should see a gateway frozen 400 ms out of every 2 s as intermittent, about 20 % unavailable', () => {
    const state = simulate(60_000, 2_000, 400);
    const summary = summariseAvailability(state, 60_000, SETTINGS);
    expect(summary.unavailableFraction).toBeGreaterThan(0.12);
    expect(summary.unavailableFraction).toBeLessThan(0.25);
    expect(summary.stallsPerMinute).toBeGreaterThanOrEqual(25);
    expect(summary.missedPongRatio).toBeGreaterThan(0);
    expect(isIntermittent(summary, SETTINGS)).toBe(true);
  });

  it('should never call a gateway that always answers in time intermittent, and find it fully available', () => {
    fc.assert(
      fc.property(fc.integer({ min: 1_000, max: 120_000 }), (durationMs) => {
        const summary = summariseAvailability(simulate(durationMs, 2_000, 0), durationMs, SETTINGS);
        expect(summary).toMatchObject({ stallsPerMinute: 0, unavailableFraction: 0, missedPongRatio: 0 });
        expect(isIntermittent(summary, SETTINGS)).toBe(false);
      }),
    );
  });

  it('should keep every figure in range and never judge before minObservedMs of observation', () => {
    fc.assert(
      fc.property(fc.integer({ min: 500, max: 5_000 }), fc.integer({ min: 0, max: 4_000 }), fc.integer({ min: 1_000, max: 90_000 }), (periodMs, freezeMs, durationMs) => {
        const summary = summariseAvailability(simulate(durationMs, periodMs, Math.min(freezeMs, periodMs)), durationMs, SETTINGS);
        expect(summary.unavailableFraction).toBeGreaterThanOrEqual(0);
        expect(summary.unavailableFraction).toBeLessThanOrEqual(1);
        expect(summary.observedMs).toBeLessThanOrEqual(SETTINGS.windowMs);
        if (summary.missedPongRatio !== null) expect(summary.missedPongRatio).toBeLessThanOrEqual(1);
        if (summary.observedMs < SETTINGS.minObservedMs) expect(isIntermittent(summary, SETTINGS)).toBe(false);
      }),
    );
  });

  it('should forget stalls that fell out of the window: a gateway that recovered stops being intermittent', () => {
    const troubled = simulate(60_000, 2_000, 400);
    const later = 60_000 + SETTINGS.windowMs + 1_000;
    const summary = summariseAvailability(recordAnswer(troubled, true, later, SETTINGS), later, SETTINGS);
    expect(summary.stallsPerMinute).toBe(0);
    expect(summary.unavailableFraction).toBe(0);
    expect(isIntermittent(summary, SETTINGS)).toBe(false);
  });

  it('should stay bounded however long it runs', () => {
    const state = simulate(600_000, 1_000, 300);
    expect(state.buckets.length).toBeLessThanOrEqual(SETTINGS.windowMs / 1_000 + 1);
    expect(state.stalls.length).toBeLessThanOrEqual(SETTINGS.windowMs / 1_000 + 1);
  });

  it('should count one stall per freeze even when a miss is judged after a later pong ended it', () => {
    fc.assert(
      fc.property(fc.integer({ min: 0, max: 1_000_000 }), fc.integer({ min: 260, max: 2_000 }), fc.integer({ min: 1, max: 250 }), (t0, freezeMs, lateBy) => {
        // First miss opens the stall; a pong at the freeze's end closes it; a ping sent during
        // the freeze is judged missed only afterwards.
        let state = recordMissedPong(INITIAL_AVAILABILITY_STATE, t0, t0 + TIMEOUT_MS + 1, SETTINGS);
        state = recordAnswer(state, false, t0 + freezeMs, SETTINGS);
        state = recordMissedPong(state, t0 + Math.min(lateBy, freezeMs - 1), t0 + freezeMs + 1, SETTINGS);
        expect(state.stalls).toEqual([{ startMs: t0, endMs: t0 + freezeMs }]);
      }),
    );
  });
});
