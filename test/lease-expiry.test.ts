import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { type PushClient } from '#client';
import { type RemediationReport } from '#core';
import { Fleet, waitUntil } from '#devstack';
import { GatewayStateStore, TimelineStore, connectEtcd } from '#etcd';
import { RemediationClient } from '#temporal';
import { connectClients, totals } from './support/clients.js';
import { connectTemporalClient } from './support/temporal-client.js';

describe('lease expiry → remediation', () => {
  let fleet: Fleet;
  let clients: PushClient[];
  let temporal: Awaited<ReturnType<typeof connectTemporalClient>>;

  beforeAll(async () => {
    fleet = await Fleet.start({ gateways: 3, worker: true, useExisting: false });
    temporal = await connectTemporalClient(fleet.stack);
    clients = await connectClients(20, fleet.gatewayAddresses);
  });

  afterAll(async () => {
    clients?.forEach((c) => c.stop());
    await temporal?.close();
    await fleet?.stop();
  });

  it('should start a remediation when a killed gateway\'s lease expires, quarantine it in etcd and re-home its clients', async () => {
    expect(clients.every((c) => c.gatewayId === 'gw-1')).toBe(true);
    await fleet.killGateway('gw-1');

    const remediations = new RemediationClient(temporal.client);
    const result = await waitUntil(
      'the remediation of gw-1 to finish',
      async () => {
        const run = await remediations.report('remediate:gw-1').catch(() => undefined);
        return run && run.status === 'COMPLETED' ? run.report : undefined;
      },
      { timeoutMs: 60_000, intervalMs: 200 },
    );
    const report: RemediationReport = result;
    expect(report).toMatchObject({ gatewayId: 'gw-1', trigger: 'lease-expired', outcome: 'healed' });
    expect(report.decision).toMatchObject({ actions: ['quarantine', 'migrate'], rule: 'isolate-vanished' });
    expect(report.evidence.every((sample) => !sample.registered && !sample.reachable)).toBe(true);
    const steps = report.steps.map((s) => [s.name, s.status]);
    expect(steps).toEqual(expect.arrayContaining([['claim-quarantine', 'done'], ['quarantine', 'done'], ['migrate-sessions', 'done'], ['verify', 'done']]));
    expect(report.steps.every((s) => s.status === 'done' && (s.finishedAt ?? 0) >= s.startedAt)).toBe(true);
    expect(report.migration?.note).toContain('the source is gone');

    const etcd = connectEtcd(fleet.stack.etcd.endpoints);
    const state = await new GatewayStateStore(etcd).get('gw-1');
    // The policy lab's timeline: the trigger where it fired, and the run's decision and outcome as it ended.
    const { events, corrupt } = await new TimelineStore(etcd).readEvents('gw-1', 0, Date.now());
    etcd.close();
    expect(state).toMatchObject({ state: 'quarantined', by: 'remediate:gw-1' });
    const runId = (await temporal.client.workflow.getHandle('remediate:gw-1').describe()).runId;
    expect(corrupt).toBe(0);
    expect(events).toEqual(
      expect.arrayContaining([
        expect.objectContaining({ kind: 'trigger', trigger: 'lease-expired', source: 'lease-watcher', workflowId: 'remediate:gw-1', runId, delivery: 'started' }),
        expect.objectContaining({ kind: 'run', trigger: 'lease-expired', runId, actions: ['quarantine', 'migrate'], rule: 'isolate-vanished', outcome: 'healed', policyVersion: report.policyVersion, finishedAt: report.finishedAt }),
      ]),
    );

    await waitUntil('clients re-homed', async () => clients.every((c) => c.connected && c.gatewayId !== 'gw-1'));
    const before = totals(clients).received;
    await waitUntil('messages flowing again', async () => totals(clients).received > before + clients.length);
    expect(totals(clients)).toMatchObject({ lost: 0, duplicates: 0, reorders: 0 });
  });
});
