import { ApplicationFailure, defineQuery, proxyActivities, setHandler, upsertSearchAttributes, workflowInfo } from '@temporalio/workflow';
import { type RemediationReport, type RemediationRequest, type RemediationStep } from '#core';
import type { RemediationActivities } from '#remediation/remediation-activities';
import { ActionAttribute, OutcomeAttribute } from '#temporal/search-attributes';

export const reportQuery = defineQuery<RemediationReport>('report');

const activities = proxyActivities<RemediationActivities>({
  startToCloseTimeout: '30s',
  heartbeatTimeout: '5s',
  retry: { initialInterval: '200ms', backoffCoefficient: 2, maximumInterval: '5s', maximumAttempts: 5 },
});

/**
 * Heals one gateway: quarantine it (no new sessions), then move its clients to
 * serving gateways. Every step is recorded with its timestamps so the run
 * explains itself through the `report` query and the Temporal UI.
 */
export async function remediateGateway(request: RemediationRequest): Promise<RemediationReport> {
  const report: RemediationReport = {
    gatewayId: request.gatewayId,
    trigger: request.trigger,
    reason: request.reason,
    requestedAt: request.requestedAt,
    startedAt: workflowInfo().startTime.getTime(),
    steps: [],
    outcome: 'running',
  };
  setHandler(reportQuery, () => report);
  upsertSearchAttributes([{ key: ActionAttribute, value: 'quarantine+migrate' }]);
  try {
    await step(report, 'quarantine', () =>
      activities.quarantineGateway({ gatewayId: request.gatewayId, by: workflowInfo().workflowId, reason: request.reason }),
    );
    await step(report, 'rehome-sessions', () => activities.rehomeSessions({ gatewayId: request.gatewayId }));
    finish(report, 'healed');
  } catch {
    // Retries are spent: stop in a state a human can pick up rather than guess.
    finish(report, 'needs-human');
  }
  return report;
}

const step = async <T extends object>(report: RemediationReport, name: string, run: () => Promise<T>): Promise<T> => {
  const record: RemediationStep = { name, startedAt: Date.now(), status: 'running' };
  report.steps.push(record);
  try {
    const result = await run();
    Object.assign(record, { status: 'done', finishedAt: Date.now(), detail: { ...result } });
    return result;
  } catch (error) {
    Object.assign(record, { status: 'failed', finishedAt: Date.now(), error: describe(error) });
    throw error;
  }
};

const finish = (report: RemediationReport, outcome: RemediationReport['outcome']): void => {
  report.outcome = outcome;
  report.finishedAt = Date.now();
  upsertSearchAttributes([{ key: OutcomeAttribute, value: outcome }]);
};

const describe = (error: unknown): string => {
  if (error instanceof ApplicationFailure || !(error instanceof Error)) return String(error);
  const cause = (error as Error & { cause?: Error }).cause;
  return cause ? `${error.message}: ${cause.message}` : error.message;
};
