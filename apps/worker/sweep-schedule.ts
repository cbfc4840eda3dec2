import { type Client } from '@temporalio/client';
import { DEFAULT_SWEEP_SCHEDULE_ID } from '#core';
import { type Logger } from '#runtime';
import { SweepSchedules } from '#temporal';

/**
 * Every worker makes sure the default sweep schedule exists, so a fresh installation has its
 * safety net without a manual step. Idempotent across workers and restarts; a pause set by
 * an operator is kept.
 */
export const ensureDefaultSweepSchedule = async (client: Client, everySeconds: number, log: Logger): Promise<void> => {
  const { created, schedule } = await new SweepSchedules(client).ensure({ id: DEFAULT_SWEEP_SCHEDULE_ID, everySeconds });
  log.info({ event: 'sweep-schedule', created, ...schedule }, created ? 'sweep schedule created' : 'sweep schedule in place');
};
