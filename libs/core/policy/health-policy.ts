import { z } from 'zod';

/** The vitals a health score is made of; each has a weight and a threshold pair in the policy. */
export const HEALTH_COMPONENTS = [
  'rttJitter', // stddev/mean of the RTT window (coefficient of variation)
  'rttLevel', // mean RTT of the window as a multiple of the gateway's own baseline mean
  'finRst', // FIN/RST per second
  'synRetransmit', // SYN retransmits per second
  'writeBlocked', // fraction of the window spent write-blocked, 0..1
  'heartbeatMisses', // consecutive missed pongs
  'unavailability', // share of the detector's availability window spent stalled, 0..1
] as const;

export type HealthComponent = (typeof HEALTH_COMPONENTS)[number];

const weight = z.number().min(0);

export const HealthWeightsSchema = z
  .strictObject({
    rttJitter: weight,
    rttLevel: weight,
    finRst: weight,
    synRetransmit: weight,
    writeBlocked: weight,
    heartbeatMisses: weight,
    // Added after the first policies were stored: those get the default.
    unavailability: weight.default(30),
  })
  .refine((weights) => Object.values(weights).some((w) => w > 0), { message: 'at least one weight must be positive' });

/**
 * Below `warn` a component costs nothing, at `critical` it costs its full weight, and the
 * penalty grows linearly in between.
 */
export const HealthThresholdSchema = z
  .strictObject({ warn: z.number().min(0), critical: z.number().positive() })
  .superRefine((threshold, ctx) => {
    if (threshold.critical <= threshold.warn) {
      ctx.addIssue({
        code: 'custom',
        path: ['critical'],
        input: threshold.critical,
        message: `must be greater than warn (${threshold.warn})`,
      });
    }
  });

export type HealthThreshold = z.output<typeof HealthThresholdSchema>;

export const HealthThresholdsSchema = z.strictObject({
  rttJitter: HealthThresholdSchema,
  rttLevel: HealthThresholdSchema,
  finRst: HealthThresholdSchema,
  synRetransmit: HealthThresholdSchema,
  writeBlocked: HealthThresholdSchema,
  heartbeatMisses: HealthThresholdSchema,
  unavailability: HealthThresholdSchema.default({ warn: 0.02, critical: 0.15 }),
});

/**
 * How thresholds follow each gateway's own EWMA baseline, so a noisy but healthy node is
 * not flagged. `maxFactor` caps the drift, so a slowly sickening node cannot teach the
 * baseline that sickness is normal; a `warn` of 0 disables adaptation for that component.
 */
export const BaselineAdaptationSchema = z.strictObject({
  alpha: z.number().gt(0).lte(1),
  sigmas: z.number().min(0),
  maxFactor: z.number().min(1),
  minSamples: z.int().min(1),
});

export const HealthPolicySchema = z.strictObject({
  weights: HealthWeightsSchema,
  thresholds: HealthThresholdsSchema,
  adaptation: BaselineAdaptationSchema,
});

export type HealthWeights = z.output<typeof HealthWeightsSchema>;
export type HealthThresholds = z.output<typeof HealthThresholdsSchema>;
export type BaselineAdaptation = z.output<typeof BaselineAdaptationSchema>;
export type HealthPolicy = z.output<typeof HealthPolicySchema>;
