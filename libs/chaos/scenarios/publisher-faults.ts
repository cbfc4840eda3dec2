import { fleetWideFault } from './fault-tools.js';

/** How long the upstream is gone: longer than its links' 200 ms retry, short of the orphan holds' 30 s. */
const PUBLISHER_DOWN_MS = 2_000;

/**
 * The upstream every gateway fans out from (the dev stack's stand-in for the message bus)
 * goes away and comes back on its port with its retained log, as a bus restarted on its
 * durable log does. Sessions stay where they are; gateways re-subscribe from their head.
 */
export const publisherRestart = fleetWideFault(
  {
    name: 'publisher-restart',
    fault: `restart the publisher (upstream) with its retained log, down ${PUBLISHER_DOWN_MS / 1_000} s`,
    expected:
      'every gateway loses its upstream link and resubscribes from its head once the publisher is back; no session moves, no run acts; every message published before or after reaches every client, in order',
    profiles: ['full'],
  },
  async (context) => {
    const restarted = context.fleet.publisher.restart(PUBLISHER_DOWN_MS);
    return () => restarted;
  },
);
