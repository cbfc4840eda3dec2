/** One Temporal run started during a chaos scenario, as the invariants see it. */
export interface RunRecord {
  readonly workflowId: string;
  readonly runId: string;
  /** Workflow type: remediateGateway, restoreGateway, rebalanceFleet, migrateSessions, … */
  readonly type: string;
  /** The gateway the run is about; absent for fleet-wide runs (rebalance). */
  readonly gatewayId?: string;
  readonly startedAt: number;
  /** Absent while the run is open. */
  readonly closedAt?: number;
  /** Temporal's status name: RUNNING, COMPLETED, FAILED, TERMINATED, … */
  readonly status: string;
  /** The run's own outcome from its report (remediations: a RemediationOutcome; restores: restored, failed-probation, …). */
  readonly outcome?: string;
  readonly outcomeReason?: string;
  /** Actions the run took (remediations). */
  readonly actions?: readonly string[];
  /** Whether the run got past the rate limit (a run refused there changed nothing). */
  readonly passedRateLimit?: boolean;
}
