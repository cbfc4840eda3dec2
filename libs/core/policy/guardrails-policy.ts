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

export const GuardrailsSchema = z.strictObject({
  /** Never quarantine more than this share of the fleet, so remediation cannot cause an outage. */
  maxQuarantinedFraction: z.number().gt(0).lte(1),
  rateLimit: RateLimitSchema,
  approval: ApprovalSchema,
  flapDamping: FlapDampingSchema.default({ windowMs: 600_000, escalateAfter: 3 }),
});

export type RateLimitSettings = z.output<typeof RateLimitSchema>;
export type ApprovalSettings = z.output<typeof ApprovalSchema>;
export type Guardrails = z.output<typeof GuardrailsSchema>;
export type FlapDampingSettings = z.output<typeof FlapDampingSchema>;
