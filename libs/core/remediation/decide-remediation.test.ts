import { describe, expect, it } from '@jest/globals';
import { DEFAULT_POLICY } from '../policy/index.js';
import { healthyVitals } from '../sweep/test-fixtures.js';
import { type EvidenceSample } from './evidence.js';
import { factsFromEvidence } from './decide-remediation.js';

const look = (at: number, overrides: Parameters<typeof healthyVitals>[2]): EvidenceSample => ({
  at,
  registered: true,
  reachable: true,
  state: 'serving',
  vitals: healthyVitals('gw-1', at, overrides),
});

describe(factsFromEvidence.name, () => {
  it('should take retryPending from what the gateway reported, not from how its buffers moved', () => {
    const shrinking = [look(0, { writeBlocked: true, sendBufferBytes: 9_000 }), look(150, { writeBlocked: true, sendBufferBytes: 1_000 })];
    expect(factsFromEvidence(shrinking, undefined, DEFAULT_POLICY).facts.retryPending).toBe(false);

    const retrying = [look(0, { writeBlocked: true, retryPending: true }), look(150, { writeBlocked: true, retryPending: true })];
    expect(factsFromEvidence(retrying, undefined, DEFAULT_POLICY).facts).toMatchObject({ writeBlocked: true, retryPending: true });
  });

  it('should take a retry the detector heard of, and never call a retry pending without a write block', () => {
    const blocked = [look(0, { writeBlocked: true })];
    expect(factsFromEvidence(blocked, { detectorId: 'd', facts: ['writeBlocked', 'retryPending'] }, DEFAULT_POLICY).facts.retryPending).toBe(true);
    const fine = [look(0, { retryPending: true })];
    expect(factsFromEvidence(fine, undefined, DEFAULT_POLICY).facts.retryPending).toBe(false);
  });
});

describe('the RTT level in a run', () => {
  it('should score the detector\'s RTT level when the evidence carries one, and call a level past critical a spike', () => {
    const plain = factsFromEvidence([look(0, {})], undefined, DEFAULT_POLICY);
    expect(plain.assessment.components.find((c) => c.component === 'rttLevel')?.value).toBeNull();
    const slow = factsFromEvidence([{ ...look(0, {}), rttLevel: 12 }], undefined, DEFAULT_POLICY);
    expect(slow.assessment.components.find((c) => c.component === 'rttLevel')).toMatchObject({ value: 12, penalty: 1 });
    expect(slow.facts.rttSpike).toBe(true);
  });
});
