import { z } from 'zod';
import { MigrationBudgetSchema } from './migration-budget-policy.js';

/** How sessions leave a gateway: paced batches so no target sees a reconnect storm. */
export const MigrationSchema = z.strictObject({
  batchSize: z.int().positive().max(10_000).default(200),
  /** Pause between batches; each pause gets up to `jitterFraction` of itself added at random. */
  pauseMs: z.int().min(0).max(600_000).default(100),
  jitterFraction: z.number().min(0).max(1).default(0.5),
  /** Redirects of one batch are spread over this window. */
  spreadMs: z.int().min(0).max(60_000).default(50),
  /** How long one batch may take to settle before the next look. */
  batchWaitMs: z.int().positive().max(120_000).default(10_000),
  /** Share of each target's capacity kept free: a target is never filled to the brim. */
  headroomFraction: z.number().min(0).lt(1).default(0.1),
  /** Shared by all runs at once (see MigrationBudgetSchema); each batch takes its sessions' tokens first. */
  budget: MigrationBudgetSchema.prefault({}),
});

export type MigrationSettings = z.output<typeof MigrationSchema>;
