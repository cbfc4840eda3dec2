import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { PushClient } from '#client';
import { DEFAULT_POLICY, type MigrationBudgetSettings, type MigrationSummary } from '#core';
import { Fleet, waitUntil } from '#devstack';
import { MigrationBudget, PolicyStore, connectEtcd, targetReconnectsBucket } from '#etcd';
import { HOMEOSTAT_TASK_QUEUE } from '#temporal';
import { totals } from '../support/clients.js';
import { connectTemporalClient } from '../support/temporal-client.js';

const SESSIONS = 60;
/** Batches of 50 against a target burst of 25: each batch goes to the agent in two parts, each paid for. */
const BUDGET: MigrationBudgetSettings = { ...DEFAULT_POLICY.migration.budget, reconnectsPerSecondPerTarget: 100, reconnectsBurstPerTarget: 25 };

/** A migration's batches take their tokens from the shared budget in etcd before their redirects go out (real worker, gateways, clients). */
describe('migration budget in migrateBatch', () => {
  let fleet: Fleet;
  let temporal: Awaited<ReturnType<typeof connectTemporalClient>>;
  const arrivals: number[] = [];
  let clients: PushClient[];

  beforeAll(async () => {
    fleet = await Fleet.start({ gateways: 2, worker: true, useExisting: false });
    temporal = await connectTemporalClient(fleet.stack);
    const etcd = connectEtcd(fleet.stack.etcd.endpoints);
    await new PolicyStore(etcd).publish({ ...DEFAULT_POLICY, migration: { ...DEFAULT_POLICY.migration, batchSize: 50, budget: BUDGET } });
    etcd.close();
    clients = Array.from(
      { length: SESSIONS },
      (_, i) =>
        new PushClient({
          sessionId: `budget-${i}`,
          gateways: fleet.gatewayAddresses,
          topics: ['ticker'],
          onEvent: (event) => {
            if (event.kind === 'connected' && event.via === 'redirect') arrivals.push(event.at);
          },
        }),
    );
    clients.forEach((c) => c.start());
    await waitUntil(`${SESSIONS} clients receiving on gw-1`, async () => clients.every((c) => c.gatewayId === 'gw-1' && (c.ledgers.get('ticker')?.received ?? 0) > 0));
  });

  afterAll(async () => {
    clients?.forEach((c) => c.stop());
    await temporal?.close();
    await fleet?.stop();
  });

  it('should send a batch bigger than the burst in parts, charge the target, and move every session once', async () => {
    const workflowId = 'budget-test-migration';
    const summary = (await temporal.client.workflow.execute('migrateSessions', {
      taskQueue: HOMEOSTAT_TASK_QUEUE,
      workflowId,
      args: [{ gatewayId: 'gw-1', settings: { ...DEFAULT_POLICY.migration, batchSize: 50, budget: BUDGET } }],
    })) as MigrationSummary;
    expect(summary).toMatchObject({ sessions: SESSIONS, moved: SESSIONS, remaining: 0 });

    // The agent ran the first batch as two parts of 25 (its own id, then /1) and no third.
    const agent = fleet.control('gw-1');
    const first = await agent.migration(`${workflowId}#0:gw-2`);
    const second = await agent.migration(`${workflowId}#0:gw-2/1`);
    expect([first.sessions.length, second.sessions.length]).toEqual([25, 25]);
    await expect(agent.migration(`${workflowId}#0:gw-2/2`)).rejects.toThrow(/no migration batch/);

    // The target's bucket was charged: the last take (the second batch's 10) left it at most burst − 10.
    const etcd = connectEtcd(fleet.stack.etcd.endpoints);
    try {
      const [level] = await new MigrationBudget(etcd).levels([targetReconnectsBucket('gw-2', BUDGET)]);
      expect(level?.tokens).toBeLessThanOrEqual(BUDGET.reconnectsBurstPerTarget - 10);
    } finally {
      etcd.close();
    }

    // 60 reconnects at 100/s after a burst of 25 cannot all land within 350 ms; allow 150 ms for the spread and the network.
    expect(arrivals).toHaveLength(SESSIONS);
    expect(Math.max(...arrivals) - Math.min(...arrivals)).toBeGreaterThanOrEqual(200);
    await waitUntil('clients delivering on gw-2', async () => clients.every((c) => c.connected && c.gatewayId === 'gw-2'));
    expect(totals(clients)).toMatchObject({ lost: 0, duplicates: 0, reorders: 0 });
  });
});
