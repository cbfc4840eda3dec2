import { CancellationScope, proxyActivities, sleep, workflowInfo } from '@temporalio/workflow';
import type { RemediationActivities } from '#remediation/remediation-activities';
import { RETRY, followUp, quick } from './activities.js';

const act = proxyActivities<RemediationActivities>({
  startToCloseTimeout: '30s',
  retry: RETRY,
});

/** How long a run waits for another operation on its gateway to finish before giving up. */
export const OPERATION_WAIT_MS = 120_000;

export type OperationClaimResult =
  | { readonly acquired: true; readonly waitedMs: number; readonly waitedFor?: string; readonly tookOverFrom?: string }
  | { readonly acquired: false; readonly waitedMs: number; readonly heldBy: string; readonly reason: string };

/**
 * Takes the gateway's exclusive operation claim for this run (one remediation,
 * restore or drain per gateway at a time), waiting with durable timers while
 * another open run holds it — 1 s, then doubling up to 8 s between looks, for at
 * most `maxWaitMs`. A claim left by a run that is no longer open is taken over.
 */
export const claimOperation = async (gatewayId: string, operation: string, maxWaitMs = OPERATION_WAIT_MS): Promise<OperationClaimResult> => {
  const { workflowId, runId } = workflowInfo();
  const started = Date.now();
  let waitedFor: string | undefined;
  for (let pauseMs = 1_000; ; pauseMs = Math.min(pauseMs * 2, 8_000)) {
    const outcome = await quick().claimOperation({ gatewayId, workflowId, runId, operation });
    const waitedMs = Date.now() - started;
    if (outcome.acquired) {
      return { acquired: true, waitedMs, ...(waitedFor ? { waitedFor } : {}), ...(outcome.tookOverFrom ? { tookOverFrom: outcome.tookOverFrom.workflowId } : {}) };
    }
    const { heldBy } = outcome;
    waitedFor = `${heldBy.workflowId} (${heldBy.operation})`;
    if (waitedMs + pauseMs > maxWaitMs) {
      return { acquired: false, waitedMs, heldBy: heldBy.workflowId, reason: `${gatewayId} is busy: ${waitedFor} has held it since ${new Date(heldBy.since).toISOString()}; gave up after ${waitedMs} ms` };
    }
    await sleep(pauseMs);
  }
};

/** Lets go of the gateway, even while the run is being cancelled. */
export const releaseOperation = (gatewayId: string): Promise<void> =>
  CancellationScope.nonCancellable(() => followUp(act).releaseOperation({ gatewayId, runId: workflowInfo().runId }));
