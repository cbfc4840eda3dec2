import type { MaterialObservation } from './timeline-observation.js';

export interface CompactionSettings {
  /** A quiet gateway is still recorded this often: its vitals summary, and proof the detector watched. */
  readonly periodMs: number;
  /** A score that moved this many points since the last record is recorded (a candidate's threshold may sit in between). */
  readonly scoreStep: number;
}

export const DEFAULT_COMPACTION: CompactionSettings = Object.freeze({ periodMs: 30_000, scoreStep: 5 });

/**
 * Misses beyond this are all "very many": no sensible `missesToSuspect` is larger, and a hung
 * gateway would otherwise be recorded on every ping.
 */
export const MISSES_RECORDED_UP_TO = 32;

/**
 * Everything a decision can turn on under any policy, coarse where a policy only compares it
 * with a threshold. Two observations with the same key decide the same under the policy that
 * recorded them, so the ones in between can be left out and a replay still reproduces every
 * decision — the alarm included, because a pending alarm streak starting or ending changes the key.
 */
const keyOf = (o: MaterialObservation): string =>
  JSON.stringify([
    o.streamSinceMs,
    o.policyVersion,
    o.shadowFlag,
    o.probe.leaseExpired,
    o.probe.transportLost,
    Math.min(o.probe.consecutiveMisses, MISSES_RECORDED_UP_TO),
    o.probe.latePongs > 0,
    o.reports,
    o.vitalsWriteBlocked,
    o.alarm,
    o.decision.response,
    o.decision.actions,
    o.decision.rule,
    o.decision.signals,
  ]);

/** The detector compares each new observation with the same last record: its key is computed once. */
const keys = new WeakMap<MaterialObservation, string>();

const materialKey = (o: MaterialObservation): string => {
  const known = keys.get(o);
  if (known !== undefined) return known;
  const key = keyOf(o);
  keys.set(o, key);
  return key;
};

/**
 * Whether `next` adds anything to a timeline whose last record is `previous`: the detector
 * decides every ping (10 a second), a timeline keeps only what changed, plus a heartbeat.
 */
export const worthRecording = (previous: MaterialObservation | undefined, next: MaterialObservation, settings: CompactionSettings): boolean => {
  if (!previous) return true;
  if (next.atMs - previous.atMs >= settings.periodMs) return true;
  if (Math.abs(next.decision.score - previous.decision.score) >= settings.scoreStep) return true;
  return materialKey(previous) !== materialKey(next);
};
