import { apportion } from './apportion.js';
import { chunk } from './chunk.js';
import { interleave } from './interleave.js';
import { defined } from './invariant.js';
import { batchTimings, type BatchTiming } from './pacing.js';
import { assertValidRebalancePolicy, type RebalancePolicy } from './policy.js';
import { assessTargets, type RebalanceTarget, type TargetAssessment } from './target-eligibility.js';

export interface RebalanceInput {
  /** The gateway being emptied; it is never chosen as a target even if listed. */
  readonly sourceGatewayId?: string;
  readonly sessionIds: readonly string[];
  readonly targets: readonly RebalanceTarget[];
  readonly policy: RebalancePolicy;
  /** Seeds the jitter; the same input always yields the same plan. */
  readonly jitterSeed: number;
}

export interface SessionAssignment {
  readonly sessionId: string;
  readonly targetGatewayId: string;
}

export interface RebalanceBatch extends BatchTiming {
  readonly index: number;
  readonly assignments: readonly SessionAssignment[];
}

export type UnplacedReason = 'duplicate-session' | 'no-eligible-target' | 'insufficient-capacity';

export interface UnplacedSession {
  readonly sessionId: string;
  readonly reason: UnplacedReason;
}

export interface TargetExplanation extends TargetAssessment {
  readonly assigned: number;
}

export interface RebalanceExplanation {
  readonly sessionsRequested: number;
  readonly sessionsPlaced: number;
  readonly totalFreeAfterHeadroom: number;
  readonly targets: readonly TargetExplanation[];
  readonly summary: string;
}

export interface RebalancePlan {
  readonly batches: readonly RebalanceBatch[];
  /** Every session not in a batch is here, with the reason: nothing is dropped silently. */
  readonly unplaced: readonly UnplacedSession[];
  readonly explanation: RebalanceExplanation;
}

function splitDuplicates(sessionIds: readonly string[]): { unique: string[]; duplicates: UnplacedSession[] } {
  const seen = new Set<string>();
  const unique: string[] = [];
  const duplicates: UnplacedSession[] = [];
  for (const sessionId of sessionIds) {
    if (seen.has(sessionId)) duplicates.push({ sessionId, reason: 'duplicate-session' });
    else unique.push(sessionId);
    seen.add(sessionId);
  }
  return { unique, duplicates };
}

/**
 * Roomiest targets first, then healthiest, then by id: this order decides who gets the odd
 * session when shares do not divide evenly, and it makes the plan independent of input order.
 */
function byPreference(a: TargetAssessment, b: TargetAssessment): number {
  if (a.freeAfterHeadroom !== b.freeAfterHeadroom) return b.freeAfterHeadroom - a.freeAfterHeadroom;
  if (a.healthScore !== b.healthScore) return b.healthScore - a.healthScore;
  return a.gatewayId < b.gatewayId ? -1 : a.gatewayId > b.gatewayId ? 1 : 0;
}

function summarise(
  requested: number,
  placed: number,
  targetsUsed: number,
  batches: number,
  unplaced: readonly UnplacedSession[],
): string {
  const head = `placed ${placed} of ${requested} sessions on ${targetsUsed} target(s) in ${batches} batch(es)`;
  if (unplaced.length === 0) return head;
  const reasons = [...new Set(unplaced.map(({ reason }) => reason))].join(', ');
  return `${head}; ${unplaced.length} unplaced (${reasons})`;
}

/** Shares proportional to free room, interleaved so consecutive sessions go to different targets. */
function assignSessions(
  sessionIds: readonly string[],
  eligible: readonly TargetAssessment[],
): { assignments: SessionAssignment[]; shares: number[] } {
  const totalFree = eligible.reduce((sum, target) => sum + target.freeAfterHeadroom, 0);
  const placeable = Math.min(sessionIds.length, totalFree);
  const shares = apportion(placeable, eligible.map((target) => target.freeAfterHeadroom));
  const assignments = interleave(shares).map((targetIndex, position) => ({
    sessionId: defined(sessionIds[position], 'one session per interleaved slot'),
    targetGatewayId: defined(eligible[targetIndex], 'interleave yields eligible indices').gatewayId,
  }));
  return { assignments, shares };
}

function pacedBatches(
  assignments: readonly SessionAssignment[],
  policy: RebalancePolicy,
  jitterSeed: number,
): RebalanceBatch[] {
  const chunks = chunk(assignments, policy.batchSize);
  const timings = batchTimings(chunks.length, policy, jitterSeed);
  return chunks.map((batchAssignments, index) => ({
    index,
    ...defined(timings[index], 'one timing per batch'),
    assignments: batchAssignments,
  }));
}

/**
 * Plans moving sessions off one gateway: each eligible target gets a share proportional to
 * its free capacity after headroom (never more than that free capacity), assignments are
 * interleaved so every batch spreads over all targets, and batches are paced with jitter.
 */
export function planRebalance(input: RebalanceInput): RebalancePlan {
  assertValidRebalancePolicy(input.policy);
  const assessments = assessTargets(input.targets, input.sourceGatewayId, input.policy);
  const eligible = assessments.filter((target) => target.excludedBecause === undefined).sort(byPreference);
  const { unique, duplicates } = splitDuplicates(input.sessionIds);
  const { assignments, shares } = assignSessions(unique, eligible);

  const overflowReason: UnplacedReason = eligible.length === 0 ? 'no-eligible-target' : 'insufficient-capacity';
  const unplaced = [
    ...unique.slice(assignments.length).map((sessionId) => ({ sessionId, reason: overflowReason })),
    ...duplicates,
  ];
  const batches = pacedBatches(assignments, input.policy, input.jitterSeed);

  const assignedTo = new Map(eligible.map((target, index) => [target.gatewayId, shares[index] ?? 0]));
  const targets = assessments.map((target) => ({
    ...target,
    assigned: target.excludedBecause ? 0 : (assignedTo.get(target.gatewayId) ?? 0),
  }));
  const targetsUsed = shares.filter((share) => share > 0).length;
  return {
    batches,
    unplaced,
    explanation: {
      sessionsRequested: input.sessionIds.length,
      sessionsPlaced: assignments.length,
      totalFreeAfterHeadroom: eligible.reduce((sum, target) => sum + target.freeAfterHeadroom, 0),
      targets,
      summary: summarise(input.sessionIds.length, assignments.length, targetsUsed, batches.length, unplaced),
    },
  };
}
