import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { ClientSwarm } from '#client';
import { CloseCode } from '#core';
import { Fleet } from '#devstack';
import { caughtUp, control, seededOn, swarmOn, targets } from './support/fleet-helpers.js';

const FULL_CAPACITY = 10;
const MOVING = 100;

describe('a target at capacity', () => {
  let fleet: Fleet;
  let residents: ClientSwarm;
  let movers: ClientSwarm;

  beforeAll(async () => {
    fleet = await Fleet.start({ gateways: 2, worker: false, useExisting: false, messagesPerSecond: 20 });
    await fleet.startGateway('full', { GATEWAY_CAPACITY: String(FULL_CAPACITY) });
    residents = new ClientSwarm({ prefix: 'resident', count: FULL_CAPACITY, gateways: seededOn(fleet, 'full'), topics: ['ticker'] });
    movers = new ClientSwarm({ prefix: 'mover', count: MOVING, gateways: seededOn(fleet, 'gw-1'), topics: ['ticker'] });
    await Promise.all([residents.start(), movers.start()]);
    await Promise.all([swarmOn(residents, 'full'), swarmOn(movers, 'gw-1')]);
  });

  afterAll(async () => {
    residents?.stop();
    movers?.stop();
    await fleet?.stop();
  });

  it('should refuse redirected sessions with NotAccepting, and the batch should move them to the other target', async () => {
    const result = await control(fleet, 'gw-1').migrate({ targets: targets(fleet, 'full', 'gw-2'), waitMs: 20_000, batchId: 'overflow' });

    expect(result).toMatchObject({ settled: true, moved: MOVING, refused: 0, remaining: 0, movedTo: { 'gw-2': MOVING } });
    const retried = result.sessions.filter((s) => s.refusedBy.length > 0);
    expect(retried.length).toBeGreaterThan(0);
    expect(retried.every((s) => s.refusedBy.join() === 'full' && s.target === 'gw-2')).toBe(true);
    expect(movers.report().refusalCodes).toEqual({ [CloseCode.NotAccepting]: retried.length });

    expect((await control(fleet, 'full').status()).sessions).toBe(FULL_CAPACITY);
    const report = await caughtUp(movers, fleet.publisher.head('ticker'));
    expect(report.byGateway).toEqual({ 'gw-2': MOVING });
    expect(report.counters).toMatchObject({ lost: 0, duplicates: 0, reorders: 0, redirectsFollowed: MOVING, redirectsRefused: retried.length });
  });
});
