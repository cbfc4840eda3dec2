import { z } from 'zod';

/**
 * Fast-path detection: a pong later than `pongTimeoutMs` is a miss, and
 * `missesToSuspect` consecutive misses make the gateway suspect.
 */
export const DetectorSchema = z.strictObject({
  pingIntervalMs: z.int().positive().default(100),
  pongTimeoutMs: z.int().positive().default(250),
  missesToSuspect: z.int().positive().default(3),
  /**
   * How many live detectors watch each gateway (rendezvous-assigned, preferring different
   * zones). With fewer detectors alive, each watches every gateway it is assigned.
   */
  observers: z.int().min(1).max(5).default(2),
});

export type DetectorSettings = z.output<typeof DetectorSchema>;
