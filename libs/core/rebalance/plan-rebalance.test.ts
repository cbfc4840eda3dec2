import { describe, expect, it } from '@jest/globals';
import fc from 'fast-check';
import { planRebalance, type RebalanceInput, type RebalancePlan } from './plan-rebalance.js';
import { DEFAULT_REBALANCE_POLICY } from './policy.js';
import type { RebalanceTarget } from './target-eligibility.js';
import { InvalidRebalanceInputError } from './validation.js';

const target = (gatewayId: string, capacity: number, connections: number, healthScore = 90): RebalanceTarget => ({
  gatewayId,
  capacity,
  connections,
  zone: 'zone-a',
  healthScore,
});

const assignmentsOf = (plan: RebalancePlan) => plan.batches.flatMap((batch) => batch.assignments);

const assignedPerTarget = (plan: RebalancePlan): Map<string, number> => {
  const counts = new Map<string, number>();
  for (const { targetGatewayId } of assignmentsOf(plan)) {
    counts.set(targetGatewayId, (counts.get(targetGatewayId) ?? 0) + 1);
  }
  return counts;
};

const inputArbitrary: fc.Arbitrary<RebalanceInput> = fc.record({
  sourceGatewayId: fc.constantFrom('gw-0', 'gw-source'),
  sessionIds: fc.array(fc.stringMatching(/^s[0-9]{1,3}$/), { maxLength: 300 }),
  targets: fc.uniqueArray(
    fc.record({
      gatewayId: fc.stringMatching(/^gw-[0-9a-f]{1,2}$/),
      capacity: fc.nat({ max: 200 }),
      connections: fc.nat({ max: 250 }),
      zone: fc.constantFrom('zone-a', 'zone-b', 'zone-c'),
      healthScore: fc.nat({ max: 100 }),
    }),
    { selector: (candidate) => candidate.gatewayId, maxLength: 6 },
  ),
  policy: fc.record({
    headroomFraction: fc.double({ min: 0, max: 0.5, noNaN: true }),
    batchSize: fc.integer({ min: 1, max: 40 }),
    pauseBetweenBatchesMs: fc.nat({ max: 1_000 }),
    jitterFraction: fc.double({ min: 0, max: 1, noNaN: true }),
    minTargetHealthScore: fc.nat({ max: 60 }),
  }),
  jitterSeed: fc.integer(),
});

const isEligible = (input: RebalanceInput, candidate: RebalanceTarget): boolean =>
  candidate.gatewayId !== input.sourceGatewayId && candidate.healthScore >= input.policy.minTargetHealthScore;

const freeOf = (input: RebalanceInput, candidate: RebalanceTarget): number =>
  Math.max(0, Math.floor(candidate.capacity * (1 - input.policy.headroomFraction) + 1e-9) - candidate.connections);

describe(planRebalance.name, () => {
  it('should account for every session exactly once, assigned or unplaced with a reason', () => {
    fc.assert(
      fc.property(inputArbitrary, (input) => {
        const plan = planRebalance(input);
        const assigned = assignmentsOf(plan).map(({ sessionId }) => sessionId);
        expect(new Set(assigned).size).toBe(assigned.length);
        const accounted = [...assigned, ...plan.unplaced.map(({ sessionId }) => sessionId)];
        expect([...accounted].sort()).toEqual([...input.sessionIds].sort());
        for (const { reason } of plan.unplaced) {
          expect(['duplicate-session', 'no-eligible-target', 'insufficient-capacity']).toContain(reason);
        }
      }),
    );
  });

  it('should never fill a target beyond capacity minus headroom, nor use the source or an unhealthy target', () => {
    fc.assert(
      fc.property(inputArbitrary, (input) => {
        const plan = planRebalance(input);
        for (const [gatewayId, assigned] of assignedPerTarget(plan)) {
          const chosen = input.targets.find((candidate) => candidate.gatewayId === gatewayId);
          expect(chosen).toBeDefined();
          if (!chosen) continue;
          expect(isEligible(input, chosen)).toBe(true);
          const limit = chosen.capacity * (1 - input.policy.headroomFraction);
          expect(chosen.connections + assigned).toBeLessThanOrEqual(limit + 1e-9);
        }
      }),
    );
  });

  it('should place as many sessions as the eligible free capacity allows', () => {
    fc.assert(
      fc.property(inputArbitrary, (input) => {
        const plan = planRebalance(input);
        const totalFree = input.targets
          .filter((candidate) => isEligible(input, candidate))
          .reduce((sum, candidate) => sum + freeOf(input, candidate), 0);
        expect(assignmentsOf(plan)).toHaveLength(Math.min(new Set(input.sessionIds).size, totalFree));
      }),
    );
  });

  it('should spread sessions in proportion to free capacity', () => {
    fc.assert(
      fc.property(inputArbitrary, (input) => {
        const plan = planRebalance(input);
        const placed = assignmentsOf(plan).length;
        const eligible = input.targets.filter((candidate) => isEligible(input, candidate));
        const totalFree = eligible.reduce((sum, candidate) => sum + freeOf(input, candidate), 0);
        const perTarget = assignedPerTarget(plan);
        for (const candidate of eligible) {
          const exactShare = totalFree === 0 ? 0 : (placed * freeOf(input, candidate)) / totalFree;
          expect(Math.abs((perTarget.get(candidate.gatewayId) ?? 0) - exactShare)).toBeLessThan(1);
        }
      }),
    );
  });

  it('should never exceed the batch size and pace batches at least a pause apart', () => {
    fc.assert(
      fc.property(inputArbitrary, (input) => {
        const plan = planRebalance(input);
        plan.batches.forEach((batch, index) => {
          expect(batch.index).toBe(index);
          expect(batch.assignments.length).toBeGreaterThan(0);
          expect(batch.assignments.length).toBeLessThanOrEqual(input.policy.batchSize);
          const previous = plan.batches[index - 1];
          if (previous) {
            const gap = batch.startOffsetMs - previous.startOffsetMs;
            expect(gap).toBe(batch.pauseMs + batch.jitterMs);
            expect(gap).toBeGreaterThanOrEqual(input.policy.pauseBetweenBatchesMs);
          }
        });
      }),
    );
  });

  it('should be deterministic and independent of the order targets are listed in', () => {
    fc.assert(
      fc.property(inputArbitrary, (input) => {
        const plan = planRebalance(input);
        expect(planRebalance(input)).toEqual(plan);
        const reversed = planRebalance({ ...input, targets: [...input.targets].reverse() });
        expect(reversed.batches).toEqual(plan.batches);
        expect(reversed.unplaced).toEqual(plan.unplaced);
      }),
    );
  });

  it('should explain per target its capacity, free room after headroom and assignment', () => {
    const plan = planRebalance({
      sourceGatewayId: 'gw-sick',
      sessionIds: Array.from({ length: 100 }, (_, index) => `s${index}`),
      targets: [
        target('gw-big', 1_000, 300),
        target('gw-small', 500, 250),
        target('gw-sick', 1_000, 0),
        target('gw-weak', 1_000, 0, 10),
      ],
      policy: { ...DEFAULT_REBALANCE_POLICY, batchSize: 30 },
      jitterSeed: 7,
    });
    expect(plan.explanation.targets).toEqual([
      expect.objectContaining({ gatewayId: 'gw-big', limitAfterHeadroom: 900, freeAfterHeadroom: 600, assigned: 75 }),
      expect.objectContaining({ gatewayId: 'gw-small', limitAfterHeadroom: 450, freeAfterHeadroom: 200, assigned: 25 }),
      expect.objectContaining({ gatewayId: 'gw-sick', excludedBecause: 'is-source', assigned: 0 }),
      expect.objectContaining({ gatewayId: 'gw-weak', excludedBecause: 'unhealthy', assigned: 0 }),
    ]);
    expect(plan.batches.map((batch) => batch.assignments.length)).toEqual([30, 30, 30, 10]);
    expect(plan.unplaced).toEqual([]);
    expect(plan.explanation.summary).toBe('placed 100 of 100 sessions on 2 target(s) in 4 batch(es)');
  });

  it('should mix targets within each batch instead of filling one target first', () => {
    const plan = planRebalance({
      sessionIds: Array.from({ length: 40 }, (_, index) => `s${index}`),
      targets: [target('gw-a', 100, 0), target('gw-b', 100, 0)],
      policy: { ...DEFAULT_REBALANCE_POLICY, batchSize: 10 },
      jitterSeed: 1,
    });
    for (const batch of plan.batches) {
      const toA = batch.assignments.filter(({ targetGatewayId }) => targetGatewayId === 'gw-a').length;
      expect(toA).toBe(5);
    }
  });

  it('should list sessions that do not fit as unplaced for lack of capacity', () => {
    const plan = planRebalance({
      sessionIds: ['s1', 's2', 's3', 's1'],
      targets: [target('gw-a', 10, 8)],
      policy: { ...DEFAULT_REBALANCE_POLICY, headroomFraction: 0 },
      jitterSeed: 1,
    });
    expect(assignmentsOf(plan)).toEqual([
      { sessionId: 's1', targetGatewayId: 'gw-a' },
      { sessionId: 's2', targetGatewayId: 'gw-a' },
    ]);
    expect(plan.unplaced).toEqual([
      { sessionId: 's3', reason: 'insufficient-capacity' },
      { sessionId: 's1', reason: 'duplicate-session' },
    ]);
  });

  it('should say when no target is eligible at all', () => {
    const plan = planRebalance({
      sessionIds: ['s1'],
      targets: [target('gw-a', 10, 0, 5)],
      policy: DEFAULT_REBALANCE_POLICY,
      jitterSeed: 1,
    });
    expect(plan.unplaced).toEqual([{ sessionId: 's1', reason: 'no-eligible-target' }]);
    expect(plan.batches).toEqual([]);
  });

  it('should refuse a nonsensical policy by naming the setting', () => {
    const plan = (policy: Partial<typeof DEFAULT_REBALANCE_POLICY>) => () =>
      planRebalance({ sessionIds: [], targets: [], policy: { ...DEFAULT_REBALANCE_POLICY, ...policy }, jitterSeed: 1 });
    expect(plan({ batchSize: 0 })).toThrow(InvalidRebalanceInputError);
    expect(plan({ headroomFraction: 1 })).toThrow(/headroomFraction/);
    expect(plan({ jitterFraction: Number.NaN })).toThrow(/jitterFraction/);
    expect(plan({ pauseBetweenBatchesMs: -1 })).toThrow(/pauseBetweenBatchesMs/);
  });
});
