import { type Etcd3 } from 'etcd3';
import { z } from 'zod';
import { type BucketLevel, type BucketRate, type MigrationBudgetSettings, takeFromAll } from '#core';
import { isEtcdUnavailable } from './etcd-unavailable.js';
import { parseRecord } from './json-value.js';
import { MIGRATION_BUDGET_SESSIONS_KEY, migrationBudgetTargetKey } from './keys.js';

const BucketLevelSchema = z.strictObject({ tokens: z.number().finite(), at: z.number().finite() });

/** One bucket of the budget: where it lives in etcd and how fast it refills. */
export interface BudgetBucket {
  readonly key: string;
  readonly rate: BucketRate;
}

/** The fleet-wide sessions-per-second bucket. */
export const fleetSessionsBucket = (budget: MigrationBudgetSettings): BudgetBucket => ({
  key: MIGRATION_BUDGET_SESSIONS_KEY,
  rate: { perSecond: budget.sessionsPerSecond, burst: budget.sessionsBurst },
});

/** A target gateway's reconnects-per-second bucket. */
export const targetReconnectsBucket = (gatewayId: string, budget: MigrationBudgetSettings): BudgetBucket => ({
  key: migrationBudgetTargetKey(gatewayId),
  rate: { perSecond: budget.reconnectsPerSecondPerTarget, burst: budget.reconnectsBurstPerTarget },
});

export type BudgetAnswer = { readonly granted: true } | { readonly granted: false; readonly waitMs: number };

/** etcd did not answer in time: the caller decides how to pace without the shared budget. */
export class MigrationBudgetUnavailableError extends Error {
  constructor(override readonly cause: unknown) {
    super(`the migration budget in etcd could not be read or written: ${cause instanceof Error ? cause.message : String(cause)}`);
    this.name = 'MigrationBudgetUnavailableError';
  }
}

/** Writers that lost the compare-and-swap this many times in a row wait a moment instead of spinning. */
const ATTEMPTS = 5;
/** How long a writer that kept losing waits: the winners took tokens, so a short pause is the right answer. */
const CONTENDED_WAIT_MS = 20;

/**
 * The shared migration budget: token buckets held in etcd, refilled from elapsed
 * time (no process has to tick them). A take reads every bucket it needs and writes
 * them back in one transaction guarded by each key's mod revision, so concurrent
 * runs on different workers never both spend the same tokens, and a take gets all
 * of its buckets or none.
 */
export class MigrationBudget {
  private readonly clock: () => number;
  private readonly callTimeoutMs: number;

  /** `callTimeoutMs`: a take that etcd has not answered by then counts as unavailable (it may still land: that only slows others). */
  constructor(
    private readonly etcd: Etcd3,
    { clock = Date.now, callTimeoutMs = 2_000 }: { readonly clock?: () => number; readonly callTimeoutMs?: number } = {},
  ) {
    this.clock = clock;
    this.callTimeoutMs = callTimeoutMs;
  }

  /** Takes `count` tokens from every bucket now, or answers how long to wait before asking again. */
  async tryTake(buckets: readonly BudgetBucket[], count: number): Promise<BudgetAnswer> {
    let timer: NodeJS.Timeout | undefined;
    const timeout = new Promise<never>((_, reject) => {
      timer = setTimeout(() => reject(new MigrationBudgetUnavailableError(new Error(`no answer within ${this.callTimeoutMs} ms`))), this.callTimeoutMs);
    });
    try {
      return await Promise.race([this.attempt(buckets, count), timeout]);
    } catch (error) {
      throw isEtcdUnavailable(error) ? new MigrationBudgetUnavailableError(error) : error;
    } finally {
      clearTimeout(timer);
    }
  }

  /** What each bucket holds as stored (undefined: never taken from, i.e. full). */
  async levels(buckets: readonly BudgetBucket[]): Promise<(BucketLevel | undefined)[]> {
    return (await this.read(buckets)).map((r) => r.level);
  }

  private async attempt(buckets: readonly BudgetBucket[], count: number): Promise<BudgetAnswer> {
    for (let attempt = 0; attempt < ATTEMPTS; attempt++) {
      const stored = await this.read(buckets);
      const outcome = takeFromAll(
        stored.map((s) => s.level),
        buckets.map((b) => b.rate),
        count,
        this.clock(),
      );
      if (!outcome.granted) return outcome;
      let txn = this.etcd.if(stored[0]!.key, 'Mod', '==', stored[0]!.revision);
      for (const s of stored.slice(1)) txn = txn.and(s.key, 'Mod', '==', s.revision);
      const writes = stored.map((s, i) => this.etcd.put(s.key).value(JSON.stringify(outcome.levels[i])));
      if ((await txn.then(...writes).commit()).succeeded) return { granted: true };
    }
    return { granted: false, waitMs: CONTENDED_WAIT_MS };
  }

  private async read(buckets: readonly BudgetBucket[]): Promise<{ key: string; revision: string; level: BucketLevel | undefined }[]> {
    if (buckets.length === 0) throw new RangeError('a budget take needs at least one bucket');
    return Promise.all(
      buckets.map(async ({ key }) => {
        const kv = (await this.etcd.get(key).exec()).kvs[0];
        // A key never written has mod revision 0: the guard then says "still absent".
        return { key, revision: kv ? kv.mod_revision : '0', level: kv ? parseRecord(BucketLevelSchema, key, kv.value.toString()) : undefined };
      }),
    );
  }
}
