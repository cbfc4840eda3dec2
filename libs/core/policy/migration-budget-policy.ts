import { z } from 'zod';

/**
 * One budget shared by every migration running at once (drains of a rolling update,
 * a rebalance beside a quarantine), held in etcd: each run's own pacing is per run,
 * so without it a target would see the sum of every run's pace.
 */
export const MigrationBudgetSchema = z.strictObject({
  /** Fleet-wide: sessions redirected per second, by all runs together. */
  sessionsPerSecond: z.int().min(10).max(100_000).default(5_000),
  /** Sessions that may go at once after a quiet spell (the bucket's depth). */
  sessionsBurst: z.int().min(1).max(100_000).default(1_000),
  /** Per target gateway: clients reconnecting to it per second, from all runs together. */
  reconnectsPerSecondPerTarget: z.int().min(10).max(100_000).default(1_500),
  /** Reconnects one target may take at once after a quiet spell. */
  reconnectsBurstPerTarget: z.int().min(1).max(100_000).default(300),
});

export type MigrationBudgetSettings = z.output<typeof MigrationBudgetSchema>;
