import { afterAll, afterEach, beforeAll, expect, it } from '@jest/globals';
import { ClientSwarm } from '#client';
import { DEFAULT_POLICY } from '#core';
import { waitUntil } from '#devstack';
import { PolicyStore } from '#etcd';
import { caughtUp } from '../data-plane/support/fleet-helpers.js';
import { waitForOutcome } from '../support/remediation-runs.js';
import { connectTemporalClient } from '../support/temporal-client.js';
import { NAMESPACE, describeK8s, serviceEndpoints, startK8sEnv, type K8sEnv } from './support/k8s-env.js';

const SESSIONS = 2_000;
const OLD = ['gw-1', 'gw-2', 'gw-3'];

/**
 * A rolling restart as a Deployment with maxSurge 1 / maxUnavailable 0 does it, against a
 * real API server: a replacement pod comes up and turns Ready, then an old pod is deleted,
 * one at a time. Each deletion's drain must hot-migrate its sessions before the pod exits.
 * (The harness creates and deletes the pods, as the ReplicaSet controller would; the
 * kubelet harness runs them.)
 */
describeK8s('K8s mode: rolling restart', () => {
  let env: K8sEnv;
  let temporal: Awaited<ReturnType<typeof connectTemporalClient>>;
  let swarm: ClientSwarm | undefined;

  beforeAll(async () => {
    env = await startK8sEnv();
    await new PolicyStore(env.etcd).publish(DEFAULT_POLICY);
    for (const id of OLD) await env.kubelet.runPod(id, { graceSeconds: 25 });
    await env.fleet.startWorker(env.k8sEnv);
    temporal = await connectTemporalClient(env.fleet.stack);
  });

  afterEach(() => swarm?.stop());

  afterAll(async () => {
    await temporal?.close();
    await env?.stop();
  });

  it('should restart every pod of a fleet carrying 2 000 sessions with none lost, duplicated or reordered', async () => {
    swarm = new ClientSwarm({ prefix: 'roll', count: SESSIONS, gateways: env.fleet.gatewayAddresses, topics: ['ticker'] });
    await swarm.start();
    await waitUntil('every client receiving', async () => swarm?.report().receiving === SESSIONS, { timeoutMs: 60_000, intervalMs: 200 });

    for (const old of OLD) {
      await env.kubelet.runPod(`${old}-b`, { graceSeconds: 25 });
      await waitUntil(`${old}-b behind the Service`, async () => (await serviceEndpoints(env.kube)).includes(`${old}-b`), { timeoutMs: 20_000 });
      const exited = env.fleet.gateway(old).app.process.exited;
      await env.kube.core.deleteNamespacedPod({ name: old, namespace: NAMESPACE });
      expect(await exited).toEqual({ code: 0, signal: null });
      const report = await waitForOutcome(temporal.client, old, ['healed', 'compensated', 'needs-human'], 30_000);
      expect(report).toMatchObject({ trigger: 'k8s', outcome: 'healed' });
      expect(report.migration?.remaining).toBe(0);
    }

    const settled = await caughtUp(swarm, env.fleet.publisher.head('ticker'), 90_000);
    expect(Object.keys(settled.byGateway).sort()).toEqual(['gw-1-b', 'gw-2-b', 'gw-3-b']);
    expect(settled.connected).toBe(SESSIONS);
    expect(settled.counters).toMatchObject({ lost: 0, duplicates: 0, reorders: 0 });
  });
});
