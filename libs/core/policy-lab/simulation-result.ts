import type { Action } from '../decision/actions.js';
import type { DetectorResponse } from '../detection/decide-for-gateway.js';
import type { RecordedRun, RecordedTrigger, TimelineEvent } from './timeline-event.js';

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

/**
 * What actually happened in an incident, from the gateway's timeline: the runs recorded in it
 * (what each decided and how it ended) and the non-detector triggers. `not-recorded`: a run was
 * started (the detector's responder under the policy in force, or a recorded trigger) but its
 * record is missing (it had not ended, was cancelled or terminated, or recording was off);
 * `no-run`: none was started.
 */
export interface WhatHappened {
  readonly status: 'recorded' | 'not-recorded' | 'no-run';
  readonly runs: readonly RecordedRun[];
  readonly triggers: readonly RecordedTrigger[];
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
  /** The policy in force replayed: what the detector decided, with the guardrails' verdict. */
  readonly inForce: IncidentHandling;
  /** The runs the incident got, as recorded when they ended. */
  readonly happened: WhatHappened;
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

/** A run the detector started that the policy in force, replayed, does not start. */
export interface RunMismatch {
  readonly gatewayId: string;
  readonly workflowId: string;
  readonly runId: string;
  readonly requestedAt: number;
  readonly why: string;
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
  readonly determinism: {
    readonly decisions: number;
    readonly reproduced: number;
    readonly mismatches: readonly DecisionMismatch[];
    /** The runs the detector started (recorded in the window): how many the replay starts too, in the same incident. */
    readonly runs: { readonly recorded: number; readonly reproduced: number; readonly mismatches: readonly RunMismatch[] };
  };
  /** Runs recorded in the window: in an incident, or in none (an operator's run, a finding the detector never saw). */
  readonly runs: { readonly recorded: number; readonly inIncidents: number; readonly outsideIncidents: number; readonly incidentsNotRecorded: number };
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
  /** Runs and triggers recorded in the window outside every incident (at most as many as incidents). */
  readonly outsideIncidents: readonly TimelineEvent[];
  /** More incidents (or events outside them) than the answer carries: the summary still counts them all. */
  readonly truncated: boolean;
}
