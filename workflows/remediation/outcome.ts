import { CancellationScope, workflowInfo } from '@temporalio/workflow';
import { type RemediationOutcome, type RemediationReport } from '#core';
import { act } from './activities.js';
import { describeFailure, setOutcome } from './run-report.js';

export { setOutcome };

export const finish = (report: RemediationReport, outcome: RemediationOutcome, why: string): void => {
  setOutcome(report, outcome);
  report.outcomeReason = why;
  report.finishedAt = Date.now();
};

/**
 * Ends the run; a `needs-human` end also holds the gateway in etcd (state `needs-human`), so no
 * automatic trigger starts another run about it until a human acts or the quiet period passes.
 */
export const end = async (report: RemediationReport, outcome: RemediationOutcome, why: string): Promise<void> => {
  if (outcome === 'needs-human' && !report.dryRun) {
    await CancellationScope.nonCancellable(async () => {
      const controlUrl = report.evidence.findLast((s) => s.controlUrl)?.controlUrl;
      const step = { name: 'hold-for-human', startedAt: Date.now(), status: 'running' as const };
      report.steps.push(step);
      try {
        const held = await act.holdForHuman({ gatewayId: report.gatewayId, by: workflowInfo().workflowId, reason: why, ...(controlUrl ? { controlUrl } : {}) });
        Object.assign(step, { status: 'done', finishedAt: Date.now(), detail: held });
      } catch (error) {
        Object.assign(step, { status: 'failed', finishedAt: Date.now(), error: describeFailure(error) });
      }
    });
  }
  finish(report, outcome, why);
};
