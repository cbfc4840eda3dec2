import { ClientSwarm } from '#client';
import { DEFAULT_POLICY, ROTATION_LABEL } from '#core';
import { type K8sEnv, caughtUp, provisionKubeBinaries, startK8sEnv, waitUntil } from '#devstack';
import { PolicyStore } from '#etcd';
import { FAILOVER_POLICY, HOMEOSTAT_API_VERSION, HOMEOSTAT_GROUP } from '#k8s';
import { type BenchRow, timingRow } from './report-table.js';

const SESSIONS_PER_POD = 300;
const STEADY_PODS = ['gw-1', 'gw-2'];

/** Sessions on a pod that is deleted (a rolling update's step): how long until every one is on another pod, and what the clients lost. */
const benchPodDeleted = async (env: K8sEnv, runs: number): Promise<BenchRow[]> => {
  const moved: number[] = [];
  let lost = 0;
  let disorder = 0;
  for (let run = 0; run < runs; run++) {
    const pod = `bench-pod-${run}`;
    const gateway = await env.kubelet.runPod(pod, { graceSeconds: 25 });
    const others = STEADY_PODS.map((id) => env.fleet.gateway(id).address);
    const swarm = new ClientSwarm({ prefix: `pod-${run}`, count: SESSIONS_PER_POD, gateways: [gateway.address, ...others], topics: ['ticker'] });
    try {
      await swarm.start();
      await waitUntil(`${SESSIONS_PER_POD} clients receiving on ${pod}`, async () => swarm.report().byGateway[pod] === SESSIONS_PER_POD && swarm.report().receiving === SESSIONS_PER_POD, { timeoutMs: 60_000, intervalMs: 50 });
      const deletedAt = Date.now();
      await env.kube.core.deleteNamespacedPod({ name: pod, namespace: env.kubelet.namespace });
      await waitUntil(`every client of ${pod} elsewhere`, async () => {
        const report = swarm.report();
        return report.connected === SESSIONS_PER_POD && !report.byGateway[pod];
      }, { timeoutMs: 60_000, intervalMs: 20 });
      moved.push(Date.now() - deletedAt);
      const settled = await caughtUp(swarm, env.fleet.publisher.head('ticker'), 60_000);
      lost += settled.counters.lost;
      disorder += settled.counters.duplicates + settled.counters.reorders;
      await gateway.app.process.exited;
    } finally {
      swarm.stop();
    }
  }
  return [
    timingRow(`pod deleted, ${SESSIONS_PER_POD} sessions → all on other pods`, moved),
    { metric: '  messages lost (all runs)', count: lost },
    { metric: '  duplicated or reordered (all runs)', count: disorder },
  ];
};

/** A pod whose readiness fails (its gateway hangs): how long until Homeostat's rotation label says `out`. */
const benchNotReady = async (env: K8sEnv, runs: number): Promise<BenchRow[]> => {
  const out: number[] = [];
  for (let run = 0; run < runs; run++) {
    const pod = `bench-unready-${run}`;
    const gateway = await env.kubelet.runPod(pod, { graceSeconds: 2 });
    await waitUntil(`${pod} watched`, async () => (await env.kube.core.readNamespacedPod({ name: pod, namespace: env.kubelet.namespace })).status?.conditions?.some((c) => c.type === 'Ready' && c.status === 'True'), { timeoutMs: 20_000 });
    const hungAt = Date.now();
    await env.fleet.control(pod).injectFault({ kind: 'hang' });
    await waitUntil(`${pod} labelled out of rotation`, async () => (await env.kube.core.readNamespacedPod({ name: pod, namespace: env.kubelet.namespace })).metadata?.labels?.[ROTATION_LABEL] === 'out', { timeoutMs: 60_000, intervalMs: 20 });
    out.push(Date.now() - hungAt);
    await env.kube.core.deleteNamespacedPod({ name: pod, namespace: env.kubelet.namespace });
    await gateway.app.process.exited;
  }
  return [timingRow(`Ready=False (after 1 s) → label rotation=out`, out)];
};

/** A FailoverPolicy created or changed with kubectl's calls: how long until the detector applies it. */
const benchFailoverPolicy = async (env: K8sEnv, runs: number): Promise<BenchRow[]> => {
  const detector = await env.fleet.startDetector();
  const api = { group: HOMEOSTAT_GROUP, version: HOMEOSTAT_API_VERSION, plural: FAILOVER_POLICY.plural, namespace: env.kubelet.namespace };
  const { version: _version, ...spec } = JSON.parse(JSON.stringify(DEFAULT_POLICY)) as Record<string, unknown>;
  const live: number[] = [];
  for (let run = 0; run < runs; run++) {
    const name = `bench-${run}`;
    const applied = detector.process.waitForLine((line) => (line.includes('"policy-applied"') && line.includes(`"policyName":"${name}"`) ? true : undefined), 30_000);
    const at = Date.now();
    await env.kube.custom.createNamespacedCustomObject({
      ...api,
      body: { apiVersion: `${HOMEOSTAT_GROUP}/${HOMEOSTAT_API_VERSION}`, kind: FAILOVER_POLICY.kind, metadata: { name, namespace: env.kubelet.namespace }, spec: { ...spec, name } },
    });
    await applied;
    live.push(Date.now() - at);
  }
  return [timingRow('FailoverPolicy applied → live in the detector', live)];
};

/**
 * Gateways as pods on a real kube-apiserver and kube-controller-manager (built into
 * .homeostat/ on first use), the worker in K8s mode; see libs/devstack/kube-env.ts.
 */
export const benchK8s = async (runs: number): Promise<BenchRow[]> => {
  provisionKubeBinaries();
  const env = await startK8sEnv();
  try {
    await new PolicyStore(env.etcd).publish({
      ...DEFAULT_POLICY,
      guardrails: { ...DEFAULT_POLICY.guardrails, maxQuarantinedFraction: 0.5, rateLimit: { maxRemediations: 10_000, windowMs: 60_000, perGatewayCooldownMs: 0 } },
      kubernetes: { ...DEFAULT_POLICY.kubernetes, notReadyAfterMs: 1_000 },
    });
    for (const id of STEADY_PODS) await env.kubelet.runPod(id);
    await env.fleet.startWorker(env.k8sEnv);
    return [...(await benchPodDeleted(env, runs)), ...(await benchNotReady(env, runs)), ...(await benchFailoverPolicy(env, runs))];
  } finally {
    await env.stop();
  }
};
