import { describe, expect, it } from '@jest/globals';
import { RttLevelSchema, currentRttLevel, RTT_LEVEL_MAX_AGE_MS } from '../fleet/rtt-level.js';
import { DEFAULT_POLICY } from '../policy/default-policy.js';
import { INITIAL_HEALTH_WATCH_STATE, stepHealthWatch, type HealthWatchState } from './health-watch.js';
import { INITIAL_PROBE_STATE } from './probe-tiers.js';
import { rttLevelOf } from './rtt-level-of.js';

const ids = { gatewayId: 'gw-1', detectorId: 'det-a' };
const TICK = DEFAULT_POLICY.detector.pingIntervalMs;

const watched = (rtts: readonly number[]): HealthWatchState => {
  let state = INITIAL_HEALTH_WATCH_STATE;
  rtts.forEach((_, i) => {
    const probe = { ...INITIAL_PROBE_STATE, rttsMs: rtts.slice(0, i + 1) };
    state = stepHealthWatch(state, { probe, vitals: undefined, signalling: false, atMs: i * TICK }, DEFAULT_POLICY, 20).state;
  });
  return state;
};

describe(rttLevelOf.name, () => {
  it('should publish nothing before the baseline has been learned', () => {
    expect(rttLevelOf(ids, INITIAL_HEALTH_WATCH_STATE, DEFAULT_POLICY, 0)).toBeUndefined();
    expect(rttLevelOf(ids, watched([0.3, 0.31]), DEFAULT_POLICY, 0)).toBeUndefined();
  });

  it('should give the latest window against the learned normal, in fractional ms', () => {
    const state = watched(Array.from({ length: 60 }, (_, i) => 0.3 + (i % 3) * 0.01));
    const level = rttLevelOf(ids, state, DEFAULT_POLICY, 1_234.5);
    expect(RttLevelSchema.parse(level)).toEqual(level);
    expect(level).toMatchObject({ ...ids, at: 1_235, baselineSamples: 60 });
    expect(level?.baselineMs).toBeCloseTo(0.31, 2);
    expect(level?.level).toBeCloseTo(1, 1);
  });
});

describe(currentRttLevel.name, () => {
  it('should use a level only while it is fresh', () => {
    const record = { ...ids, at: 1_000, baselineMs: 1, baselineSamples: 50, windowMeanMs: 3, level: 3 };
    expect(currentRttLevel(record, 1_000 + RTT_LEVEL_MAX_AGE_MS)).toBe(3);
    expect(currentRttLevel(record, 1_001 + RTT_LEVEL_MAX_AGE_MS)).toBeUndefined();
    expect(currentRttLevel(undefined, 0)).toBeUndefined();
  });
});
