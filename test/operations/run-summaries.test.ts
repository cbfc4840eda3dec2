import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { type Client } from '@temporalio/client';
import { type Stack, startStack } from '#devstack';
import { RemediationClient } from '#temporal';
import { connectTemporalClient } from '../support/temporal-client.js';

/** No worker: the runs stay open, which is all the Temporal UI's run list needs to show them. */
describe('runs readable in the Temporal UI', () => {
  let stack: Stack;
  let temporal: { client: Client; close: () => Promise<void> };
  let remediations: RemediationClient;
  const started: string[] = [];

  beforeAll(async () => {
    stack = await startStack({ useExisting: false });
    temporal = await connectTemporalClient(stack);
    remediations = new RemediationClient(temporal.client);
  });

  afterAll(async () => {
    for (const workflowId of started) await temporal.client.workflow.getHandle(workflowId).terminate('test over').catch(() => undefined);
    await temporal?.close();
    await stack?.stop();
  });

  /** What the server keeps as the run's user metadata, read back as the UI reads it. */
  const metadataOf = async (workflowId: string) => {
    const description = await temporal.client.workflow.getHandle(workflowId).describe();
    return { summary: await description.staticSummary(), details: await description.staticDetails() };
  };

  it('should give a remediation a one-line summary and details naming trigger, requester and reason', async () => {
    const run = await remediations.start({ gatewayId: 'gw-7', trigger: 'api', reason: 'drain before\nthe upgrade', requestedBy: 'alice', requestedAt: Date.UTC(2026, 0, 1) });
    started.push(run.workflowId);
    const { summary, details } = await metadataOf(run.workflowId);
    expect(summary).toBe('gw-7 · api (alice): drain before the upgrade');
    expect(details).toContain('**requested by**: alice');
    expect(details).toContain('**reason**: drain before the upgrade');
  });

  it('should summarise restores and rebalances too', async () => {
    const restore = await remediations.startRestore('gw-8', 'NIC replaced', 'bob');
    const rebalance = await remediations.startRebalance('uneven after restore', 0.1, 'bob');
    started.push(restore.workflowId, rebalance.workflowId);
    expect((await metadataOf(restore.workflowId)).summary).toBe('gw-8 · restore (bob): NIC replaced');
    expect((await metadataOf(rebalance.workflowId)).summary).toBe('fleet · rebalance (bob): uneven after restore');
  });
});
