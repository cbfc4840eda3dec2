import { z } from 'zod';

/**
 * Fast-path detection: a pong later than `pongTimeoutMs` is a miss, and
 * `missesToSuspect` consecutive misses make the gateway suspect.
 */
export const DetectorSchema = z.strictObject({
  pingIntervalMs: z.int().positive().default(100),
  pongTimeoutMs: z.int().positive().default(250),
  missesToSuspect: z.int().positive().default(3),
});

export type DetectorSettings = z.output<typeof DetectorSchema>;
