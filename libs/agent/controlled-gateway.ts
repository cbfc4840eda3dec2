import { type ArrivalWindow } from '#core';

/** Where sessions are sent: a gateway id (bound into the redirect token) and its client address (ws://…). */
export interface MigrationTarget {
  readonly gatewayId: string;
  readonly address: string;
}

/**
 * How one redirect ended, as the source sees it:
 * - `moved`: the client left with close code Redirected, which it sends only after the target welcomed it;
 * - `refused`: the client came back on this connection (re-subscribed): the target refused it;
 * - `gone`: the connection ended otherwise (the client died or dropped); it will reconnect on its own;
 * - `absent`: no such session here (already moved, or never here).
 */
export type RedirectOutcome = 'moved' | 'refused' | 'gone' | 'absent';

export interface RedirectSettlement {
  readonly outcome: RedirectOutcome;
  /** When the redirect frame was handed to the socket (ms since epoch). */
  readonly sentAt: number;
  readonly settledAt: number;
}

/** What the agent reads from the data plane to publish vitals and detect write blocks. */
export interface DataPlaneSnapshot {
  readonly connections: number;
  readonly capacity: number;
  readonly accepting: boolean;
  /** Largest user-space send backlog of any session (bytes). */
  readonly maxSendBufferBytes: number;
  /**
   * Sessions whose client is not keeping up: user-space buffer or kernel send queue at
   * their marks, or (for clients that ack) a message unacknowledged past the ack deadline.
   */
  readonly blockedSessions: number;
  /** Of those, the ones still making progress within the retry budget (docs/protocol.md §8.1). */
  readonly retryingSessions: number;
  /** Of those, the ones whose acks are late (the rest are blocked by their buffers). */
  readonly lateAckSessions: number;
  /** Largest sent-but-unacknowledged backlog of any session (bytes). */
  readonly maxUnackedBytes: number;
  /** Age of the oldest unacknowledged message of any session (ms). */
  readonly maxUnackedAgeMs: number;
  /** Largest kernel send queue (tx_queue) of any session; absent where the OS does not tell. */
  readonly maxKernelSendQueueBytes?: number;
  readonly sendBufferHighWater: number;
  readonly kernelSendQueueHighWater: number;
  readonly ackDeadlineMs: number;
  /** Recent client round trips (fractional ms), newest last. */
  readonly rttSamplesMs: readonly number[];
  /** Cumulative counters; the agent turns them into rates. */
  readonly connectionsEnded: number;
  readonly handshakeFailures: number;
  readonly errors: number;
}

/** What fault injection asks of the data plane (crash is the agent's own business). */
export interface DataPlaneFaults {
  /** Act as if clients stopped reading: their acks are no longer heard while the gateway keeps writing. */
  readonly writeBlock: boolean;
  /** Delay every message and pong by this much. */
  readonly latencyMs: number;
  /** Send nothing and answer nothing, but keep every socket open. */
  readonly hang: boolean;
}

/** Sessions on this gateway that came from another one (the client named it with `?from=`). */
export interface SessionArrivals {
  readonly from: string;
  readonly count: number;
  readonly firstAt?: number;
  readonly lastAt?: number;
}

/** What the agent needs from the gateway it is embedded in; any gateway can implement it. */
export interface ControlledGateway {
  readonly sessionCount: number;
  readonly isAccepting: boolean;
  setAccepting(accepting: boolean): void;
  /**
   * Closes every client session with `code` (the clients resume elsewhere); a socket that does
   * not finish its close handshake promptly (a wedged write path) is cut. Returns how many were shed.
   */
  shedSessions(code: number, reason: string): number;
  /** Session ids in arrival order. */
  sessionIds(): string[];
  hasSession(sessionId: string): boolean;
  /** Sessions here now that arrived from `gatewayId` (within `window`, when given): how a dead gateway's clients are counted where they came back. */
  arrivalsFrom(gatewayId: string, window?: ArrivalWindow): SessionArrivals;
  /** Sends one session a signed redirect to `target`; resolves when it has moved, come back, or vanished. */
  redirectSession(sessionId: string, target: MigrationTarget): Promise<RedirectSettlement>;
  snapshot(): DataPlaneSnapshot;
  applyFaults(faults: DataPlaneFaults): void;
}
