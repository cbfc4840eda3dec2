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

/** What a lone observer's crash or hang verdict does while another observer still sees the gateway answering. */
export const PARTITION_RESPONSES = ['observe', 'degrade'] as const;

/**
 * Agreement before removal (libs/core/sharding/observer-quorum.ts): a crash or hang verdict
 * starts a removal only when `quorum` of the gateway's live observers see it down (`all`, the
 * default, or a number, capped at the live ones; one alone decides alone). A verdict while
 * another observer's fresh view says it answers is `partition-suspected`, and `onPartition`
 * says what happens instead: `observe` records it (no run), `degrade` starts a run that may
 * degrade the gateway but not remove it. Views are re-written every half `viewFreshMs`; a
 * verdict waits up to `waitForViewsMs` for the other observers to speak.
 */
export const AgreementSchema = z.strictObject({
  quorum: z.union([z.literal('all'), z.int().min(1).max(5)]).default('all'),
  viewFreshMs: z.int().min(1_000).max(600_000).default(10_000),
  waitForViewsMs: z.int().min(0).max(30_000).default(1_500),
  onPartition: z.enum(PARTITION_RESPONSES).default('observe'),
});

export type AgreementSettings = z.output<typeof AgreementSchema>;

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
  agreement: AgreementSchema.prefault({}),
});

export type DetectorSettings = z.output<typeof DetectorSchema>;
