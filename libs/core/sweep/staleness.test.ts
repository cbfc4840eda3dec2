import { describe, expect, it } from '@jest/globals';
import fc from 'fast-check';
import { vitalsFreshness } from './staleness.js';

const settings = { vitalsIntervalMs: 1_000, staleAfterIntervals: 3 };

describe(vitalsFreshness.name, () => {
  it('should count the first interval as normal and every further one as a missed publish', () => {
    expect(vitalsFreshness(10_000, 10_900, settings)).toEqual({ ageMs: 900, missedPublishes: 0, heartbeatLost: false });
    expect(vitalsFreshness(10_000, 12_500, settings)).toEqual({ ageMs: 2_500, missedPublishes: 1, heartbeatLost: false });
  });

  it('should call the heartbeat lost only beyond the stale limit', () => {
    expect(vitalsFreshness(10_000, 13_000, settings).heartbeatLost).toBe(false);
    expect(vitalsFreshness(10_000, 13_001, settings).heartbeatLost).toBe(true);
  });

  it('should treat vitals from a clock ahead of ours as brand new', () => {
    expect(vitalsFreshness(20_000, 10_000, settings)).toEqual({ ageMs: 0, missedPublishes: 0, heartbeatLost: false });
  });

  it('should never call older vitals fresher', () => {
    fc.assert(
      fc.property(fc.nat(1e7), fc.nat(1e7), (ageA, ageB) => {
        const [younger, older] = ageA <= ageB ? [ageA, ageB] : [ageB, ageA];
        const a = vitalsFreshness(1e9 - younger, 1e9, settings);
        const b = vitalsFreshness(1e9 - older, 1e9, settings);
        expect(b.missedPublishes).toBeGreaterThanOrEqual(a.missedPublishes);
        if (a.heartbeatLost) expect(b.heartbeatLost).toBe(true);
      }),
    );
  });
});
