import { DEFAULT_DECISION_TREE } from '../decision/default-tree.js';
import { deepFreeze } from '../decision/deep-freeze.js';
import type { Policy } from './policy-schema.js';

/** The policy a fresh installation starts with; tests keep it valid. */
export const DEFAULT_POLICY: Policy = deepFreeze<Policy>({
  version: 1,
  name: 'default',
  mode: 'enforce',
  health: {
    // Fast-path signals (misses, blocked writes) weigh most: they mean clients are hurting now.
    weights: { rttJitter: 15, rttLevel: 15, finRst: 10, synRetransmit: 10, writeBlocked: 25, heartbeatMisses: 25, unavailability: 30 },
    thresholds: {
      rttJitter: { warn: 0.3, critical: 1.5 },
      rttLevel: { warn: 2, critical: 10 },
      finRst: { warn: 5, critical: 100 },
      synRetransmit: { warn: 1, critical: 20 },
      writeBlocked: { warn: 0.05, critical: 0.5 },
      heartbeatMisses: { warn: 0, critical: 3 },
      // Share of the detector's window spent stalled: 15 % (a freeze of 300 ms every 2 s) costs the full weight.
      unavailability: { warn: 0.02, critical: 0.15 },
    },
    adaptation: { alpha: 0.05, sigmas: 3, maxFactor: 4, minSamples: 20 },
  },
  hysteresis: { fireBelow: 50, fireAfterMs: 300, clearAbove: 70, clearAfterMs: 10_000 },
  decisionTree: DEFAULT_DECISION_TREE,
  detector: {
    pingIntervalMs: 100,
    pongTimeoutMs: 250,
    missesToSuspect: 3,
    observers: 2,
    availability: { windowMs: 60_000, minObservedMs: 20_000, intermittentStallsPerMinute: 6, intermittentUnavailableFraction: 0.05 },
    agreement: { quorum: 'all', viewFreshMs: 10_000, waitForViewsMs: 1_500, onPartition: 'observe' },
  },
  guardrails: {
    maxQuarantinedFraction: 0.34,
    rateLimit: { maxRemediations: 10, windowMs: 60_000, perGatewayCooldownMs: 30_000 },
    approval: { requiredFrom: 'drain', timeoutMs: 30_000, onTimeout: 'approve', fourEyes: false },
    flapDamping: { windowMs: 600_000, escalateAfter: 3 },
    storm: { fleetFraction: 0.3, zoneFraction: 0.5, windowMs: 10_000, quietMs: 60_000, minSuspects: 3 },
  },
  probation: { durationMs: 30_000 },
  migration: {
    batchSize: 200,
    pauseMs: 100,
    jitterFraction: 0.5,
    spreadMs: 50,
    batchWaitMs: 10_000,
    headroomFraction: 0.1,
    // Shared by every run at once; a single run's own pacing stays well inside it.
    budget: { sessionsPerSecond: 5_000, sessionsBurst: 1_000, reconnectsPerSecondPerTarget: 1_500, reconnectsBurstPerTarget: 300 },
  },
  kubernetes: { notReadyAfterMs: 2_000, restartsToFlag: 3, rebalanceDebounceMs: 2_000 },
  incident: { watchMs: 30_000, recheckMs: 2_000, findingsFreshMs: 5_000, holdMs: 600_000, rehomeWaitMs: 20_000 },
  lab: { requireSimulation: null },
});
