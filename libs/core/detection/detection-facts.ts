import { BOOLEAN_PREDICATES, type BooleanPredicate, type DecisionFacts } from '../decision/predicates.js';
import { errorBurstActive } from './self-report-state.js';
import type { AvailabilitySettings } from '../policy/detector-policy.js';
import { type GatewaySnapshot, intermittentNow } from './detection-signals.js';

/**
 * The facts a decision tree reads, from what the detector saw. Built over the predicate list,
 * so a predicate this detector cannot establish is simply false rather than a compile error.
 */
export const detectionFacts = (snapshot: GatewaySnapshot, errorBurstHoldMs: number, availability: AvailabilitySettings): DecisionFacts => {
  const { probe, reports, health, vitals } = snapshot;
  const slowPongs = probe.tier === 'suspect' && probe.latePongs > 0;
  const holds: Partial<Record<string, boolean>> = {
    vanished: snapshot.leaseExpired,
    heartbeatLost: snapshot.leaseExpired || probe.tier === 'transport-lost' || probe.tier === 'suspect',
    writeBlocked: reports.writeBlocked || vitals?.writeBlocked === true,
    retryPending: reports.retryPending,
    rttSpike: health.rtt.spike || slowPongs,
    errorBurst: errorBurstActive(reports, snapshot.atMs, errorBurstHoldMs),
    shutdownNotice: reports.shutdownAtMs !== null,
    intermittent: intermittentNow(snapshot, availability),
  };
  const facts = Object.fromEntries(BOOLEAN_PREDICATES.map((p: BooleanPredicate) => [p, holds[p] === true]));
  return { ...(facts as Record<BooleanPredicate, boolean>), score: health.health?.score ?? 100 };
};
