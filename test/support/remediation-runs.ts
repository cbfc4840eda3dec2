import { type Client } from '@temporalio/client';
import { type RemediationOutcome, type RemediationReport, type RemediationRequest, remediationWorkflowId } from '#core';
import { waitUntil } from '#devstack';
import { RemediationClient } from '#temporal';

/** Waits until the latest run for `gatewayId` reports one of `outcomes`, and returns its report. */
export const waitForOutcome = (
  client: Client,
  gatewayId: string,
  outcomes: readonly RemediationOutcome[],
  timeoutMs = 60_000,
): Promise<RemediationReport> =>
  waitUntil(
    `remediate:${gatewayId} to reach ${outcomes.join(' or ')}`,
    async () => {
      const report = await client.workflow.getHandle(remediationWorkflowId(gatewayId)).query<RemediationReport>('report').catch(() => undefined);
      return report && outcomes.includes(report.outcome) ? report : undefined;
    },
    { timeoutMs, intervalMs: 100 },
  );

export const startRemediation = (client: Client, gatewayId: string, extra: Partial<RemediationRequest> = {}) =>
  new RemediationClient(client).start({ gatewayId, trigger: 'api', reason: 'test', requestedAt: Date.now(), ...extra });
