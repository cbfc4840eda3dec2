import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { type Etcd3 } from 'etcd3';
import { setTimeout as sleep } from 'node:timers/promises';
import { type PushClient } from '#client';
import { DEFAULT_POLICY, type MigrationBudgetSettings } from '#core';
import { Fleet, waitUntil } from '#devstack';
import { MigrationBudget, migrationBudgetTargetKey } from '#etcd';
import { migrateInBudgetedParts } from '#remediation/budgeted-parts';
import { MigrationBudgetPacer } from '#remediation/migration-budget-pacer';
import { connectClients } from '../support/clients.js';

const BUDGET: MigrationBudgetSettings = { ...DEFAULT_POLICY.migration.budget, reconnectsPerSecondPerTarget: 100, reconnectsBurstPerTarget: 10 };

/** A batch's parts against a real source gateway and a real etcd, as a first attempt and as a retry of it. */
describe(migrateInBudgetedParts.name, () => {
  let fleet: Fleet;
  let etcd: Etcd3;
  let clients: PushClient[];
  const context = (retried: boolean) => ({ retried, sleep: (ms: number) => sleep(ms), heartbeat: () => undefined, warn: () => undefined });
  const modRevision = async (key: string): Promise<string | undefined> => (await etcd.get(key).exec()).kvs[0]?.mod_revision;

  beforeAll(async () => {
    fleet = await Fleet.start({ gateways: 2, worker: false, useExisting: false });
    etcd = fleet.stack.connectEtcd();
    clients = await connectClients(40, fleet.gatewayAddresses, ['ticker'], 'parts');
  });

  afterAll(async () => {
    clients?.forEach((c) => c.stop());
    etcd?.close();
    await fleet?.stop();
  });

  it('should pay for each part once: a retry joins the parts the agent already runs and takes no token', async () => {
    expect(clients.every((c) => c.gatewayId === 'gw-1')).toBe(true);
    const agent = fleet.control('gw-1');
    const pacer = new MigrationBudgetPacer(new MigrationBudget(etcd));
    const call = { batchId: 'parts-test', targets: [{ gatewayId: 'gw-2', address: fleet.gateway('gw-2').address }], limit: 30, spreadMs: 0 };

    const first = await migrateInBudgetedParts(agent, pacer, call, BUDGET, context(false));
    expect(first.map((r) => [r.batchId, r.sessions.length])).toEqual([
      ['parts-test', 10],
      ['parts-test/1', 10],
      ['parts-test/2', 10],
    ]);
    const charged = await modRevision(migrationBudgetTargetKey('gw-2'));
    expect(charged).toBeDefined();

    const retry = await migrateInBudgetedParts(agent, pacer, call, BUDGET, context(true));
    expect(retry.map((r) => r.batchId)).toEqual(['parts-test', 'parts-test/1', 'parts-test/2']);
    expect(await modRevision(migrationBudgetTargetKey('gw-2'))).toBe(charged);

    // 30 moved, each once; the other 10 stayed.
    await waitUntil('30 clients on gw-2', async () => clients.filter((c) => c.connected && c.gatewayId === 'gw-2').length === 30);
    expect(clients.filter((c) => c.gatewayId === 'gw-1')).toHaveLength(10);
    expect(clients.reduce((n, c) => n + c.counters.redirectsFollowed, 0)).toBe(30);
  });
});
