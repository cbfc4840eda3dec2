import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { type Etcd3 } from 'etcd3';
import { DEFAULT_POLICY, type Policy } from '#core';
import { Fleet } from '#devstack';
import { GatewayStateStore, PolicyStore, QuarantineSet, connectEtcd } from '#etcd';
import { RemediationClient } from '#temporal';
import { startRemediation, waitForOutcome } from '../support/remediation-runs.js';
import { connectTemporalClient } from '../support/temporal-client.js';

/** Policies for tests: the default with some guardrails changed. */
const policyWith = (guardrails: Partial<Policy['guardrails']>): Policy => ({ ...DEFAULT_POLICY, guardrails: { ...DEFAULT_POLICY.guardrails, ...guardrails } });

describe('remediation guardrails', () => {
  let fleet: Fleet;
  let etcd: Etcd3;
  let temporal: Awaited<ReturnType<typeof connectTemporalClient>>;

  beforeAll(async () => {
    fleet = await Fleet.start({ gateways: 3, worker: true, useExisting: false });
    etcd = connectEtcd(fleet.stack.etcd.endpoints);
    temporal = await connectTemporalClient(fleet.stack);
  });

  afterAll(async () => {
    etcd?.close();
    await temporal?.close();
    await fleet?.stop();
  });

  it('should record a dry run without changing anything', async () => {
    await startRemediation(temporal.client, 'gw-3', { dryRun: true, reason: 'what would happen?' });
    const report = await waitForOutcome(temporal.client, 'gw-3', ['dry-run']);
    expect(report.decision).toMatchObject({ actions: ['quarantine', 'migrate'], rule: 'operator-request' });
    expect(report.steps.map((s) => s.name)).not.toContain('quarantine');
    expect(await new GatewayStateStore(etcd).get('gw-3')).toMatchObject({ state: 'serving' });
    expect(await new QuarantineSet(etcd).members()).toEqual({});
  });

  it('should quarantine only one of two gateways that fail at once in a fleet of three', async () => {
    await Promise.all([fleet.killGateway('gw-1'), fleet.killGateway('gw-2')]);
    const reports = await Promise.all(['gw-1', 'gw-2'].map((id) => waitForOutcome(temporal.client, id, ['healed', 'needs-human'])));
    const outcomes = reports.map((r) => r.outcome).sort();
    expect(outcomes).toEqual(['healed', 'needs-human']);
    const refused = reports.find((r) => r.outcome === 'needs-human');
    expect(refused?.outcomeReason).toContain('would take 2 of 3 gateways out');
    expect(refused?.guardrails.find((g) => g.name === 'blast-radius')).toMatchObject({ allowed: false });
    expect(Object.keys(await new QuarantineSet(etcd).members())).toHaveLength(1);
    expect(await new GatewayStateStore(etcd).get('gw-3')).toMatchObject({ state: 'serving' });
  });

  it('should wait for approval, survive a worker SIGKILL and a Temporal restart meanwhile, then act on approve', async () => {
    const remediations = new RemediationClient(temporal.client);
    await new PolicyStore(etcd).publish(policyWith({ approval: { requiredFrom: 'quarantine', timeoutMs: 120_000, onTimeout: 'reject' }, maxQuarantinedFraction: 1 }));
    await fleet.startGateway('gw-4');
    await startRemediation(temporal.client, 'gw-4', { reason: 'needs a human' });
    await waitForOutcome(temporal.client, 'gw-4', ['awaiting-approval']);

    fleet.worker!.process.signal('SIGKILL');
    await fleet.worker!.process.exited;
    await fleet.stack.temporalServer!.restart();
    await fleet.startWorker();
    await remediations.approve('remediate:gw-4', { by: 'sre-on-call', comment: 'go' });

    const report = await waitForOutcome(temporal.client, 'gw-4', ['healed', 'needs-human']);
    expect(report.outcome).toBe('healed');
    expect(report.guardrails.find((g) => g.name === 'approval')).toMatchObject({ allowed: true, detail: 'approved by sre-on-call: go' });
    expect(await new GatewayStateStore(etcd).get('gw-4')).toMatchObject({ state: 'quarantined' });
  });

  it('should take the policy default when nobody answers in time, and change nothing on reject', async () => {
    await new PolicyStore(etcd).publish(policyWith({ approval: { requiredFrom: 'quarantine', timeoutMs: 1_500, onTimeout: 'reject' }, maxQuarantinedFraction: 1 }));
    await fleet.startGateway('gw-5');
    await startRemediation(temporal.client, 'gw-5');
    const report = await waitForOutcome(temporal.client, 'gw-5', ['rejected', 'healed', 'needs-human']);
    expect(report).toMatchObject({ outcome: 'rejected', outcomeReason: 'rejected by timeout' });
    expect(await new GatewayStateStore(etcd).get('gw-5')).toMatchObject({ state: 'serving' });
  });

  it('should hand a gateway that keeps coming back to a human', async () => {
    await new PolicyStore(etcd).publish(
      policyWith({
        approval: { requiredFrom: null, timeoutMs: 1_000, onTimeout: 'reject' },
        maxQuarantinedFraction: 1,
        rateLimit: { maxRemediations: 100, windowMs: 60_000, perGatewayCooldownMs: 0 },
        flapDamping: { windowMs: 600_000, escalateAfter: 3 },
      }),
    );
    await fleet.startGateway('gw-6');
    const outcomes: string[] = [];
    for (let i = 0; i < 3; i++) {
      const run = await startRemediation(temporal.client, 'gw-6', { reason: `flap ${i}` });
      const report = await temporal.client.workflow.getHandle(run.workflowId, run.runId).result();
      outcomes.push(report.outcome);
    }
    expect(outcomes).toEqual(['healed', 'healed', 'needs-human']);
  });
});
