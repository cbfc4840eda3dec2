import { actionSeverity, mostSevereAction, type Action } from '../decision/actions.js';
import { evaluateTree, type DecisionEvaluation } from '../decision/evaluate-tree.js';
import type { DecisionFacts } from '../decision/predicates.js';
import type { Policy } from '../policy/policy-schema.js';
import { factsOf } from './detection-facts.js';
import { type DetectionReadings, readingsOf } from './detection-readings.js';
import { signalsOf, type DetectionSignal, type GatewaySnapshot } from './detection-signals.js';

/**
 * What the detector does about a verdict: `remediate` starts `remediateGateway`; `shadow`
 * records that it would have; `observe` records the finding and keeps watching; `none` is quiet.
 */
export const DETECTOR_RESPONSES = ['remediate', 'shadow', 'observe', 'none'] as const;
export type DetectorResponse = (typeof DETECTOR_RESPONSES)[number];

export interface GatewayDecision {
  readonly signals: readonly DetectionSignal[];
  readonly facts: DecisionFacts;
  /** Null when no signal was up, so the tree was not consulted. */
  readonly evaluation: DecisionEvaluation | null;
  readonly response: DetectorResponse;
}

/** `degrade` and everything more severe is work for a remediation run; `observe` is the detector's own. */
export const responseToActions = (actions: readonly Action[], shadow: boolean): DetectorResponse => {
  const worst = mostSevereAction(actions);
  if (actionSeverity(worst) >= actionSeverity('degrade')) return shadow ? 'shadow' : 'remediate';
  return worst === 'observe' ? 'observe' : 'none';
};

/**
 * Consults the live policy's tree when a signal is up. A gateway that announced a graceful
 * shutdown is left alone (its leaving is not a failure) unless its lease then ran out
 * without it deregistering, which means it died on the way out.
 */
export const decideForGateway = (snapshot: GatewaySnapshot, policy: Policy, options: { readonly shadow: boolean }): GatewayDecision =>
  decideOnReadings(readingsOf(snapshot, policy.hysteresis.clearAfterMs, policy.detector.availability), policy, options);

/** {@link decideForGateway} from readings: the live detector's, or a recorded timeline's (the policy lab). */
export const decideOnReadings = (readings: DetectionReadings, policy: Policy, { shadow }: { readonly shadow: boolean }): GatewayDecision => {
  const facts = factsOf(readings);
  const signals = signalsOf(readings);
  const leavingGracefully = readings.shutdownNotice && !readings.leaseExpired;
  if (signals.length === 0 || leavingGracefully) return { signals, facts, evaluation: null, response: 'none' };
  const evaluation = evaluateTree(policy.decisionTree, facts);
  return { signals, facts, evaluation, response: responseToActions(evaluation.verdict.actions, shadow || policy.mode === 'shadow') };
};
