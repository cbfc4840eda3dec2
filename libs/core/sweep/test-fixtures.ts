import type { GatewayVitals } from '../fleet/gateway-vitals.js';
import type { SweepGateway } from './fleet-snapshot.js';

/** Vitals of a quiet, healthy gateway published at `at`; override what a test is about. */
export const healthyVitals = (gatewayId: string, at: number, overrides: Partial<GatewayVitals> = {}): GatewayVitals => ({
  gatewayId,
  at,
  connections: 10,
  capacity: 1_000,
  accepting: true,
  rttSamplesMs: [2, 2.1, 1.9, 2, 2.05],
  finRstPerSec: 0,
  synRetransmitPerSec: 0,
  tcpCounterSource: 'app',
  sendBufferBytes: 0,
  sendBufferHighWater: 1_048_576,
  writeBlocked: false,
  writeBlockedRatio: 0,
  errorsPerSec: 0,
  ...overrides,
});

/** Write-blocked most of the interval: the default tree degrades such a gateway. */
export const blockedVitals = (gatewayId: string, at: number): GatewayVitals =>
  healthyVitals(gatewayId, at, { writeBlocked: true, writeBlockedRatio: 0.9, sendBufferBytes: 4_194_304 });

export const servingGateway = (gatewayId: string, vitals: GatewayVitals | undefined): SweepGateway => ({
  gatewayId,
  leaving: false,
  state: 'serving',
  vitals,
});
