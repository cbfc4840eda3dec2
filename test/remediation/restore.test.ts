import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { type Etcd3 } from 'etcd3';
import { defaultPayloadConverter } from '@temporalio/common';
import { type PushClient } from '#client';
import { DEFAULT_POLICY, type Policy, type RemediationReport, acceptsSessions } from '#core';
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
    // The run's result, not a query: the state is written a moment before the run records its outcome.
    const report: RestoreReport = await temporal.client.workflow.getHandle('restore:gw-2').result();
    expect(report).toMatchObject({ outcome: 'restored', reason: 'registered again while quarantined' });
  });

  it('should release holds left in rotation without taking anyone out, even when every gateway is restored at once', async () => {
    // The restores before this one are over (gw-2's ends a moment after it is serving again): these are new runs, not joined ones.
    await waitUntil('no restore still open', async () => {
      const open = await Promise.all(['gw-1', 'gw-2', 'gw-3'].map((id) => temporal.client.workflow.getHandle(`restore:${id}`).describe().then((d) => d.status.name === 'RUNNING', () => false)));
      return open.every((o) => !o);
    });
    // Three earlier runs each ended needs-human with the gateway left serving (say, a detector storm refused by the blast radius).
    const states = new GatewayStateStore(etcd);
    for (const id of ['gw-1', 'gw-2', 'gw-3']) await states.transition(id, 'needs-human', `remediate:${id}`, Date.now(), 'blast radius refused', { inRotation: true });
    const restores = new RemediationClient(temporal.client);
    const runs = await Promise.all(['gw-1', 'gw-2', 'gw-3'].map((id) => restores.startRestore(id, 'operator clears the holds')));
    const taken: string[] = [];
    const watching = setInterval(() => {
      void states.list().then((all) => all.forEach((record, id) => !acceptsSessions(record) && taken.push(`${id}: ${record.state}`)));
    }, 50);
    const reports: RestoreReport[] = await Promise.all(runs.map((r) => temporal.client.workflow.getHandle(r.workflowId, r.runId).result())).finally(() => clearInterval(watching));
    expect(taken).toEqual([]);
    for (const report of reports) expect(report).toMatchObject({ outcome: 'restored', probationInRotation: true, outcomeReason: expect.stringContaining('in rotation') });
    for (const id of ['gw-1', 'gw-2', 'gw-3']) expect(await states.get(id)).toMatchObject({ state: 'serving' });
  });

  it('should stop a migration batch at once when its run is cancelled, not after its pause', async () => {
    // Batches of 5 with a 60 s pause before each one after the first: the second batch is still pausing when cancelled.
    await new PolicyStore(etcd).publish({ ...QUICK_PROBATION, migration: { ...QUICK_PROBATION.migration, batchSize: 5, pauseMs: 60_000, jitterFraction: 0 } });
    expect(clients.filter((c) => c.gatewayId === 'gw-3').length).toBeGreaterThan(5);
    const run = await startRemediation(temporal.client, 'gw-3', { reason: 'cancel me mid-migration' });
    const child = temporal.client.workflow.getHandle(`migrate:gw-3:${run.runId}`);
    // A batch activity running its pause (it heartbeats `pausing: true`), not merely scheduled.
    await waitUntil('a batch pausing', async () => {
      const pending = (await child.describe().catch(() => undefined))?.raw.pendingActivities ?? [];
      return pending.some((a) => {
        const details = a.heartbeatDetails?.payloads?.[0];
        return a.activityType?.name === 'migrateBatch' && details && (defaultPayloadConverter.fromPayload(details) as { pausing?: boolean }).pausing === true;
      });
    });
    await temporal.client.workflow.getHandle(run.workflowId, run.runId).cancel();
    const report: RemediationReport = await waitUntil('the run closed', async () => {
      const description = await temporal.client.workflow.getHandle(run.workflowId, run.runId).describe();
      return description.status.name === 'CANCELLED' ? temporal.client.workflow.getHandle(run.workflowId, run.runId).query<RemediationReport>('report') : undefined;
    });
    expect(report.outcome).toBe('cancelled');
    // The pausing batches (one per target of that round, all pausing together) saw the cancellation (their
    // sleep is the activity's own) and reported it, rather than sleeping on and completing: the history holds
    // that round's batches cancelled, and every batch of the rounds before it completed.
    const events = (await child.fetchHistory()).events ?? [];
    const batches = events.filter((e) => e.activityTaskScheduledEventAttributes?.activityType?.name === 'migrateBatch');
    const batchIds = new Set(batches.map((e) => String(e.eventId)));
    const cancelled = events.filter((e) => e.activityTaskCanceledEventAttributes && batchIds.has(String(e.activityTaskCanceledEventAttributes.scheduledEventId)));
    const completed = events.filter((e) => e.activityTaskCompletedEventAttributes && batchIds.has(String(e.activityTaskCompletedEventAttributes.scheduledEventId)));
    expect(cancelled.length).toBeGreaterThanOrEqual(1);
    expect(cancelled.length).toBeLessThanOrEqual(2); // gw-1 and gw-2 are the targets
    expect(completed.length + cancelled.length).toBe(batchIds.size);
  });
});
