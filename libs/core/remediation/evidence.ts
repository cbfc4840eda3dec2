import { type GatewayStateName, type GatewayVitals } from '../fleet/index.js';

/** One look at a gateway, taken by the `gatherEvidence` activity. */
export interface EvidenceSample {
  readonly at: number;
  /** Its registration lease is alive. */
  readonly registered: boolean;
  /** Its agent answered a status call. */
  readonly reachable: boolean;
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
}
