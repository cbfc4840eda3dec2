import { type BucketLevel, type MigrationBudgetSettings, takeFromAll } from '#core';
import { type BudgetBucket, MigrationBudget, MigrationBudgetUnavailableError, fleetSessionsBucket, targetReconnectsBucket } from '#etcd';

/** How a take was paced: by the fleet's shared budget in etcd, or by this worker alone (etcd did not answer). */
export type PacedBy = 'shared' | 'local';

export interface PacerWait {
  /** Sleeps inside the activity: heartbeating, and ending early (throwing) when the activity is cancelled. */
  readonly sleep: (ms: number, details: unknown) => Promise<void>;
  /** Told once per take that fell back to this worker's own buckets. */
  readonly onFallback: (error: MigrationBudgetUnavailableError) => void;
}

/** The buckets a batch to these targets draws on: the fleet's sessions, and each target's reconnects. */
export const budgetBuckets = (targetIds: readonly string[], budget: MigrationBudgetSettings): BudgetBucket[] => [
  fleetSessionsBucket(budget),
  ...targetIds.map((id) => targetReconnectsBucket(id, budget)),
];

/**
 * Takes a batch's tokens before its redirects go out, waiting until the shared
 * budget has them. When etcd does not answer, the take is paced by buckets of the
 * same rates held in this worker instead, and stays so for the rest of the batch:
 * a drain is never blocked by an etcd hiccup, and never unpaced either (runs on
 * other workers may then add up, which is logged).
 */
export class MigrationBudgetPacer {
  private readonly local = new Map<string, BucketLevel>();

  constructor(
    private readonly shared: MigrationBudget,
    private readonly clock: () => number = Date.now,
  ) {}

  async take(buckets: readonly BudgetBucket[], count: number, pacedBy: PacedBy, wait: PacerWait): Promise<PacedBy> {
    let by = pacedBy;
    for (;;) {
      let answer;
      if (by === 'shared') {
        try {
          answer = await this.shared.tryTake(buckets, count);
        } catch (error) {
          if (!(error instanceof MigrationBudgetUnavailableError)) throw error;
          wait.onFallback(error);
          by = 'local';
          continue;
        }
      } else answer = this.takeLocally(buckets, count);
      if (answer.granted) return by;
      await wait.sleep(answer.waitMs, { waitingForBudgetMs: answer.waitMs, tokens: count, pacedBy: by });
    }
  }

  private takeLocally(buckets: readonly BudgetBucket[], count: number): { granted: true } | { granted: false; waitMs: number } {
    const outcome = takeFromAll(
      buckets.map((b) => this.local.get(b.key)),
      buckets.map((b) => b.rate),
      count,
      this.clock(),
    );
    if (outcome.granted) buckets.forEach((b, i) => this.local.set(b.key, outcome.levels[i]!));
    return outcome;
  }
}
