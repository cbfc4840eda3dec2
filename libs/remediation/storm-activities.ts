import { Context } from '@temporalio/activity';
import { type StormLift, type StormState, StormStateSchema } from '#core';
import { type StormStore } from '#etcd';
import { type StormNotices, StormTelling } from './storm-notices.js';

/** How often a storm's run looks whether its storm is over (one etcd read each time). */
const LOOK_EVERY_MS = 1_000;

export interface StormActivities {
  /**
   * Waits, heartbeating, until the storm that began at `sinceMs` is over (lifted after its quiet
   * period, or by an admin), and says who lifted it. An unreadable etcd is waited out: a storm is
   * never taken for over because its record could not be read. With notices (K8s mode), tells
   * each suspect as it appears and, at the end, that the storm lifted.
   */
  awaitStormLift(input: { sinceMs: number }): Promise<{ lift: StormLift | null }>;
}

/** The storm an earlier attempt last saw (its heartbeat): a retry that starts after the lift still knows whom to tell. */
const stormSeenBefore = (details: unknown): StormState | undefined => {
  const storm = typeof details === 'object' && details !== null && 'storm' in details ? StormStateSchema.safeParse(details.storm) : undefined;
  return storm?.success ? storm.data : undefined;
};

export const createStormActivities = (storms: Pick<StormStore, 'read'>, notices?: StormNotices): StormActivities => ({
  awaitStormLift: async ({ sinceMs }) => {
    const context = Context.current();
    const telling = notices ? new StormTelling(notices, context.log) : undefined;
    let seen = telling ? stormSeenBefore(context.info.heartbeatDetails) : undefined;
    for (;;) {
      const records = await storms.read().catch(() => undefined);
      if (records && records.storm?.sinceMs !== sinceMs) {
        if (telling && seen) await telling.lifted(seen, records.lift);
        return { lift: records.lift };
      }
      if (telling && records?.storm) {
        seen = records.storm;
        telling.began(seen);
      }
      context.heartbeat({ unreadable: records === undefined, ...(seen ? { storm: seen } : {}) });
      await context.sleep(LOOK_EVERY_MS);
    }
  },
});
