import { HEALTH_COMPONENTS, type HealthComponent, type HealthPolicy } from '../policy/health-policy.js';
import { adaptThreshold, type EffectiveThreshold } from './adaptive-threshold.js';
import type { EwmaBaseline } from './ewma-baseline.js';
import { measureVitals, type HealthMetrics, type HealthVitals } from './health-metrics.js';
import { linearPenalty } from './penalty.js';

/** One line of a score's explanation. */
export interface HealthComponentScore {
  readonly component: HealthComponent;
  /** The measured value; null when the window held no evidence (costs nothing). */
  readonly value: number | null;
  /** Thresholds actually applied, after adapting to the gateway's baseline. */
  readonly warnAt: number;
  readonly criticalAt: number;
  readonly adapted: boolean;
  /** 0 (fine) .. 1 (critical). */
  readonly penalty: number;
  readonly weight: number;
  /** Points this component took off the 100. */
  readonly deduction: number;
}

export interface HealthAssessment {
  /** 0..100, 100 = healthy. */
  readonly score: number;
  readonly components: readonly HealthComponentScore[];
  /** The window's metrics, ready for {@link updateBaseline}. */
  readonly metrics: HealthMetrics;
}

/**
 * Scores a gateway's vitals against the policy, with thresholds adapted to the gateway's
 * own baseline, and says how much each component cost.
 */
export const scoreHealth = (vitals: HealthVitals, baseline: EwmaBaseline, policy: HealthPolicy): HealthAssessment => {
  const metrics = measureVitals(vitals);
  const values = componentValues(metrics, baseline, policy, vitals.rttLevel);
  // A component this scorer does not measure at all is left out, so it dilutes nothing; a policy
  // recorded before a component existed (a replayed workflow's) has no weight for it either.
  const weightOf = (c: HealthComponent): number => (isMeasured(c, vitals) ? (policy.weights[c] ?? 0) : 0);
  const totalWeight = HEALTH_COMPONENTS.reduce((sum, c) => sum + weightOf(c), 0);
  const components = HEALTH_COMPONENTS.map((component): HealthComponentScore => {
    const threshold = effectiveThreshold(component, baseline, policy);
    const value = threshold ? values[component] : null;
    const penalty = value === null || !threshold ? 0 : linearPenalty(value, threshold.warn, threshold.critical);
    const weight = weightOf(component);
    const deduction = totalWeight > 0 ? (100 * weight * penalty) / totalWeight : 0;
    return { component, value, warnAt: threshold?.warn ?? 0, criticalAt: threshold?.critical ?? 0, adapted: threshold?.adapted ?? false, penalty, weight, deduction };
  });
  const score = 100 - components.reduce((sum, c) => sum + c.deduction, 0);
  return { score: Math.min(100, Math.max(0, score)), components, metrics };
};

/**
 * Availability is measured only where something pings the gateway over a window (the detector);
 * the sweep and a run's evidence do not, and their scores must not be diluted by it. (NaN, by
 * contrast, means measured but without evidence this window: it costs nothing yet still counts.)
 */
const isMeasured = (component: HealthComponent, vitals: HealthVitals): boolean =>
  component !== 'unavailability' || vitals.unavailableFraction !== undefined;

/**
 * RTT level is judged relative to the gateway's own learned RTT, once there is one: the
 * scorer's baseline, or a level measured against the detector's (`measuredLevel`).
 */
const componentValues = (
  metrics: HealthMetrics,
  baseline: EwmaBaseline,
  policy: HealthPolicy,
  measuredLevel: number | undefined,
): Record<HealthComponent, number | null> => {
  const rttBaseline = baseline.rttMeanMs;
  const knowsRtt = rttBaseline.count >= policy.adaptation.minSamples && rttBaseline.mean > 0;
  const ownLevel = metrics.rttMeanMs !== null && knowsRtt ? metrics.rttMeanMs / rttBaseline.mean : null;
  const given = measuredLevel !== undefined && Number.isFinite(measuredLevel) && measuredLevel >= 0 ? measuredLevel : null;
  return {
    rttJitter: metrics.rttJitter,
    rttLevel: ownLevel ?? given,
    finRst: metrics.finRst,
    synRetransmit: metrics.synRetransmit,
    writeBlocked: metrics.writeBlocked,
    heartbeatMisses: metrics.heartbeatMisses,
    unavailability: metrics.unavailability,
  };
};

const effectiveThreshold = (component: HealthComponent, baseline: EwmaBaseline, policy: HealthPolicy): EffectiveThreshold | undefined => {
  const threshold = policy.thresholds[component] as HealthPolicy['thresholds'][HealthComponent] | undefined;
  if (!threshold) return undefined;
  // rttLevel is already relative to the baseline, and a missed heartbeat or a stall is never normal.
  if (component === 'rttLevel' || component === 'heartbeatMisses' || component === 'unavailability') return { ...threshold, adapted: false };
  return adaptThreshold(threshold, baseline[component], policy.adaptation);
};
