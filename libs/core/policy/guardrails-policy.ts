import { z } from 'zod';
import { ACTIONS } from '../decision/actions.js';

export const RateLimitSchema = z.strictObject({
  /** Fleet-wide: at most this many remediations start within `windowMs`. */
  maxRemediations: z.int().positive(),
  windowMs: z.int().positive(),
  /** Flap damping: a gateway remediated recently waits this long before the next one. */
  perGatewayCooldownMs: z.int().min(0),
});

export const ApprovalSchema = z.strictObject({
  /** Verdicts containing this action or a more severe one wait for a human; null: never. */
  requiredFrom: z.enum(ACTIONS).nullable(),
  timeoutMs: z.int().positive(),
  /** What happens when nobody answers in time. */
  onTimeout: z.enum(['approve', 'reject']),
  /** Four-eyes: the identity that started a run cannot approve it (someone else must). */
  fourEyes: z.boolean().default(false),
});

export const FlapDampingSchema = z.strictObject({
  /** Remediations of one gateway counted over this window… */
  windowMs: z.int().positive(),
  /** …and at this many the gateway is handed to a human (`needs-human`) instead of healed again. */
  escalateAfter: z.int().positive(),
});

/**
 * Storm mode (libs/core/guardrails/storm.ts): more than `fleetFraction` of the fleet, or more
 * than `zoneFraction` of one zone, turning suspect within `windowMs` (and at least
 * `minSuspects` gateways) pauses automatic removals until none turned suspect for `quietMs`.
 */
export const StormSchema = z.strictObject({
  fleetFraction: z.number().gt(0).lte(1).default(0.3),
  zoneFraction: z.number().gt(0).lte(1).default(0.5),
  windowMs: z.int().min(1_000).max(600_000).default(10_000),
  quietMs: z.int().min(1_000).max(86_400_000).default(60_000),
  minSuspects: z.int().min(1).max(10_000).default(3),
});

export const GuardrailsSchema = z.strictObject({
  /** Never quarantine more than this share of the fleet, so remediation cannot cause an outage. */
  maxQuarantinedFraction: z.number().gt(0).lte(1),
  rateLimit: RateLimitSchema,
  approval: ApprovalSchema,
  flapDamping: FlapDampingSchema.default({ windowMs: 600_000, escalateAfter: 3 }),
  storm: StormSchema.prefault({}),
});

export type RateLimitSettings = z.output<typeof RateLimitSchema>;
export type ApprovalSettings = z.output<typeof ApprovalSchema>;
export type Guardrails = z.output<typeof GuardrailsSchema>;
export type FlapDampingSettings = z.output<typeof FlapDampingSchema>;
export type StormSettings = z.output<typeof StormSchema>;
