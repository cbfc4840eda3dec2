import { type Client } from '@temporalio/client';
import { PushClient } from '#client';
import { DEFAULT_POLICY, type Policy } from '#core';
import { type Fleet, waitUntil } from '#devstack';
import { PolicyStore, StormStore } from '#etcd';
import { RemediationClient } from '#temporal';

export interface RecordedRun {
  readonly name: string;
  readonly workflowId: string;
  readonly runId: string;
}

const policy = (guardrails: Partial<Policy['guardrails']>, rest: Partial<Policy> = {}): Policy => ({
  ...DEFAULT_POLICY,
  ...rest,
  guardrails: { ...DEFAULT_POLICY.guardrails, maxQuarantinedFraction: 0.5, ...guardrails },
});

const NO_APPROVAL = { requiredFrom: null, timeoutMs: 1_000, onTimeout: 'reject', fourEyes: false } as const;

/**
 * Representative runs, one per path through the workflows, each driven on the
 * real services. Their histories become replay fixtures.
 */
export const recordScenarios = async (fleet: Fleet, temporal: Client): Promise<RecordedRun[]> => {
  const etcd = fleet.stack.connectEtcd();
  const policies = new PolicyStore(etcd);
  const runs = new RemediationClient(temporal);
  const recorded: RecordedRun[] = [];
  const finished = async (name: string, run: { workflowId: string; runId: string }, expect?: string): Promise<void> => {
    const result = (await temporal.workflow.getHandle(run.workflowId, run.runId).result()) as { outcome?: string };
    if (expect && result.outcome !== expect) throw new Error(`scenario ${name} ended ${result.outcome}, not ${expect}`);
    recorded.push({ name, workflowId: run.workflowId, runId: run.runId });
  };
  const request = (gatewayId: string, extra = {}) => ({ gatewayId, trigger: 'api' as const, reason: 'recorded scenario', requestedAt: Date.now(), ...extra });
  try {
    await policies.publish(policy({ approval: NO_APPROVAL }, { migration: { batchSize: 10, pauseMs: 50, jitterFraction: 0.5, spreadMs: 20, batchWaitMs: 5_000, headroomFraction: 0.1, budget: DEFAULT_POLICY.migration.budget } }));
    const clients = Array.from({ length: 30 }, (_, i) => new PushClient({ sessionId: `rec-${i}`, gateways: fleet.gatewayAddresses, topics: ['ticker'] }));
    clients.forEach((c) => c.start());
    await waitUntil('recorder clients on gw-1', async () => clients.every((c) => c.gatewayId === 'gw-1'));

    const migrated = await runs.start(request('gw-1'));
    await finished('healed-with-migration', migrated, 'healed');
    recorded.push({ name: 'migrate-sessions-child', workflowId: `migrate:gw-1:${migrated.runId}`, runId: '' });

    await finished('dry-run', await runs.start(request('gw-2', { dryRun: true })), 'dry-run');

    await policies.publish(policy({ approval: { requiredFrom: 'quarantine', timeoutMs: 60_000, onTimeout: 'reject', fourEyes: false }, maxQuarantinedFraction: 0.7 }));
    const approved = await runs.start(request('gw-2'));
    // An approval only counts while the run waits for one.
    await waitUntil('the run to wait for approval', async () => (await runs.report(approved.workflowId)).report?.outcome === 'awaiting-approval');
    await runs.approve(approved.workflowId, { by: 'recorder' });
    await finished('approved', approved, 'healed');

    await policies.publish(policy({ approval: { requiredFrom: 'quarantine', timeoutMs: 500, onTimeout: 'reject', fourEyes: false } }));
    await finished('rejected-by-timeout', await runs.start(request('gw-3')), 'rejected');

    await policies.publish(policy({ approval: NO_APPROVAL }));
    await finished('blast-radius-refused', await runs.start(request('gw-3')), 'needs-human');

    await policies.publish(policy({ approval: NO_APPROVAL }, { probation: { durationMs: 500 } }));
    const restored = await runs.startRestore('gw-1', 'recorded scenario');
    await finished('restored', restored, 'restored');
    const rebalance = (await temporal.workflow.getHandle(restored.workflowId, restored.runId).result()) as { rebalanceWorkflowId: string };
    await finished('rebalance-child', { workflowId: rebalance.rebalanceWorkflowId, runId: '' }, 'balanced');

    await policies.publish(policy({ approval: NO_APPROVAL, maxQuarantinedFraction: 0.7 }));
    // gw-1 (restored above) is the one serving gateway nobody holds: gw-3 is held for a human
    // since the refused run, so automatic triggers for it start nothing.
    const killedAt = await fleet.killGateway('gw-1');
    await waitUntil('lease-expiry run for gw-1', async () => {
      const description = await temporal.workflow.getHandle('remediate:gw-1').describe();
      return description.startTime.getTime() >= killedAt && description.status.name !== 'RUNNING';
    }, { timeoutMs: 60_000 });
    const lease = await temporal.workflow.getHandle('remediate:gw-1').describe();
    await finished('lease-expired', { workflowId: 'remediate:gw-1', runId: lease.runId }, 'healed');

    // Storm mode's run: waiting for a human while the storm is on, over once it is lifted.
    const storms = new StormStore(etcd);
    const storm = { sinceMs: Date.now(), scope: 'fleet', suspects: ['gw-1', 'gw-2', 'gw-3'], lastSuspectAtMs: Date.now(), reason: 'recorded scenario' };
    await storms.begin(storm);
    const held = await runs.startStormHold(storm);
    await waitUntil('the storm run to wait', async () => (await temporal.workflow.getHandle(held.workflowId).query<{ outcome: string }>('report').catch(() => undefined))?.outcome === 'needs-human');
    await storms.lift({ atMs: Date.now(), by: 'recorder', reason: 'recorded scenario' }, storm.sinceMs);
    await finished('storm-lifted', held, 'lifted');

    clients.forEach((c) => c.stop());
    return recorded;
  } finally {
    etcd.close();
  }
};
