import { ParentClosePolicy, defineQuery, proxyActivities, setHandler, sleep, startChild, workflowInfo } from '@temporalio/workflow';
import { type EvidenceSample } from '#core';
import type { RemediationActivities } from '#remediation/remediation-activities';
import { rebalanceFleet } from './rebalance-fleet.js';
import { RETRY } from './remediation/activities.js';
import { type OperationClaimResult, claimOperation, releaseOperation } from './remediation/operation-claim.js';
import { restoreGateway as restoreGatewayV1 } from './v1/restore-gateway.js';
import { isV1History } from './versions.js';

export interface RestoreRequest {
  readonly gatewayId: string;
  readonly reason: string;
}

export interface RestoreReport {
  readonly gatewayId: string;
  readonly reason: string;
  probationMs?: number;
  /** The gateway still took sessions when the restore began (held for a human in rotation): watched where it was, never taken out. */
  probationInRotation?: boolean;
  readonly samples: EvidenceSample[];
  /** `busy`: another operation kept the gateway for longer than a restore waits. */
  outcome: 'running' | 'restored' | 'failed-probation' | 'busy';
  outcomeReason?: string;
  /** The gateway's operation claim: how long the restore waited for it, and for whom. */
  operation?: OperationClaimResult;
  rebalanceWorkflowId?: string;
}

export const restoreReportQuery = defineQuery<RestoreReport>('report');

const act = proxyActivities<RemediationActivities>({
  startToCloseTimeout: '30s',
  retry: RETRY,
});

const PROBATION_LOOKS = 5;

/** Why a probation sample disqualifies the gateway, if it does. */
const failing = (sample: EvidenceSample): string | undefined => {
  if (!sample.registered) return 'its registration lease is gone';
  if (!sample.reachable) return 'its agent does not answer';
  if (sample.vitals?.writeBlocked) return 'it is write-blocked';
  return undefined;
};

/**
 * Brings a quarantined gateway back: probation (watched for the policy's
 * probation period, taking no sessions), then serving again and out of the
 * quarantine set, then a paced rebalance so it gets its share of the load.
 * It holds the gateway's operation claim throughout, so it never interleaves
 * with a remediation of the same gateway (it waits for one that is running).
 */
export async function restoreGateway(request: RestoreRequest): Promise<RestoreReport> {
  if (isV1History()) return restoreGatewayV1(request);
  const report: RestoreReport = { gatewayId: request.gatewayId, reason: request.reason, samples: [], outcome: 'running' };
  setHandler(restoreReportQuery, () => report);
  const claim = await claimOperation(request.gatewayId, 'restore');
  report.operation = claim;
  if (!claim.acquired) {
    report.outcome = 'busy';
    report.outcomeReason = claim.reason;
    return report;
  }
  try {
    return await restore(request, report);
  } finally {
    await releaseOperation(request.gatewayId);
  }
}

const restore = async (request: RestoreRequest, report: RestoreReport): Promise<RestoreReport> => {
  const { workflowId, runId } = workflowInfo();
  const input = { gatewayId: request.gatewayId, by: workflowId, reason: request.reason };
  const { policy } = await act.loadPolicy();
  report.probationMs = policy.probation.durationMs;
  const probation = await act.probationGateway(input);
  report.probationInRotation = probation.keptInRotation === true;
  for (let look = 0; look < PROBATION_LOOKS; look++) {
    await sleep(policy.probation.durationMs / PROBATION_LOOKS);
    const [sample] = await act.gatherEvidence({ gatewayId: request.gatewayId, samples: 1, intervalMs: 0 });
    if (!sample) continue;
    report.samples.push(sample);
    const problem = failing(sample);
    if (problem) {
      await act.quarantineGateway({ ...input, reason: `failed probation: ${problem}` });
      report.outcome = 'failed-probation';
      report.outcomeReason = problem;
      return report;
    }
  }
  await act.returnToService(input);
  report.outcome = 'restored';
  report.outcomeReason = `healthy throughout ${policy.probation.durationMs} ms of probation${report.probationInRotation ? ' in rotation (it was still taking sessions)' : ''}`;
  report.rebalanceWorkflowId = `rebalance:${workflowId}:${runId}`;
  await startChild(rebalanceFleet, {
    workflowId: report.rebalanceWorkflowId,
    args: [{ reason: `${request.gatewayId} restored` }],
    parentClosePolicy: ParentClosePolicy.ABANDON,
  });
  return report;
};
