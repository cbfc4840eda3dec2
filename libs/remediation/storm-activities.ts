import { Context } from '@temporalio/activity';
import { type StormLift } from '#core';
import { type StormStore } from '#etcd';

/** How often a storm's run looks whether its storm is over (one etcd read each time). */
const LOOK_EVERY_MS = 1_000;

export interface StormActivities {
  /**
   * Waits, heartbeating, until the storm that began at `sinceMs` is over (lifted after its quiet
   * period, or by an admin), and says who lifted it. An unreadable etcd is waited out: a storm is
   * never taken for over because its record could not be read.
   */
  awaitStormLift(input: { sinceMs: number }): Promise<{ lift: StormLift | null }>;
}

export const createStormActivities = (storms: Pick<StormStore, 'read'>): StormActivities => ({
  awaitStormLift: async ({ sinceMs }) => {
    const context = Context.current();
    for (;;) {
      const records = await storms.read().catch(() => undefined);
      if (records && records.storm?.sinceMs !== sinceMs) return { lift: records.lift };
      context.heartbeat({ unreadable: records === undefined });
      await context.sleep(LOOK_EVERY_MS);
    }
  },
});
