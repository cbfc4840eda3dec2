export interface BlastRadiusInput {
  readonly candidate: string;
  /** Every gateway the fleet has: registered ones and quarantined ones that are gone. */
  readonly fleet: readonly string[];
  /** Gateways that currently take sessions. */
  readonly serving: readonly string[];
  readonly quarantined: readonly string[];
  readonly maxQuarantinedFraction: number;
}

export type BlastRadiusVerdict = { readonly allowed: true } | { readonly allowed: false; readonly reason: string };

/**
 * Whether taking `candidate` out keeps the fleet standing: never above the
 * policy's quarantined fraction, never the last serving gateway.
 */
export const checkBlastRadius = (input: BlastRadiusInput): BlastRadiusVerdict => {
  const quarantined = new Set(input.quarantined);
  if (quarantined.has(input.candidate)) return { allowed: true };
  const fleetSize = new Set([...input.fleet, ...input.quarantined, input.candidate]).size;
  const after = quarantined.size + 1;
  if (after / fleetSize > input.maxQuarantinedFraction) {
    return {
      allowed: false,
      reason: `quarantining ${input.candidate} would take ${after} of ${fleetSize} gateways out (limit ${Math.round(input.maxQuarantinedFraction * 100)}%); already out: ${[...quarantined].sort().join(', ') || 'none'}`,
    };
  }
  const servingAfter = input.serving.filter((id) => id !== input.candidate && !quarantined.has(id));
  if (servingAfter.length === 0) return { allowed: false, reason: `${input.candidate} is the last serving gateway` };
  return { allowed: true };
};
