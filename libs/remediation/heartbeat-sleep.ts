import { setTimeout as sleep } from 'node:timers/promises';
import { Context } from '@temporalio/activity';

/** Waits `ms` inside an activity, heartbeating so a long pause is not taken for a dead worker. */
export const sleepWithHeartbeat = async (ms: number, details?: unknown): Promise<void> => {
  for (let left = ms; left > 0; left -= 1_000) {
    Context.current().heartbeat(details);
    await sleep(Math.min(left, 1_000));
  }
};
