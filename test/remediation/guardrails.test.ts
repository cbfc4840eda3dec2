import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { type Etcd3 } from 'etcd3';
import { DEFAULT_POLICY, type Policy, type RemediationReport } from '#core';
import { Fleet, waitUntil } from '#devstack';
import { GatewayStateStore, OperationClaims, PolicyStore, QuarantineSet, RemediationHistory, connectEtcd, operationKey, stateKey } from '#etcd';
import { ApprovalRefusedError, RemediationClient, RemediationClosedError, temporalRunLiveness } from '#temporal';
import { type RestoreReport } from '../../workflows/restore-gateway.js';
import { startRemediation, waitForOutcome } from '../support/remediation-runs.js';
import { connectTemporalClient } from '../support/temporal-client.js';

/** Policies for tests: the default with some guardrails changed. */
const policyWith = (guardrails: Partial<Policy['guardrails']>, rest: Partial<Policy> = {}): Policy => ({
  ...DEFAULT_POLICY,
  ...rest,
  guardrails: { ...DEFAULT_POLICY.guardrails, ...guardrails },
});
const approval = (settings: Partial<Policy['guardrails']['approval']>): Policy['guardrails']['approval'] => ({ ...DEFAULT_POLICY.guardrails.approval, ...settings });

const refusal = (attempt: Promise<unknown>): Promise<string> =>
  attempt.then(
    () => 'accepted',
    (error: unknown) => (error instanceof ApprovalRefusedError || error instanceof RemediationClosedError ? error.message : `unexpected ${String(error)}`),
  );

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
    await new PolicyStore(etcd).publish(policyWith({ approval: approval({ requiredFrom: 'quarantine', timeoutMs: 120_000, onTimeout: 'reject' }), maxQuarantinedFraction: 1 }));
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
    await new PolicyStore(etcd).publish(policyWith({ approval: approval({ requiredFrom: 'quarantine', timeoutMs: 1_500, onTimeout: 'reject' }), maxQuarantinedFraction: 1 }));
    await fleet.startGateway('gw-5');
    const run = await startRemediation(temporal.client, 'gw-5');
    const report = await waitForOutcome(temporal.client, 'gw-5', ['rejected', 'healed', 'needs-human']);
    expect(report).toMatchObject({ outcome: 'rejected', outcomeReason: 'rejected by timeout' });
    expect(await new GatewayStateStore(etcd).get('gw-5')).toMatchObject({ state: 'serving' });
    // It reserved a slot and never acted: the slot went back.
    expect(report.guardrails.find((g) => g.name === 'rate-limit')).toMatchObject({ allowed: true, detail: 'within the rate limit; slot reserved' });
    await waitUntil('the slot given back', async () => (await new RemediationHistory(etcd).all()).every((r) => r.runId !== run.runId));
    // A late answer does not count either.
    expect(await refusal(new RemediationClient(temporal.client).approve('remediate:gw-5', { by: 'late' }))).toMatch(/no longer running|already rejected by timeout/);
  });

  it('should hand a gateway that keeps coming back to a human', async () => {
    await new PolicyStore(etcd).publish(
      policyWith({
        approval: approval({ requiredFrom: null, timeoutMs: 1_000, onTimeout: 'reject' }),
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

  it('should refuse an approval while the run is not waiting for one, a second answer, and (four-eyes) its starter approving it', async () => {
    const remediations = new RemediationClient(temporal.client);
    const windowMs = 4_000;
    await new PolicyStore(etcd).publish(
      policyWith({
        approval: approval({ requiredFrom: 'quarantine', timeoutMs: 60_000, onTimeout: 'reject', fourEyes: true }),
        maxQuarantinedFraction: 1,
        rateLimit: { maxRemediations: 1, windowMs, perGatewayCooldownMs: 0 },
      }),
    );
    await fleet.startGateway('gw-7');
    // The fleet's only slot is taken (the blocker itself asks under a generous limit, whatever earlier
    // tests left in the ledger): the run must wait for the rate limit before it asks anyone.
    const blockedAt = Date.now();
    const blocker = await new RemediationHistory(etcd).reserve(
      { gatewayId: 'elsewhere', workflowId: 'remediate:elsewhere', runId: 'blocker', startedAt: blockedAt },
      { ...DEFAULT_POLICY.guardrails, rateLimit: { maxRemediations: 1_000, windowMs, perGatewayCooldownMs: 0 } },
      blockedAt,
    );
    expect(blocker.kind).toBe('reserved');
    await startRemediation(temporal.client, 'gw-7', { reason: 'four eyes', requestedBy: 'alice' });
    await waitUntil('gw-7 told to wait for the rate limit', async () => {
      const report = await temporal.client.workflow.getHandle('remediate:gw-7').query<RemediationReport>('report');
      return report.guardrails.some((g) => g.name === 'rate-limit' && !g.allowed);
    });
    expect(await refusal(remediations.approve('remediate:gw-7', { by: 'bob' }))).toMatch(/not waiting for approval/);

    await waitForOutcome(temporal.client, 'gw-7', ['awaiting-approval']);
    expect(await refusal(remediations.approve('remediate:gw-7', { by: 'alice' }))).toMatch(/four-eyes: alice started this run/);
    expect(await remediations.approve('remediate:gw-7', { by: 'bob', comment: 'looks right' })).toEqual({ approved: true, by: 'bob', comment: 'looks right' });
    expect(await refusal(remediations.reject('remediate:gw-7', { by: 'carol' }))).toMatch(/already approved by bob/);

    const report = await waitForOutcome(temporal.client, 'gw-7', ['healed', 'needs-human']);
    expect(report.outcome).toBe('healed');
    const rateChecks = report.guardrails.filter((g) => g.name === 'rate-limit');
    expect(rateChecks[0]).toMatchObject({ allowed: false, detail: expect.stringContaining('limit 1') });
    expect(rateChecks.at(-1)).toMatchObject({ allowed: true });
    // Asked again after its sleep, and only got the slot once the blocker's window had passed.
    expect(rateChecks.at(-1)!.at).toBeGreaterThanOrEqual(blockedAt + windowMs);
    expect(report.guardrails.filter((g) => g.name === 'approval')).toEqual([expect.objectContaining({ allowed: true, detail: 'approved by bob: looks right' })]);
  });

  it('should never interleave a restore and a quarantine started together on one gateway', async () => {
    await new PolicyStore(etcd).publish(
      policyWith(
        { approval: approval({ requiredFrom: null }), maxQuarantinedFraction: 1, rateLimit: { maxRemediations: 100, windowMs: 60_000, perGatewayCooldownMs: 0 } },
        { probation: { durationMs: 1_500 } },
      ),
    );
    await fleet.startGateway('gw-8');
    const writers: string[] = [];
    const watcher = await etcd.watch().key(stateKey('gw-8')).create();
    watcher.on('put', (kv) => writers.push((JSON.parse(kv.value.toString()) as { by: string }).by));
    try {
      const remediations = new RemediationClient(temporal.client);
      const [restore, remediation] = await Promise.all([
        remediations.startRestore('gw-8', 'together'),
        startRemediation(temporal.client, 'gw-8', { reason: 'together', actions: ['quarantine'] }),
      ]);
      const [restoreReport, remediationReport] = await Promise.all([
        temporal.client.workflow.getHandle(restore.workflowId, restore.runId).result() as Promise<RestoreReport>,
        temporal.client.workflow.getHandle(remediation.workflowId, remediation.runId).result() as Promise<RemediationReport>,
      ]);
      expect(restoreReport.outcome).toBe('restored');
      expect(remediationReport.outcome).toBe('healed');
      // One of them waited for the other, and said so.
      const operationCheck = remediationReport.guardrails.find((g) => g.name === 'operation');
      const waits = [restoreReport.operation?.acquired && restoreReport.operation.waitedFor, operationCheck?.detail.includes('after waiting') && operationCheck.detail].filter(Boolean);
      expect(waits).toHaveLength(1);
      // Every state write of one run comes before every write of the other.
      // (A restore that went first found gw-8 serving and watched it in rotation: it had nothing to write.)
      const runs = [...new Set(writers)];
      expect(runs.sort()).toEqual(restoreReport.probationInRotation ? ['remediate:gw-8'] : ['remediate:gw-8', 'restore:gw-8']);
      expect(writers).toEqual([...writers.filter((w) => w === writers[0]), ...writers.filter((w) => w !== writers[0])]);
      expect(await etcd.get(operationKey('gw-8')).string()).toBeNull();
    } finally {
      await watcher.cancel();
    }
  });

  it('should take over the operation claim of a run that was terminated', async () => {
    // A run holding gw-8 that will never finish: nothing polls its task queue.
    const holder = await temporal.client.workflow.start('remediateGateway', {
      workflowId: 'holder:gw-8',
      taskQueue: 'nobody-polls',
      args: [{ gatewayId: 'gw-8', trigger: 'api', reason: 'holds the gateway', requestedAt: Date.now() }],
    });
    const claims = new OperationClaims(etcd, temporalRunLiveness(temporal.client));
    expect(await claims.claim('gw-8', { workflowId: holder.workflowId, runId: holder.firstExecutionRunId, operation: 'quarantine', since: Date.now() })).toEqual({ acquired: true });

    const restore = await new RemediationClient(temporal.client).startRestore('gw-8', 'after the holder');
    const handle = temporal.client.workflow.getHandle(restore.workflowId, restore.runId);
    await waitUntil('the restore waiting for the holder', async () => (await handle.fetchHistory()).events?.some((e) => e.timerStartedEventAttributes) ?? false);
    await holder.terminate('stuck');

    const report: RestoreReport = await handle.result();
    expect(report.outcome).toBe('restored');
    expect(report.operation).toMatchObject({ acquired: true, waitedFor: 'holder:gw-8 (quarantine)', tookOverFrom: 'holder:gw-8' });
    expect(await claims.holder('gw-8')).toBeUndefined();
  });
});
