import { type Client, WorkflowExecutionAlreadyStartedError, WorkflowNotFoundError } from '@temporalio/client';
import { type RemediationReport, type RemediationRequest, remediationWorkflowId } from '#core';
import { GatewayIdAttribute, OutcomeAttribute as OutcomeAttributeKey, TriggerAttribute } from './search-attributes.js';
import { HOMEOSTAT_TASK_QUEUE } from './task-queue.js';

export interface RemediationRun {
  readonly workflowId: string;
  readonly runId: string;
  /** True when a run for this gateway was already open and this request joined it. */
  readonly joined: boolean;
}

export interface RemediationSummary {
  readonly workflowId: string;
  readonly runId: string;
  readonly gatewayId: string | undefined;
  readonly status: string;
  readonly startTime: string;
  readonly closeTime: string | undefined;
  readonly outcome: string | undefined;
  readonly trigger: string | undefined;
}

export class RemediationNotFoundError extends Error {
  constructor(workflowId: string) {
    super(`no remediation run with workflow id ${workflowId}`);
    this.name = 'RemediationNotFoundError';
  }
}

const WORKFLOW_TYPE = 'remediateGateway';

/** Starts, lists and reads remediation runs; shared by the API and the watchers. */
export class RemediationClient {
  constructor(private readonly client: Client) {}

  /**
   * One open run per gateway: starting fails if one is open, and then we join it.
   * (A closed run's id may be reused, so a gateway that fails again is healed again.)
   */
  async start(request: RemediationRequest): Promise<RemediationRun> {
    const workflowId = remediationWorkflowId(request.gatewayId);
    try {
      const handle = await this.client.workflow.start(WORKFLOW_TYPE, {
        workflowId,
        taskQueue: HOMEOSTAT_TASK_QUEUE,
        args: [request],
        workflowIdConflictPolicy: 'FAIL',
        typedSearchAttributes: [
          { key: GatewayIdAttribute, value: request.gatewayId },
          { key: TriggerAttribute, value: request.trigger },
        ],
      });
      return { workflowId, runId: handle.firstExecutionRunId, joined: false };
    } catch (error) {
      if (!(error instanceof WorkflowExecutionAlreadyStartedError)) throw error;
      const { runId } = await this.client.workflow.getHandle(workflowId).describe();
      return { workflowId, runId, joined: true };
    }
  }

  /** Newest first, from Temporal visibility. */
  async list({ limit = 50 }: { limit?: number } = {}): Promise<RemediationSummary[]> {
    const summaries: RemediationSummary[] = [];
    for await (const execution of this.client.workflow.list({ query: `WorkflowType = '${WORKFLOW_TYPE}'` })) {
      summaries.push({
        workflowId: execution.workflowId,
        runId: execution.runId,
        gatewayId: execution.typedSearchAttributes.get(GatewayIdAttribute),
        status: execution.status.name,
        startTime: execution.startTime.toISOString(),
        closeTime: execution.closeTime?.toISOString(),
        outcome: execution.typedSearchAttributes.get(OutcomeAttributeKey),
        trigger: execution.typedSearchAttributes.get(TriggerAttribute),
      });
      if (summaries.length >= limit * 4) break;
    }
    return summaries.sort((a, b) => b.startTime.localeCompare(a.startTime)).slice(0, limit);
  }

  /** The run's report (latest run of that id), with its status. */
  async report(workflowId: string): Promise<{ runId: string; status: string; report: RemediationReport }> {
    const handle = this.client.workflow.getHandle(workflowId);
    try {
      const description = await handle.describe();
      const report = await handle.query<RemediationReport>('report');
      return { runId: description.runId, status: description.status.name, report };
    } catch (error) {
      if (error instanceof WorkflowNotFoundError) throw new RemediationNotFoundError(workflowId);
      throw error;
    }
  }
}
