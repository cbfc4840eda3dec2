import { describe, expect, it } from '@jest/globals';
import { DEFAULT_POLICY } from '../policy/default-policy.js';
import type { Policy } from '../policy/policy-schema.js';
import type { FleetSnapshot, SweepGateway } from './fleet-snapshot.js';
import { planSweep } from './plan-sweep.js';
import { DEFAULT_SWEEP_SETTINGS, staleAfterMs } from './sweep-settings.js';
import { blockedVitals, healthyVitals, servingGateway } from './test-fixtures.js';

const NOW = 1_700_000_000_000;
const STALE = NOW - staleAfterMs(DEFAULT_SWEEP_SETTINGS) - 5_000;

const snapshot = (gateways: SweepGateway[], policy: Policy = DEFAULT_POLICY): FleetSnapshot => ({ readAt: NOW, policy, gateways, unreadable: [] });

const withMaxRemediations = (maxRemediations: number): Policy => ({
  ...DEFAULT_POLICY,
  guardrails: { ...DEFAULT_POLICY.guardrails, rateLimit: { ...DEFAULT_POLICY.guardrails.rateLimit, maxRemediations } },
});

describe(planSweep.name, () => {
  const fleet = [
    servingGateway('gw-a', healthyVitals('gw-a', NOW - 100)),
    servingGateway('gw-b', blockedVitals('gw-b', NOW - 100)),
    // Stale and blocked: the default tree isolates a wedged gateway, the most severe verdict.
    servingGateway('gw-c', blockedVitals('gw-c', STALE)),
    servingGateway('gw-d', undefined),
    { ...servingGateway('gw-e', blockedVitals('gw-e', NOW)), state: 'quarantined' as const },
    servingGateway('gw-f', healthyVitals('gw-f', STALE)),
  ];

  it('should count what it scanned and remediate the unhealthy gateways, most severe first', () => {
    const plan = planSweep(snapshot(fleet), DEFAULT_SWEEP_SETTINGS);
    expect(plan).toMatchObject({ scanned: 6, healthy: 1, skipped: { 'no-vitals': 1, quarantined: 1, leaving: 0, draining: 0 } });
    const [first, ...rest] = plan.candidates;
    expect([first?.gateway.gatewayId, first?.gateway.verdict.actions]).toEqual(['gw-c', ['quarantine', 'migrate']]);
    // Equal verdicts: the lower score goes first.
    expect(rest.map((c) => c.gateway.gatewayId).sort()).toEqual(['gw-b', 'gw-f']);
    expect(rest[0]!.gateway.score).toBeLessThanOrEqual(rest[1]!.gateway.score);
    expect(plan.candidates.every((c) => c.intent === 'remediate')).toBe(true);
    expect(plan.candidates.map((c) => c.workflowId)).toContain('remediate:gw-c');
  });

  it('should explain each remediation with the score, what cost it and the verdict', () => {
    const plan = planSweep(snapshot(fleet), DEFAULT_SWEEP_SETTINGS);
    const reason = plan.candidates.find((c) => c.gateway.gatewayId === 'gw-c')!.reason;
    expect(reason).toMatch(/^health sweep: score \d+(\.\d)? [<≥] 50 \(writeBlocked −\d+(\.\d)?, heartbeatMisses −\d+(\.\d)?\)/);
    const limitSeconds = staleAfterMs(DEFAULT_SWEEP_SETTINGS) / 1_000;
    expect(reason).toContain(`heartbeat lost: vitals ${limitSeconds + 5} s old (stale after ${limitSeconds} s)`);
    expect(reason).toContain('policy v1 rule "isolate-wedged" → quarantine+migrate');
  });

  it("should start no more remediations than the policy's rate limit allows and defer the rest", () => {
    const plan = planSweep(snapshot(fleet, withMaxRemediations(1)), DEFAULT_SWEEP_SETTINGS);
    expect(plan.candidates.map((c) => [c.gateway.gatewayId, c.intent])).toEqual([
      ['gw-c', 'remediate'],
      [expect.any(String), 'deferred'],
      [expect.any(String), 'deferred'],
    ]);
  });

  it('should only record what it would do when the policy is in shadow mode', () => {
    const plan = planSweep(snapshot(fleet, { ...DEFAULT_POLICY, mode: 'shadow' }), DEFAULT_SWEEP_SETTINGS);
    expect(plan.candidates).toHaveLength(3);
    expect(plan.candidates.every((c) => c.intent === 'shadow')).toBe(true);
  });

  it('should leave a gateway held for a human alone until the quiet period has passed, and a fenced one always', () => {
    const holdMs = DEFAULT_POLICY.incident.holdMs;
    const held = { ...servingGateway('gw-h', blockedVitals('gw-h', NOW)), state: 'needs-human' as const, stateSince: NOW - 1_000 };
    const fenced = { ...servingGateway('gw-x', blockedVitals('gw-x', NOW)), state: 'fenced' as const };
    expect(planSweep(snapshot([held, fenced]), DEFAULT_SWEEP_SETTINGS)).toMatchObject({ candidates: [], skipped: { 'needs-human': 1, fenced: 1 } });
    const quiet = { ...held, stateSince: NOW - holdMs };
    expect(planSweep(snapshot([quiet]), DEFAULT_SWEEP_SETTINGS).candidates.map((c) => c.gateway.gatewayId)).toEqual(['gw-h']);
  });

  it('should find nothing to do in an empty fleet', () => {
    expect(planSweep(snapshot([]), DEFAULT_SWEEP_SETTINGS)).toEqual({
      scanned: 0,
      healthy: 0,
      skipped: { leaving: 0, quarantined: 0, draining: 0, fenced: 0, 'needs-human': 0, 'no-vitals': 0 },
      candidates: [],
    });
  });
});
