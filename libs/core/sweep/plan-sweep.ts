import { actionSeverity, mostSevereAction } from '../decision/actions.js';
import { remediationWorkflowId } from '../ids/workflow-ids.js';
import { type GatewayAssessment, SKIP_REASONS, type ScoredGateway, type SkipReason, assessGateway, isUnhealthy } from './assess-gateway.js';
import type { FleetSnapshot } from './fleet-snapshot.js';
import { sweepReason } from './sweep-reason.js';
import type { SweepRemediationOutcome } from './sweep-report.js';
import { type SweepSettings, staleAfterMs } from './sweep-settings.js';

/** An unhealthy gateway and what the sweep intends to do about it. */
export interface SweepCandidate {
  readonly gateway: ScoredGateway;
  readonly reason: string;
  readonly workflowId: string;
  /** `remediate` becomes `started` or `joined` once the workflow has tried. */
  readonly intent: 'remediate' | Extract<SweepRemediationOutcome, 'deferred' | 'shadow'>;
}

export interface SweepPlan {
  readonly scanned: number;
  readonly healthy: number;
  readonly skipped: Readonly<Record<SkipReason, number>>;
  /** Most severe first. */
  readonly candidates: readonly SweepCandidate[];
}

/**
 * Judges every gateway of a snapshot and decides which remediations to start. Pure and
 * ordered (most severe verdict, then lowest score, then id), so a workflow replays it
 * identically. At most the policy's `rateLimit.maxRemediations` start per sweep: a sweep
 * that finds half the fleet sick must not launch half the fleet's remediations at once;
 * the rest are deferred to the next sweep. In shadow mode nothing starts.
 */
export const planSweep = (snapshot: FleetSnapshot, settings: SweepSettings): SweepPlan => {
  const { policy } = snapshot;
  const assessments = snapshot.gateways.map((g) => assessGateway(g, policy, settings, snapshot.readAt));
  const unhealthy = assessments.filter(isUnhealthy).sort(bySeverity);
  const limit = policy.guardrails.rateLimit.maxRemediations;
  const candidates = unhealthy.map((gateway, index): SweepCandidate => ({
    gateway,
    reason: sweepReason(gateway, policy.version, staleAfterMs(settings)),
    workflowId: remediationWorkflowId(gateway.gatewayId),
    intent: policy.mode === 'shadow' ? 'shadow' : index < limit ? 'remediate' : 'deferred',
  }));
  return {
    scanned: assessments.length,
    healthy: assessments.filter((a) => a.kind === 'scored' && !isUnhealthy(a)).length,
    skipped: countSkipped(assessments),
    candidates,
  };
};

const bySeverity = (a: ScoredGateway, b: ScoredGateway): number =>
  actionSeverity(mostSevereAction(b.verdict.actions)) - actionSeverity(mostSevereAction(a.verdict.actions)) ||
  a.score - b.score ||
  (a.gatewayId < b.gatewayId ? -1 : a.gatewayId > b.gatewayId ? 1 : 0);

const countSkipped = (assessments: readonly GatewayAssessment[]): Record<SkipReason, number> => {
  const counts = Object.fromEntries(SKIP_REASONS.map((why) => [why, 0])) as Record<SkipReason, number>;
  for (const a of assessments) if (a.kind === 'skipped') counts[a.why] += 1;
  return counts;
};
