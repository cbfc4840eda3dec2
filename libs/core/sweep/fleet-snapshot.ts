import type { GatewayStateName } from '../fleet/gateway-state.js';
import type { GatewayVitals } from '../fleet/gateway-vitals.js';
import type { Policy } from '../policy/policy-schema.js';

/**
 * The part of a gateway's vitals the sweep judges. The snapshot of the whole fleet travels
 * as one activity result (Temporal warns above 512 KB and refuses 2 MB), so nothing else rides along.
 */
export type SweepVitals = Pick<
  GatewayVitals,
  'at' | 'rttSamplesMs' | 'finRstPerSec' | 'synRetransmitPerSec' | 'writeBlocked' | 'writeBlockedRatio' | 'retryPending'
>;

export const sweepVitals = (vitals: GatewayVitals): SweepVitals => ({
  at: vitals.at,
  rttSamplesMs: vitals.rttSamplesMs,
  finRstPerSec: vitals.finRstPerSec,
  synRetransmitPerSec: vitals.synRetransmitPerSec,
  writeBlocked: vitals.writeBlocked,
  writeBlockedRatio: vitals.writeBlockedRatio,
  ...(vitals.retryPending !== undefined ? { retryPending: vitals.retryPending } : {}),
});

/** One registered gateway as the sweep sees it: only what judging it needs. */
export interface SweepGateway {
  readonly gatewayId: string;
  /** Registered as leaving (graceful shutdown): not a failure. */
  readonly leaving: boolean;
  readonly state: GatewayStateName | undefined;
  /** When it entered that state (a hold's quiet period counts from here). */
  readonly stateSince?: number;
  /** Absent until the gateway first publishes vitals. */
  readonly vitals: SweepVitals | undefined;
  /** The detector's current RTT level for it (`/homeostat/rtt-levels`), when one is fresh. */
  readonly rttLevel?: number;
}

/** A record that could not be parsed; reported, never allowed to stop the sweep of the rest. */
export interface UnreadableRecord {
  readonly key: string;
  readonly error: string;
}

/** Everything a sweep judges, read from etcd in one go by an activity. */
export interface FleetSnapshot {
  /** When the read began (ms since epoch): vitals ages are measured against it. */
  readonly readAt: number;
  /** The policy in force when the fleet was read, so the run records which one it used. */
  readonly policy: Policy;
  /** Registered gateways, in id order. */
  readonly gateways: readonly SweepGateway[];
  readonly unreadable: readonly UnreadableRecord[];
}
