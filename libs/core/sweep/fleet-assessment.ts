import type { PolicyMode } from '../policy/policy-schema.js';
import type { FleetSnapshot, UnreadableRecord } from './fleet-snapshot.js';
import { type SweepCandidate, type SweepPlan, planSweep } from './plan-sweep.js';
import type { SweepSettings } from './sweep-settings.js';

/**
 * How many of each kind of entry a sweep's assessment lists by name. Everything else is
 * counted, never listed, so the activity result (and the workflow history) stays the same
 * size whatever the fleet's size: Temporal warns above 512 KB per payload and refuses 2 MB.
 */
export interface AssessmentLimits {
  /** Unhealthy gateways that are not remediated this sweep (deferred, shadow), listed by name. */
  readonly listedUnremediated: number;
  readonly listedUnreadable: number;
}

export const DEFAULT_ASSESSMENT_LIMITS: AssessmentLimits = Object.freeze({ listedUnremediated: 50, listedUnreadable: 20 });

/** What a sweep decided, judged where the fleet was read (in the activity): bounded, not the fleet. */
export interface FleetAssessment {
  readonly readAt: number;
  readonly policy: { readonly name: string; readonly version: number; readonly mode: PolicyMode };
  readonly scanned: number;
  readonly healthy: number;
  readonly skipped: SweepPlan['skipped'];
  /** Every candidate to remediate (at most the policy's per-sweep cap), then the first unremediated ones, most severe first. */
  readonly candidates: readonly SweepCandidate[];
  /** Unhealthy gateways left unnamed beyond `listedUnremediated`. */
  readonly unlisted: { readonly deferred: number; readonly shadow: number };
  readonly unreadable: readonly UnreadableRecord[];
  readonly unreadableTotal: number;
}

/**
 * Plans the sweep (the same pure `planSweep` the workflow used to run) and keeps only a
 * bounded account of it. The remediations to start are all kept: their number is capped
 * by the policy's `rateLimit.maxRemediations`, not by the fleet.
 */
export const assessFleet = (snapshot: FleetSnapshot, settings: SweepSettings, limits: AssessmentLimits = DEFAULT_ASSESSMENT_LIMITS): FleetAssessment => {
  const plan = planSweep(snapshot, settings);
  const remediate = plan.candidates.filter((c) => c.intent === 'remediate');
  const others = plan.candidates.filter((c) => c.intent !== 'remediate');
  const listed = others.slice(0, limits.listedUnremediated);
  const unlisted = others.slice(limits.listedUnremediated);
  const { name, version, mode } = snapshot.policy;
  return {
    readAt: snapshot.readAt,
    policy: { name, version, mode },
    scanned: plan.scanned,
    healthy: plan.healthy,
    skipped: plan.skipped,
    candidates: [...remediate, ...listed],
    unlisted: { deferred: unlisted.filter((c) => c.intent === 'deferred').length, shadow: unlisted.filter((c) => c.intent === 'shadow').length },
    unreadable: snapshot.unreadable.slice(0, limits.listedUnreadable),
    unreadableTotal: snapshot.unreadable.length,
  };
};
