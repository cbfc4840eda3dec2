import { type Action } from '../decision/index.js';
import { type RemediationDecision } from './decide-remediation.js';
import { type DetectorFindings, type EvidenceSample } from './evidence.js';
import { type DecisionRecord, type TriggerRecord } from './incident.js';
import { type FactCheck, type VerificationPromise } from './verification.js';

/** What started a remediation; also the `Trigger` search attribute. */
export const TRIGGER_KINDS = ['api', 'lease-expired', 'detector', 'sweep', 'k8s'] as const;
export type TriggerKind = (typeof TRIGGER_KINDS)[number];

export interface RemediationRequest {
  readonly gatewayId: string;
  readonly trigger: TriggerKind;
  readonly reason: string;
  /** The authenticated identity that asked for the run (API trigger); automatic triggers have none. */
  readonly requestedBy?: string;
  /** When the trigger fired (ms since epoch), as seen by whoever fired it. */
  readonly requestedAt: number;
  /** Decide, plan and record everything; change nothing. */
  readonly dryRun?: boolean;
  /** An operator's explicit order (API trigger); otherwise the policy's tree decides. */
  readonly actions?: readonly Action[];
  readonly findings?: DetectorFindings;
}

export type StepStatus = 'running' | 'done' | 'failed';

export interface RemediationStep {
  readonly name: string;
  readonly startedAt: number;
  finishedAt?: number;
  status: StepStatus;
  detail?: Record<string, unknown>;
  error?: string;
}

export const REMEDIATION_OUTCOMES = [
  'running',
  'awaiting-approval',
  /** Acted and verified. */
  'healed',
  /** The policy said nothing needs doing. */
  'no-action',
  'observed',
  /** Shadow-mode policy: recorded what it would have done. */
  'shadow',
  'dry-run',
  'rejected',
  /** Undid what it had done after an action failed. */
  'compensated',
  /** Stopped rather than guess: guardrail refused, flapping, or a step failed for good. */
  'needs-human',
  'cancelled',
] as const;
export type RemediationOutcome = (typeof REMEDIATION_OUTCOMES)[number];

export interface GuardrailCheck {
  /** `operation`: the gateway's exclusive operation claim (one remediation, restore or drain at a time). */
  readonly name: 'flap-damping' | 'rate-limit' | 'approval' | 'operation' | 'blast-radius';
  readonly at: number;
  readonly allowed: boolean;
  readonly detail: string;
}

export interface MigrationSummary {
  /** Sessions on the source when migration began (unknown when the source was gone). */
  readonly sessions: number;
  readonly moved: number;
  readonly remaining: number;
  readonly targets: readonly string[];
  readonly movedTo?: Readonly<Record<string, number>>;
  /** Left without moving (their clients reconnect on their own). */
  readonly gone?: number;
  /**
   * Left the source without a batch seeing how: redirected but not yet confirmed when the batch
   * stopped waiting (`pending`), or closed between batches. Counted, not assumed moved.
   */
  readonly leftUnconfirmed?: number;
  /** Redirects refused by a target and sent elsewhere or kept at the source. */
  readonly refused?: number;
  readonly batches?: number;
  /** Per moved session, source side: redirect sent → client left. */
  readonly interruptionMs?: { readonly p50: number; readonly p99: number };
  /** Why nothing was moved, when nothing was. */
  readonly note?: string;
  /** The source stopped answering during the migration: `remaining` is an estimate, not an observation. */
  readonly sourceUnreachable?: boolean;
}

/** The run's own account of itself, returned by the `report` query and the API. */
export interface RemediationReport {
  readonly gatewayId: string;
  readonly trigger: TriggerKind;
  /** The authenticated identity that asked for the run (API starts); absent for automatic triggers. */
  readonly requestedBy?: string;
  readonly reason: string;
  readonly requestedAt: number;
  readonly startedAt: number;
  readonly dryRun: boolean;
  policyVersion?: number;
  policyMode?: string;
  findings?: DetectorFindings;
  evidence: EvidenceSample[];
  /** The verdict the run acts on (the latest that changed what it does). */
  decision?: RemediationDecision;
  /** Every evaluation of the tree in this incident, with what prompted it and what it changed. */
  decisions?: DecisionRecord[];
  /** Every trigger delivered to this run, the first one included. */
  triggers?: TriggerRecord[];
  guardrails: GuardrailCheck[];
  migration?: MigrationSummary;
  /** What verification checked, against what the action promised. */
  verification?: { readonly promise: VerificationPromise; readonly ok: boolean };
  /** Facts the run saw for itself (an agent's answer, an etcd record, clients counted elsewhere). */
  observed?: FactCheck[];
  /** Facts it could not see and took for granted (or left unknown), said so rather than reported as seen. */
  assumed?: FactCheck[];
  /** A gone or emptied gateway's clients, counted on the gateways they came back to. */
  clients?: { readonly before?: number; readonly seenElsewhere: number; readonly byGateway: Readonly<Record<string, number>>; readonly allBackWithinMs?: number };
  readonly steps: RemediationStep[];
  outcome: RemediationOutcome;
  /** Why the run ended where it did, in a sentence. */
  outcomeReason?: string;
  finishedAt?: number;
}
