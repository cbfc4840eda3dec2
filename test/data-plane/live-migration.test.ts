import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { migrateInBatches } from '#agent';
import { ClientSwarm } from '#client';
import { Fleet } from '#devstack';
import { caughtUp, control, seededOn, swarmOn, targets } from './support/fleet-helpers.js';
import { takesTurnsWithHeavySuites } from '../support/heavy-suite.js';

const SESSIONS = 2_000;
const PACING = { batchSize: 250, pauseMs: 100, jitterMs: 50, spreadMs: 100, batchWaitMs: 20_000 };

takesTurnsWithHeavySuites();

describe('live migration', () => {
  let fleet: Fleet;
  let swarm: ClientSwarm;

  beforeAll(async () => {
    fleet = await Fleet.start({ gateways: 3, worker: false, useExisting: false, messagesPerSecond: 10 });
    swarm = new ClientSwarm({ prefix: 'live', count: SESSIONS, gateways: seededOn(fleet, 'gw-1'), topics: ['ticker'] });
    await swarm.start();
    await swarmOn(swarm, 'gw-1');
  });

  afterAll(async () => {
    swarm?.stop();
    await fleet?.stop();
  });

  it('should move 2 000 sessions off a live gateway to two targets in paced batches with nothing lost, duplicated or reordered', async () => {
    const source = control(fleet, 'gw-1');
    const headBefore = fleet.publisher.head('ticker');
    const batches = await migrateInBatches((call) => source.migrate({ ...call, targets: targets(fleet, 'gw-2', 'gw-3') }), PACING, {
      idPrefix: 'live',
    });
    const headAfter = fleet.publisher.head('ticker');

    // Every session accounted for: each in exactly one batch, each moved, none left behind.
    const moves = batches.flatMap((b) => b.sessions);
    expect(new Set(moves.map((m) => m.sessionId)).size).toBe(SESSIONS);
    expect(moves.filter((m) => m.outcome !== 'moved')).toEqual([]);
    expect(batches.every((b) => b.settled && b.sessions.length <= PACING.batchSize)).toBe(true);
    expect(moves.every((m) => m.interruptionMs !== undefined)).toBe(true);
    expect((await source.status()).sessions).toBe(0);
    const [onTwo, onThree] = await Promise.all([control(fleet, 'gw-2').status(), control(fleet, 'gw-3').status()]);
    expect(onTwo.sessions + onThree.sessions).toBe(SESSIONS);
    expect(Math.min(onTwo.sessions, onThree.sessions)).toBeGreaterThan(0);

    // Messages flowed throughout, and every client has everything, once, in order.
    expect(headAfter).toBeGreaterThan(headBefore);
    const report = await caughtUp(swarm, fleet.publisher.head('ticker'));
    expect(report.byGateway).toEqual({ 'gw-2': onTwo.sessions, 'gw-3': onThree.sessions });
    expect(report.counters).toMatchObject({ lost: 0, duplicates: 0, reorders: 0, redirectsFollowed: SESSIONS, redirectsRefused: 0, reconnects: 0 });
    expect(report.redirectInterruptionsMs).toHaveLength(SESSIONS);
  });
});
