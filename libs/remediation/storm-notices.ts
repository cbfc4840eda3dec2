import { setTimeout as delay } from 'node:timers/promises';
import { type StormLift, type StormState } from '#core';

/**
 * Where a storm is told besides its run (K8s mode: Events on the suspects' pods). Each call
 * is idempotent: an activity retried by Temporal tells the same thing again.
 */
export interface StormNotices {
  /** `gatewayId` is one of the storm's suspects: the storm began, removals are paused. */
  suspect(gatewayId: string, storm: StormState): Promise<void>;
  /** The storm `gatewayId` was a suspect of is over (`lift` null: gone without a lift recorded). */
  lifted(gatewayId: string, storm: StormState, lift: StormLift | null): Promise<void>;
}

export interface NoticeLog {
  warn(message: string, attributes?: Record<string, unknown>): void;
}

/** How long a storm's run waits, once the storm is over, for its last notices: well under the activity's heartbeat timeout. */
const LAST_NOTICES_MS = 10_000;

/**
 * One storm run's telling of its storm. The storm in etcd is the truth and the notices only
 * tell it, so they never hold the run up or fail it: each suspect is told once, in the
 * background, as it appears; a failure is logged; the end waits for the last ones a bounded time.
 */
export class StormTelling {
  private readonly told = new Set<string>();
  private pending: Promise<unknown> = Promise.resolve();

  constructor(
    private readonly notices: StormNotices,
    private readonly log: NoticeLog,
    private readonly lastNoticesMs = LAST_NOTICES_MS,
  ) {}

  /** Tells the suspects of `storm` not told yet; returns at once. */
  began(storm: StormState): void {
    const fresh = storm.suspects.filter((id) => !this.told.has(id));
    if (fresh.length === 0) return;
    for (const id of fresh) this.told.add(id);
    this.pending = Promise.all([this.pending, this.each(fresh, 'StormBegan', (id) => this.notices.suspect(id, storm))]);
  }

  /** Tells every suspect of `storm` it is over, after the notices still on their way. */
  async lifted(storm: StormState, lift: StormLift | null): Promise<void> {
    const done = this.pending.then(() => this.each(storm.suspects, 'StormLifted', (id) => this.notices.lifted(id, storm, lift)));
    await Promise.race([done, delay(this.lastNoticesMs, undefined, { ref: false })]);
  }

  private each(ids: readonly string[], what: string, tell: (id: string) => Promise<void>): Promise<unknown> {
    return Promise.all(
      ids.map((gatewayId) =>
        tell(gatewayId).catch((err: unknown) => this.log.warn(`storm notice ${what} not written (the storm goes on regardless)`, { event: 'storm-notice-failed', gatewayId, what, err: String(err) })),
      ),
    );
  }
}
