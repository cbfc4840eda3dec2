import { requireFinite, requireFraction, requireWholeNumber } from './validation.js';

/** How moves are spread over time so targets never face a reconnect storm. */
export interface PacingPolicy {
  /** Most sessions moved in one batch. */
  readonly batchSize: number;
  /** Least time between the starts of two consecutive batches. */
  readonly pauseBetweenBatchesMs: number;
  /** Each pause is lengthened by up to this fraction of itself, so parallel plans do not align. */
  readonly jitterFraction: number;
}

export interface HeadroomPolicy {
  /** Fraction of every target's capacity kept free, for bursts and for the next failure. */
  readonly headroomFraction: number;
}

export interface RebalancePolicy extends PacingPolicy, HeadroomPolicy {
  /** Targets scoring below this (0–100) are sick themselves and receive nothing. */
  readonly minTargetHealthScore: number;
}

export const DEFAULT_REBALANCE_POLICY: RebalancePolicy = {
  headroomFraction: 0.1,
  batchSize: 50,
  pauseBetweenBatchesMs: 250,
  jitterFraction: 0.2,
  minTargetHealthScore: 50,
};

export function assertValidPacingPolicy(policy: PacingPolicy): void {
  requireWholeNumber('batchSize', policy.batchSize, 1);
  requireWholeNumber('pauseBetweenBatchesMs', policy.pauseBetweenBatchesMs);
  requireFraction('jitterFraction', policy.jitterFraction, 'up-to-one');
}

export function assertValidHeadroomPolicy(policy: HeadroomPolicy): void {
  requireFraction('headroomFraction', policy.headroomFraction, 'below-one');
}

export function assertValidRebalancePolicy(policy: RebalancePolicy): void {
  assertValidPacingPolicy(policy);
  assertValidHeadroomPolicy(policy);
  requireFinite('minTargetHealthScore', policy.minTargetHealthScore);
}
