import { describe, expect, it } from '@jest/globals';
import fc from 'fast-check';
import { isAnswering } from './answering.js';
import { INITIAL_PROBE_STATE, type ProbeTier } from './probe-tiers.js';

const settings = { pingIntervalMs: 100, pongTimeoutMs: 250 };

describe(isAnswering.name, () => {
  it('should call a gateway answering only when healthy with a recent pong', () => {
    const recent = { ...INITIAL_PROBE_STATE, lastPongAtMs: 1_000 };
    expect(isAnswering(recent, 1_400, settings)).toBe(true);
    expect(isAnswering(recent, 1_600, settings)).toBe(false);
    expect(isAnswering(INITIAL_PROBE_STATE, 1_000, settings)).toBe(false);
  });

  it('should want a pong within a second whatever the pong timeout, however generous', () => {
    const silentForMs = (ms: number) => isAnswering({ ...INITIAL_PROBE_STATE, lastPongAtMs: 0 }, ms, { pingIntervalMs: 100, pongTimeoutMs: 30_000 });
    expect(silentForMs(900)).toBe(true);
    expect(silentForMs(1_100)).toBe(false);
  });

  it('should never call a gateway answering in any tier but healthy, however recent its last pong', () => {
    fc.assert(
      fc.property(fc.constantFrom<ProbeTier>('missing', 'suspect', 'transport-lost'), fc.nat(10_000), (tier, ageMs) => {
        expect(isAnswering({ ...INITIAL_PROBE_STATE, tier, lastPongAtMs: 50_000 }, 50_000 + ageMs, settings)).toBe(false);
      }),
    );
  });
});
