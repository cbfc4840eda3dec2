// Float slack in units of sessions: keeps a gateway exactly on the edge of the band inside it.
const ROUNDING_SLACK = 1e-9;

/** Inclusive range of connection counts; empty when `min > max`. */
export interface ConnectionBand {
  readonly min: number;
  readonly max: number;
}

export interface LoadedGateway {
  readonly capacity: number;
  readonly connections: number;
}

/**
 * Fleet-wide connections over fleet-wide capacity. Unlike the average of per-gateway
 * utilisations it does not change when sessions move, so it is a target the moves can reach.
 */
export function meanUtilisation(gateways: readonly LoadedGateway[]): number {
  const capacity = gateways.reduce((sum, gateway) => sum + gateway.capacity, 0);
  const connections = gateways.reduce((sum, gateway) => sum + gateway.connections, 0);
  return capacity === 0 ? 0 : connections / capacity;
}

/** `tolerance` is relative: 0.1 means within ±10 % of the mean utilisation. */
export const isWithinTolerance = (connections: number, capacity: number, mean: number, tolerance: number): boolean =>
  Math.abs(connections - capacity * mean) <= capacity * mean * tolerance + ROUNDING_SLACK;

/** The whole connection counts at which a gateway of this capacity is within tolerance. */
export function toleranceBand(capacity: number, mean: number, tolerance: number): ConnectionBand {
  const ideal = capacity * mean;
  const halfWidth = ideal * tolerance;
  return {
    min: Math.max(0, Math.ceil(ideal - halfWidth - ROUNDING_SLACK)),
    max: Math.floor(ideal + halfWidth + ROUNDING_SLACK),
  };
}
