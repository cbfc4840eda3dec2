import { type Etcd3 } from 'etcd3';
import { type z } from 'zod';
import {
  type FleetSnapshot,
  GatewayRegistrationSchema,
  GatewayStateRecordSchema,
  GatewayVitalsSchema,
  type Policy,
  type SweepGateway,
  type UnreadableRecord,
  sweepVitals,
} from '#core';
import { GATEWAYS_PREFIX, PolicyStore, STATE_PREFIX, VITALS_PREFIX, idFromKey, parseRecord } from '#etcd';

/** The activities `healthSweep` calls. Workflows import this file for its types only. */
export interface SweepActivities {
  /** Every registered gateway with its state and latest vitals, and the policy in force. */
  readFleetSnapshot(): Promise<FleetSnapshot>;
}

export interface SweepActivityDependencies {
  readonly etcd: Etcd3;
  /** The policy in force; by default the store's current one (DEFAULT_POLICY until one is published). */
  readonly readPolicy?: () => Promise<Policy>;
}

/**
 * Read-only, so retrying is harmless. One range read per prefix, whatever the fleet's
 * size: a sweep of a thousand gateways costs three round trips, not three thousand.
 */
export const createSweepActivities = ({ etcd, readPolicy = currentPolicy(etcd) }: SweepActivityDependencies): SweepActivities => ({
  async readFleetSnapshot() {
    const readAt = Date.now();
    const [registrations, states, vitals, policy] = await Promise.all([
      etcd.getAll().prefix(GATEWAYS_PREFIX).strings(),
      etcd.getAll().prefix(STATE_PREFIX).strings(),
      etcd.getAll().prefix(VITALS_PREFIX).strings(),
      readPolicy(),
    ]);
    const unreadable: UnreadableRecord[] = [];
    const registered = parseAll(GATEWAYS_PREFIX, registrations, GatewayRegistrationSchema, unreadable);
    const stateById = parseAll(STATE_PREFIX, states, GatewayStateRecordSchema, unreadable);
    const vitalsById = parseAll(VITALS_PREFIX, vitals, GatewayVitalsSchema, unreadable);
    const gateways = [...registered.entries()]
      .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0))
      .map(([gatewayId, registration]): SweepGateway => {
        const latest = vitalsById.get(gatewayId);
        return {
          gatewayId,
          leaving: registration.leaving === true,
          state: stateById.get(gatewayId)?.state,
          vitals: latest === undefined ? undefined : sweepVitals(latest),
        };
      });
    return { readAt, policy, gateways, unreadable };
  },
});

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
