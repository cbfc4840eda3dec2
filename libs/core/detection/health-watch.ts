import type { GatewayVitals } from '../fleet/gateway-vitals.js';
import { EMPTY_BASELINE, updateBaseline, type EwmaBaseline } from '../health/ewma-baseline.js';
import type { HealthVitals } from '../health/health-metrics.js';
import { INITIAL_HEALTH_TRACKER_STATE, stepHealthTracker, type HealthTrackerState, type HealthTransition } from '../health/health-tracker.js';
import { scoreHealth, type HealthAssessment } from '../health/score.js';
import type { Policy } from '../policy/policy-schema.js';
import { type AvailabilityState, summariseAvailability } from './availability.js';
import type { ProbeState } from './probe-tiers.js';
import { judgeRttSpike, rttWindowSize, type RttSpikeJudgement } from './rtt-spike.js';

/** One gateway's health as the detector follows it: score, damped alarm and learned baseline. */
export interface HealthWatchState {
  readonly baseline: EwmaBaseline;
  readonly tracker: HealthTrackerState;
  readonly health: HealthAssessment | null;
  readonly rtt: RttSpikeJudgement;
  /** What the last score and spike judgement were computed from, so a recording can judge them again under another policy. */
  readonly scored: ScoredWindow | null;
}

/** The inputs of one judged window: the vitals and the baseline as it was before the window was learned. */
export interface ScoredWindow {
  readonly vitals: HealthVitals;
  readonly baseline: EwmaBaseline;
  readonly atMs: number;
}

export const INITIAL_HEALTH_WATCH_STATE: HealthWatchState = Object.freeze({
  baseline: EMPTY_BASELINE,
  tracker: INITIAL_HEALTH_TRACKER_STATE,
  health: null,
  rtt: { spike: false, medianMs: null, thresholdMs: null, baselineMs: null },
  scored: null,
});

export interface HealthWatchInput {
  readonly probe: ProbeState;
  /** The gateway's latest published vitals, if any: without them only the ping evidence counts. */
  readonly vitals: GatewayVitals | undefined;
  /** Stalls over the availability window; judged only once observed for `minObservedMs`. */
  readonly availability?: AvailabilityState;
  /** A fast-path signal (e.g. a write-blocked report) is up: nothing learned now is "normal". */
  readonly signalling: boolean;
  readonly atMs: number;
}

export interface HealthWatchStep {
  readonly state: HealthWatchState;
  readonly transition: HealthTransition | null;
}

/**
 * Scores the last window (ping RTTs from the detector, counters from the vitals), steps the
 * hysteresis alarm, and folds the window into the baseline only while the gateway looks
 * healthy, so an incident is never learned as the gateway's normal.
 */
export const stepHealthWatch = (
  state: HealthWatchState,
  input: HealthWatchInput,
  policy: Policy,
  rttSpikeFloorMs: number,
): HealthWatchStep => {
  const window = input.probe.rttsMs.slice(-rttWindowSize(policy.detector.pingIntervalMs));
  const rtt = judgeRttSpike(window, state.baseline.rttMeanMs, policy.health, rttSpikeFloorMs);
  // NaN is "no evidence" to the scorer: a gateway that publishes no vitals is not penalised for it.
  const vitals: HealthVitals = {
    rttSamplesMs: window,
    finRstPerSec: input.vitals?.finRstPerSec ?? Number.NaN,
    synRetransmitPerSec: input.vitals?.synRetransmitPerSec ?? Number.NaN,
    writeBlockedRatio: input.vitals?.writeBlockedRatio ?? Number.NaN,
    heartbeatMisses: input.probe.consecutiveMisses,
    ...unavailability(input, policy),
  };
  const health = scoreHealth(vitals, state.baseline, policy.health);
  const { state: tracker, transition } = stepHealthTracker(state.tracker, { score: health.score, atMs: input.atMs }, policy.hysteresis);
  const looksHealthy = tracker.alarm === 'clear' && !rtt.spike && input.probe.tier === 'healthy' && !input.signalling;
  const baseline = looksHealthy ? updateBaseline(state.baseline, health.metrics, policy.health.adaptation.alpha) : state.baseline;
  return { state: { baseline, tracker, health, rtt, scored: { vitals, baseline: state.baseline, atMs: input.atMs } }, transition };
};

const unavailability = (input: HealthWatchInput, policy: Policy): Pick<HealthVitals, 'unavailableFraction'> => {
  if (!input.availability) return {};
  const settings = policy.detector.availability;
  const summary = summariseAvailability(input.availability, input.atMs, settings);
  return summary.observedMs >= settings.minObservedMs ? { unavailableFraction: summary.unavailableFraction } : {};
};
