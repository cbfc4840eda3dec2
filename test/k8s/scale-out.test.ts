import { afterEach, expect, it } from '@jest/globals';
import { ClientSwarm } from '#client';
import { DEFAULT_POLICY } from '#core';
import { waitUntil } from '#devstack';
import { type RebalanceReport } from '../../workflows/rebalance-fleet.js';
import { seededOn, swarmOn } from '../data-plane/support/fleet-helpers.js';
import { describeK8s, k8sSuite } from './support/k8s-env.js';

const SESSIONS = 200;

/** New gateway pods turning Ready (a scale-out) get one debounced rebalance between them. */
describeK8s('K8s mode: rebalance after scale-out', () => {
  const suite = k8sSuite({ ...DEFAULT_POLICY, kubernetes: { ...DEFAULT_POLICY.kubernetes, rebalanceDebounceMs: 1_500 } }, async (env) => {
    await env.kubelet.runPod('gw-1');
  });
  let swarm: ClientSwarm | undefined;

  afterEach(() => swarm?.stop());

  it('should start one rebalance for a burst of two new pods and give them their share', async () => {
    const { env, temporal } = suite;
    swarm = new ClientSwarm({ prefix: 'scale', count: SESSIONS, gateways: seededOn(env.fleet, 'gw-1'), topics: ['ticker'] });
    await swarm.start();
    await swarmOn(swarm, 'gw-1');
    const started: string[] = [];
    env.fleet.worker?.process.onOutputLine((line) => {
      if (line.includes('"k8s-rebalance-started"')) started.push((JSON.parse(line) as { workflowId: string }).workflowId);
    });

    await Promise.all([env.kubelet.runPod('gw-2'), env.kubelet.runPod('gw-3')]);

    const [workflowId] = await waitUntil('a rebalance started', async () => (started.length > 0 ? started : undefined), { timeoutMs: 20_000 });
    const report: RebalanceReport = await temporal.client.workflow.getHandle(workflowId as string).result();
    expect(report.outcome).toBe('balanced');
    expect(report.reason).toContain('2 new gateway pod(s)');
    const spread = swarm.report().byGateway;
    expect(spread['gw-2']).toBeGreaterThan(0);
    expect(spread['gw-3']).toBeGreaterThan(0);
    // The debounce window has long passed: still the one run.
    await new Promise((resolve) => setTimeout(resolve, 2_000));
    expect(started).toHaveLength(1);
  });
});
