import { isIntermittent } from '../detection/availability.js';
import type { DetectionReadings } from '../detection/detection-readings.js';
import { judgeRttSpike } from '../detection/rtt-spike.js';
import { errorBurstActive, INITIAL_SELF_REPORT_STATE } from '../detection/self-report-state.js';
import type { HealthVitals } from '../health/health-metrics.js';
import { scoreHealth } from '../health/score.js';
import type { Policy } from '../policy/policy-schema.js';
import type { TimelineObservation } from './timeline-observation.js';

type RecordedWindow = NonNullable<TimelineObservation['health']>;

const vitalsOf = (w: RecordedWindow): HealthVitals => ({
  rttSamplesMs: w.rttSamplesMs,
  finRstPerSec: w.finRstPerSec ?? Number.NaN,
  synRetransmitPerSec: w.synRetransmitPerSec ?? Number.NaN,
  writeBlockedRatio: w.writeBlockedRatio ?? Number.NaN,
  heartbeatMisses: w.heartbeatMisses,
  ...(w.unavailableFraction === undefined ? {} : { unavailableFraction: w.unavailableFraction }),
});

/** The recorded window scored under `policy` with the detector's own scorer (100 before any window). */
export const recordedScore = (o: TimelineObservation, policy: Policy): number =>
  o.health === null ? 100 : scoreHealth(vitalsOf(o.health), o.health.baseline, policy.health).score;

const recordedSpike = (o: TimelineObservation, policy: Policy): boolean =>
  o.health !== null && judgeRttSpike(o.health.rttSamplesMs, o.health.baseline.rttMeanMs, policy.health, o.health.rttSpikeFloorMs).spike;

/**
 * What the detector would have read at this moment under `policy`, given the alarm as a replay
 * under that policy has it. The tier follows from the miss streak and `missesToSuspect` the way
 * the probe's own state machine moves (a streak only grows until a pong in time resets it).
 */
export const readingsUnder = (o: TimelineObservation, policy: Policy, alarmFiring: boolean, score: number): DetectionReadings => ({
  leaseExpired: o.probe.leaseExpired,
  transportLost: o.probe.transportLost,
  suspect: !o.probe.transportLost && o.probe.consecutiveMisses >= policy.detector.missesToSuspect,
  latePongs: o.probe.latePongs,
  reportedWriteBlocked: o.reports.writeBlocked,
  vitalsWriteBlocked: o.vitalsWriteBlocked,
  retryPending: o.reports.retryPending,
  errorBurst: errorBurstActive({ ...INITIAL_SELF_REPORT_STATE, errorBurstAtMs: o.reports.errorBurstAtMs }, o.atMs, policy.hysteresis.clearAfterMs),
  shutdownNotice: o.reports.shutdownNotice,
  intermittent: isIntermittent(o.availability, policy.detector.availability),
  rttSpike: recordedSpike(o, policy),
  alarmFiring,
  score,
});
