import { Context } from '@temporalio/activity';

/**
 * Waits `ms` inside an activity, heartbeating so a long pause is not taken for a
 * dead worker. The activity's own sleep: a cancelled activity stops waiting at once
 * (it rejects with a CancelledFailure) instead of sleeping out a Node timer.
 */
export const sleepWithHeartbeat = async (ms: number, details?: unknown): Promise<void> => {
  const context = Context.current();
  for (let left = ms; left > 0; left -= 1_000) {
    context.heartbeat(details);
    await context.sleep(Math.min(left, 1_000));
  }
};
