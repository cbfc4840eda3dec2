import type { HysteresisSettings } from '../policy/hysteresis-policy.js';

export type HealthAlarm = 'clear' | 'firing';

export type HealthTransition = 'fired' | 'cleared';

/** Hysteresis state of one gateway's health alarm; plain data, so it survives in workflow state. */
export interface HealthTrackerState {
  readonly alarm: HealthAlarm;
  /** When the score first crossed towards the other state without crossing back since. */
  readonly pendingSinceMs: number | null;
  readonly changedAtMs: number | null;
  readonly lastAtMs: number | null;
}

export interface HealthObservation {
  readonly score: number;
  readonly atMs: number;
}

export interface HealthTrackerStep {
  readonly state: HealthTrackerState;
  readonly transition: HealthTransition | null;
}

export const INITIAL_HEALTH_TRACKER_STATE: HealthTrackerState = Object.freeze({
  alarm: 'clear',
  pendingSinceMs: null,
  changedAtMs: null,
  lastAtMs: null,
});

/**
 * Feeds one score into the alarm. It fires only after the score stayed below `fireBelow`
 * for `fireAfterMs`, and clears only after it stayed above `clearAbove` for
 * `clearAfterMs`; any sample on the other side restarts the wait, so a flapping gateway
 * is damped instead of remediated on every dip.
 */
export const stepHealthTracker = (
  state: HealthTrackerState,
  observation: HealthObservation,
  settings: HysteresisSettings,
): HealthTrackerStep => {
  const { score, atMs } = observation;
  // A late or garbled observation must not rewind the clock or move the alarm.
  if (!Number.isFinite(score) || !Number.isFinite(atMs) || (state.lastAtMs !== null && atMs < state.lastAtMs)) {
    return { state, transition: null };
  }
  const firing = state.alarm === 'firing';
  const pushesToFlip = firing ? score > settings.clearAbove : score < settings.fireBelow;
  if (!pushesToFlip) {
    return { state: { ...state, pendingSinceMs: null, lastAtMs: atMs }, transition: null };
  }
  const since = state.pendingSinceMs ?? atMs;
  const holdMs = firing ? settings.clearAfterMs : settings.fireAfterMs;
  if (atMs - since < holdMs) {
    return { state: { ...state, pendingSinceMs: since, lastAtMs: atMs }, transition: null };
  }
  return {
    state: { alarm: firing ? 'clear' : 'firing', pendingSinceMs: null, changedAtMs: atMs, lastAtMs: atMs },
    transition: firing ? 'cleared' : 'fired',
  };
};
