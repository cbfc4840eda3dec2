import { z } from 'zod';

/**
 * Availability over a sliding window (libs/core/detection/availability.ts): a gateway that
 * keeps freezing briefly is `intermittent` once observed for `minObservedMs` with at least
 * `intermittentStallsPerMinute` stalls and `intermittentUnavailableFraction` of the time stalled.
 */
export const AvailabilitySchema = z.strictObject({
  windowMs: z.int().min(1_000).default(60_000),
  minObservedMs: z.int().min(0).default(20_000),
  intermittentStallsPerMinute: z.number().positive().default(6),
  intermittentUnavailableFraction: z.number().gt(0).lte(1).default(0.05),
});

export type AvailabilitySettings = z.output<typeof AvailabilitySchema>;

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
  availability: AvailabilitySchema.prefault({}),
});

export type DetectorSettings = z.output<typeof DetectorSchema>;
