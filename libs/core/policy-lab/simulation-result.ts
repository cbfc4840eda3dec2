import type { Action } from '../decision/actions.js';
import type { DetectorResponse } from '../detection/decide-for-gateway.js';

/** How the candidate's handling of an incident compares with what the policy in force did. */
export const INCIDENT_DIFFERENCES = ['same', 'earlier', 'later', 'not-removed', 'newly-removed', 'blocked-by-guardrail'] as const;
export type IncidentDifference = (typeof INCIDENT_DIFFERENCES)[number];

export interface GuardrailBlock {
  readonly guardrail: 'flap-damping' | 'rate-limit' | 'blast-radius';
  readonly reason: string;
}

/** One policy's handling of one incident: the decision that mattered most, with its path and the values seen. */
export interface IncidentHandling {
  /** When a remediation would start (null: none), and whether a guardrail would have stopped it. */
  readonly removedAtMs: number | null;
  readonly timeToRemovalMs: number | null;
  readonly blockedBy: GuardrailBlock | null;
  readonly response: DetectorResponse;
  readonly actions: readonly Action[];
  readonly rule: string | null;
  /** `summarisePath`: every rule tried, the values that decided the one that matched. */
  readonly path: string | null;
  /** The predicates that held, and the score. */
  readonly facts: readonly string[];
  readonly score: number;
  /** The recorded version for the policy in force; null for a candidate (not stored yet). */
  readonly policyVersion: number | null;
}

export interface SimulatedIncident {
  readonly gatewayId: string;
  /** The first sign of trouble (a missed pong, a signal): what time to removal is counted from. */
  readonly onsetMs: number;
  /** The first moment a signal was up under either policy. */
  readonly fromMs: number;
  /** The last troubled observation. */
  readonly untilMs: number;
  /** The first quiet observation after it; null when the timeline ends first (or the gateway vanished). */
  readonly endedAtMs: number | null;
  /** Quiet again with no remediation under the policy in force. */
  readonly recoveredOnItsOwn: boolean;
  /** The signals the detector saw, strongest first, as `tier:classification`. */
  readonly signals: readonly string[];
  readonly inForce: IncidentHandling;
  readonly candidate: IncidentHandling & {
    /** It would remove this gateway again within the flap-damping window of an earlier removal. */
    readonly flapped: boolean;
  };
  readonly difference: IncidentDifference;
}

export interface DecisionMismatch {
  readonly gatewayId: string;
  readonly detectorId: string;
  readonly atMs: number;
  readonly recorded: string;
  readonly replayed: string;
}

export interface PolicyTally {
  readonly removals: number;
  readonly blockedByGuardrail: number;
  readonly medianTimeToRemovalMs: number | null;
  readonly maxTimeToRemovalMs: number | null;
}

export interface SimulationSummary {
  readonly window: { readonly fromMs: number; readonly untilMs: number };
  readonly gateways: number;
  readonly observations: number;
  readonly incidents: number;
  /** The policy in force replayed over the timeline against the decisions recorded in it. */
  readonly determinism: { readonly decisions: number; readonly reproduced: number; readonly mismatches: readonly DecisionMismatch[] };
  readonly inForce: PolicyTally;
  readonly candidate: PolicyTally & {
    /** Removals of gateways that recovered on their own within the window. */
    readonly falsePositiveCandidates: number;
    readonly wouldFlap: number;
  };
  readonly differences: Readonly<Record<IncidentDifference, number>>;
}

export interface SimulationResult {
  readonly summary: SimulationSummary;
  readonly incidents: readonly SimulatedIncident[];
  /** More incidents than the answer carries: the summary still counts them all. */
  readonly truncated: boolean;
}
