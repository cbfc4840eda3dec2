import { type Etcd3 } from 'etcd3';
import { type z } from 'zod';
import {
  type FleetAssessment,
  type FleetSnapshot,
  GatewayRegistrationSchema,
  GatewayStateRecordSchema,
  GatewayVitalsSchema,
  type Policy,
  RttLevelSchema,
  type SweepGateway,
  type SweepSettings,
  assessFleet,
  type UnreadableRecord,
  currentRttLevel,
  sweepVitals,
} from '#core';
import { GATEWAYS_PREFIX, PolicyStore, RTT_LEVELS_PREFIX, STATE_PREFIX, VITALS_PREFIX, idFromKey, parseRecord, readPrefixPaged } from '#etcd';

/** The activities `healthSweep` calls. Workflows import this file for its types only. */
export interface SweepActivities {
  /**
   * Reads the fleet and judges it where it was read: only the bounded assessment travels
   * back to the workflow, whatever the fleet's size (see FleetAssessment).
   */
  assessFleet(input: { settings: SweepSettings }): Promise<FleetAssessment>;
  /**
   * Every registered gateway with its state and latest vitals: what v1 sweeps judged inside
   * the workflow. Kept only so a v1 sweep still open can finish; its result grows with the fleet.
   */
  readFleetSnapshot(): Promise<FleetSnapshot>;
}

export interface SweepActivityDependencies {
  readonly etcd: Etcd3;
  /** The policy in force; by default the store's current one (DEFAULT_POLICY until one is published). */
  readonly readPolicy?: () => Promise<Policy>;
}

/**
 * Read-only, so retrying is harmless. Paged range reads per prefix, whatever the fleet's
 * size: a sweep of ten thousand gateways costs a few dozen round trips, not thirty thousand.
 */
export const createSweepActivities = ({ etcd, readPolicy = currentPolicy(etcd) }: SweepActivityDependencies): SweepActivities => {
  const readSnapshot = () => readFleetSnapshot(etcd, readPolicy);
  return {
    async assessFleet({ settings }) {
      return assessFleet(await readSnapshot(), settings);
    },
    readFleetSnapshot: readSnapshot,
  };
};

const readFleetSnapshot = async (etcd: Etcd3, readPolicy: () => Promise<Policy>): Promise<FleetSnapshot> => {
    const readAt = Date.now();
    const [registrations, states, vitals, rttLevels, policy] = await Promise.all([
      readPrefixPaged(etcd, GATEWAYS_PREFIX),
      readPrefixPaged(etcd, STATE_PREFIX),
      readPrefixPaged(etcd, VITALS_PREFIX),
      readPrefixPaged(etcd, RTT_LEVELS_PREFIX),
      readPolicy(),
    ]);
    const unreadable: UnreadableRecord[] = [];
    const registered = parseAll(GATEWAYS_PREFIX, registrations, GatewayRegistrationSchema, unreadable);
    const stateById = parseAll(STATE_PREFIX, states, GatewayStateRecordSchema, unreadable);
    const vitalsById = parseAll(VITALS_PREFIX, vitals, GatewayVitalsSchema, unreadable);
    const levelsById = parseAll(RTT_LEVELS_PREFIX, rttLevels, RttLevelSchema, unreadable);
    const gateways = [...registered.entries()]
      .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0))
      .map(([gatewayId, registration]): SweepGateway => {
        const latest = vitalsById.get(gatewayId);
        const rttLevel = currentRttLevel(levelsById.get(gatewayId), readAt);
        return {
          gatewayId,
          leaving: registration.leaving === true,
          state: stateById.get(gatewayId)?.state,
          ...(stateById.has(gatewayId) ? { stateSince: stateById.get(gatewayId)?.since } : {}),
          vitals: latest === undefined ? undefined : sweepVitals(latest),
          ...(rttLevel !== undefined ? { rttLevel } : {}),
        };
      });
    return { readAt, policy, gateways, unreadable };
};

const currentPolicy = (etcd: Etcd3) => {
  const store = new PolicyStore(etcd);
  return async (): Promise<Policy> => (await store.current()).policy;
};

/** Parses every record of a range by gateway id; one corrupt record must not hide the rest of the fleet. */
const parseAll = <S extends z.ZodType>(prefix: string, records: Record<string, string>, schema: S, unreadable: UnreadableRecord[]): Map<string, z.infer<S>> => {
  const parsed = new Map<string, z.infer<S>>();
  for (const [key, raw] of Object.entries(records)) {
    try {
      parsed.set(idFromKey(prefix, key), parseRecord(schema, key, raw));
    } catch (error) {
      unreadable.push({ key, error: error instanceof Error ? error.message : String(error) });
    }
  }
  return parsed;
};
