import type { MigrateResult } from '#agent';
import { type ArrivalWindow, type EvidenceSample, type FactCheck, type Guardrails, type Policy, type RemediationOutcome, type RemediationRecord, type VerificationPromise } from '#core';
import { type ClaimOutcome } from '#etcd/operation-claims';
import { type StormActivities } from './storm-activities.js';

/**
 * The activities the remediation workflows call. Workflows import this file for
 * its types only; the implementations do I/O and live beside it. Every one is
 * idempotent, because Temporal retries them.
 */
export interface QuarantineResult {
  readonly previousState: string | undefined;
  /** Whether the gateway's agent answered (a crashed gateway does not). */
  readonly reachable: boolean;
  /** Probation only: the gateway still took sessions, so it was watched in rotation, not taken out. */
  readonly keptInRotation?: boolean;
}

export interface VerifyResult {
  readonly sourceSessions: number | undefined;
  readonly servingGateways: readonly string[];
  readonly ok: boolean;
  readonly problems: readonly string[];
  /** What was promised and every fact checked, each marked observed or not. */
  readonly promise?: VerificationPromise;
  readonly checks?: readonly FactCheck[];
  /** Where a gone gateway's clients were seen again. */
  readonly clientsElsewhere?: ClientsElsewhere;
}

/** A gateway's clients counted on the other gateways (their agents' arrival counts). */
export interface ClientsElsewhere {
  readonly count: number;
  readonly byGateway: Record<string, number>;
  readonly lastArrivalAt?: number;
  /** Gateways whose agents did not answer: their share is unknown. */
  readonly unanswered: readonly string[];
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
  /** The source's agent did not answer: nothing was moved, and what is left on it is unknown. */
  readonly sourceUnreachable?: boolean;
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
  /** Its last known control address, kept in the state record so it is asked even unregistered. */
  readonly controlUrl?: string;
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

export interface RemediationActivities extends StormActivities {
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
  /** Puts a gateway on probation: watched, taking no new sessions (one still taking sessions is watched in rotation). */
  probationGateway(input: GatewayActionInput): Promise<QuarantineResult>;
  /**
   * Back to serving: agent accepts sessions, state `serving`, out of the quarantine set. With
   * `onlyIfReachable` (compensation) a gateway whose agent does not answer stays out: putting a
   * frozen gateway back in rotation would send new clients to it.
   */
  returnToService(input: GatewayActionInput & { readonly onlyIfReachable?: boolean }): Promise<{ reachable: boolean }>;
  /** Load of every serving gateway, as its agent reports it. */
  fleetLoad(): Promise<FleetGatewayLoad[]>;
  /** Checks what the action promised (by default: emptied); every fact it could not observe fails. */
  verifyRemediation(input: {
    gatewayId: string;
    promise?: VerificationPromise;
    expectedClients?: number;
    waitMs?: number;
    sourceReportedEmpty?: boolean;
    /** Count only the clients that came back within this window: this incident's, not an earlier one's. */
    arrivalWindow?: ArrivalWindow;
  }): Promise<VerifyResult>;
  /** State `fenced`: the agent sheds every session and refuses new ones when it sees it; the agent is also told directly if it answers. */
  fenceGateway(input: GatewayActionInput): Promise<QuarantineResult>;
  /** Ends the process through the supervisor, where one exists (no-op otherwise; idempotent). */
  terminateGateway(input: GatewayActionInput): Promise<{ terminated: boolean; how: string }>;
  /** State `needs-human` (keeping whether it takes sessions): no automatic run until a human acts or the quiet period passes. */
  holdForHuman(input: GatewayActionInput): Promise<{ inRotation: boolean; previousState: string | undefined }>;
  /** An operator's run lifts a hold: back to the routing state it had (serving, or out). */
  releaseHold(input: GatewayActionInput): Promise<{ released: boolean }>;
  /** The blast-radius check alone, claiming nothing (a dry run). */
  checkBlastRadius(input: { gatewayId: string; maxQuarantinedFraction: number }): Promise<{ allowed: boolean; reason?: string }>;
  /**
   * The run's ending, for the outside world: its decisions and outcome in the gateway's timeline
   * (the policy lab), and in K8s mode an Event on the pod (sessions migrated, then healed /
   * compensated / needs-human). Idempotent: the timeline keeps one record per run id.
   */
  recordMilestone(input: { gatewayId: string; outcome: RemediationOutcome; why: string; moved: number }): Promise<void>;
  /** The source's session count (undefined once it is gone) and the load of every serving target. */
  migrationTargets(input: { gatewayId: string }): Promise<{ sourceSessions: number | undefined; sourceReachable?: boolean; targets: FleetGatewayLoad[] }>;
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
