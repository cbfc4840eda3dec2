import { freeAfterHeadroom, limitAfterHeadroom } from './headroom.js';
import type { RebalancePolicy } from './policy.js';
import { requireFinite, requireWholeNumber } from './validation.js';

/** A gateway that could receive sessions, as the fleet registry and vitals describe it. */
export interface RebalanceTarget {
  readonly gatewayId: string;
  readonly capacity: number;
  readonly connections: number;
  readonly zone: string;
  /** 0–100, from the health scorer. */
  readonly healthScore: number;
}

export type TargetExclusion = 'is-source' | 'duplicate-target' | 'unhealthy' | 'no-free-capacity';

/** One line of a plan's explanation: what the planner saw about a target and what it did with it. */
export interface TargetAssessment {
  readonly gatewayId: string;
  readonly zone: string;
  readonly healthScore: number;
  readonly capacity: number;
  readonly connections: number;
  readonly limitAfterHeadroom: number;
  readonly freeAfterHeadroom: number;
  readonly excludedBecause?: TargetExclusion;
}

function assertValidTarget(target: RebalanceTarget, position: number): void {
  requireWholeNumber(`targets[${position}].capacity`, target.capacity);
  requireWholeNumber(`targets[${position}].connections`, target.connections);
  requireFinite(`targets[${position}].healthScore`, target.healthScore);
}

function exclusionOf(
  target: RebalanceTarget,
  free: number,
  seen: ReadonlySet<string>,
  sourceGatewayId: string | undefined,
  policy: RebalancePolicy,
): TargetExclusion | undefined {
  if (target.gatewayId === sourceGatewayId) return 'is-source';
  if (seen.has(target.gatewayId)) return 'duplicate-target';
  if (target.healthScore < policy.minTargetHealthScore) return 'unhealthy';
  if (free === 0) return 'no-free-capacity';
  return undefined;
}

/** Decides, for every candidate in input order, whether it may receive sessions and how many. */
export function assessTargets(
  targets: readonly RebalanceTarget[],
  sourceGatewayId: string | undefined,
  policy: RebalancePolicy,
): TargetAssessment[] {
  const seen = new Set<string>();
  return targets.map((target, position) => {
    assertValidTarget(target, position);
    const free = freeAfterHeadroom(target.capacity, target.connections, policy.headroomFraction);
    const excludedBecause = exclusionOf(target, free, seen, sourceGatewayId, policy);
    seen.add(target.gatewayId);
    return {
      gatewayId: target.gatewayId,
      zone: target.zone,
      healthScore: target.healthScore,
      capacity: target.capacity,
      connections: target.connections,
      limitAfterHeadroom: limitAfterHeadroom(target.capacity, policy.headroomFraction),
      freeAfterHeadroom: free,
      ...(excludedBecause ? { excludedBecause } : {}),
    };
  });
}
