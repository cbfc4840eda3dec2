/** What started a remediation; also the `Trigger` search attribute. */
export const TRIGGER_KINDS = ['api', 'lease-expired', 'detector', 'sweep'] as const;
export type TriggerKind = (typeof TRIGGER_KINDS)[number];

export interface RemediationRequest {
  readonly gatewayId: string;
  readonly trigger: TriggerKind;
  readonly reason: string;
  /** When the trigger fired (ms since epoch), as seen by whoever fired it. */
  readonly requestedAt: number;
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

export type RemediationOutcome = 'running' | 'healed' | 'needs-human';

/** The run's own account of itself, returned by the `report` query and the API. */
export interface RemediationReport {
  readonly gatewayId: string;
  readonly trigger: TriggerKind;
  readonly reason: string;
  readonly requestedAt: number;
  readonly startedAt: number;
  readonly steps: RemediationStep[];
  outcome: RemediationOutcome;
  finishedAt?: number;
}
