import { DEFAULT_POLICY, type Policy } from '#core';

/**
 * The default policy with its clocks shortened so a scenario heals and comes
 * back within seconds, not minutes: probation 2 s instead of 30, a per-gateway
 * cooldown of 5 s, flap damping over one minute; small slow migration batches
 * so there is a middle of a migration to disrupt; a storm lifts 5 s after it calms. No approval step: nobody
 * answers in CI. Every guardrail is still on, and the storm invariant holds the
 * runs to exactly these numbers.
 */
export const CHAOS_POLICY: Policy = {
  ...DEFAULT_POLICY,
  name: 'chaos',
  guardrails: {
    ...DEFAULT_POLICY.guardrails,
    rateLimit: { maxRemediations: 30, windowMs: 60_000, perGatewayCooldownMs: 5_000 },
    approval: { ...DEFAULT_POLICY.guardrails.approval, requiredFrom: null },
    flapDamping: { windowMs: 60_000, escalateAfter: 3 },
    // A storm (three of the four gateways suspect at once: no scenario means one) lifts within seconds.
    storm: { ...DEFAULT_POLICY.guardrails.storm, quietMs: 5_000 },
  },
  probation: { durationMs: 2_000 },
  migration: { ...DEFAULT_POLICY.migration, batchSize: 25, pauseMs: 250 },
};
