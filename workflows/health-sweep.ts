import { WorkflowExecutionAlreadyStartedError } from '@temporalio/common';
import { ApplicationFailure, ParentClosePolicy, getExternalWorkflowHandle, proxyActivities, startChild, workflowInfo } from '@temporalio/workflow';
import {
  type HealthSweepInput,
  type HealthSweepReport,
  InvalidSweepInputError,
  type RemediationRequest,
  type SweepCandidate,
  type SweepRemediationOutcome,
  type SweepSettings,
  type UnhealthyGatewayReport,
  sweepFindings,
  sweepSettingsFrom,
} from '#core';
import type { SweepActivities } from '#remediation/sweep-activities';
import { GatewayIdAttribute, TriggerAttribute } from '#temporal/search-attributes';
import type { remediateGateway } from './remediate-gateway.js';
import { healthSweep as healthSweepV1 } from './v1/health-sweep.js';
import { isV1History } from './versions.js';

const { assessFleet } = proxyActivities<SweepActivities>({
  startToCloseTimeout: '30s',
  retry: { initialInterval: '200ms', backoffCoefficient: 2, maximumInterval: '5s', maximumAttempts: 5 },
});

/**
 * The safety net: scores every registered gateway from its latest vitals and starts a
 * remediation for each unhealthy one the fast path missed (e.g. while no detector ran).
 * The fleet is judged in the activity that reads it (the same pure planSweep), and only a
 * bounded assessment enters the history: a snapshot of the whole fleet would grow with it
 * past Temporal's payload limits (v1 passed it whole and broke near 1 600 gateways).
 */
export async function healthSweep(input: HealthSweepInput = {}): Promise<HealthSweepReport> {
  if (isV1History()) return healthSweepV1(input);
  const startedAt = Date.now();
  const settings = validSettings(input);
  const plan = await assessFleet({ settings });
  const unhealthy: UnhealthyGatewayReport[] = await Promise.all(
    plan.candidates.map(async (candidate) => ({
      gatewayId: candidate.gateway.gatewayId,
      score: candidate.gateway.score,
      vitalsAgeMs: candidate.gateway.vitalsAgeMs,
      signals: candidate.gateway.signals,
      actions: candidate.gateway.verdict.actions,
      reason: candidate.reason,
      remediation: await remediate(candidate),
      workflowId: candidate.workflowId,
    })),
  );
  const finishedAt = Date.now();
  const count = (outcome: SweepRemediationOutcome): number => unhealthy.filter((u) => u.remediation === outcome).length;
  return {
    policy: plan.policy,
    readAt: plan.readAt,
    startedAt,
    finishedAt,
    durationMs: finishedAt - startedAt,
    scanned: plan.scanned,
    healthy: plan.healthy,
    skipped: plan.skipped,
    unhealthy,
    remediations: { started: count('started'), joined: count('joined'), deferred: count('deferred') + plan.unlisted.deferred },
    unlisted: plan.unlisted,
    unreadable: plan.unreadable,
    unreadableTotal: plan.unreadableTotal,
  };
}

/**
 * Starts `remediate:<id>` as a child that outlives the sweep (ABANDON). A run already open
 * for that gateway, whoever started it, is joined: the sweep's findings are delivered to it
 * (the `trigger` signal), so that one incident re-decides on everything seen.
 */
const remediate = async (candidate: SweepCandidate): Promise<SweepRemediationOutcome> => {
  if (candidate.intent !== 'remediate') return candidate.intent;
  const { gatewayId } = candidate.gateway;
  const request: RemediationRequest = {
    gatewayId,
    trigger: 'sweep',
    reason: candidate.reason,
    requestedAt: Date.now(),
    findings: sweepFindings(candidate.gateway, workflowInfo().workflowId),
  };
  try {
    await startChild<typeof remediateGateway>('remediateGateway', {
      workflowId: candidate.workflowId,
      args: [request],
      parentClosePolicy: ParentClosePolicy.ABANDON,
      typedSearchAttributes: [
        { key: GatewayIdAttribute, value: gatewayId },
        { key: TriggerAttribute, value: 'sweep' },
      ],
    });
    return 'started';
  } catch (error) {
    if (!isAlreadyStarted(error)) throw error;
    await getExternalWorkflowHandle(candidate.workflowId)
      .signal<[RemediationRequest]>('trigger', request)
      .catch(() => undefined); // it closed in between: the next sweep judges the gateway afresh
    return 'joined';
  }
};

// The SDK's own class: the workflow bundle holds one copy of @temporalio/common, the one startChild throws from.
const isAlreadyStarted = (error: unknown): boolean => error instanceof WorkflowExecutionAlreadyStartedError;

/** A bad input is a caller's mistake: fail the run with the reason instead of retrying the task forever. */
const validSettings = (input: HealthSweepInput): SweepSettings => {
  try {
    return sweepSettingsFrom(input);
  } catch (error) {
    if (error instanceof InvalidSweepInputError) throw ApplicationFailure.nonRetryable(error.message, error.name);
    throw error;
  }
};
