import { type FleetSnapshot } from '#core';

/** The sweep activities as v1 workflows called them (types only; frozen with workflows/v1). */
export interface SweepActivities {
  readFleetSnapshot(): Promise<FleetSnapshot>;
}
