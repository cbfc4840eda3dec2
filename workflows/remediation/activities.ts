import { proxyActivities } from '@temporalio/workflow';
import type { RemediationActivities } from '#remediation/remediation-activities';

/**
 * The remediation run's activities: short one-shot calls, retried. No heartbeat timeout: a call
 * to a hung agent waits out its own 1.5 s timeout (several of them in a look), which on a loaded
 * machine must not be taken for a dead worker; the start-to-close timeout bounds each attempt.
 */
export const act = proxyActivities<RemediationActivities>({
  startToCloseTimeout: '20s',
  retry: { initialInterval: '200ms', backoffCoefficient: 2, maximumInterval: '5s', maximumAttempts: 5 },
});

/** Waits for a gone gateway's clients to show up elsewhere: as long as the policy allows, plus room. */
export const actWaiting = proxyActivities<RemediationActivities>({
  startToCloseTimeout: '10m',
  heartbeatTimeout: '5s',
  retry: { initialInterval: '200ms', backoffCoefficient: 2, maximumInterval: '5s', maximumAttempts: 5 },
});
