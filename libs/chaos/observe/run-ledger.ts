import { type Client } from '@temporalio/client';
import { type RemediationReport, type RunRecord } from '#core';
import { GatewayIdAttribute, readRunReport } from '#temporal';

/** The report fields the invariants read, from any of Homeostat's run types. */
type AnyReport = Partial<Pick<RemediationReport, 'outcome' | 'outcomeReason' | 'decision' | 'guardrails' | 'gatewayId'>> & { outcome?: string };

const toRecord = (
  info: { workflowId: string; runId: string; type: string; status: { name: string }; startTime: Date; closeTime?: Date; gatewayId?: string },
  report: AnyReport | undefined,
): RunRecord => {
  const gatewayId = info.gatewayId ?? report?.gatewayId;
  const rateLimit = report?.guardrails?.find((g) => g.name === 'rate-limit');
  return {
    workflowId: info.workflowId,
    runId: info.runId,
    type: info.type,
    ...(gatewayId ? { gatewayId } : {}),
    startedAt: info.startTime.getTime(),
    ...(info.closeTime ? { closedAt: info.closeTime.getTime() } : {}),
    status: info.status.name,
    ...(report?.outcome ? { outcome: report.outcome } : {}),
    ...(report?.outcomeReason ? { outcomeReason: report.outcomeReason } : {}),
    ...(report?.decision ? { actions: report.decision.actions } : {}),
    ...(rateLimit ? { passedRateLimit: rateLimit.allowed } : {}),
  };
};

/**
 * Every Temporal run started at or after `since`, any type, with what its report
 * says (outcome, actions, guardrails): Temporal's view, which the invariants hold
 * etcd and the clients to. Visibility is eventually consistent; callers re-read.
 */
export const runsSince = async (client: Client, since: number, only: 'all' | 'running' = 'all'): Promise<RunRecord[]> => {
  const records: RunRecord[] = [];
  const running = only === 'running' ? ` AND ExecutionStatus = 'Running'` : '';
  for await (const info of client.workflow.list({ query: `StartTime >= '${new Date(since).toISOString()}'${running}` })) {
    const handle = client.workflow.getHandle(info.workflowId, info.runId);
    const { report } = await readRunReport<AnyReport>(client, handle).catch(() => ({ report: undefined }));
    const gatewayId = info.typedSearchAttributes.get(GatewayIdAttribute);
    records.push(toRecord({ ...info, ...(gatewayId ? { gatewayId } : {}) }, report));
  }
  return records.sort((a, b) => a.startedAt - b.startedAt);
};
