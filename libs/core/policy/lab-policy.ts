import { z } from 'zod';

/**
 * The publish gate (docs/policy-lab.md): before a policy enforces, a simulation over the
 * recorded timelines of the last `lookbackHours` must remove at most `maxRemovals` gateways;
 * a policy that would remove more is stored in shadow mode, with the reason.
 */
export const RequireSimulationSchema = z.strictObject({
  lookbackHours: z.int().min(1).max(24 * 31),
  maxRemovals: z.int().min(0).max(1_000_000),
});

export const LabPolicySchema = z.strictObject({
  /** Null: the policy enforces as published. */
  requireSimulation: RequireSimulationSchema.nullable().default(null),
  /** Written by the gate when it stored the policy in shadow mode instead: why. */
  shadowReason: z.string().max(2_000).optional(),
});

export type RequireSimulation = z.output<typeof RequireSimulationSchema>;
export type LabPolicy = z.output<typeof LabPolicySchema>;
