import { type GatewayStateName, acceptsSessions, isOutOfRotation } from '../fleet/gateway-state.js';

/** The fleet as seen at one instant: who is registered (alive) and every state record. */
export interface FleetSample {
  readonly at: number;
  readonly registered: readonly string[];
  readonly states: Readonly<Record<string, { readonly state: GatewayStateName; readonly by: string; readonly inRotation?: boolean }>>;
}

/**
 * Taken out of rotation: a state that takes no sessions, or held for a human and left out.
 * Probation is the way back in (a restore watching a returning gateway), not a removal:
 * the gateway was out before it, so it costs the fleet no serving capacity.
 */
const isOut = (s: { readonly state: GatewayStateName; readonly inRotation?: boolean }): boolean =>
  (isOutOfRotation(s.state) && s.state !== 'probation') || (s.state === 'needs-human' && s.inRotation !== true);

/** State records written by a run (its workflow id), as opposed to the agent itself or an operator. */
const byAutomation = (by: string): boolean => by !== 'agent' && by !== 'operator';

/** Most gateways automation may hold out of rotation in a fleet of `fleetSize` (the blast-radius rule). */
export const blastRadiusAllows = (fleetSize: number, maxQuarantinedFraction: number): number =>
  Math.floor(maxQuarantinedFraction * fleetSize + 1e-9);

/**
 * Over every sample: automation never held more gateways out of rotation than the
 * blast radius allows, and never took the last serving one out (while any was alive).
 * Returns the first few violations, each with its time and the fleet as it was.
 */
export const servingFloorViolations = (samples: readonly FleetSample[], maxQuarantinedFraction: number): string[] => {
  const problems: string[] = [];
  for (const sample of samples) {
    const fleet = new Set([...sample.registered, ...Object.keys(sample.states)]);
    const outByAutomation = Object.entries(sample.states).filter(([, s]) => isOut(s) && byAutomation(s.by)).map(([id]) => id);
    const allowed = blastRadiusAllows(fleet.size, maxQuarantinedFraction);
    // The last serving gateway may be out only if a human or the agent put it there.
    const serving = sample.registered.filter((id) => {
      const record = sample.states[id];
      return record === undefined || acceptsSessions({ ...record, since: 0 });
    });
    if (outByAutomation.length > Math.max(allowed, 0)) {
      problems.push(`${new Date(sample.at).toISOString()}: automation holds ${outByAutomation.sort().join(', ')} out of ${fleet.size} (blast radius allows ${allowed})`);
    } else if (sample.registered.length > 0 && serving.length === 0 && outByAutomation.some((id) => sample.registered.includes(id))) {
      problems.push(`${new Date(sample.at).toISOString()}: no serving gateway left; automation holds ${outByAutomation.sort().join(', ')} out`);
    }
    if (problems.length >= 3) break;
  }
  return problems;
};
