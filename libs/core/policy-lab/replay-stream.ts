import { decideOnReadings, type GatewayDecision } from '../detection/decide-for-gateway.js';
import { INITIAL_HEALTH_TRACKER_STATE, stepHealthTracker, type HealthTrackerState } from '../health/health-tracker.js';
import type { Policy } from '../policy/policy-schema.js';
import { readingsUnder, recordedScore } from './recorded-readings.js';
import type { TimelineObservation } from './timeline-observation.js';

export interface ReplayedDecision {
  readonly observation: TimelineObservation;
  readonly decision: GatewayDecision;
}

export interface ReplayRules {
  /** The policy to judge an observation by: the one recorded with it, or a candidate. */
  readonly policyFor: (o: TimelineObservation) => Policy;
  /** Whether the fleet-wide shadow switch counts (it does when reproducing what happened). */
  readonly honourShadowFlag: boolean;
}

interface StreamState {
  readonly since: number | null;
  readonly tracker: HealthTrackerState;
  /** The judged window the tracker saw last: a decision between two windows does not step it. */
  readonly steppedAtMs: number | null;
}

const FRESH: StreamState = { since: null, tracker: INITIAL_HEALTH_TRACKER_STATE, steppedAtMs: null };

/**
 * Decides every observation of one detector's stream for one gateway again, oldest first, with
 * the detector's own code: readings under the policy, the hysteresis alarm stepped once per
 * judged window (as the live monitor does), then {@link decideOnReadings}.
 */
export const replayStream = (stream: readonly TimelineObservation[], rules: ReplayRules): ReplayedDecision[] => {
  let state = FRESH;
  return stream.map((observation) => {
    const policy = rules.policyFor(observation);
    if (state.since !== observation.streamSinceMs) state = { ...FRESH, since: observation.streamSinceMs };
    const score = recordedScore(observation, policy);
    const window = observation.health;
    if (window !== null && (state.steppedAtMs === null || window.atMs > state.steppedAtMs)) {
      const tracker = stepHealthTracker(state.tracker, { score, atMs: window.atMs }, policy.hysteresis).state;
      state = { ...state, tracker, steppedAtMs: window.atMs };
    }
    const readings = readingsUnder(observation, policy, state.tracker.alarm === 'firing', score);
    const decision = decideOnReadings(readings, policy, { shadow: rules.honourShadowFlag && observation.shadowFlag });
    return { observation, decision };
  });
};
