import { afterAll, afterEach, beforeAll, describe, expect, it } from '@jest/globals';
import { ClientSwarm } from '#client';
import { Fleet, waitUntil } from '#devstack';
import { caughtUp, control, seededOn, swarmOn } from './support/fleet-helpers.js';
import { takesTurnsWithHeavySuites } from '../support/heavy-suite.js';

const SESSIONS = 2_000;

/** Waits until every client is connected, none to `deadId`. */
const rehomed = (swarm: ClientSwarm, deadId: string) =>
  waitUntil(
    `every client re-homed off ${deadId}`,
    async () => {
      const report = swarm.report();
      return report.connected === report.clients && report.byGateway[deadId] === undefined ? report : undefined;
    },
    { timeoutMs: 60_000, intervalMs: 200 },
  );

takesTurnsWithHeavySuites();

describe('SIGKILL of the source gateway', () => {
  let fleet: Fleet;
  let swarm: ClientSwarm | undefined;

  beforeAll(async () => {
    // Gateways keep only 5 recent messages of their own, the publisher only 10 beyond what is held: a resume
    // further back is served only because the publisher held it for the sessions that still needed it.
    fleet = await Fleet.start({
      gateways: 3,
      worker: false,
      useExisting: false,
      messagesPerSecond: 10,
      gatewayEnv: { REPLAY_WINDOW: '5' },
      publisher: { minRetain: 10 },
    });
  });

  afterEach(() => swarm?.stop());

  afterAll(async () => {
    await fleet?.stop();
  });

  it('should re-home 2 000 sessions of a killed gateway with nothing lost, duplicated or reordered', async () => {
    await fleet.startGateway('doomed');
    swarm = new ClientSwarm({ prefix: 'kill', count: SESSIONS, gateways: seededOn(fleet, 'doomed'), topics: ['ticker'] });
    await swarm.start();
    await swarmOn(swarm, 'doomed');

    await fleet.killGateway('doomed');
    const report = await rehomed(swarm, 'doomed');
    expect(Object.keys(report.byGateway).sort()).toEqual(['gw-1', 'gw-2', 'gw-3']);
    const settled = await caughtUp(swarm, fleet.publisher.head('ticker'));
    expect(settled.counters).toMatchObject({ lost: 0, duplicates: 0, reorders: 0 });
    expect(settled.counters.reconnects).toBeGreaterThanOrEqual(SESSIONS);
  });

  it('should deliver what a stalled gateway never sent before it was killed, from the publisher\'s holds', async () => {
    await fleet.startGateway('stuck');
    swarm = new ClientSwarm({ prefix: 'stuck', count: 200, gateways: seededOn(fleet, 'stuck'), topics: ['ticker'] });
    await swarm.start();
    await swarmOn(swarm, 'stuck');

    // It stops delivering: what it received for its clients now sits in its own log and dies with it.
    await control(fleet, 'stuck').injectFault({ kind: 'hang' });
    const stalledAt = swarm.report().lowestLast.ticker as number;
    await waitUntil('the publisher to run 30 messages ahead of the stalled clients', async () => fleet.publisher.head('ticker') > stalledAt + 30);
    expect(swarm.report().lowestLast.ticker).toBeLessThan(fleet.publisher.head('ticker') - 5 - 20);

    await fleet.killGateway('stuck');
    await rehomed(swarm, 'stuck');
    const settled = await caughtUp(swarm, fleet.publisher.head('ticker'));
    expect(settled.counters).toMatchObject({ lost: 0, duplicates: 0, reorders: 0 });
  });
});
