import type { MigrateResult } from '#agent';
import { type EvidenceSample, type Guardrails, type Policy, type RemediationOutcome, type RemediationRecord } from '#core';
import { type ClaimOutcome } from '#etcd/operation-claims';

/**
 * The activities the remediation workflows call. Workflows import this file for
 * its types only; the implementations do I/O and live beside it. Every one is
 * idempotent, because Temporal retries them.
 */
export interface QuarantineResult {
  readonly previousState: string | undefined;
  /** Whether the gateway's agent answered (a crashed gateway does not). */
  readonly reachable: boolean;
}

export interface VerifyResult {
  readonly sourceSessions: number | undefined;
  readonly servingGateways: readonly string[];
  readonly ok: boolean;
  readonly problems: readonly string[];
}

export interface MigrationTarget {
  readonly gatewayId: string;
  readonly address: string;
}

/**
 * What one batch did: the agent's counts per session outcome (its MigrateResult)
 * with each moved session's interruption, and whether the source had gone.
 */
export type BatchOutcome = Omit<MigrateResult, 'sessions' | 'startedAt' | 'settledAt' | 'interruptionMs'> & {
  /** Source-side interruption of each moved session (redirect sent → client left). */
  readonly interruptionsMs: readonly number[];
  /** The source is no longer registered: nothing left to move from it. */
  readonly sourceGone: boolean;
};

export interface FleetGatewayLoad {
  readonly gatewayId: string;
  readonly address: string;
  readonly zone: string;
  readonly capacity: number;
  readonly connections: number;
}

export interface GatewayActionInput {
  readonly gatewayId: string;
  /** Who acts: the workflow id, recorded in etcd next to the state. */
  readonly by: string;
  readonly reason: string;
}

/** A run asking for a slot to act (rate limit and flap damping). */
export interface SlotRequest {
  readonly gatewayId: string;
  readonly workflowId: string;
  readonly runId: string;
  readonly guardrails: Guardrails;
  /** Only look: say what the verdict would be, reserve nothing (dry runs). */
  readonly peek?: boolean;
}

/** The slot verdict without the ledger itself (it can be long; the run needs only the answer). */
export type SlotAnswer =
  | { readonly kind: 'reserved'; readonly alreadyHeld: boolean }
  | { readonly kind: 'wait'; readonly guardrail: 'flap-damping' | 'rate-limit'; readonly untilMs: number; readonly reason: string }
  | { readonly kind: 'escalate'; readonly reason: string };

export interface OperationRequest {
  readonly gatewayId: string;
  readonly workflowId: string;
  readonly runId: string;
  /** What the run does to the gateway, shown to whoever finds it busy. */
  readonly operation: string;
}

export interface RemediationActivities {
  loadPolicy(): Promise<{ policy: Policy; source: 'stored' | 'default' }>;
  /**
   * `samples` looks at the gateway, `intervalMs` apart. The spacing lives in the
   * activity, not in durable timers: server timers fire on a ~1 s granularity,
   * which would make sub-second sampling take seconds.
   */
  gatherEvidence(input: { gatewayId: string; samples: number; intervalMs: number }): Promise<EvidenceSample[]>;
  /** The ledger of runs that acted (the v1 workflows read it; live ones reserve a slot instead). */
  remediationHistory(): Promise<RemediationRecord[]>;
  /** Records a run that acted without a reservation (v1 workflows); idempotent. */
  recordRemediation(record: RemediationRecord): Promise<void>;
  /** Reserves a slot to act, by compare-and-swap on the ledger, if flap damping and the rate limit allow it now. */
  reserveRemediationSlot(request: SlotRequest): Promise<SlotAnswer>;
  /** Gives the slot back: the run ended without acting. Idempotent. */
  releaseRemediationSlot(input: { runId: string }): Promise<void>;
  /** The gateway's exclusive operation claim; taken over from a holder that is no longer open. */
  claimOperation(request: OperationRequest): Promise<ClaimOutcome>;
  releaseOperation(input: { gatewayId: string; runId: string }): Promise<void>;
  claimQuarantine(input: { gatewayId: string; owner: string; maxQuarantinedFraction: number }): Promise<{ allowed: boolean; reason?: string }>;
  releaseQuarantine(input: { gatewayId: string }): Promise<void>;
  quarantineGateway(input: GatewayActionInput): Promise<QuarantineResult>;
  degradeGateway(input: GatewayActionInput): Promise<QuarantineResult>;
  drainGateway(input: GatewayActionInput): Promise<QuarantineResult>;
  /** Puts a gateway on probation: watched, still taking no new sessions. */
  probationGateway(input: GatewayActionInput): Promise<QuarantineResult>;
  /** Back to serving: agent accepts sessions, state `serving`, out of the quarantine set. */
  returnToService(input: GatewayActionInput): Promise<{ reachable: boolean }>;
  /** Load of every serving gateway, as its agent reports it. */
  fleetLoad(): Promise<FleetGatewayLoad[]>;
  verifyRemediation(input: { gatewayId: string }): Promise<VerifyResult>;
  /**
   * The run's ending, for the outside world: in K8s mode an Event on the pod (sessions
   * migrated, then healed / compensated / needs-human); otherwise nothing.
   */
  recordMilestone(input: { gatewayId: string; outcome: RemediationOutcome; why: string; moved: number }): Promise<void>;
  /** The source's session count (undefined once it is gone) and the load of every serving target. */
  migrationTargets(input: { gatewayId: string }): Promise<{ sourceSessions: number | undefined; targets: FleetGatewayLoad[] }>;
  migrateBatch(input: {
    gatewayId: string;
    /** Pacing before this batch starts (sub-second, so inside the activity; see gatherEvidence). */
    delayMs: number;
    batchId: string;
    targets: readonly MigrationTarget[];
    limit: number;
    spreadMs: number;
    waitMs: number;
  }): Promise<BatchOutcome>;
}
