import { type Policy, type RequireSimulation, type SimulationSummary } from '#core';
import { type PolicyLab } from './policy-lab.js';

/** What the gate on publish found; absent from the answer when the policy asks for no simulation. */
export interface GateVerdict {
  readonly enforce: boolean;
  readonly reason: string;
  readonly lookbackHours: number;
  readonly maxRemovals: number;
  readonly summary: SimulationSummary | null;
}

/**
 * `lab.requireSimulation`: the candidate enforces only if a simulation over the last
 * `lookbackHours` removes at most `maxRemovals` gateways. A simulation that cannot run
 * (a version the timelines name is missing) does not let the policy enforce either.
 */
export const checkPublishGate = async (lab: PolicyLab, candidate: Policy, gate: RequireSimulation, nowMs: number): Promise<GateVerdict> => {
  const base = { lookbackHours: gate.lookbackHours, maxRemovals: gate.maxRemovals };
  try {
    const { summary } = await lab.simulate({ candidate, fromMs: nowMs - gate.lookbackHours * 3_600_000, untilMs: nowMs, maxIncidents: 1 });
    const removals = summary.candidate.removals;
    const enforce = removals <= gate.maxRemovals;
    const over = `a simulation over the last ${gate.lookbackHours} h removes ${removals} gateway(s)`;
    return { ...base, enforce, summary, reason: enforce ? `${over}, within the bound of ${gate.maxRemovals}` : `${over}, more than the bound of ${gate.maxRemovals}: stored in shadow mode` };
  } catch (error) {
    return { ...base, enforce: false, summary: null, reason: `the required simulation could not run (${(error as Error).message}): stored in shadow mode` };
  }
};

/** The policy as it is stored after the gate: in shadow mode with the reason, or as written (without a stale reason). */
export const gatedInput = (input: Record<string, unknown>, verdict: GateVerdict): Record<string, unknown> => {
  const { shadowReason: _stale, ...lab } = (input.lab ?? {}) as Record<string, unknown>;
  return verdict.enforce ? { ...input, lab } : { ...input, mode: 'shadow', lab: { ...lab, shadowReason: verdict.reason } };
};
