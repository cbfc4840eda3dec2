import { z } from 'zod';
import { GATEWAY_ID_PATTERN } from '#core';

export const MigrationTargetSchema = z
  .object({
    gatewayId: z.string().regex(GATEWAY_ID_PATTERN, 'must be a gateway id (lowercase letters, digits, . _ -)'),
    address: z.string().url("must be the target's client address, e.g. ws://10.0.0.7:8443/ws"),
  })
  .strict();

const pacingMs = (max: number) => z.number().int().nonnegative().max(max);

/** `POST /control/migrate`: one batch, driven by the caller (a heartbeating activity per batch). */
export const MigrateRequest = z
  .object({
    /** Idempotency key: a repeated call with the same id joins that batch and reports it, starting nothing new. */
    batchId: z.string().min(1).max(200).optional(),
    targets: z.array(MigrationTargetSchema).min(1, 'at least one target gateway is needed'),
    /** Which sessions to move; by default those here that no unsettled batch is moving, oldest first. */
    sessions: z.array(z.string().min(1).max(128)).max(100_000).optional(),
    /** At most this many (the batch size). */
    limit: z.number().int().positive().optional(),
    /** Spread the batch's redirects over this window (ms). */
    spreadMs: pacingMs(60_000).optional(),
    /** Wait up to this long for the batch to settle before answering (ms; 0 answers at once). */
    waitMs: pacingMs(120_000).optional(),
  })
  .strict();
export type MigrateRequest = z.input<typeof MigrateRequest>;

/** `POST /control/drain`: stop taking sessions and move all of them away in paced batches. */
export const DrainRequest = z
  .object({
    /** Where to; by default the serving peers from the route table (`/control/routes`). */
    targets: z.array(MigrationTargetSchema).min(1, 'at least one target gateway is needed').optional(),
    batchSize: z.number().int().positive().max(100_000).optional(),
    pauseMs: pacingMs(600_000).optional(),
    jitterMs: pacingMs(600_000).optional(),
    spreadMs: pacingMs(60_000).optional(),
    batchWaitMs: pacingMs(120_000).optional(),
  })
  .strict();
export type DrainRequest = z.input<typeof DrainRequest>;
