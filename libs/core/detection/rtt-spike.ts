import type { EwmaStat } from '../health/ewma-baseline.js';
import type { HealthPolicy } from '../policy/health-policy.js';

/** How much recent history a spike is judged on, in time, whatever the ping interval. */
export const RTT_WINDOW_MS = 1_000;

/** Pings per judging window: a second of them, and never so few that one sample decides. */
export const rttWindowSize = (pingIntervalMs: number): number => Math.max(5, Math.round(RTT_WINDOW_MS / pingIntervalMs));

export const median = (values: readonly number[]): number | null => {
  if (values.length === 0) return null;
  const sorted = [...values].sort((a, b) => a - b);
  const middle = Math.floor(sorted.length / 2);
  return sorted.length % 2 === 1 ? (sorted[middle] as number) : ((sorted[middle - 1] as number) + (sorted[middle] as number)) / 2;
};

export interface RttSpikeJudgement {
  readonly spike: boolean;
  /** Median of the window; a single GC pause does not move it, a real slowdown does. */
  readonly medianMs: number | null;
  /** What the median was held against; null while the gateway's baseline is still being learned. */
  readonly thresholdMs: number | null;
  readonly baselineMs: number | null;
}

/**
 * A round-trip spike is the window's median above every one of: the baseline times the
 * policy's `rttLevel.warn`, the baseline plus `adaptation.sigmas` standard deviations (so
 * a naturally jittery gateway earns room), and the baseline plus `floorMs` (on loopback a
 * 0.3 ms baseline doubles from scheduling noise alone, which no client would notice).
 */
export const judgeRttSpike = (
  windowMs: readonly number[],
  baseline: EwmaStat,
  policy: HealthPolicy,
  floorMs: number,
): RttSpikeJudgement => {
  const medianMs = median(windowMs);
  if (baseline.count < policy.adaptation.minSamples || medianMs === null) {
    return { spike: false, medianMs, thresholdMs: null, baselineMs: baseline.count > 0 ? baseline.mean : null };
  }
  const sd = Math.sqrt(Math.max(baseline.variance, 0));
  const thresholdMs = Math.max(
    baseline.mean * policy.thresholds.rttLevel.warn,
    baseline.mean + policy.adaptation.sigmas * sd,
    baseline.mean + floorMs,
  );
  return { spike: medianMs > thresholdMs, medianMs, thresholdMs, baselineMs: baseline.mean };
};
