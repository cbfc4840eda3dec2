import { randomUUID } from 'node:crypto';
import { type Client, WorkflowExecutionAlreadyStartedError, WorkflowNotFoundError, WorkflowUpdateFailedError } from '@temporalio/client';
import { type SearchAttributePair } from '@temporalio/common';
import { type RemediationReport, type RemediationRequest, type StormState, rebalanceWorkflowId, remediationWorkflowId, restoreWorkflowId, stormWorkflowId } from '#core';
import { PageTokens } from './page-tokens.js';
import { decodeExecution } from './raw-execution.js';
import { type RunReport, readRunReport } from './run-report.js';
import { type RunMetadata, rebalanceMetadata, remediationMetadata, restoreMetadata, stormMetadata } from './run-summaries.js';
import { ActionAttribute, GatewayIdAttribute, OutcomeAttribute as OutcomeAttributeKey, TriggerAttribute } from './search-attributes.js';
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
  readonly action: string | undefined;
  readonly trigger: string | undefined;
}

export interface RemediationFilter {
  readonly gatewayId?: string;
  readonly outcome?: string;
  readonly trigger?: string;
  /** Runs started at or after this time. */
  readonly since?: Date;
  readonly until?: Date;
  readonly pageSize?: number;
  /** Opaque, from the previous page's `nextPageToken`. */
  readonly pageToken?: string;
}

export interface RemediationPage {
  readonly runs: RemediationSummary[];
  readonly nextPageToken: string | undefined;
}

/** Values are validated before they get here; quoting still keeps a query a query. */
const quote = (value: string): string => `'${value.replace(/'/g, "''")}'`;

/**
 * Custom attribute names in backticks: the list-filter parser (MySQL dialect) lowercases and
 * rejects reserved words used bare, and `Trigger` is one.
 */
const attribute = (name: string): string => `\`${name}\``;

export const visibilityQuery = (filter: RemediationFilter): string =>
  [
    `WorkflowType = ${quote(WORKFLOW_TYPE)}`,
    filter.gatewayId && `${attribute(GatewayIdAttribute.name)} = ${quote(filter.gatewayId)}`,
    filter.outcome && `${attribute(OutcomeAttributeKey.name)} = ${quote(filter.outcome)}`,
    filter.trigger && `${attribute(TriggerAttribute.name)} = ${quote(filter.trigger)}`,
    filter.since && `StartTime >= ${quote(filter.since.toISOString())}`,
    filter.until && `StartTime < ${quote(filter.until.toISOString())}`,
  ]
    .filter(Boolean)
    .join(' AND ');

export class RemediationClosedError extends Error {
  constructor(workflowId: string, status: string) {
    super(`remediation ${workflowId} is no longer running (status ${status})`);
    this.name = 'RemediationClosedError';
  }
}

export class RemediationNotFoundError extends Error {
  constructor(workflowId: string, runId?: string) {
    super(runId ? `no run ${runId} of workflow id ${workflowId}` : `no remediation run with workflow id ${workflowId}`);
    this.name = 'RemediationNotFoundError';
  }
}

/** An approve or reject the run refused: not waiting for approval, already answered, or four-eyes. */
export class ApprovalRefusedError extends Error {
  constructor(workflowId: string, reason: string) {
    super(`remediation ${workflowId} refused the decision: ${reason}`);
    this.name = 'ApprovalRefusedError';
  }
}

export interface ApprovalDecision {
  /** The caller's identity. */
  readonly by: string;
  readonly comment?: string;
}

export interface ApprovalAnswer {
  readonly approved: boolean;
  readonly by: string;
  readonly comment?: string;
}

const WORKFLOW_TYPE = 'remediateGateway';
/** The remediation workflow's signal for a later trigger (workflows/remediation/trigger-inbox.ts). */
const TRIGGER_SIGNAL = 'trigger';
/** Memo key naming the call that started a run (see `start`). */
const DELIVERY_MEMO = 'startedByDelivery';

/** Starts, lists and reads remediation runs; shared by the API and the watchers. */
export class RemediationClient {
  constructor(
    private readonly client: Client,
    private readonly pageTokens = new PageTokens(),
  ) {}

  /**
   * Starts the remediation of a gateway, or delivers the request to the run already open for it
   * (signal-with-start, one atomic call): one incident is one run, and that run re-decides on
   * every trigger it is given. `joined` says which happened, as the server answered it.
   */
  async start(request: RemediationRequest): Promise<RemediationRun> {
    const workflowId = remediationWorkflowId(request.gatewayId);
    // The SDK does not say whether signal-with-start started the run; a memo does, because
    // only a start records it: the open run's memo is the one its own start wrote.
    const delivery = randomUUID();
    const handle = await this.client.workflow.signalWithStart(WORKFLOW_TYPE, {
      workflowId,
      taskQueue: HOMEOSTAT_TASK_QUEUE,
      args: [request],
      signal: TRIGGER_SIGNAL,
      signalArgs: [request],
      memo: { [DELIVERY_MEMO]: delivery },
      // What the Temporal UI lists the run by; a trigger delivered to an open run leaves the first one's.
      ...remediationMetadata(request),
      typedSearchAttributes: [
        { key: GatewayIdAttribute, value: request.gatewayId },
        { key: TriggerAttribute, value: request.trigger },
      ],
    });
    const { memo } = await handle.describe();
    return { workflowId, runId: handle.signaledRunId, joined: memo?.[DELIVERY_MEMO] !== delivery };
  }

  /**
   * Delivers a trigger to the open run only, starting nothing: for a gateway whose incident is
   * already handled (held for a human, taken out for good). False when no run is open.
   */
  async deliver(request: RemediationRequest): Promise<boolean> {
    try {
      await this.client.workflow.getHandle(remediationWorkflowId(request.gatewayId)).signal(TRIGGER_SIGNAL, request);
      return true;
    } catch (error) {
      if (error instanceof WorkflowNotFoundError) return false;
      throw error;
    }
  }

  /**
   * One page of runs from Temporal visibility, newest first (the server's order),
   * filtered by the search attributes the workflow keeps up to date.
   */
  list(filter: RemediationFilter = {}): Promise<RemediationPage> {
    return this.listByQuery(visibilityQuery(filter), filter);
  }

  private async listByQuery(query: string, filter: Pick<RemediationFilter, 'pageSize' | 'pageToken'>): Promise<RemediationPage> {
    const response = await this.client.workflowService.listWorkflowExecutions({
      namespace: this.client.options.namespace,
      query,
      pageSize: filter.pageSize ?? 50,
      nextPageToken: filter.pageToken ? this.pageTokens.open(query, filter.pageToken) : undefined,
    });
    return {
      runs: response.executions.map(decodeExecution).map((execution) => ({
        workflowId: execution.workflowId,
        runId: execution.runId,
        gatewayId: execution.keyword(GatewayIdAttribute.name),
        status: execution.status,
        startTime: execution.startTime?.toISOString() ?? '',
        closeTime: execution.closeTime?.toISOString(),
        outcome: execution.keyword(OutcomeAttributeKey.name),
        action: execution.keyword(ActionAttribute.name),
        trigger: execution.keyword(TriggerAttribute.name),
      })),
      nextPageToken: response.nextPageToken?.length ? this.pageTokens.seal(query, response.nextPageToken) : undefined,
    };
  }

  /** Approves a run waiting for approval; refused (ApprovalRefusedError, with the run's reason) otherwise. */
  approve(workflowId: string, decision: ApprovalDecision): Promise<ApprovalAnswer> {
    return this.decide(workflowId, 'approve', decision);
  }

  reject(workflowId: string, decision: ApprovalDecision): Promise<ApprovalAnswer> {
    return this.decide(workflowId, 'reject', decision);
  }

  /** Asks the open run to stop; it records `cancelled` and leaves the gateway out of rotation. */
  async cancel(workflowId: string): Promise<void> {
    const handle = await this.openRun(workflowId);
    await handle.cancel();
  }

  /** A Workflow Update: the run's validator accepts or refuses it, and the caller hears which at once. */
  private async decide(workflowId: string, update: 'approve' | 'reject', decision: ApprovalDecision): Promise<ApprovalAnswer> {
    const handle = await this.openRun(workflowId);
    try {
      const { approved, by, comment } = await handle.executeUpdate<ApprovalAnswer, [ApprovalDecision]>(update, { args: [decision] });
      return { approved, by, ...(comment ? { comment } : {}) };
    } catch (error) {
      if (error instanceof WorkflowUpdateFailedError) throw new ApprovalRefusedError(workflowId, error.cause?.message ?? error.message);
      // The run closed between our look and the update (e.g. its approval timed out just then).
      if (error instanceof WorkflowNotFoundError) throw new RemediationClosedError(workflowId, 'closed');
      throw error;
    }
  }

  private async openRun(workflowId: string) {
    const handle = this.client.workflow.getHandle(workflowId);
    const description = await handle.describe().catch((error: unknown) => {
      throw error instanceof WorkflowNotFoundError ? new RemediationNotFoundError(workflowId) : error;
    });
    if (description.status.name !== 'RUNNING') throw new RemediationClosedError(workflowId, description.status.name);
    return handle;
  }

  /** Starts (or joins) the restore of a quarantined gateway: probation, then serving again. */
  async startRestore(gatewayId: string, reason: string, requestedBy?: string): Promise<RemediationRun> {
    return this.startOnce(
      'restoreGateway',
      restoreWorkflowId(gatewayId),
      [{ gatewayId, reason, ...(requestedBy ? { requestedBy } : {}) }],
      restoreMetadata(gatewayId, reason, requestedBy),
      [{ key: GatewayIdAttribute, value: gatewayId }],
    );
  }

  /** Evens connections across serving gateways, paced. */
  async startRebalance(reason: string, tolerance?: number, requestedBy?: string): Promise<RemediationRun> {
    return this.startOnce(
      'rebalanceFleet',
      rebalanceWorkflowId(new Date()),
      [{ reason, ...(tolerance === undefined ? {} : { tolerance }), ...(requestedBy ? { requestedBy } : {}) }],
      rebalanceMetadata(reason, tolerance, requestedBy),
    );
  }

  /** Starts (or joins) the run that explains a storm and waits for it to lift (workflows/storm-hold.ts). */
  async startStormHold(storm: StormState): Promise<RemediationRun> {
    return this.startOnce('stormHold', stormWorkflowId(storm.sinceMs), [{ storm }], stormMetadata(storm));
  }

  /**
   * One open run per workflow id: starting fails if one is open, and then we join it.
   * (A closed run's id may be reused, so a gateway that fails again is healed again.)
   * `metadata` is what the Temporal UI lists the run by (its static summary and details).
   */
  private async startOnce(
    workflowType: string,
    workflowId: string,
    args: unknown[],
    metadata: RunMetadata,
    typedSearchAttributes: SearchAttributePair[] = [],
  ): Promise<RemediationRun> {
    try {
      const handle = await this.client.workflow.start(workflowType, {
        workflowId,
        taskQueue: HOMEOSTAT_TASK_QUEUE,
        args,
        workflowIdConflictPolicy: 'FAIL',
        typedSearchAttributes,
        ...metadata,
      });
      return { workflowId, runId: handle.firstExecutionRunId, joined: false };
    } catch (error) {
      if (!(error instanceof WorkflowExecutionAlreadyStartedError)) throw error;
      const { runId } = await this.client.workflow.getHandle(workflowId).describe();
      return { workflowId, runId, joined: true };
    }
  }

  /** The latest run's report of that id, with its status (see readRunReport for where it comes from). */
  report(workflowId: string): Promise<RunReport<RemediationReport>> {
    return this.readReport(workflowId, undefined);
  }

  /** A specific run's report, open or closed. */
  runReport(workflowId: string, runId: string): Promise<RunReport<RemediationReport>> {
    return this.readReport(workflowId, runId);
  }

  /** Every run that had this workflow id (a gateway's remediations over time), newest first. */
  async runs(workflowId: string, page: Pick<RemediationFilter, 'pageSize' | 'pageToken'> = {}): Promise<RemediationPage> {
    const result = await this.listByQuery(`WorkflowId = ${quote(workflowId)}`, page);
    return { ...result, runs: [...result.runs].sort((a, b) => b.startTime.localeCompare(a.startTime)) };
  }

  private async readReport(workflowId: string, runId: string | undefined): Promise<RunReport<RemediationReport>> {
    try {
      return await readRunReport<RemediationReport>(this.client, this.client.workflow.getHandle(workflowId, runId));
    } catch (error) {
      if (error instanceof WorkflowNotFoundError) throw new RemediationNotFoundError(workflowId, runId);
      throw error;
    }
  }
}
