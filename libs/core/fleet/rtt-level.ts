import { z } from 'zod';

/**
 * A gateway's RTT level as its detector measures it: the detector's recent control-channel
 * round trips against the baseline it learned while the gateway looked healthy. Published at
 * `/homeostat/rtt-levels/<id>` every few seconds, so the remediation workflow and the health
 * sweep — which have no history of their own — can score `rttLevel` too.
 */
export const RttLevelSchema = z.object({
  gatewayId: z.string(),
  detectorId: z.string(),
  /** When the detector measured it (ms since epoch). */
  at: z.number(),
  /** The learned normal (EWMA of window means, fractional ms) and how many windows taught it. */
  baselineMs: z.number().positive(),
  baselineSamples: z.number().int().nonnegative(),
  /** Mean of the latest window, fractional ms. */
  windowMeanMs: z.number().nonnegative(),
  /** windowMeanMs / baselineMs: the `rttLevel` input of the health score. */
  level: z.number().nonnegative(),
});

export type RttLevel = z.infer<typeof RttLevelSchema>;

/** Older than this, a level says nothing about now (the detector stopped, or lost the gateway). */
export const RTT_LEVEL_MAX_AGE_MS = 30_000;

/** The level to score with at `now`, or undefined when there is none worth using. */
export const currentRttLevel = (record: RttLevel | undefined, now: number): number | undefined =>
  record !== undefined && now - record.at <= RTT_LEVEL_MAX_AGE_MS ? record.level : undefined;
