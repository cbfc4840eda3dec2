/**
 * Time limits shared by the activities (which make the calls) and the workflows
 * (which set the activities' heartbeat timeouts), so the two cannot drift apart.
 */

/** One call to a gateway's agent (status, quarantine, restore) before it counts as unanswered. */
export const AGENT_CALL_TIMEOUT_MS = 1_500;

/** A migration batch's calls to its source (start the batch, poll it). */
export const BATCH_CALL_TIMEOUT_MS = 5_000;

/**
 * A heartbeat timeout longer than the slowest call an activity makes between two
 * heartbeats (or before its first; for an activity that never heartbeats, its whole
 * run), with 3 s to spare for the etcd reads around it and a loaded machine: one
 * slow call is never mistaken for a dead worker, and a dead worker is still noticed
 * within seconds rather than at the start-to-close timeout.
 */
export const heartbeatTimeoutMs = (slowestCallMs: number): number => slowestCallMs + 3_000;
