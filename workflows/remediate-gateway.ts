import {
  CancellationScope,
  defineQuery,
  executeChild,
  isCancellation,
  patched,
  proxyActivities,
  setHandler,
  upsertSearchAttributes,
  workflowInfo,
} from '@temporalio/workflow';
import {
  AGENT_CALL_TIMEOUT_MS,
  type Action,
  type MigrationSettings,
  OPERATOR_DEFAULT_ACTIONS,
  type Policy,
  type RemediationOutcome,
  type RemediationReport,
  type RemediationRequest,
  decideRemediation,
  heartbeatTimeoutMs,
} from '#core';
import type { RemediationActivities } from '#remediation/remediation-activities';
import { ActionAttribute } from '#temporal/search-attributes';
import { migrateSessions } from './migrate-sessions.js';
import { installApprovalHandlers } from './remediation/approval.js';
import { awaitApprovalIfRequired, holdGateway, releaseSlot, reserveSlot } from './remediation/guardrails.js';
import { releaseOperation } from './remediation/operation-claim.js';
import { RunEnded, describeFailure, newReport, setOutcome, step } from './remediation/run-report.js';
import { remediateGateway as remediateGatewayV1 } from './v1/remediate-gateway.js';
import { isV1History } from './versions.js';

export const reportQuery = defineQuery<RemediationReport>('report');

const RETRY = { initialInterval: '200ms', backoffCoefficient: 2, maximumInterval: '5s', maximumAttempts: 5 } as const;

/**
 * The heartbeat timeout notices a dead worker in seconds; it outlasts the slowest call any of
 * these activities makes before heartbeating (one agent call: evidence heartbeats between its looks).
 */
const act = proxyActivities<RemediationActivities>({ startToCloseTimeout: '30s', heartbeatTimeout: heartbeatTimeoutMs(AGENT_CALL_TIMEOUT_MS), retry: RETRY });

/** A few looks at the gateway, spaced out: one bad sample is not a verdict. */
const EVIDENCE_SAMPLES = 3;
const EVIDENCE_INTERVAL_MS = 150;

/** Actions that take a gateway out of rotation, and so count against the blast radius. */
const REMOVING: readonly Action[] = ['quarantine', 'degrade', 'drain', 'migrate'];

/**
 * Heals one gateway, as DESIGN.md lays out: evidence → decision → guardrails →
 * actions → verify → compensate → report. Every step lands in the report with
 * its timestamps, so the run explains itself through the `report` query and the
 * Temporal UI, and every outcome is written to the `Outcome` search attribute.
 */
export async function remediateGateway(request: RemediationRequest): Promise<RemediationReport> {
  if (isV1History()) return remediateGatewayV1(request);
  const { workflowId } = workflowInfo();
  const report = newReport(request, workflowInfo().startTime.getTime());
  setHandler(reportQuery, () => report);
  const awaitApproval = installApprovalHandlers(request.requestedBy);
  let claimed = false;
  // What to give back at the end: the rate-limit slot (unless the run acted) and the gateway.
  let slotHeld = false;
  let gatewayHeld = false;
  let acted = false;
  try {
    const { policy } = await step(
      report,
      'load-policy',
      () => act.loadPolicy(),
      ({ policy: p, source }) => ({ version: p.version, mode: p.mode, source }),
    );
    report.policyVersion = policy.version;
    report.policyMode = policy.mode;
    await gatherEvidence(report, request.gatewayId);
    const decision = decideRemediation(policy, report.evidence, request.findings, operatorActions(request));
    report.decision = decision;
    upsertSearchAttributes([{ key: ActionAttribute, value: decision.actions.join('+') }]);
    endIfNothingToDo(decision.actions, policy, request);

    slotHeld = await reserveSlot(report, policy, request);
    if (request.dryRun) throw new RunEnded('dry-run', `would do ${decision.actions.join('+')}; nothing was changed`);
    await awaitApprovalIfRequired(report, policy, awaitApproval);
    await holdGateway(report, request.gatewayId, decision.actions.join('+'));
    gatewayHeld = true;
    if (decision.actions.some((a) => REMOVING.includes(a))) {
      const claim = await step(report, 'claim-quarantine', () =>
        act.claimQuarantine({ gatewayId: request.gatewayId, owner: workflowId, maxQuarantinedFraction: policy.guardrails.maxQuarantinedFraction }),
      );
      report.guardrails.push({ name: 'blast-radius', at: Date.now(), allowed: claim.allowed, detail: claim.reason ?? 'within the blast radius' });
      if (!claim.allowed) throw new RunEnded('needs-human', claim.reason ?? 'blast radius');
      claimed = true;
    }
    acted = true;
    await carryOut(report, decision.actions, request, policy);
    const verified = await step(report, 'verify', () => act.verifyRemediation({ gatewayId: request.gatewayId }));
    if (!verified.ok) throw new RunEnded('needs-human', `verification failed: ${verified.problems.join('; ')}`);
    finish(report, 'healed', `${decision.actions.join('+')} done and verified`);
  } catch (error) {
    if (isCancellation(error)) {
      await CancellationScope.nonCancellable(async () => finish(report, 'cancelled', 'cancelled by request; the gateway stays out of rotation if it was taken out'));
      throw error;
    }
    if (error instanceof RunEnded) finish(report, error.outcome, error.why);
    else await compensate(report, request, claimed, error);
  } finally {
    if (slotHeld && !acted) await releaseSlot();
    if (gatewayHeld) await releaseOperation(request.gatewayId);
  }
  await announceEnding(report, request.gatewayId);
  return report;
}

/** The ending as a milestone (a K8s Event in K8s mode); it never changes the outcome. */
const announceEnding = async (report: RemediationReport, gatewayId: string): Promise<void> => {
  if (!patched('k8s-milestones')) return;
  const { outcome, outcomeReason: why = '' } = report;
  await act.recordMilestone({ gatewayId, outcome, why, moved: report.migration?.moved ?? 0 }).catch(() => undefined);
};

const operatorActions = (request: RemediationRequest): readonly Action[] | undefined =>
  request.trigger === 'api' ? (request.actions ?? OPERATOR_DEFAULT_ACTIONS) : undefined;

const gatherEvidence = (report: RemediationReport, gatewayId: string) =>
  step(report, 'gather-evidence', async () => {
    report.evidence.push(...(await act.gatherEvidence({ gatewayId, samples: EVIDENCE_SAMPLES, intervalMs: EVIDENCE_INTERVAL_MS })));
    const last = report.evidence.at(-1);
    return { samples: report.evidence.length, registered: last?.registered, reachable: last?.reachable, sessions: last?.sessions };
  });

const endIfNothingToDo = (actions: readonly Action[], policy: Policy, request: RemediationRequest): void => {
  const onlyWatching = actions.every((a) => a === 'none' || a === 'observe');
  if (onlyWatching) throw new RunEnded(actions.includes('observe') ? 'observed' : 'no-action', `the policy's verdict is ${actions.join('+')}`);
  if (policy.mode === 'shadow' && request.trigger !== 'api') {
    throw new RunEnded('shadow', `policy ${policy.version} is in shadow mode: would have done ${actions.join('+')}`);
  }
};

const carryOut = async (report: RemediationReport, actions: readonly Action[], request: RemediationRequest, policy: Policy): Promise<void> => {
  const input = { gatewayId: request.gatewayId, by: workflowInfo().workflowId, reason: request.reason };
  for (const action of actions) {
    switch (action) {
      case 'quarantine':
        await step(report, 'quarantine', () => act.quarantineGateway(input));
        break;
      case 'degrade':
        await step(report, 'degrade', () => act.degradeGateway(input));
        break;
      case 'drain':
        await step(report, 'drain', () => act.drainGateway(input));
        await migrateAll(report, request.gatewayId, policy.migration);
        break;
      case 'migrate':
        await migrateAll(report, request.gatewayId, policy.migration);
        break;
      default:
        break;
    }
  }
};

/**
 * Moves the gateway's sessions in paced batches (a child workflow with its own
 * history). A gateway that is gone has no sessions left to hand over: its
 * clients reconnect to serving gateways by themselves and resume from their
 * last sequence.
 */
const migrateAll = async (report: RemediationReport, gatewayId: string, settings: MigrationSettings): Promise<void> => {
  if (report.migration) return;
  if (!report.evidence.at(-1)?.reachable) {
    const note = 'the source is gone: its clients reconnect to serving gateways on their own and resume from their last sequence';
    report.migration = await step(report, 'migrate-sessions', async () => ({ sessions: 0, moved: 0, remaining: 0, targets: [], note }));
    return;
  }
  report.migration = await step(report, 'migrate-sessions', () =>
    executeChild(migrateSessions, {
      workflowId: `migrate:${gatewayId}:${workflowInfo().runId}`,
      args: [{ gatewayId, settings }],
    }),
  );
};

/**
 * An action failed for good. If the gateway was taken out and still answers,
 * put it back (the fleet is no worse than before); otherwise stop and say so.
 */
const compensate = async (report: RemediationReport, request: RemediationRequest, claimed: boolean, error: unknown): Promise<void> => {
  const why = describeFailure(error);
  if (!claimed) return finish(report, 'needs-human', why);
  try {
    const restored = await step(report, 'compensate', () =>
      act.returnToService({ gatewayId: request.gatewayId, by: workflowInfo().workflowId, reason: `compensating: ${why}` }),
    );
    finish(report, restored.reachable ? 'compensated' : 'needs-human', restored.reachable ? `undone after: ${why}` : `gateway unreachable after: ${why}`);
  } catch (compensationError) {
    finish(report, 'needs-human', `${why}; compensation failed too: ${describeFailure(compensationError)}`);
  }
};

const finish = (report: RemediationReport, outcome: RemediationOutcome, why: string): void => {
  setOutcome(report, outcome);
  report.outcomeReason = why;
  report.finishedAt = Date.now();
};
