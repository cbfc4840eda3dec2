import type { RttLevel } from '../fleet/rtt-level.js';
import type { Policy } from '../policy/policy-schema.js';
import type { HealthWatchState } from './health-watch.js';

/**
 * The RTT level a detector publishes for the scorers without history: its latest window's
 * mean against the baseline it learned. Nothing until the baseline has as many windows as
 * the policy requires before thresholds adapt — the same bar the detector's own score uses.
 */
export const rttLevelOf = (
  ids: { readonly gatewayId: string; readonly detectorId: string },
  state: HealthWatchState,
  policy: Policy,
  atMs: number,
): RttLevel | undefined => {
  const baseline = state.baseline.rttMeanMs;
  const windowMeanMs = state.health?.metrics.rttMeanMs ?? null;
  if (baseline.count < policy.health.adaptation.minSamples || !(baseline.mean > 0) || windowMeanMs === null) return undefined;
  return {
    ...ids,
    at: Math.round(atMs),
    baselineMs: baseline.mean,
    baselineSamples: baseline.count,
    windowMeanMs,
    level: windowMeanMs / baseline.mean,
  };
};
