import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { type PushClient } from '#client';
import { DEFAULT_POLICY } from '#core';
import { Fleet, waitUntil } from '#devstack';
import { PolicyStore, connectEtcd } from '#etcd';
import { RemediationClient } from '#temporal';
import { type RebalanceReport } from '../../workflows/rebalance-fleet.js';
import { connectClients, totals } from '../support/clients.js';
import { connectTemporalClient } from '../support/temporal-client.js';

/**
 * Two rebalances at once (two restores finishing together, a scale-out during a restore) used
 * to plan from the same snapshot and both move sessions off the same gateway, emptying it (the
 * chaos matrix found it). They take turns on a fleet-wide claim; the second plans afresh.
 */
describe('rebalanceFleet', () => {
  let fleet: Fleet;
  let temporal: Awaited<ReturnType<typeof connectTemporalClient>>;
  let clients: PushClient[];

  beforeAll(async () => {
    fleet = await Fleet.start({ gateways: 3, worker: true, useExisting: false });
    temporal = await connectTemporalClient(fleet.stack);
    const etcd = connectEtcd(fleet.stack.etcd.endpoints);
    await new PolicyStore(etcd).publish({ ...DEFAULT_POLICY, migration: { ...DEFAULT_POLICY.migration, batchSize: 10, pauseMs: 200 } });
    etcd.close();
    // Every client starts on gw-1: the fleet is as unbalanced as it gets.
    clients = await connectClients(60, fleet.gatewayAddresses, ['ticker'], 'rebalance');
  });

  afterAll(async () => {
    clients?.forEach((c) => c.stop());
    await temporal?.close();
    await fleet?.stop();
  });

  it('should let two rebalances started together take turns, the second planning from the fleet the first left', async () => {
    expect(clients.filter((c) => c.gatewayId === 'gw-1')).toHaveLength(60);
    const runs = new RemediationClient(temporal.client);
    const first = await runs.startRebalance('first');
    await new Promise((resolve) => setTimeout(resolve, 5));
    const second = await runs.startRebalance('second');
    expect(second.workflowId).not.toBe(first.workflowId);
    const [a, b] = (await Promise.all([first, second].map((r) => temporal.client.workflow.getHandle(r.workflowId, r.runId).result()))) as RebalanceReport[];

    // Exactly one waited, for the other; between them the sessions moved once, not twice.
    const [leader, follower] = a!.waitedFor ? [b!, a!] : [a!, b!];
    expect(leader.waitedFor).toBeUndefined();
    expect(follower.waitedFor).toMatch(/^rebalance:.* \(rebalance\)$/);
    expect(leader.outcome).toBe('balanced');
    expect(follower.outcome).toBe('already-balanced');
    await waitUntil('clients settled', async () => clients.every((c) => c.connected));
    const byGateway = ['gw-1', 'gw-2', 'gw-3'].map((id) => clients.filter((c) => c.gatewayId === id).length);
    expect(Math.min(...byGateway)).toBeGreaterThan(0);
    const before = totals(clients).received;
    await waitUntil('messages flowing', async () => totals(clients).received > before + clients.length);
    expect(totals(clients)).toMatchObject({ lost: 0, duplicates: 0, reorders: 0 });
  });
});
