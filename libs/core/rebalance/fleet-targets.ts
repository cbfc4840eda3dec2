import { limitAfterHeadroom } from './headroom.js';
import { defined } from './invariant.js';
import { type ConnectionBand, type LoadedGateway, toleranceBand } from './tolerance.js';
import { lowerMostUtilised, raiseLeastUtilised } from './water-fill.js';

export interface FleetTargets {
  /** Where each gateway should end, in input order; sums to the fleet's connections. */
  readonly targetConnections: readonly number[];
  /** The band each gateway was steered into, after headroom narrowed it. */
  readonly bands: readonly ConnectionBand[];
}

/**
 * The band a gateway is steered into: the tolerance band, or — when no whole number of
 * sessions falls inside it — the two whole numbers nearest the mean. Moves may fill a
 * gateway only up to its capacity minus headroom; one already above that may stay there.
 */
function steeringBand(
  gateway: LoadedGateway,
  mean: number,
  tolerance: number,
  headroomFraction: number,
): ConnectionBand {
  const tolerated = toleranceBand(gateway.capacity, mean, tolerance);
  const ideal = gateway.capacity * mean;
  const band = tolerated.min <= tolerated.max ? tolerated : { min: Math.floor(ideal), max: Math.ceil(ideal) };
  const receiveLimit = Math.max(gateway.connections, limitAfterHeadroom(gateway.capacity, headroomFraction));
  const max = Math.min(band.max, receiveLimit);
  return { min: Math.min(band.min, max), max };
}

const sum = (values: readonly number[]): number => values.reduce((total, value) => total + value, 0);

const clamp = (value: number, band: ConnectionBand): number => Math.min(band.max, Math.max(band.min, value));

/**
 * Chooses final connection counts that move as few sessions as possible: a gateway inside its
 * band stays put, one outside moves just to the band's edge. When the edges do not add up to
 * the fleet's connections, the difference is levelled across gateways by utilisation; only if
 * the bands themselves cannot hold the fleet's connections do receivers get less than their band
 * (or donors keep more), because sessions cannot vanish and headroom is never spent.
 */
export function fleetTargets(
  gateways: readonly LoadedGateway[],
  mean: number,
  tolerance: number,
  headroomFraction: number,
): FleetTargets {
  const bands = gateways.map((gateway) => steeringBand(gateway, mean, tolerance, headroomFraction));
  const levels = {
    counts: gateways.map((gateway, index) => clamp(gateway.connections, defined(bands[index], 'a band per gateway'))),
    capacities: gateways.map((gateway) => gateway.capacity),
  };
  const countAt = (index: number): number => defined(levels.counts[index], 'a count per gateway');
  const excess = sum(levels.counts) - sum(gateways.map((gateway) => gateway.connections));
  if (excess > 0) {
    const left = lowerMostUtilised(levels, bands.map((band) => band.min), excess);
    lowerMostUtilised(levels, gateways.map((gateway, index) => Math.min(countAt(index), gateway.connections)), left);
  } else if (excess < 0) {
    const left = raiseLeastUtilised(levels, bands.map((band) => band.max), -excess);
    raiseLeastUtilised(levels, gateways.map((gateway, index) => Math.max(countAt(index), gateway.connections)), left);
  }
  return { targetConnections: levels.counts, bands };
}
