import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { type Etcd3 } from 'etcd3';
import { type PushClient } from '#client';
import { DEFAULT_POLICY, type Policy } from '#core';
import { Fleet, waitUntil } from '#devstack';
import { GatewayStateStore, PolicyStore, QuarantineSet, connectEtcd } from '#etcd';
import { RemediationClient } from '#temporal';
import { type RebalanceReport } from '../../workflows/rebalance-fleet.js';
import { type RestoreReport } from '../../workflows/restore-gateway.js';
import { connectClients, totals } from '../support/clients.js';
import { startRemediation, waitForOutcome } from '../support/remediation-runs.js';
import { connectTemporalClient } from '../support/temporal-client.js';

const QUICK_PROBATION: Policy = {
  ...DEFAULT_POLICY,
  guardrails: { ...DEFAULT_POLICY.guardrails, maxQuarantinedFraction: 0.5, approval: { ...DEFAULT_POLICY.guardrails.approval, requiredFrom: null } },
  probation: { durationMs: 1_500 },
};

describe('restore and rebalance', () => {
  let fleet: Fleet;
  let etcd: Etcd3;
  let temporal: Awaited<ReturnType<typeof connectTemporalClient>>;
  let clients: PushClient[];

  beforeAll(async () => {
    fleet = await Fleet.start({ gateways: 3, worker: true, useExisting: false });
    etcd = connectEtcd(fleet.stack.etcd.endpoints);
    temporal = await connectTemporalClient(fleet.stack);
    await new PolicyStore(etcd).publish(QUICK_PROBATION);
    clients = await connectClients(60, fleet.gatewayAddresses, ['ticker'], 'restore');
  });

  afterAll(async () => {
    clients?.forEach((c) => c.stop());
    etcd?.close();
    await temporal?.close();
    await fleet?.stop();
  });

  it('should put a remediated gateway through probation, back to serving, and give it its share of sessions again', async () => {
    await startRemediation(temporal.client, 'gw-1', { reason: 'take it out' });
    await waitForOutcome(temporal.client, 'gw-1', ['healed']);
    expect(clients.filter((c) => c.gatewayId === 'gw-1')).toHaveLength(0);

    const run = await new RemediationClient(temporal.client).startRestore('gw-1', 'fixed');
    const restore: RestoreReport = await temporal.client.workflow.getHandle(run.workflowId, run.runId).result();
    expect(restore).toMatchObject({ outcome: 'restored', probationMs: 1_500 });
    expect(restore.samples).toHaveLength(5);
    expect(await new GatewayStateStore(etcd).get('gw-1')).toMatchObject({ state: 'serving', by: 'restore:gw-1' });
    expect(await new QuarantineSet(etcd).members()).toEqual({});

    const rebalance: RebalanceReport = await temporal.client.workflow.getHandle(restore.rebalanceWorkflowId!).result();
    expect(rebalance.outcome).toBe('balanced');
    expect(rebalance.plan?.balancedBefore).toBe(false);
    const onRestored = rebalance.moved.filter((m) => m.to === 'gw-1').reduce((n, m) => n + m.moved, 0);
    expect(onRestored).toBeGreaterThan(0);
    await waitUntil('rebalanced clients on gw-1', async () => clients.filter((c) => c.gatewayId === 'gw-1').length === onRestored);
    const before = totals(clients).received;
    await waitUntil('messages flowing', async () => totals(clients).received > before + clients.length);
    expect(totals(clients)).toMatchObject({ lost: 0, duplicates: 0, reorders: 0 });
  });

  it('should restore on its own a killed gateway that comes back', async () => {
    await fleet.killGateway('gw-2');
    await waitForOutcome(temporal.client, 'gw-2', ['healed']);
    expect(await new GatewayStateStore(etcd).get('gw-2')).toMatchObject({ state: 'quarantined' });

    await fleet.startGateway('gw-2');
    const restored = await waitUntil('gw-2 serving again', async () => {
      const state = await new GatewayStateStore(etcd).get('gw-2');
      return state?.state === 'serving' ? state : undefined;
    });
    expect(restored.by).toBe('restore:gw-2');
    const report: RestoreReport = await temporal.client.workflow.getHandle('restore:gw-2').query('report');
    expect(report).toMatchObject({ outcome: 'restored', reason: 'registered again while quarantined' });
  });
});
