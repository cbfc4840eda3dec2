import { defineQuery, proxyActivities, setHandler } from '@temporalio/workflow';
import { type StormState } from '#core';
import type { RemediationActivities } from '#remediation/remediation-activities';

export interface StormHoldRequest {
  readonly storm: StormState;
}

/** The storm as its run explains it: `needs-human` while it lasts, `lifted` once it is over. */
export interface StormHoldReport {
  readonly scope: string;
  readonly since: string;
  readonly suspects: readonly string[];
  outcome: 'needs-human' | 'lifted';
  outcomeReason: string;
  liftedBy?: string;
  liftedAt?: string;
}

export const stormReportQuery = defineQuery<StormHoldReport>('report');

/** The wait lasts as long as the storm; a worker that dies is noticed within the heartbeat timeout and the wait picks up again. */
const act = proxyActivities<Pick<RemediationActivities, 'awaitStormLift'>>({
  startToCloseTimeout: '7d',
  heartbeatTimeout: '30s',
  retry: { initialInterval: '1s', backoffCoefficient: 2, maximumInterval: '30s' },
});

/**
 * One run per storm (workflow id `storm:<since>`): the hand-off to a human that storm mode
 * promises. Automatic removals are paused while it is open (detectors and the lease watcher
 * read `/homeostat/storm`, not this run); the run says why, names the suspects, and ends when
 * the storm lifts, by itself after its quiet period or by an admin (`POST /v1/storm/lift`).
 */
export async function stormHold({ storm }: StormHoldRequest): Promise<StormHoldReport> {
  const report: StormHoldReport = {
    scope: storm.scope,
    since: new Date(storm.sinceMs).toISOString(),
    suspects: storm.suspects,
    outcome: 'needs-human',
    outcomeReason: `storm mode: automatic removals paused, ${storm.reason}; a human should look at ${storm.scope === 'fleet' ? 'the fleet' : storm.scope} (network, zone, Homeostat's own view) before removals resume`,
  };
  setHandler(stormReportQuery, () => report);
  const { lift } = await act.awaitStormLift({ sinceMs: storm.sinceMs });
  report.outcome = 'lifted';
  report.outcomeReason = lift ? `lifted by ${lift.by}: ${lift.reason}` : 'lifted';
  if (lift) Object.assign(report, { liftedBy: lift.by, liftedAt: new Date(lift.atMs).toISOString() });
  return report;
}
