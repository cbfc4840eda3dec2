import { DEFAULT_POLICY, type MigrationBudgetSettings } from '#core';
import { type PolicyStore } from '#etcd';

/** A policy change reaches running batches within this long. */
const FRESH_MS = 1_000;

/**
 * The migration budget of the policy in force, read at most once a second per
 * worker (every batch needs it; the policy is three etcd reads). When etcd cannot
 * say, the last one read stands, or the default: a batch still gets paced.
 */
export class BudgetSettingsCache {
  private cached: { readonly budget: MigrationBudgetSettings; readonly at: number } | undefined;

  constructor(
    private readonly policies: PolicyStore,
    private readonly clock: () => number = Date.now,
  ) {}

  async current(): Promise<MigrationBudgetSettings> {
    if (this.cached && this.clock() - this.cached.at < FRESH_MS) return this.cached.budget;
    try {
      const budget = (await this.policies.current()).policy.migration.budget;
      this.cached = { budget, at: this.clock() };
      return budget;
    } catch {
      return this.cached?.budget ?? DEFAULT_POLICY.migration.budget;
    }
  }
}
