import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { ScheduleNotFoundError, WorkflowFailedError, WorkflowNotFoundError } from '@temporalio/client';
import { type Etcd3, type Lease } from 'etcd3';
import { DEFAULT_SWEEP_SCHEDULE_ID, type HealthSweepInput, type HealthSweepReport, type RemediationReport } from '#core';
import { Fleet, waitUntil } from '#devstack';
import { GatewayStateStore, connectEtcd, vitalsKey } from '#etcd';
import { GatewayIdAttribute, HOMEOSTAT_TASK_QUEUE, TriggerAttribute } from '#temporal';
import { syntheticVitals, writeSyntheticGateways } from '../../apps/bench/synthetic-fleet.js';
import { connectTemporalClient } from '../support/temporal-client.js';

// Generous, so "fresh" vitals written at the start stay fresh however slow the machine;
// the silent gateway's vitals are far older than this.
const SETTINGS: HealthSweepInput = { vitalsIntervalMs: 1_000, staleAfterIntervals: 60 };
const SILENT_FOR_MS = 10 * 60_000;

describe('healthSweep', () => {
  let fleet: Fleet;
  let temporal: Awaited<ReturnType<typeof connectTemporalClient>>;
  let etcd: Etcd3;
  let lease: Lease;

  const sweep = (workflowId: string, input: HealthSweepInput = SETTINGS): Promise<HealthSweepReport> =>
    temporal.client.workflow.execute('healthSweep', { workflowId, taskQueue: HOMEOSTAT_TASK_QUEUE, args: [input] });

  beforeAll(async () => {
    // Two real gateways publishing real vitals, beside the synthetic ones below.
    fleet = await Fleet.start({ gateways: 2, worker: false, useExisting: false });
    // No lease watcher and no schedule: nothing but the sweep under test can start a remediation.
    await fleet.startWorker({ WATCH_LEASES: 'false', SWEEP_SCHEDULE: 'off' });
    temporal = await connectTemporalClient(fleet.stack);
    etcd = connectEtcd(fleet.stack.etcd.endpoints);
    await waitUntil('the real gateways to publish vitals', async () =>
      (await Promise.all(['gw-1', 'gw-2'].map((id) => etcd.get(vitalsKey(id)).string()))).every((raw) => raw !== null),
    );
    const now = Date.now();
    lease = await writeSyntheticGateways(etcd, [
      { id: 'syn-ok-1', vitals: syntheticVitals('syn-ok-1', now) },
      { id: 'syn-ok-2', vitals: syntheticVitals('syn-ok-2', now) },
      { id: 'syn-blocked', vitals: syntheticVitals('syn-blocked', now, { writeBlocked: true, writeBlockedRatio: 0.9 }) },
      { id: 'syn-silent', vitals: syntheticVitals('syn-silent', now - SILENT_FOR_MS) },
      { id: 'syn-open-run', vitals: syntheticVitals('syn-open-run', now, { writeBlocked: true, writeBlockedRatio: 0.9 }) },
      { id: 'syn-quarantined', state: 'quarantined', vitals: syntheticVitals('syn-quarantined', now, { writeBlocked: true, writeBlockedRatio: 0.9 }) },
      { id: 'syn-new' },
      { id: 'syn-corrupt', vitals: '{"gatewayId": "syn-corrupt", "at": "yesterday"' },
    ]);
    // A remediation of syn-open-run that is already open (on a queue no worker polls, so it stays open).
    await temporal.client.workflow.start('remediateGateway', {
      workflowId: 'remediate:syn-open-run',
      taskQueue: 'nobody-polls-this',
      args: [{ gatewayId: 'syn-open-run', trigger: 'api', reason: 'already open', requestedAt: now }],
    });
  });

  afterAll(async () => {
    await temporal?.client.workflow.getHandle('remediate:syn-open-run').terminate('test over').catch(() => undefined);
    await lease?.revoke().catch(() => undefined);
    etcd?.close();
    await temporal?.close();
    await fleet?.stop();
  });

  it('should remediate the unhealthy gateways no detector reported, join an open run, and report what it saw', async () => {
    const report = await sweep('sweep:test-1');

    expect(report).toMatchObject({
      policy: { name: 'default', version: 1, mode: 'enforce' },
      scanned: 10,
      healthy: 4,
      skipped: { quarantined: 1, 'no-vitals': 2, leaving: 0, draining: 0 },
      remediations: { started: 2, joined: 1, deferred: 0 },
    });
    expect(report.unhealthy.map((u) => [u.gatewayId, u.remediation]).sort()).toEqual([
      ['syn-blocked', 'started'],
      ['syn-open-run', 'joined'],
      ['syn-silent', 'started'],
    ]);
    const silent = report.unhealthy.find((u) => u.gatewayId === 'syn-silent')!;
    expect(silent.signals).toContain('heartbeat-lost');
    expect(silent.vitalsAgeMs).toBeGreaterThanOrEqual(SILENT_FOR_MS);
    expect(report.unreadable).toEqual([{ key: '/homeostat/vitals/syn-corrupt', error: expect.stringContaining('not JSON') }]);
  });

  it('should start each remediation as a child run with trigger "sweep" and the score in its reason, which then acts on the gateway', async () => {
    for (const gatewayId of ['syn-blocked', 'syn-silent']) {
      const workflowId = `remediate:${gatewayId}`;
      const description = await temporal.client.workflow.getHandle(workflowId).describe();
      expect(description.parentExecution?.workflowId).toBe('sweep:test-1');
      expect(description.typedSearchAttributes.get(TriggerAttribute)).toBe('sweep');
      expect(description.typedSearchAttributes.get(GatewayIdAttribute)).toBe(gatewayId);
      const report = await temporal.client.workflow.getHandle(workflowId).query<RemediationReport>('report');
      expect(report.trigger).toBe('sweep');
      expect(report.reason).toMatch(/^health sweep: score \d+(\.\d)? [<≥] 50 .*policy v1 /);
      // What the sweep saw reaches the run's decision, as a detector's findings would.
      expect(report.findings).toMatchObject({ detectorId: 'sweep:test-1', tier: 'health-sweep' });

      const states = new GatewayStateStore(etcd);
      const state = await waitUntil(`the remediation of ${gatewayId} to change its state`, async () => {
        const record = await states.get(gatewayId);
        return record?.by === workflowId ? record : undefined;
      });
      expect(state.state).not.toBe('serving');
    }
    expect((await temporal.client.workflow.getHandle('remediate:syn-silent').query<RemediationReport>('report')).findings?.facts).toContain('heartbeatLost');
  });

  it('should leave healthy (real and synthetic), new and already quarantined gateways alone', async () => {
    for (const gatewayId of ['gw-1', 'gw-2', 'syn-ok-1', 'syn-ok-2', 'syn-new', 'syn-quarantined', 'syn-corrupt']) {
      await expect(temporal.client.workflow.getHandle(`remediate:${gatewayId}`).describe()).rejects.toThrow(WorkflowNotFoundError);
    }
    const states = new GatewayStateStore(etcd);
    expect(await states.get('gw-1')).toMatchObject({ state: 'serving' });
    expect(await states.get('syn-ok-1')).toMatchObject({ state: 'serving', by: 'agent' });
    expect(await states.get('syn-quarantined')).toMatchObject({ state: 'quarantined', by: 'agent' });
  });

  it('should fail a run given nonsense settings, naming the field, without retrying it forever', async () => {
    const failure = await sweep('sweep:test-bad-input', { vitalsIntervalMs: 0 }).catch((error: unknown) => error);
    expect(failure).toBeInstanceOf(WorkflowFailedError);
    expect(String((failure as WorkflowFailedError).cause?.message)).toContain('vitalsIntervalMs must be a positive number');
  });

  it('should not create a sweep schedule when the worker runs with SWEEP_SCHEDULE=off', async () => {
    await expect(temporal.client.schedule.getHandle(DEFAULT_SWEEP_SCHEDULE_ID).describe()).rejects.toThrow(ScheduleNotFoundError);
  });
});
