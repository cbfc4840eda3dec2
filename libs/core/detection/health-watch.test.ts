import { describe, expect, it } from '@jest/globals';
import fc from 'fast-check';
import { DEFAULT_POLICY } from '../policy/default-policy.js';
import { INITIAL_HEALTH_WATCH_STATE, stepHealthWatch, type HealthWatchState } from './health-watch.js';
import { INITIAL_PROBE_STATE, type ProbeState } from './probe-tiers.js';

const FLOOR_MS = 20;
const TICK = DEFAULT_POLICY.detector.pingIntervalMs;

/** Feeds one RTT per tick, the way the detector scores after each ping round. */
const watch = (rtts: readonly number[], probe: Partial<ProbeState> = {}, signalling = false) => {
  let state: HealthWatchState = INITIAL_HEALTH_WATCH_STATE;
  const transitions: string[] = [];
  rtts.forEach((rtt, i) => {
    const input = { probe: { ...INITIAL_PROBE_STATE, ...probe, rttsMs: rtts.slice(0, i + 1) }, vitals: undefined, signalling, atMs: i * TICK };
    const step = stepHealthWatch(state, input, DEFAULT_POLICY, FLOOR_MS);
    state = step.state;
    if (step.transition) transitions.push(step.transition);
  });
  return { state, transitions };
};

describe(stepHealthWatch.name, () => {
  it('should never fire the alarm on round-trip noise alone while every pong is in time', () => {
    const rtt = fc.double({ min: 0.05, max: DEFAULT_POLICY.detector.pongTimeoutMs, noNaN: true });
    fc.assert(
      fc.property(fc.array(rtt, { minLength: 1, maxLength: 120 }), (rtts) => {
        expect(watch(rtts).transitions).toEqual([]);
      }),
      { numRuns: 60 },
    );
  });

  it('should learn the gateway\'s normal only while it looks healthy', () => {
    const rtts = Array.from({ length: 40 }, (_, i) => 1 + (i % 3) * 0.1);
    expect(watch(rtts).state.baseline.rttMeanMs.count).toBe(rtts.length);
    expect(watch(rtts, { tier: 'suspect', consecutiveMisses: 3 }).state.baseline.rttMeanMs.count).toBe(0);
    expect(watch(rtts, {}, true).state.baseline.rttMeanMs.count).toBe(0);
  });

  it('should fire after misses keep the score under fireBelow for fireAfterMs, not before', () => {
    const ticks = Math.ceil(DEFAULT_POLICY.hysteresis.fireAfterMs / TICK) + 2;
    // Three misses cost the full heartbeat weight; a blocked writer costs its weight too: under 50.
    const vitals = {
      gatewayId: 'gw-1', at: 0, connections: 1, capacity: 10, accepting: true, rttSamplesMs: [], finRstPerSec: 0,
      synRetransmitPerSec: 0, tcpCounterSource: 'app' as const, sendBufferBytes: 1, sendBufferHighWater: 1,
      writeBlocked: true, writeBlockedRatio: 1, errorsPerSec: 0,
    };
    let state = INITIAL_HEALTH_WATCH_STATE;
    const fired: number[] = [];
    for (let i = 0; i < ticks; i++) {
      const probe = { ...INITIAL_PROBE_STATE, tier: 'suspect' as const, consecutiveMisses: 3, rttsMs: [1, 400, 1, 400] };
      const step = stepHealthWatch(state, { probe, vitals, signalling: true, atMs: i * TICK }, DEFAULT_POLICY, FLOOR_MS);
      state = step.state;
      if (step.transition === 'fired') fired.push(i * TICK);
    }
    expect(state.health?.score).toBeLessThan(DEFAULT_POLICY.hysteresis.fireBelow);
    expect(fired).toHaveLength(1);
    expect(fired[0]).toBeGreaterThanOrEqual(DEFAULT_POLICY.hysteresis.fireAfterMs);
  });
});
