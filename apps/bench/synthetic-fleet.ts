import { type Etcd3, type Lease } from 'etcd3';
import { type GatewayRegistration, type GatewayStateName, type GatewayVitals } from '#core';
import { gatewayKey, stateKey, vitalsKey } from '#etcd';
import { healthyVitals } from '#core/sweep/test-fixtures';

/** A gateway that exists only in etcd: a registration, a state and (maybe) vitals, as a real agent would write them. */
export interface SyntheticGateway {
  readonly id: string;
  readonly state?: GatewayStateName;
  /** Absent: registered but never published; a string: written as is (e.g. a corrupt record). */
  readonly vitals?: GatewayVitals | string;
  /** Where its agent answers (default: nowhere, port 9). */
  readonly controlUrl?: string;
}

/**
 * Nothing listens at the registration's addresses (port 9, discard), so remediations of a
 * synthetic gateway find its agent unreachable at once, as they would a crashed one.
 */
const registration = (id: string, controlUrl = 'http://127.0.0.1:9'): GatewayRegistration => ({
  id,
  address: 'ws://127.0.0.1:9/',
  controlUrl,
  capacity: 1_000,
  zone: 'synthetic',
  version: 'synthetic',
});

/** Writes in parallel batches: a thousand gateways take a few hundred milliseconds, not a few thousand round trips in a row. */
const BATCH = 200;

/**
 * Registers synthetic gateways under one lease (registration and vitals, like a real agent,
 * so they vanish with it) and their states beside it. Revoke the lease to remove them.
 */
export const writeSyntheticGateways = async (etcd: Etcd3, gateways: readonly SyntheticGateway[], lease?: Lease): Promise<Lease> => {
  const held = lease ?? etcd.lease(30);
  const writes = gateways.flatMap((g) => [
    () => held.put(gatewayKey(g.id)).value(JSON.stringify(registration(g.id, g.controlUrl))),
    () => etcd.put(stateKey(g.id)).value(JSON.stringify({ state: g.state ?? 'serving', since: 0, by: 'agent' })),
    ...(g.vitals === undefined ? [] : [() => held.put(vitalsKey(g.id)).value(typeof g.vitals === 'string' ? g.vitals : JSON.stringify(g.vitals))]),
  ]);
  for (let i = 0; i < writes.length; i += BATCH) await Promise.all(writes.slice(i, i + BATCH).map((write) => write()));
  return held;
};

/** Vitals of a quiet, healthy gateway published at `at`; override what matters. */
export const syntheticVitals = (gatewayId: string, at: number, overrides: Partial<GatewayVitals> = {}): GatewayVitals =>
  healthyVitals(gatewayId, at, {
    connections: 100,
    rttSamplesMs: Array.from({ length: 32 }, (_, i) => 2 + (i % 5) * 0.05),
    finRstPerSec: 0.1,
    ...overrides,
  });
