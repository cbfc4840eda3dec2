import type { GatewayVitals } from '../fleet/gateway-vitals.js';
import type { AvailabilitySettings } from '../policy/detector-policy.js';
import { type AvailabilityState, isIntermittent, summariseAvailability } from './availability.js';
import type { HealthWatchState } from './health-watch.js';
import type { ProbeState } from './probe-tiers.js';
import { errorBurstActive, type SelfReportState } from './self-report-state.js';

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

/** Intermittent trouble seen over the availability window (policy `detector.availability`). */
export const intermittentNow = (snapshot: GatewaySnapshot, settings: AvailabilitySettings): boolean =>
  isIntermittent(summariseAvailability(snapshot.availability, snapshot.atMs, settings), settings);

/**
 * The signals that are up right now, strongest first. A lone L1 miss is not among them:
 * one late pong is noise until `missesToSuspect` of them say otherwise. A low score counts
 * only once the hysteresis alarm fired, so a single bad window never acts.
 */
export const activeSignals = (snapshot: GatewaySnapshot, errorBurstHoldMs: number, availability: AvailabilitySettings): DetectionSignal[] => {
  const { probe, reports, health, vitals } = snapshot;
  const signals: DetectionSignal[] = [];
  if (snapshot.leaseExpired) signals.push({ tier: 'lease-expired', classification: 'vanished' });
  if (probe.tier === 'transport-lost') signals.push({ tier: 'L3-transport', classification: 'crash' });
  if (probe.tier === 'suspect') {
    // Pongs that still arrive, only late, mean a slow gateway; none at all mean a hung one.
    signals.push({ tier: 'L2-suspect', classification: probe.latePongs > 0 ? 'rtt-spike' : 'silent-hang' });
  }
  if (reports.writeBlocked) signals.push({ tier: 'self-report', classification: 'write-blocked' });
  else if (vitals?.writeBlocked) signals.push({ tier: 'vitals', classification: 'write-blocked' });
  if (errorBurstActive(reports, snapshot.atMs, errorBurstHoldMs)) signals.push({ tier: 'self-report', classification: 'error-burst' });
  // A minute of repeated stalls says more than the RTT of the moment.
  if (intermittentNow(snapshot, availability)) signals.push({ tier: 'availability', classification: 'intermittent' });
  if (health.rtt.spike) signals.push({ tier: 'L1-rtt', classification: 'rtt-spike' });
  if (health.tracker.alarm === 'firing') signals.push({ tier: 'health-alarm', classification: 'unhealthy' });
  return signals;
};
