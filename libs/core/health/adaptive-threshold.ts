import type { BaselineAdaptation, HealthThreshold } from '../policy/health-policy.js';
import type { EwmaStat } from './ewma-baseline.js';

export interface EffectiveThreshold {
  readonly warn: number;
  readonly critical: number;
  /** True when the gateway's baseline moved the threshold away from the policy's. */
  readonly adapted: boolean;
}

/**
 * Raises a threshold to `mean + sigmas·stddev` of the gateway's own baseline, so its usual
 * noise costs nothing, but never above `warn·maxFactor`. The warn-to-critical span is kept,
 * so real deterioration is penalised as steeply as on a quiet gateway.
 */
export const adaptThreshold = (
  threshold: HealthThreshold,
  stat: EwmaStat,
  adaptation: BaselineAdaptation,
): EffectiveThreshold => {
  if (stat.count < adaptation.minSamples || threshold.warn <= 0) return { ...threshold, adapted: false };
  const learned = stat.mean + adaptation.sigmas * Math.sqrt(Math.max(stat.variance, 0));
  const warn = Math.min(Math.max(threshold.warn, learned), threshold.warn * adaptation.maxFactor);
  if (warn === threshold.warn) return { ...threshold, adapted: false };
  return { warn, critical: threshold.critical + (warn - threshold.warn), adapted: true };
};
