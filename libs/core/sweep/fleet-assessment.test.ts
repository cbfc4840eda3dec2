import { describe, expect, it } from '@jest/globals';
import fc from 'fast-check';
import { DEFAULT_POLICY } from '../policy/default-policy.js';
import type { Policy } from '../policy/policy-schema.js';
import { assessFleet } from './fleet-assessment.js';
import type { FleetSnapshot, SweepGateway } from './fleet-snapshot.js';
import { planSweep } from './plan-sweep.js';
import { DEFAULT_SWEEP_SETTINGS } from './sweep-settings.js';
import { blockedVitals, healthyVitals, servingGateway } from './test-fixtures.js';

const NOW = 1_700_000_000_000;

const withMaxRemediations = (maxRemediations: number): Policy => ({
  ...DEFAULT_POLICY,
  guardrails: { ...DEFAULT_POLICY.guardrails, rateLimit: { ...DEFAULT_POLICY.guardrails.rateLimit, maxRemediations } },
});

const fleetOf = (healthy: number, blocked: number, unreadable: number, policy: Policy): FleetSnapshot => ({
  readAt: NOW,
  policy,
  gateways: [
    ...Array.from({ length: healthy }, (_, i): SweepGateway => servingGateway(`ok-${i}`, healthyVitals(`ok-${i}`, NOW - 100))),
    ...Array.from({ length: blocked }, (_, i): SweepGateway => servingGateway(`bad-${i}`, blockedVitals(`bad-${i}`, NOW - 100))),
  ],
  unreadable: Array.from({ length: unreadable }, (_, i) => ({ key: `/homeostat/vitals/x-${i}`, error: 'not JSON' })),
});

describe(assessFleet.name, () => {
  it('should keep every remediation to start and count, not list, the rest beyond the limits', () => {
    const assessment = assessFleet(fleetOf(30, 40, 25, withMaxRemediations(5)), DEFAULT_SWEEP_SETTINGS, { listedUnremediated: 10, listedUnreadable: 3 });
    expect(assessment).toMatchObject({ scanned: 70, healthy: 30, unlisted: { deferred: 25, shadow: 0 }, unreadableTotal: 25 });
    expect(assessment.candidates.filter((c) => c.intent === 'remediate')).toHaveLength(5);
    expect(assessment.candidates.filter((c) => c.intent === 'deferred')).toHaveLength(10);
    expect(assessment.unreadable).toHaveLength(3);
  });

  it('should stay the same size whatever the size of the fleet', () => {
    fc.assert(
      fc.property(fc.nat(400), fc.nat(400), fc.nat(100), fc.integer({ min: 1, max: 20 }), (healthy, blocked, unreadable, cap) => {
        const snapshot = fleetOf(healthy, blocked, unreadable, withMaxRemediations(cap));
        const assessment = assessFleet(snapshot, DEFAULT_SWEEP_SETTINGS);
        const plan = planSweep(snapshot, DEFAULT_SWEEP_SETTINGS);
        // Bounded by the policy's cap and the listing limits, never by the fleet.
        expect(assessment.candidates.length).toBeLessThanOrEqual(cap + 50);
        expect(assessment.unreadable.length).toBeLessThanOrEqual(20);
        // Nothing is lost: every unhealthy gateway is either listed or counted.
        expect(assessment.candidates.length + assessment.unlisted.deferred + assessment.unlisted.shadow).toBe(plan.candidates.length);
        // The remediations are exactly the plan's.
        expect(assessment.candidates.filter((c) => c.intent === 'remediate')).toEqual(plan.candidates.filter((c) => c.intent === 'remediate'));
      }),
      { numRuns: 40 },
    );
  });
});
