import { type Client } from '@temporalio/client';
import { type RemediationOutcome, type RemediationReport, type RemediationRequest, remediationWorkflowId } from '#core';
import { waitUntil } from '#devstack';
import { RemediationClient } from '#temporal';

/** Waits until the latest run for `gatewayId` reports one of `outcomes`, and returns its report; a timeout says where the run was. */
export const waitForOutcome = async (
  client: Client,
  gatewayId: string,
  outcomes: readonly RemediationOutcome[],
  timeoutMs = 60_000,
): Promise<RemediationReport> => {
  let last: RemediationReport | undefined;
  try {
    return await waitUntil(
      `remediate:${gatewayId} to reach ${outcomes.join(' or ')}`,
      async () => {
        last = (await client.workflow.getHandle(remediationWorkflowId(gatewayId)).query<RemediationReport>('report').catch(() => undefined)) ?? last;
        return last && outcomes.includes(last.outcome) ? last : undefined;
      },
      { timeoutMs, intervalMs: 100 },
    );
  } catch (error) {
    const steps = last?.steps.map((s) => `${s.name}:${s.status}`).join(' ') ?? 'no report';
    throw new Error(`${(error as Error).message}; last seen: outcome ${last?.outcome ?? 'none'}, steps ${steps}`, { cause: error });
  }
};

export const startRemediation = (client: Client, gatewayId: string, extra: Partial<RemediationRequest> = {}) =>
  new RemediationClient(client).start({ gatewayId, trigger: 'api', reason: 'test', requestedAt: Date.now(), ...extra });
