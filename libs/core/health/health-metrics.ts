import { coefficientOfVariation, mean } from './rtt-stats.js';

/** What a gateway reported over the last window, as the health score consumes it. */
export interface HealthVitals {
  /** Ping/pong round trips of the window, in ms. */
  readonly rttSamplesMs: readonly number[];
  readonly finRstPerSec: number;
  readonly synRetransmitPerSec: number;
  /** Fraction of the window the gateway spent write-blocked, 0..1. */
  readonly writeBlockedRatio: number;
  /** Consecutive pongs missed up to now. */
  readonly heartbeatMisses: number;
  /**
   * The RTT level measured elsewhere — the detector's window against its learned baseline
   * (`/homeostat/rtt-levels`) — for scorers without a baseline of their own (the workflow,
   * the sweep). When absent, the level comes from these samples against the scorer's baseline.
   */
  readonly rttLevel?: number;
  /** Share of the detector's availability window spent stalled, 0..1; absent where nobody pings. */
  readonly unavailableFraction?: number;
}

/** Vitals reduced to one number each; null means no usable evidence this window. */
export interface HealthMetrics {
  readonly rttMeanMs: number | null;
  readonly rttJitter: number | null;
  readonly finRst: number | null;
  readonly synRetransmit: number | null;
  readonly writeBlocked: number | null;
  readonly heartbeatMisses: number | null;
  readonly unavailability: number | null;
}

// Garbage (NaN, negative counts) is treated as missing evidence rather than as health or sickness.
const usable = (x: number): number | null => (Number.isFinite(x) && x >= 0 ? x : null);

const nullableFraction = (x: number): number | null => {
  const value = usable(x);
  return value === null ? null : Math.min(value, 1);
};

export const measureVitals = (vitals: HealthVitals): HealthMetrics => {
  const rtts = vitals.rttSamplesMs.filter((x) => Number.isFinite(x) && x >= 0);
  const blocked = usable(vitals.writeBlockedRatio);
  return {
    rttMeanMs: mean(rtts),
    rttJitter: coefficientOfVariation(rtts),
    finRst: usable(vitals.finRstPerSec),
    synRetransmit: usable(vitals.synRetransmitPerSec),
    writeBlocked: blocked === null ? null : Math.min(blocked, 1),
    heartbeatMisses: usable(vitals.heartbeatMisses),
    unavailability: vitals.unavailableFraction === undefined ? null : nullableFraction(vitals.unavailableFraction),
  };
};
