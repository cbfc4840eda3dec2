import { DEFAULT_POLICY, type Guardrails, type Policy } from '#core';

/**
 * The default policy with the guardrails that would get between a test and the behaviour it
 * watches out of the way: no approval step, a rate limit nothing reaches, no per-gateway
 * cooldown, and as much of the fleet out as `maxQuarantinedFraction` says.
 */
export const testPolicy = (name: string, maxQuarantinedFraction: number, guardrails: Partial<Guardrails> = {}, rest: Partial<Policy> = {}): Policy => ({
  ...DEFAULT_POLICY,
  ...rest,
  name,
  guardrails: {
    ...DEFAULT_POLICY.guardrails,
    maxQuarantinedFraction,
    approval: { ...DEFAULT_POLICY.guardrails.approval, requiredFrom: null },
    rateLimit: { maxRemediations: 100, windowMs: 60_000, perGatewayCooldownMs: 0 },
    ...guardrails,
  },
});

/** Storm mode off: no share of the fleet turning suspect at once pauses removals (a fraction can never exceed 1). */
export const STORM_OFF: Guardrails['storm'] = { ...DEFAULT_POLICY.guardrails.storm, fleetFraction: 1, zoneFraction: 1 };
