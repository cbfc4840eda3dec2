import { type Action, actionSeverity, mostSevereAction } from '../decision/actions.js';
import { evaluateTree } from '../decision/evaluate-tree.js';
import { BOOLEAN_PREDICATES, type BooleanPredicate, type DecisionFacts } from '../decision/predicates.js';
import { type GatewayStateName, isIsolated } from '../fleet/gateway-state.js';
import { EMPTY_BASELINE } from '../health/ewma-baseline.js';
import { scoreHealth } from '../health/score.js';
import type { HealthComponent } from '../policy/health-policy.js';
import type { Policy } from '../policy/policy-schema.js';
import type { SweepGateway, SweepVitals } from './fleet-snapshot.js';
import { vitalsFreshness } from './staleness.js';
import type { SweepSettings } from './sweep-settings.js';

/** Why a registered gateway was not judged. */
export const SKIP_REASONS = ['leaving', 'quarantined', 'draining', 'fenced', 'needs-human', 'no-vitals'] as const;
export type SkipReason = (typeof SKIP_REASONS)[number];

/** What made a scored gateway unhealthy; several may hold at once. */
export type UnhealthySignal = 'heartbeat-lost' | 'score-below-threshold' | 'decision-tree';

export interface SkippedGateway {
  readonly kind: 'skipped';
  readonly gatewayId: string;
  readonly why: SkipReason;
}

export interface ScoredGateway {
  readonly kind: 'scored';
  readonly gatewayId: string;
  readonly state: GatewayStateName | undefined;
  readonly score: number;
  /** The score's threshold in the policy (hysteresis `fireBelow`). */
  readonly threshold: number;
  readonly vitalsAgeMs: number;
  readonly heartbeatLost: boolean;
  /** Components that cost points, largest first. */
  readonly deductions: readonly { readonly component: HealthComponent; readonly points: number }[];
  readonly verdict: { readonly actions: readonly Action[]; readonly rule: string | null };
  /** The tree's predicates that held, handed on to the remediation as the sweep's findings. */
  readonly facts: readonly BooleanPredicate[];
  /** Empty when healthy. */
  readonly signals: readonly UnhealthySignal[];
}

export type GatewayAssessment = SkippedGateway | ScoredGateway;

/** Isolated gateways were already taken out of service by a remediation. */
const isOutOfService = (state: GatewayStateName | undefined): state is 'quarantined' | 'draining' | 'fenced' => isIsolated(state);

/** Held for a human and still within the policy's quiet period: no automatic run. */
const isHeld = (gateway: SweepGateway, policy: Policy, readAt: number): boolean =>
  gateway.state === 'needs-human' && readAt - (gateway.stateSince ?? readAt) < policy.incident.holdMs;

/**
 * Judges one gateway from its latest vitals, the way a remediation would: the health score
 * against the policy's threshold, and the policy's decision tree. Pure, so it runs inside
 * the sweep workflow. The sweep has no per-gateway history, so thresholds are the policy's
 * own (the empty baseline adapts nothing), and the RTT level is the detector's, when it published one.
 */
export const assessGateway = (gateway: SweepGateway, policy: Policy, settings: SweepSettings, readAt: number): GatewayAssessment => {
  const { gatewayId, state, vitals } = gateway;
  if (gateway.leaving) return { kind: 'skipped', gatewayId, why: 'leaving' };
  if (isOutOfService(state)) return { kind: 'skipped', gatewayId, why: state };
  if (isHeld(gateway, policy, readAt)) return { kind: 'skipped', gatewayId, why: 'needs-human' };
  // Vitals live under the same lease as the registration: a gateway without them has just
  // started, and if it died its lease (the backstop) says so, not the sweep.
  if (vitals === undefined) return { kind: 'skipped', gatewayId, why: 'no-vitals' };
  return scoreGateway(gatewayId, state, vitals, gateway.rttLevel, policy, settings, readAt);
};

const scoreGateway = (
  gatewayId: string,
  state: GatewayStateName | undefined,
  vitals: SweepVitals,
  rttLevel: number | undefined,
  policy: Policy,
  settings: SweepSettings,
  readAt: number,
): ScoredGateway => {
  const freshness = vitalsFreshness(vitals.at, readAt, settings);
  const measured = { ...vitals, heartbeatMisses: freshness.missedPublishes, ...(rttLevel !== undefined ? { rttLevel } : {}) };
  const health = scoreHealth(measured, EMPTY_BASELINE, policy.health);
  const facts = sweepFacts(vitals, freshness.heartbeatLost, health.score);
  const evaluation = evaluateTree(policy.decisionTree, facts);
  const threshold = policy.hysteresis.fireBelow;
  const signals: UnhealthySignal[] = [];
  if (freshness.heartbeatLost) signals.push('heartbeat-lost');
  if (health.score < threshold) signals.push('score-below-threshold');
  if (treeActs(evaluation.verdict.actions)) signals.push('decision-tree');
  return {
    kind: 'scored',
    gatewayId,
    state,
    score: health.score,
    threshold,
    vitalsAgeMs: freshness.ageMs,
    heartbeatLost: freshness.heartbeatLost,
    deductions: health.components
      .filter((c) => c.deduction > 0)
      .sort((a, b) => b.deduction - a.deduction)
      .map((c) => ({ component: c.component, points: c.deduction })),
    verdict: { actions: evaluation.verdict.actions, rule: evaluation.verdict.matchedRule?.name ?? null },
    facts: BOOLEAN_PREDICATES.filter((p) => facts[p]),
    signals,
  };
};

/**
 * Only the facts one vitals snapshot can establish, the gateway's own word on a retry under
 * way among them. Error bursts, RTT spikes and shutdown notices are the detector's judgement
 * over time, so the sweep asserts none of them (and any predicate added later starts false here too).
 */
const sweepFacts = (vitals: SweepVitals, heartbeatLost: boolean, score: number): DecisionFacts => {
  const none = Object.fromEntries(BOOLEAN_PREDICATES.map((p) => [p, false])) as Record<BooleanPredicate, boolean>;
  const retryPending = vitals.writeBlocked && vitals.retryPending === true;
  return { ...none, heartbeatLost, writeBlocked: vitals.writeBlocked, retryPending, score };
};

/** `observe` only watches; anything beyond it is an intervention the sweep must start. */
const treeActs = (actions: readonly Action[]): boolean => actionSeverity(mostSevereAction(actions)) > actionSeverity('observe');

export const isUnhealthy = (assessment: GatewayAssessment): assessment is ScoredGateway =>
  assessment.kind === 'scored' && assessment.signals.length > 0;
