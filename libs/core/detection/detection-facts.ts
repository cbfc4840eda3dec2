import { BOOLEAN_PREDICATES, type BooleanPredicate, type DecisionFacts } from '../decision/predicates.js';
import type { AvailabilitySettings } from '../policy/detector-policy.js';
import { type DetectionReadings, readingsOf } from './detection-readings.js';
import type { GatewaySnapshot } from './detection-signals.js';

/** The facts a decision tree reads, from what the detector saw. */
export const detectionFacts = (snapshot: GatewaySnapshot, errorBurstHoldMs: number, availability: AvailabilitySettings): DecisionFacts =>
  factsOf(readingsOf(snapshot, errorBurstHoldMs, availability));

/**
 * {@link detectionFacts} from readings, live or recorded. Built over the predicate list, so a
 * predicate the detector cannot establish is simply false rather than a compile error.
 */
export const factsOf = (r: DetectionReadings): DecisionFacts => {
  const holds: Partial<Record<string, boolean>> = {
    vanished: r.leaseExpired,
    heartbeatLost: r.leaseExpired || r.transportLost || r.suspect,
    writeBlocked: r.reportedWriteBlocked || r.vitalsWriteBlocked,
    retryPending: r.retryPending,
    rttSpike: r.rttSpike || (r.suspect && r.latePongs > 0),
    errorBurst: r.errorBurst,
    shutdownNotice: r.shutdownNotice,
    intermittent: r.intermittent,
  };
  // A loop, not Object.fromEntries over a mapped list: this runs at every ping of every gateway.
  const facts: Partial<Record<BooleanPredicate, boolean>> = {};
  for (const p of BOOLEAN_PREDICATES) facts[p] = holds[p] === true;
  return { ...(facts as Record<BooleanPredicate, boolean>), score: r.score };
};
