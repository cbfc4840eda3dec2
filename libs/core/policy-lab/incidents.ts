import type { ReplayedDecision } from './replay-stream.js';

/** One observation judged twice: as the policy in force had it, and under the candidate. */
export interface JudgedObservation {
  readonly inForce: ReplayedDecision;
  readonly candidate: ReplayedDecision;
}

export interface IncidentSpan {
  readonly gatewayId: string;
  /** The first sign of it: the start of the miss streak that led into it, else its first troubled moment. */
  readonly onsetMs: number;
  readonly judged: readonly JudgedObservation[];
  readonly endedAtMs: number | null;
}

const troubled = (j: JudgedObservation): boolean => j.inForce.decision.signals.length > 0 || j.candidate.decision.signals.length > 0;

/** A missed pong is no signal yet, but it is where the trouble began. */
const missing = (j: JudgedObservation): boolean => j.inForce.observation.probe.consecutiveMisses > 0;

/**
 * Cuts one gateway's judged observations (oldest first) into incidents: a run of moments
 * where a signal was up under either policy, ended by the first moment quiet under both.
 */
export const incidentSpans = (gatewayId: string, judged: readonly JudgedObservation[]): IncidentSpan[] => {
  const spans: IncidentSpan[] = [];
  let current: JudgedObservation[] = [];
  let onsetMs: number | null = null;
  for (const j of judged) {
    const atMs = j.inForce.observation.atMs;
    if (troubled(j) || missing(j)) onsetMs ??= atMs;
    if (troubled(j)) {
      current.push(j);
      continue;
    }
    if (current.length > 0) spans.push({ gatewayId, onsetMs: onsetMs ?? atMs, judged: current, endedAtMs: atMs });
    current = [];
    if (!missing(j)) onsetMs = null;
  }
  if (current.length > 0) spans.push({ gatewayId, onsetMs: onsetMs ?? current[0]!.inForce.observation.atMs, judged: current, endedAtMs: null });
  return spans;
};
