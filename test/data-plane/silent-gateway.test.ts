import { afterAll, afterEach, beforeAll, describe, expect, it } from '@jest/globals';
import { RemoteSwarm, type SwarmReport } from '#client';
import { Fleet, waitUntil } from '#devstack';
import { seededOn } from './support/fleet-helpers.js';
import { takesTurnsWithHeavySuites } from '../support/heavy-suite.js';

const SESSIONS = 500;

/** Polls a swarm in its own process until `accept` says yes. */
const swarmUntil = (swarm: RemoteSwarm, what: string, accept: (r: SwarmReport) => boolean): Promise<SwarmReport> =>
  waitUntil(
    what,
    async () => {
      const report = await swarm.report();
      return accept(report) ? report : undefined;
    },
    { timeoutMs: 60_000, intervalMs: 250 },
  );

takesTurnsWithHeavySuites();

describe('a gateway frozen with its sockets open (SIGSTOP)', () => {
  let fleet: Fleet;
  let swarm: RemoteSwarm | undefined;

  beforeAll(async () => {
    fleet = await Fleet.start({ gateways: 2, worker: false, useExisting: false, messagesPerSecond: 20 });
  });

  afterEach(async () => {
    await swarm?.stop();
  });

  afterAll(async () => {
    await fleet?.stop();
  });

  it('should be left by every one of its 500 clients on their own, each resuming elsewhere with nothing lost', async () => {
    await fleet.startGateway('frozen');
    // The clients run in a process of their own, as real clients would: the test process stays responsive.
    swarm = await RemoteSwarm.start({ prefix: 'frozen', count: SESSIONS, gateways: seededOn(fleet, 'frozen'), topics: ['ticker'] });
    await swarmUntil(swarm, `${SESSIONS} clients receiving on frozen`, (r) => r.byGateway.frozen === SESSIONS && r.receiving === SESSIONS);

    // Frozen, not dead: its TCP connections stay up, so only the silence tells the clients.
    fleet.gateway('frozen').app.process.signal('SIGSTOP');
    try {
      const moved = await swarmUntil(swarm, 'every client connected elsewhere', (r) => r.connected === SESSIONS && r.byGateway.frozen === undefined);
      expect(Object.keys(moved.byGateway).sort()).toEqual(['gw-1', 'gw-2']);
      expect(moved.counters.silentServersLeft).toBe(SESSIONS);
      const head = fleet.publisher.head('ticker');
      const settled = await swarmUntil(swarm, `every client delivered up to ${head - 1}`, (r) => (r.lowestLast.ticker ?? -1) >= head - 1);
      expect(settled.counters).toMatchObject({ lost: 0, duplicates: 0, reorders: 0 });
    } finally {
      fleet.gateway('frozen').app.process.signal('SIGCONT');
      await fleet.killGateway('frozen');
    }
  });
});
