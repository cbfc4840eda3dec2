import { batchMoves } from './batch-moves.js';
import { fleetTargets } from './fleet-targets.js';
import { limitAfterHeadroom } from './headroom.js';
import { defined } from './invariant.js';
import { batchTimings, type BatchTiming } from './pacing.js';
import { pairMoves, type FleetMove, type GatewayShift } from './pair-moves.js';
import {
  assertValidHeadroomPolicy,
  assertValidPacingPolicy,
  type HeadroomPolicy,
  type PacingPolicy,
} from './policy.js';
import { type ConnectionBand, isWithinTolerance, meanUtilisation } from './tolerance.js';
import { InvalidRebalanceInputError, requireFraction, requireWholeNumber } from './validation.js';

/** A serving gateway as the fleet registry and vitals describe it. */
export interface FleetGateway {
  readonly gatewayId: string;
  readonly zone: string;
  readonly capacity: number;
  readonly connections: number;
}

export type FleetRebalancePolicy = PacingPolicy & HeadroomPolicy;

export interface FleetRebalanceInput {
  readonly gateways: readonly FleetGateway[];
  /** Relative to the mean utilisation: 0.1 keeps every gateway within ±10 % of it. */
  readonly tolerance: number;
  readonly policy: FleetRebalancePolicy;
  readonly jitterSeed: number;
}

export interface FleetRebalanceBatch extends BatchTiming {
  readonly index: number;
  readonly moves: readonly FleetMove[];
}

export type FleetRole = 'donor' | 'receiver' | 'steady';

export interface FleetGatewayExplanation {
  readonly gatewayId: string;
  readonly zone: string;
  readonly capacity: number;
  readonly connections: number;
  readonly utilisation: number;
  readonly band: ConnectionBand;
  readonly limitAfterHeadroom: number;
  readonly targetConnections: number;
  readonly targetUtilisation: number;
  readonly role: FleetRole;
  readonly withinToleranceAfter: boolean;
}

export interface FleetRebalancePlan {
  readonly meanUtilisation: number;
  readonly tolerance: number;
  readonly balancedBefore: boolean;
  /** False only when capacity within headroom, or whole sessions, cannot bring every gateway into tolerance. */
  readonly balancedAfter: boolean;
  readonly sessionsToMove: number;
  /** Totals per donor → receiver pair; the batches split these over time. */
  readonly moves: readonly FleetMove[];
  readonly batches: readonly FleetRebalanceBatch[];
  readonly explanation: { readonly gateways: readonly FleetGatewayExplanation[]; readonly summary: string };
}

function assertValidFleet(gateways: readonly FleetGateway[]): void {
  const seen = new Set<string>();
  gateways.forEach((gateway, position) => {
    requireWholeNumber(`gateways[${position}].capacity`, gateway.capacity, 1);
    requireWholeNumber(`gateways[${position}].connections`, gateway.connections);
    if (seen.has(gateway.gatewayId)) {
      throw new InvalidRebalanceInputError(`gateways[${position}].gatewayId`, 'unique', gateway.gatewayId);
    }
    seen.add(gateway.gatewayId);
  });
}

// Sorted by id so that the plan depends on the fleet, not on the order a registry listed it in.
const byGatewayId = (a: FleetGateway, b: FleetGateway): number =>
  a.gatewayId < b.gatewayId ? -1 : a.gatewayId > b.gatewayId ? 1 : 0;

const roleOf = (connections: number, target: number): FleetRole =>
  target < connections ? 'donor' : target > connections ? 'receiver' : 'steady';

function explainGateways(
  shifts: readonly (FleetGateway & GatewayShift)[],
  bands: readonly ConnectionBand[],
  mean: number,
  input: FleetRebalanceInput,
): FleetGatewayExplanation[] {
  return shifts.map((shift, index) => ({
    gatewayId: shift.gatewayId,
    zone: shift.zone,
    capacity: shift.capacity,
    connections: shift.connections,
    utilisation: shift.connections / shift.capacity,
    band: defined(bands[index], 'a band per gateway'),
    limitAfterHeadroom: limitAfterHeadroom(shift.capacity, input.policy.headroomFraction),
    targetConnections: shift.targetConnections,
    targetUtilisation: shift.targetConnections / shift.capacity,
    role: roleOf(shift.connections, shift.targetConnections),
    withinToleranceAfter: isWithinTolerance(shift.targetConnections, shift.capacity, mean, input.tolerance),
  }));
}

function summarise(
  plan: Omit<FleetRebalancePlan, 'explanation'>,
  gateways: readonly FleetGatewayExplanation[],
): string {
  const band = `±${Math.round(plan.tolerance * 100)}% of mean utilisation ${plan.meanUtilisation.toFixed(3)}`;
  if (plan.balancedBefore) return `fleet already within ${band}: nothing to move`;
  const moves = plan.moves.map((move) => `${move.fromGatewayId}→${move.toGatewayId} ${move.count}`).join(', ');
  const head = `move ${plan.sessionsToMove} session(s) in ${plan.batches.length} batch(es) (${moves || 'none'})`;
  if (plan.balancedAfter) return `${head}; every gateway ends within ${band}`;
  const outside = gateways.filter((gateway) => !gateway.withinToleranceAfter).map((gateway) => gateway.gatewayId);
  const why = 'not enough capacity within headroom, or no whole number of sessions fits the band';
  return `${head}; ${outside.join(', ')} stay outside ${band}: ${why}`;
}

/**
 * Plans moves from over-loaded to under-loaded gateways so every gateway ends within
 * `tolerance` of the mean utilisation, moving as few sessions as possible and none at all
 * when the fleet is already within tolerance. Receivers are never filled beyond capacity
 * minus headroom; when that makes balance impossible the plan gets as close as it can and
 * says so (`balancedAfter: false`).
 */
export function planFleetRebalance(input: FleetRebalanceInput): FleetRebalancePlan {
  assertValidPacingPolicy(input.policy);
  assertValidHeadroomPolicy(input.policy);
  requireFraction('tolerance', input.tolerance, 'up-to-one');
  assertValidFleet(input.gateways);

  const gateways = [...input.gateways].sort(byGatewayId);
  const mean = meanUtilisation(gateways);
  const { targetConnections, bands } = fleetTargets(gateways, mean, input.tolerance, input.policy.headroomFraction);
  const shifts = gateways.map((gateway, index) => ({
    ...gateway,
    targetConnections: defined(targetConnections[index], 'a target per gateway'),
  }));

  const moves = pairMoves(shifts);
  const movesByBatch = batchMoves(moves, input.policy.batchSize);
  const timings = batchTimings(movesByBatch.length, input.policy, input.jitterSeed);
  const batches = movesByBatch.map((batch, index) => ({
    index,
    ...defined(timings[index], 'one timing per batch'),
    moves: batch,
  }));

  const explained = explainGateways(shifts, bands, mean, input);
  const plan = {
    meanUtilisation: mean,
    tolerance: input.tolerance,
    balancedBefore: gateways.every((gateway) =>
      isWithinTolerance(gateway.connections, gateway.capacity, mean, input.tolerance),
    ),
    balancedAfter: explained.every((gateway) => gateway.withinToleranceAfter),
    sessionsToMove: moves.reduce((sum, move) => sum + move.count, 0),
    moves,
    batches,
  };
  return { ...plan, explanation: { gateways: explained, summary: summarise(plan, explained) } };
}
