export { apportion } from './apportion.js';
export { batchTimings, type BatchTiming } from './pacing.js';
export { freeAfterHeadroom, limitAfterHeadroom } from './headroom.js';
export { type FleetMove } from './pair-moves.js';
export {
  planFleetRebalance,
  type FleetGateway,
  type FleetGatewayExplanation,
  type FleetRebalanceBatch,
  type FleetRebalanceInput,
  type FleetRebalancePlan,
  type FleetRebalancePolicy,
  type FleetRole,
} from './plan-fleet-rebalance.js';
export {
  planRebalance,
  type RebalanceBatch,
  type RebalanceExplanation,
  type RebalanceInput,
  type RebalancePlan,
  type SessionAssignment,
  type TargetExplanation,
  type UnplacedReason,
  type UnplacedSession,
} from './plan-rebalance.js';
export {
  DEFAULT_REBALANCE_POLICY,
  assertValidRebalancePolicy,
  type HeadroomPolicy,
  type PacingPolicy,
  type RebalancePolicy,
} from './policy.js';
export { type RebalanceTarget, type TargetExclusion } from './target-eligibility.js';
export { type ConnectionBand, isWithinTolerance, meanUtilisation, toleranceBand } from './tolerance.js';
export { InvalidRebalanceInputError } from './validation.js';
