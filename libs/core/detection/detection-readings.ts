import type { AvailabilitySettings } from '../policy/detector-policy.js';
import { isIntermittent, summariseAvailability } from './availability.js';
import type { GatewaySnapshot } from './detection-signals.js';
import { errorBurstActive } from './self-report-state.js';

/**
 * What the detector's decision reads about a gateway at one moment, already interpreted
 * under a policy: the tiers, the alarm, the score. The live detector derives them from its
 * state ({@link readingsOf}); the policy lab derives them from a recorded timeline under a
 * candidate policy. Both then decide with the same code ({@link decideOnReadings}).
 */
export interface DetectionReadings {
  readonly leaseExpired: boolean;
  readonly transportLost: boolean;
  /** `missesToSuspect` consecutive pongs missed (L2). */
  readonly suspect: boolean;
  /** Pongs of the miss streak that arrived late: slow rather than silent. */
  readonly latePongs: number;
  readonly reportedWriteBlocked: boolean;
  readonly vitalsWriteBlocked: boolean;
  readonly retryPending: boolean;
  readonly errorBurst: boolean;
  readonly shutdownNotice: boolean;
  readonly intermittent: boolean;
  readonly rttSpike: boolean;
  readonly alarmFiring: boolean;
  readonly score: number;
}

/** Intermittent trouble seen over the availability window (policy `detector.availability`). */
export const intermittentNow = (snapshot: GatewaySnapshot, settings: AvailabilitySettings): boolean =>
  isIntermittent(summariseAvailability(snapshot.availability, snapshot.atMs, settings), settings);

/** The live detector's readings: its probe tier, hysteresis alarm and last score as they stand. */
export const readingsOf = (snapshot: GatewaySnapshot, errorBurstHoldMs: number, availability: AvailabilitySettings): DetectionReadings => {
  const { probe, reports, health, vitals } = snapshot;
  return {
    leaseExpired: snapshot.leaseExpired,
    transportLost: probe.tier === 'transport-lost',
    suspect: probe.tier === 'suspect',
    latePongs: probe.latePongs,
    reportedWriteBlocked: reports.writeBlocked,
    vitalsWriteBlocked: vitals?.writeBlocked === true,
    retryPending: reports.retryPending,
    errorBurst: errorBurstActive(reports, snapshot.atMs, errorBurstHoldMs),
    shutdownNotice: reports.shutdownAtMs !== null,
    intermittent: intermittentNow(snapshot, availability),
    rttSpike: health.rtt.spike,
    alarmFiring: health.tracker.alarm === 'firing',
    score: health.health?.score ?? 100,
  };
};
