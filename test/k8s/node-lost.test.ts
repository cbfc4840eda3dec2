import { afterAll, beforeAll, expect, it } from '@jest/globals';
import { DEFAULT_POLICY, ROTATION_LABEL } from '#core';
import { type K8sEnv, LocalKubelet, NAMESPACE, startK8sEnv, waitUntil } from '#devstack';
import { PolicyStore } from '#etcd';
import { waitForOutcome } from '../support/remediation-runs.js';
import { connectTemporalClient } from '../support/temporal-client.js';
import { describeK8s } from './support/k8s-env.js';

/**
 * A node stops renewing its Lease (the kubelet harness stops, as if the machine lost
 * power); the real node lifecycle controller marks it Ready=Unknown, and Homeostat takes
 * the gateway on it out of rotation and moves its sessions.
 */
describeK8s('K8s mode: node lost', () => {
  let env: K8sEnv;
  let nodeB: LocalKubelet;
  let temporal: Awaited<ReturnType<typeof connectTemporalClient>>;

  beforeAll(async () => {
    env = await startK8sEnv();
    await new PolicyStore(env.etcd).publish({ ...DEFAULT_POLICY, guardrails: { ...DEFAULT_POLICY.guardrails, maxQuarantinedFraction: 0.5 } });
    nodeB = await LocalKubelet.start(env.kube, env.fleet, { namespace: NAMESPACE, nodeName: 'node-b' });
    await nodeB.runPod('gw-1');
    for (const id of ['gw-2', 'gw-3']) await env.kubelet.runPod(id);
    await env.fleet.startWorker(env.k8sEnv);
    temporal = await connectTemporalClient(env.fleet.stack);
  });

  afterAll(async () => {
    await nodeB?.stop();
    await temporal?.close();
    await env?.stop();
  });

  it('should remediate the gateway on a node whose kubelet stopped reporting', async () => {
    nodeB.loseNode();
    await waitUntil(
      'node-b Ready=Unknown',
      async () => (await env.kube.core.readNode({ name: 'node-b' })).status?.conditions?.find((c) => c.type === 'Ready')?.status === 'Unknown',
      { timeoutMs: 30_000, intervalMs: 250 },
    );
    const report = await waitForOutcome(temporal.client, 'gw-1', ['healed', 'compensated', 'needs-human'], 30_000);
    expect(report).toMatchObject({ trigger: 'k8s', outcome: 'healed', decision: { rule: 'isolate-lost-node', facts: { nodeLost: true } } });
    const pod = await env.kube.core.readNamespacedPod({ name: 'gw-1', namespace: NAMESPACE });
    expect(pod.metadata?.labels?.[ROTATION_LABEL]).toBe('out');
    // Pods on healthy nodes are left alone.
    for (const id of ['gw-2', 'gw-3']) {
      expect((await env.kube.core.readNamespacedPod({ name: id, namespace: NAMESPACE })).metadata?.labels?.[ROTATION_LABEL]).toBe('in');
    }
  });
});
