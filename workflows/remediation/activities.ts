import { patched, proxyActivities, proxyLocalActivities } from '@temporalio/workflow';
import type { RemediationActivities } from '#remediation/remediation-activities';

/** The retry every short remediation call uses: quick first retries, five attempts. */
export const RETRY = { initialInterval: '200ms', backoffCoefficient: 2, maximumInterval: '5s', maximumAttempts: 5 } as const;

/**
 * The remediation run's activities: short one-shot calls, retried. No heartbeat timeout: a call
 * to a hung agent waits out its own 1.5 s timeout (several of them in a look), which on a loaded
 * machine must not be taken for a dead worker; the start-to-close timeout bounds each attempt.
 */
export const act = proxyActivities<RemediationActivities>({ startToCloseTimeout: '20s', retry: RETRY });

/** Waits for a gone gateway's clients to show up elsewhere: as long as the policy allows, plus room. */
export const actWaiting = proxyActivities<RemediationActivities>({
  startToCloseTimeout: '10m',
  heartbeatTimeout: '5s',
  retry: RETRY,
});

/** The same calls run by the worker inside the workflow task: no round trip through the server's task queues. */
const local = proxyLocalActivities<RemediationActivities>({ startToCloseTimeout: '20s', retry: RETRY });

/**
 * The calls on the way out of rotation (policy, evidence, guardrail claims in etcd, the action
 * itself): each is a short, idempotent etcd or agent call, so runs since `local-steps` make them
 * local activities. A scheduled activity costs two trips through the server's matching service
 * and history writes (about 50–90 ms each here); a local one costs none of that, and it is
 * retried the same way (a retry past a minute becomes a durable timer). Runs recorded before
 * keep their scheduled activities on replay.
 */
export const quick = (): typeof act => (patched('local-steps') ? local : act);

/**
 * The short calls once the action is done: a verification that waits for nothing, giving back
 * the rate-limit slot and the operation claim. Runs since
 * `local-follow-up` make them local activities too, for the reason `quick` gives: scheduled
 * calls were most of the time a run spent outside its activities and timers. Calls that wait
 * (clients re-homing, batches, a human) stay scheduled, where a heartbeat watches them. Runs
 * recorded before keep `scheduled`, the proxy they were recorded with, on replay.
 */
export const followUp = (scheduled: typeof act = act): typeof act => (patched('local-follow-up') ? local : scheduled);
