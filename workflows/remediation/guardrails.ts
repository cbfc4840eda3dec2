import { CancellationScope, proxyActivities, sleep, workflowInfo } from '@temporalio/workflow';
import { type Policy, type RemediationReport, type RemediationRequest, requiresApproval } from '#core';
import type { RemediationActivities } from '#remediation/remediation-activities';
import { RETRY, followUp, quick } from './activities.js';
import { type installApprovalHandlers } from './approval.js';
import { claimOperation } from './operation-claim.js';
import { RunEnded, setOutcome, step } from './run-report.js';

const act = proxyActivities<RemediationActivities>({
  startToCloseTimeout: '30s',
  retry: RETRY,
});

/** A run told to wait this many times in a row is stuck behind a storm: a human decides. */
const MAX_SLOT_REQUESTS = 20;

/** Durable timers fire on a ~1 s granularity: never ask again sooner. */
const MIN_WAIT_MS = 1_000;

/**
 * Flap damping and the fleet-wide rate limit, as one reservation in the etcd
 * ledger (compare-and-swap): the run's record is written when the slot is
 * taken, so a concurrent run sees it at once. Told to wait, the run sleeps
 * (durably) and asks again — the answer may have changed. A dry run only looks.
 * Returns whether a slot is held (to be given back if the run ends without acting).
 */
export const reserveSlot = async (report: RemediationReport, policy: Policy, request: RemediationRequest): Promise<boolean> => {
  const { workflowId, runId } = workflowInfo();
  const peek = request.dryRun === true;
  for (let asked = 1; ; asked++) {
    const answer = await step(report, 'reserve-slot', () =>
      quick().reserveRemediationSlot({ gatewayId: request.gatewayId, workflowId, runId, guardrails: policy.guardrails, peek }),
    );
    const at = Date.now();
    if (answer.kind === 'reserved') {
      report.guardrails.push({ name: 'flap-damping', at, allowed: true, detail: 'not flapping' });
      report.guardrails.push({ name: 'rate-limit', at, allowed: true, detail: peek ? 'within the rate limit (dry run: nothing reserved)' : 'within the rate limit; slot reserved' });
      return !peek;
    }
    if (answer.kind === 'escalate') {
      report.guardrails.push({ name: 'flap-damping', at, allowed: false, detail: answer.reason });
      throw new RunEnded('needs-human', answer.reason);
    }
    report.guardrails.push({ name: answer.guardrail, at, allowed: false, detail: `${answer.reason}; ${peek ? 'would ask' : 'asks'} again at ${new Date(answer.untilMs).toISOString()}` });
    if (peek) return false;
    if (asked >= MAX_SLOT_REQUESTS) throw new RunEnded('needs-human', `no slot to act after ${asked} requests: ${answer.reason}`);
    await sleep(Math.max(MIN_WAIT_MS, answer.untilMs - Date.now()));
  }
};

/** The run ends without acting: its slot goes back to the fleet. */
export const releaseSlot = (): Promise<void> => CancellationScope.nonCancellable(() => followUp(act).releaseRemediationSlot({ runId: workflowInfo().runId }));

/** Approval above the policy's severity: an answer (update) from someone, or the timeout's default. */
export const awaitApprovalIfRequired = async (
  report: RemediationReport,
  policy: Policy,
  awaitApproval: ReturnType<typeof installApprovalHandlers>,
): Promise<void> => {
  const { approval } = policy.guardrails;
  if (!report.decision || !requiresApproval(report.decision.actions, approval)) return;
  setOutcome(report, 'awaiting-approval');
  const answer = await step(report, 'await-approval', () => awaitApproval(approval));
  const verdict = answer.approved ? 'approved' : 'rejected';
  report.guardrails.push({ name: 'approval', at: Date.now(), allowed: answer.approved, detail: `${verdict} by ${answer.by}${answer.comment ? `: ${answer.comment}` : ''}` });
  if (!answer.approved) throw new RunEnded('rejected', `rejected by ${answer.by}`);
  setOutcome(report, 'running');
};

/**
 * One operation per gateway: waits while a restore (or another run) works on it,
 * and stops with `needs-human` if it stays busy. Recorded as the `operation` check.
 */
export const holdGateway = async (report: RemediationReport, gatewayId: string, operation: string): Promise<void> => {
  const claim = await step(report, 'claim-operation', () => claimOperation(gatewayId, operation));
  const detail = claim.acquired
    ? [`${gatewayId} held for ${operation}`, claim.waitedFor && `after waiting ${claim.waitedMs} ms for ${claim.waitedFor}`, claim.tookOverFrom && `taken over from ${claim.tookOverFrom}, which is no longer open`]
        .filter(Boolean)
        .join('; ')
    : claim.reason;
  report.guardrails.push({ name: 'operation', at: Date.now(), allowed: claim.acquired, detail });
  if (!claim.acquired) throw new RunEnded('needs-human', claim.reason);
};
