import type { GatewayVitals } from '../fleet/gateway-vitals.js';
import type { AvailabilitySettings } from '../policy/detector-policy.js';
import type { AvailabilityState } from './availability.js';
import type { HealthWatchState } from './health-watch.js';
import type { ProbeState } from './probe-tiers.js';
import type { SelfReportState } from './self-report-state.js';
import { type DetectionReadings, readingsOf } from './detection-readings.js';

/** Where a signal came from, strongest first. L1/L2/L3 are DESIGN.md's fast-path tiers. */
export const DETECTION_TIERS = ['lease-expired', 'L3-transport', 'L2-suspect', 'self-report', 'vitals', 'availability', 'L1-rtt', 'health-alarm'] as const;
export type DetectionTier = (typeof DETECTION_TIERS)[number];

/** What the evidence says happened to the gateway. */
export const DETECTION_CLASSES = ['vanished', 'crash', 'silent-hang', 'rtt-spike', 'write-blocked', 'error-burst', 'intermittent', 'unhealthy'] as const;
export type DetectionClass = (typeof DETECTION_CLASSES)[number];

export interface DetectionSignal {
  readonly tier: DetectionTier;
  readonly classification: DetectionClass;
}

/** Everything the detector currently knows about one gateway. */
export interface GatewaySnapshot {
  readonly probe: ProbeState;
  readonly reports: SelfReportState;
  readonly health: HealthWatchState;
  readonly vitals: GatewayVitals | undefined;
  /** Stalls and missed pongs over the detector's availability window. */
  readonly availability: AvailabilityState;
  readonly leaseExpired: boolean;
  readonly atMs: number;
}

/**
 * The signals that are up right now, strongest first. A lone L1 miss is not among them:
 * one late pong is noise until `missesToSuspect` of them say otherwise. A low score counts
 * only once the hysteresis alarm fired, so a single bad window never acts.
 */
export const activeSignals = (snapshot: GatewaySnapshot, errorBurstHoldMs: number, availability: AvailabilitySettings): DetectionSignal[] =>
  signalsOf(readingsOf(snapshot, errorBurstHoldMs, availability));

/** {@link activeSignals} from readings, live or recorded. */
export const signalsOf = (r: DetectionReadings): DetectionSignal[] => {
  const signals: DetectionSignal[] = [];
  if (r.leaseExpired) signals.push({ tier: 'lease-expired', classification: 'vanished' });
  if (r.transportLost) signals.push({ tier: 'L3-transport', classification: 'crash' });
  // Pongs that still arrive, only late, mean a slow gateway; none at all mean a hung one.
  if (r.suspect) signals.push({ tier: 'L2-suspect', classification: r.latePongs > 0 ? 'rtt-spike' : 'silent-hang' });
  if (r.reportedWriteBlocked) signals.push({ tier: 'self-report', classification: 'write-blocked' });
  else if (r.vitalsWriteBlocked) signals.push({ tier: 'vitals', classification: 'write-blocked' });
  if (r.errorBurst) signals.push({ tier: 'self-report', classification: 'error-burst' });
  // A minute of repeated stalls says more than the RTT of the moment.
  if (r.intermittent) signals.push({ tier: 'availability', classification: 'intermittent' });
  if (r.rttSpike) signals.push({ tier: 'L1-rtt', classification: 'rtt-spike' });
  if (r.alarmFiring) signals.push({ tier: 'health-alarm', classification: 'unhealthy' });
  return signals;
};
