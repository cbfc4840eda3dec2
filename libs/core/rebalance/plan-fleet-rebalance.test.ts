import { describe, expect, it } from '@jest/globals';
import fc from 'fast-check';
import {
  planFleetRebalance,
  type FleetGateway,
  type FleetRebalanceInput,
  type FleetRebalancePlan,
} from './plan-fleet-rebalance.js';
import { DEFAULT_REBALANCE_POLICY } from './policy.js';

const gateway = (gatewayId: string, capacity: number, connections: number): FleetGateway => ({
  gatewayId,
  zone: 'zone-a',
  capacity,
  connections,
});

const pacing = fc.record({
  headroomFraction: fc.double({ min: 0, max: 0.3, noNaN: true }),
  batchSize: fc.integer({ min: 1, max: 30 }),
  pauseBetweenBatchesMs: fc.nat({ max: 1_000 }),
  jitterFraction: fc.double({ min: 0, max: 1, noNaN: true }),
});

const fleetArbitrary = (gateways: fc.Arbitrary<FleetGateway[]>): fc.Arbitrary<FleetRebalanceInput> =>
  fc.record({
    gateways,
    tolerance: fc.double({ min: 0, max: 0.5, noNaN: true }),
    policy: pacing,
    jitterSeed: fc.integer(),
  });

const anyFleet = fleetArbitrary(
  fc.uniqueArray(
    fc.record({
      gatewayId: fc.stringMatching(/^gw-[0-9a-f]{1,2}$/),
      zone: fc.constantFrom('zone-a', 'zone-b'),
      capacity: fc.integer({ min: 1, max: 60 }),
      connections: fc.nat({ max: 80 }),
    }),
    { selector: (candidate) => candidate.gatewayId, minLength: 1, maxLength: 6 },
  ),
);

/** Fleets with room to spare, so that balance is usually possible and the property below is rarely vacuous. */
const roomyFleet: fc.Arbitrary<FleetRebalanceInput> = fc.record({
  gateways: fc.uniqueArray(
    fc
      .record({
        gatewayId: fc.stringMatching(/^gw-[0-9a-f]{1,2}$/),
        zone: fc.constantFrom('zone-a', 'zone-b'),
        capacity: fc.integer({ min: 10, max: 60 }),
      })
      .chain((partial) => fc.nat({ max: partial.capacity }).map((connections) => ({ ...partial, connections }))),
    { selector: (candidate) => candidate.gatewayId, minLength: 1, maxLength: 6 },
  ),
  tolerance: fc.double({ min: 0.1, max: 0.5, noNaN: true }),
  policy: pacing.map((policy) => ({ ...policy, headroomFraction: policy.headroomFraction / 3 })),
  jitterSeed: fc.integer(),
});

/** Final connection counts obtained by replaying the batches on the input fleet. */
function finalCounts(input: FleetRebalanceInput, plan: FleetRebalancePlan): Map<string, number> {
  const counts = new Map(input.gateways.map((candidate) => [candidate.gatewayId, candidate.connections]));
  for (const move of plan.batches.flatMap((batch) => batch.moves)) {
    counts.set(move.fromGatewayId, (counts.get(move.fromGatewayId) ?? 0) - move.count);
    counts.set(move.toGatewayId, (counts.get(move.toGatewayId) ?? 0) + move.count);
  }
  return counts;
}

const meanOf = (gateways: readonly FleetGateway[]): number =>
  gateways.reduce((sum, candidate) => sum + candidate.connections, 0) /
  gateways.reduce((sum, candidate) => sum + candidate.capacity, 0);

/**
 * Independent oracle: is there any whole-number assignment that keeps the total, puts every
 * gateway strictly inside tolerance, and fills no receiver past capacity minus headroom?
 * Decided by brute force over reachable totals; the margins keep float edges out of the verdict.
 */
function balanceIsPossible(input: FleetRebalanceInput): boolean {
  const mean = meanOf(input.gateways);
  const total = input.gateways.reduce((sum, candidate) => sum + candidate.connections, 0);
  let reachable = new Set([0]);
  for (const candidate of input.gateways) {
    const allowed: number[] = [];
    for (let count = 0; count <= total; count++) {
      const withinTolerance =
        Math.abs(count - candidate.capacity * mean) <= candidate.capacity * mean * input.tolerance - 1e-7;
      const withinHeadroom =
        count <= candidate.connections || count <= candidate.capacity * (1 - input.policy.headroomFraction) - 1e-7;
      if (withinTolerance && withinHeadroom) allowed.push(count);
    }
    const extended = [...reachable].flatMap((sum) => allowed.map((count) => sum + count));
    reachable = new Set(extended.filter((sum) => sum <= total));
  }
  return reachable.has(total);
}

describe(planFleetRebalance.name, () => {
  it('should conserve sessions and agree with its own explanation', () => {
    fc.assert(
      fc.property(anyFleet, (input) => {
        const plan = planFleetRebalance(input);
        const counts = finalCounts(input, plan);
        for (const explained of plan.explanation.gateways) {
          expect(counts.get(explained.gatewayId)).toBe(explained.targetConnections);
          expect(explained.targetConnections).toBeGreaterThanOrEqual(0);
        }
        const movedInBatches = plan.batches.flatMap((batch) => batch.moves).reduce((sum, move) => sum + move.count, 0);
        expect(movedInBatches).toBe(plan.sessionsToMove);
      }),
    );
  });

  it('should end every gateway within tolerance whenever capacity allows', () => {
    fc.assert(
      fc.property(fc.oneof(roomyFleet, anyFleet), (input) => {
        fc.pre(balanceIsPossible(input));
        const plan = planFleetRebalance(input);
        const mean = meanOf(input.gateways);
        expect(plan.balancedAfter).toBe(true);
        for (const candidate of input.gateways) {
          const utilisation = (finalCounts(input, plan).get(candidate.gatewayId) ?? 0) / candidate.capacity;
          expect(Math.abs(utilisation - mean)).toBeLessThanOrEqual(mean * input.tolerance + 1e-6);
        }
      }),
      { numRuns: 300 },
    );
  });

  it('should never fill a receiver beyond capacity minus headroom, nor make a gateway both give and receive', () => {
    fc.assert(
      fc.property(anyFleet, (input) => {
        const plan = planFleetRebalance(input);
        const counts = finalCounts(input, plan);
        const donors = new Set(plan.moves.map((move) => move.fromGatewayId));
        for (const candidate of input.gateways) {
          const final = counts.get(candidate.gatewayId) ?? 0;
          if (final > candidate.connections) {
            expect(final).toBeLessThanOrEqual(candidate.capacity * (1 - input.policy.headroomFraction) + 1e-9);
            expect(donors.has(candidate.gatewayId)).toBe(false);
          }
        }
      }),
    );
  });

  it('should move nothing when the fleet is already within tolerance', () => {
    const evenFleet = fleetArbitrary(
      fc
        .tuple(
          fc.uniqueArray(fc.stringMatching(/^gw-[0-9a-f]{1,2}$/), { minLength: 1, maxLength: 6 }),
          fc.integer({ min: 1, max: 5 }),
          fc.nat({ max: 5 }),
        )
        .chain(([ids, perUnit, units]) =>
          fc.tuple(
            ...ids.map((gatewayId) =>
              fc.integer({ min: 1, max: 20 }).map((size) => gateway(gatewayId, size * perUnit, size * units)),
            ),
          ),
        ),
    );
    const roughlyEvenFleet = anyFleet.filter((input) => {
      const mean = meanOf(input.gateways);
      return input.gateways.every(
        (candidate) =>
          Math.abs(candidate.connections - candidate.capacity * mean) <= candidate.capacity * mean * input.tolerance,
      );
    });
    fc.assert(
      fc.property(fc.oneof(evenFleet, roughlyEvenFleet), (input) => {
        const plan = planFleetRebalance(input);
        expect(plan.balancedBefore).toBe(true);
        expect(plan.moves).toEqual([]);
        expect(plan.batches).toEqual([]);
        expect(plan.explanation.summary).toMatch(/nothing to move/);
      }),
    );
  });

  it('should never exceed the batch size and pace batches at least a pause apart', () => {
    fc.assert(
      fc.property(anyFleet, (input) => {
        const plan = planFleetRebalance(input);
        plan.batches.forEach((batch, index) => {
          const size = batch.moves.reduce((sum, move) => sum + move.count, 0);
          expect(size).toBeGreaterThan(0);
          expect(size).toBeLessThanOrEqual(input.policy.batchSize);
          const previous = plan.batches[index - 1];
          if (previous) {
            const gap = batch.startOffsetMs - previous.startOffsetMs;
            expect(gap).toBeGreaterThanOrEqual(input.policy.pauseBetweenBatchesMs);
          }
        });
      }),
    );
  });

  it('should be deterministic and independent of the order gateways are listed in', () => {
    fc.assert(
      fc.property(anyFleet, (input) => {
        const plan = planFleetRebalance(input);
        expect(planFleetRebalance(input)).toEqual(plan);
        expect(planFleetRebalance({ ...input, gateways: [...input.gateways].reverse() })).toEqual(plan);
      }),
    );
  });

  it('should move sessions from the overloaded gateway to the idle ones, paced in batches', () => {
    const plan = planFleetRebalance({
      gateways: [gateway('gw-a', 1_000, 900), gateway('gw-b', 1_000, 300), gateway('gw-c', 1_000, 300)],
      tolerance: 0.1,
      policy: { ...DEFAULT_REBALANCE_POLICY, batchSize: 100 },
      jitterSeed: 3,
    });
    expect(plan.meanUtilisation).toBe(0.5);
    expect(plan.balancedBefore).toBe(false);
    expect(plan.balancedAfter).toBe(true);
    expect(plan.moves).toEqual([
      { fromGatewayId: 'gw-a', toGatewayId: 'gw-b', count: 175 },
      { fromGatewayId: 'gw-a', toGatewayId: 'gw-c', count: 175 },
    ]);
    // gw-a only has to come down to the top of its band (550); the rest is levelled over the receivers.
    expect(plan.explanation.gateways.map((explained) => explained.targetConnections)).toEqual([550, 475, 475]);
    const batchSizes = plan.batches.map((batch) => batch.moves.reduce((sum, move) => sum + move.count, 0));
    expect(batchSizes).toEqual([100, 100, 100, 50]);
    expect(plan.batches[0]?.moves).toEqual([
      { fromGatewayId: 'gw-a', toGatewayId: 'gw-b', count: 50 },
      { fromGatewayId: 'gw-a', toGatewayId: 'gw-c', count: 50 },
    ]);
    expect(plan.explanation.summary).toMatch(
      /^move 350 session\(s\) in 4 batch\(es\) .*every gateway ends within ±10%/,
    );
  });

  it('should get as close as headroom allows and say so when balance is impossible', () => {
    const plan = planFleetRebalance({
      gateways: [gateway('gw-a', 100, 100), gateway('gw-b', 100, 50)],
      tolerance: 0.05,
      policy: { ...DEFAULT_REBALANCE_POLICY, headroomFraction: 0.3 },
      jitterSeed: 3,
    });
    // Balance needs gw-b at ≥ 72 of 100, but 30 % headroom caps what it may receive at 70.
    expect(plan.balancedAfter).toBe(false);
    expect(plan.moves).toEqual([{ fromGatewayId: 'gw-a', toGatewayId: 'gw-b', count: 20 }]);
    expect(plan.explanation.summary).toMatch(/gw-a, gw-b stay outside/);
  });

  it('should refuse gateways without capacity and duplicate ids', () => {
    const policy = DEFAULT_REBALANCE_POLICY;
    const plan = (gateways: FleetGateway[]) => () =>
      planFleetRebalance({ gateways, tolerance: 0.1, policy, jitterSeed: 1 });
    expect(plan([gateway('gw-a', 0, 0)])).toThrow(/capacity/);
    expect(plan([gateway('gw-a', 1, 0), gateway('gw-a', 1, 0)])).toThrow(/unique/);
  });
});
