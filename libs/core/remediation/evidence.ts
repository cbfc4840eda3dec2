import { type GatewayStateName, type GatewayVitals } from '../fleet/index.js';

/** One look at a gateway, taken by the `gatherEvidence` activity. */
export interface EvidenceSample {
  readonly at: number;
  /** Its registration lease is alive. */
  readonly registered: boolean;
  /** Its agent answered a status call. */
  readonly reachable: boolean;
  /**
   * Why it did not answer: `refused` (nothing listens: the process is gone), `timeout` (something
   * holds the port but does not answer: hung), `error` (it answered with an error), `no-address`
   * (neither a registration nor a last known control address to ask).
   */
  readonly agentError?: 'refused' | 'timeout' | 'error' | 'no-address';
  /** The control address it was asked at (from its registration, else its last known one). */
  readonly controlUrl?: string;
  readonly state?: GatewayStateName;
  readonly sessions?: number;
  readonly vitals?: GatewayVitals;
  /** The detector's RTT level for the gateway (`/homeostat/rtt-levels`), when a fresh one exists. */
  readonly rttLevel?: number;
}

/** What a detector saw, when a detector started the run (see libs/core/detection). */
export interface DetectorFindings {
  readonly detectorId: string;
  /** Predicates that held for the detector, e.g. `heartbeatLost`. */
  readonly facts: readonly string[];
  readonly tier?: string;
  readonly classification?: string;
  /**
   * Clients the detector last saw on the gateway (its vitals). A run that looks after the
   * lease ran out finds no vitals any more (they live under the lease), yet its report should
   * still say how many clients the gateway held.
   */
  readonly sessions?: number;
  /**
   * The detector's crash or hang verdict lacked its observers' quorum (another observer still
   * sees the gateway answering) and the policy's `detector.agreement.onPartition` is `degrade`:
   * the run may degrade the gateway, not remove it, while every fresh trigger says so.
   */
  readonly partitionSuspected?: boolean;
}
