import { type ArrivalRun } from './arrival-log.js';

/** A client connection change: to a gateway from a seed list, or by following a redirect. */
export interface ClientMove {
  readonly at: number;
  readonly from: string | undefined;
  readonly to: string;
  readonly via: 'seed' | 'redirect';
}

/** What one chaos client recorded: the raw material every delivery invariant is checked on. */
export interface ClientJournal {
  readonly sessionId: string;
  readonly gatewayId: string | undefined;
  readonly connected: boolean;
  /** Arrivals per topic. */
  readonly arrivals: Readonly<Record<string, readonly ArrivalRun[]>>;
  /** Sequences gateways declared gone (`gap` frames), per topic. */
  readonly declaredLost: Readonly<Record<string, number>>;
  readonly moves: readonly ClientMove[];
}

/** Highest sequence a client has received on `topic`, -1 before any. */
export const lastArrival = (journal: ClientJournal, topic: string): number =>
  Math.max(-1, ...(journal.arrivals[topic] ?? []).map(([, last]) => last));
