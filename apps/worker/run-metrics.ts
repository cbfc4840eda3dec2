import { type InjectedSinks, type WorkerInterceptors } from '@temporalio/worker';
import { type RemediationReport, remediationRunFacts } from '#core';
import { type BatchOutcome } from '#remediation';
import { type RemediationMetrics } from '#runtime';
import { type RunSinks } from '../../workflows/interceptors/run-sinks.js';

/** Finished runs, from the workflow interceptor's sink (never called on replay). */
export const runSinks = (metrics: RemediationMetrics): InjectedSinks<RunSinks> => ({
  runs: {
    finished: {
      fn: (_info, workflowType, result) => {
        if (workflowType === 'remediateGateway') metrics.runFinished(remediationRunFacts(result as RemediationReport));
      },
      callDuringReplay: false,
    },
  },
});

/** Sessions moved, from each migration batch that completed (a failed attempt returns nothing, so a retry is not counted twice). */
export const migrationCounting = (metrics: RemediationMetrics): NonNullable<WorkerInterceptors['activity']>[number] => (context) => ({
  inbound: {
    async execute(input, next) {
      const result = await next(input);
      if (context.info.activityType === 'migrateBatch') metrics.batchMoved(result as BatchOutcome);
      return result;
    },
  },
});
