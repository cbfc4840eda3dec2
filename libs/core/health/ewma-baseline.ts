import type { HealthMetrics } from './health-metrics.js';

/**
 * Metrics whose normal level differs from gateway to gateway. Heartbeat misses are absent
 * on purpose: a miss is never normal, whatever the gateway's history.
 */
export const BASELINE_METRICS = ['rttMeanMs', 'rttJitter', 'finRst', 'synRetransmit', 'writeBlocked'] as const;

export type BaselineMetric = (typeof BASELINE_METRICS)[number];

/** Exponentially weighted mean and variance of one metric. */
export interface EwmaStat {
  readonly count: number;
  readonly mean: number;
  readonly variance: number;
}

/** A gateway's own normal, learned from its history; a value object, never mutated. */
export type EwmaBaseline = Readonly<Record<BaselineMetric, EwmaStat>>;

const EMPTY_STAT: EwmaStat = Object.freeze({ count: 0, mean: 0, variance: 0 });

export const EMPTY_BASELINE: EwmaBaseline = Object.freeze({
  rttMeanMs: EMPTY_STAT,
  rttJitter: EMPTY_STAT,
  finRst: EMPTY_STAT,
  synRetransmit: EMPTY_STAT,
  writeBlocked: EMPTY_STAT,
});

/** Incremental EWMA of mean and variance (Finch 2009), so no sample history is kept. */
export const updateEwmaStat = (stat: EwmaStat, x: number, alpha: number): EwmaStat => {
  if (stat.count === 0) return { count: 1, mean: x, variance: 0 };
  const diff = x - stat.mean;
  const increment = alpha * diff;
  return {
    count: stat.count + 1,
    mean: stat.mean + increment,
    variance: (1 - alpha) * (stat.variance + diff * increment),
  };
};

/**
 * Folds one window's metrics into the baseline; metrics without evidence leave their stat
 * alone. Feed it while the gateway is healthy, so an incident is not learned as normal.
 */
export const updateBaseline = (baseline: EwmaBaseline, sample: HealthMetrics, alpha: number): EwmaBaseline => {
  if (!(alpha > 0 && alpha <= 1)) throw new RangeError(`alpha must be in (0, 1], got ${alpha}`);
  const next = { ...baseline };
  for (const metric of BASELINE_METRICS) {
    const x = sample[metric];
    if (x !== null) next[metric] = updateEwmaStat(baseline[metric], x, alpha);
  }
  return next;
};
