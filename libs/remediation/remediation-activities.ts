import { type EvidenceSample, type Policy, type RemediationRecord } from '#core';

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

export interface RehomeResult {
  readonly sourceReachable: boolean;
  readonly targets: readonly string[];
  readonly redirected: number;
  /** Sessions still on the source when the activity stopped waiting. */
  readonly remaining: number;
}

export interface VerifyResult {
  readonly sourceSessions: number | undefined;
  readonly servingGateways: readonly string[];
  readonly ok: boolean;
  readonly problems: readonly string[];
}

export interface GatewayActionInput {
  readonly gatewayId: string;
  /** Who acts: the workflow id, recorded in etcd next to the state. */
  readonly by: string;
  readonly reason: string;
}

export interface RemediationActivities {
  loadPolicy(): Promise<{ policy: Policy; source: 'stored' | 'default' }>;
  gatherEvidence(input: { gatewayId: string }): Promise<EvidenceSample>;
  remediationHistory(): Promise<RemediationRecord[]>;
  recordRemediation(record: RemediationRecord): Promise<void>;
  claimQuarantine(input: { gatewayId: string; owner: string; maxQuarantinedFraction: number }): Promise<{ allowed: boolean; reason?: string }>;
  releaseQuarantine(input: { gatewayId: string }): Promise<void>;
  quarantineGateway(input: GatewayActionInput): Promise<QuarantineResult>;
  degradeGateway(input: GatewayActionInput): Promise<QuarantineResult>;
  drainGateway(input: GatewayActionInput): Promise<QuarantineResult>;
  restoreGateway(input: GatewayActionInput): Promise<{ reachable: boolean }>;
  rehomeSessions(input: { gatewayId: string }): Promise<RehomeResult>;
  verifyRemediation(input: { gatewayId: string }): Promise<VerifyResult>;
}
