/**
 * The activities `remediateGateway` calls. Workflows import this file for its
 * types only; the implementations do I/O and live beside it.
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

export interface RemediationActivities {
  quarantineGateway(input: { gatewayId: string; by: string; reason: string }): Promise<QuarantineResult>;
  rehomeSessions(input: { gatewayId: string }): Promise<RehomeResult>;
}
