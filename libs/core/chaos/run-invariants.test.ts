import { describe, expect, it } from '@jest/globals';
import fc from 'fast-check';
import { type RunRecord } from './run-record.js';
import { actingRuns, densestWindow, perGatewayRunBound, remediationStorms, unfinishedRuns } from './run-invariants.js';

const limit = { maxRemediations: 3, windowMs: 60_000, perGatewayCooldownMs: 30_000 };
const remediation = (gatewayId: string, startedAt: number, extra: Partial<RunRecord> = {}): RunRecord => ({
  workflowId: `remediate:${gatewayId}`,
  runId: `${gatewayId}-${startedAt}`,
  type: 'remediateGateway',
  gatewayId,
  startedAt,
  closedAt: startedAt + 1_000,
  status: 'COMPLETED',
  outcome: 'healed',
  passedRateLimit: true,
  ...extra,
});

describe(actingRuns.name, () => {
  it('should list open runs that are still doing something, not ended ones nor those parked for a human', () => {
    const gathering = remediation('gw-1', 0, { status: 'RUNNING', outcome: 'running' });
    const unknown = remediation('gw-2', 0, { status: 'RUNNING', outcome: undefined });
    const parked = remediation('gw-3', 0, { status: 'RUNNING', outcome: 'needs-human', outcomeReason: 'blast radius' });
    const approval = remediation('gw-4', 0, { status: 'RUNNING', outcome: 'awaiting-approval' });
    expect(actingRuns([gathering, unknown, parked, approval, remediation('gw-5', 0)])).toEqual([gathering, unknown]);
  });
});

describe(unfinishedRuns.name, () => {
  it('should accept ended runs and runs waiting for a human with a reason', () => {
    const waiting = remediation('gw-2', 0, { status: 'RUNNING', outcome: 'awaiting-approval', outcomeReason: 'quarantine needs approval' });
    expect(unfinishedRuns([remediation('gw-1', 0), waiting])).toEqual([]);
  });

  it('should name runs still busy, runs that failed, and human hand-offs without a reason', () => {
    const problems = unfinishedRuns([
      remediation('gw-1', 0, { status: 'RUNNING', outcome: 'running' }),
      remediation('gw-2', 0, { status: 'TERMINATED' }),
      remediation('gw-3', 0, { outcome: 'needs-human' }),
    ]);
    expect(problems).toHaveLength(3);
    expect(problems[0]).toContain('still running');
    expect(problems[1]).toContain('TERMINATED');
    expect(problems[2]).toContain('gives no reason');
  });
});

describe(densestWindow.name, () => {
  it('should find the most events within any window', () => {
    expect(densestWindow([0, 10, 20, 100, 105], 50)).toBe(3);
    expect(densestWindow([], 50)).toBe(0);
  });

  it('should never exceed the count nor fall below 1 for a non-empty list (property)', () => {
    fc.assert(
      fc.property(fc.array(fc.integer({ min: 0, max: 10_000 }), { minLength: 1, maxLength: 50 }), fc.integer({ min: 1, max: 5_000 }), (times, windowMs) => {
        const densest = densestWindow(times, windowMs);
        expect(densest).toBeGreaterThanOrEqual(1);
        expect(densest).toBeLessThanOrEqual(times.length);
      }),
    );
  });
});

describe(remediationStorms.name, () => {
  it('should allow one run and then one per cooldown per gateway', () => {
    expect(perGatewayRunBound(limit)).toBe(3);
    expect(remediationStorms([remediation('gw-1', 0), remediation('gw-1', 30_000), remediation('gw-1', 59_000)], limit)).toEqual([]);
  });

  it('should flag more acting runs on one gateway than the cooldown allows', () => {
    const runs = [0, 1_000, 2_000, 3_000].map((t) => remediation('gw-1', t));
    expect(remediationStorms(runs, { ...limit, maxRemediations: 10 })).toEqual(['gw-1: 4 remediations within 60000 ms (bound 3)']);
  });

  it('should flag the fleet-wide rate, and ignore runs the rate limit refused', () => {
    const runs = ['gw-1', 'gw-2', 'gw-3', 'gw-4'].map((id, i) => remediation(id, i * 1_000));
    expect(remediationStorms(runs, limit)).toEqual(['4 remediations within 60000 ms (policy allows 3)']);
    const refused = runs.map((r, i) => (i === 3 ? { ...r, passedRateLimit: false } : r));
    expect(remediationStorms(refused, limit)).toEqual([]);
  });
});
