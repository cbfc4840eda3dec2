import { type Client } from '@temporalio/client';
import { defaultPayloadConverter } from '@temporalio/common';
import { type DetectionEvidence, type RemediationRequest, parseDetectionReason, remediationWorkflowId } from '#core';
import { waitUntil } from '#devstack';

export interface DetectedRun {
  readonly workflowId: string;
  readonly runId: string;
  readonly startedAt: number;
  readonly request: RemediationRequest;
  readonly evidence: DetectionEvidence | undefined;
}

/**
 * Waits for a remediation of `gatewayId` that started at or after `sinceMs`, and reads the
 * request it was started with from its history (no worker needed, unlike the report query),
 * with the evidence parsed back out of the reason.
 */
export const waitForRemediation = async (temporal: Client, gatewayId: string, sinceMs = 0, timeoutMs = 30_000): Promise<DetectedRun> => {
  const workflowId = remediationWorkflowId(gatewayId);
  const description = await waitUntil(
    `a remediation of ${gatewayId}`,
    async () => {
      const found = await temporal.workflow.getHandle(workflowId).describe().catch(() => undefined);
      return found && found.startTime.getTime() >= sinceMs ? found : undefined;
    },
    { timeoutMs, intervalMs: 20 },
  );
  const history = await temporal.workflow.getHandle(workflowId, description.runId).fetchHistory();
  const payload = history.events?.[0]?.workflowExecutionStartedEventAttributes?.input?.payloads?.[0];
  if (!payload) throw new Error(`${workflowId} has no start input in its history`);
  const request = defaultPayloadConverter.fromPayload<RemediationRequest>(payload);
  return {
    workflowId,
    runId: description.runId,
    startedAt: description.startTime.getTime(),
    request,
    evidence: parseDetectionReason(request.reason),
  };
};

/** Every run started for the gateway, open or closed, once visibility lists at least one. */
export const runsOf = async (temporal: Client, gatewayId: string): Promise<string[]> =>
  waitUntil(`visibility to list the runs of ${gatewayId}`, async () => {
    const runs: string[] = [];
    for await (const execution of temporal.workflow.list({ query: `WorkflowId = '${remediationWorkflowId(gatewayId)}'` })) runs.push(execution.runId);
    return runs.length > 0 ? runs : undefined;
  });

/** Whether any run was ever started for the gateway (describe sees runs at once, visibility may lag). */
export const hasRemediation = async (temporal: Client, gatewayId: string): Promise<boolean> =>
  temporal.workflow
    .getHandle(remediationWorkflowId(gatewayId))
    .describe()
    .then(
      () => true,
      () => false,
    );
