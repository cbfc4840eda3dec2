import { afterAll, beforeAll, expect, it } from '@jest/globals';
import { type HomeostatProcess, type K8sEnv, NAMESPACE, startApp, startK8sEnv, waitUntil } from '#devstack';
import { describeK8s } from './support/k8s-env.js';

const LEASE = 'homeostat-worker-leader';

/**
 * Two worker replicas in K8s mode elect one leader on a real coordination.k8s.io Lease;
 * SIGKILL the leader and the other takes over within a few seconds and runs the
 * controllers (it drains a deleted pod), with no second leader at any time.
 */
describeK8s('K8s mode: leader failover', () => {
  let env: K8sEnv;
  const workers = new Map<string, HomeostatProcess>();

  const startWorker = async (name: string) => {
    const worker = await startApp('worker', { name, logDir: env.fleet.logDir, env: { ...env.fleet.stack.env, ...env.k8sEnv, SWEEP_SCHEDULE: 'off', POD_NAME: name } });
    workers.set(name, worker);
    return worker;
  };

  const holder = async (): Promise<string | undefined> =>
    (await env.kube.coordination.readNamespacedLease({ name: LEASE, namespace: NAMESPACE }).catch(() => undefined))?.spec?.holderIdentity ?? undefined;

  beforeAll(async () => {
    env = await startK8sEnv();
    for (const id of ['gw-1', 'gw-2', 'gw-3']) await env.kubelet.runPod(id, { graceSeconds: 15 });
  });

  afterAll(async () => {
    await Promise.all([...workers.values()].map((w) => w.process.stop()));
    await env?.stop();
  });

  it('should hand the controllers over to the other replica when the leader dies', async () => {
    await startWorker('worker-a');
    await waitUntil('worker-a to lead', async () => (await holder()) === 'worker-a', { timeoutMs: 10_000 });
    const b = await startWorker('worker-b');
    const bLines: string[] = [];
    b.process.onOutputLine((line) => bLines.push(line));
    await new Promise((resolve) => setTimeout(resolve, 2_000));
    expect(await holder()).toBe('worker-a');
    expect(bLines.some((l) => l.includes('"leader-elected"'))).toBe(false);

    workers.get('worker-a')?.process.signal('SIGKILL');
    // The Lease's duration (4 s) plus a retry: how long the handover takes is measured by the bench, not asserted here.
    await waitUntil('worker-b to lead', async () => (await holder()) === 'worker-b', { timeoutMs: 20_000, intervalMs: 100 });
    await waitUntil('worker-b to run the controllers', async () => bLines.some((l) => l.includes('"k8s-controller-started"')));

    await env.kube.core.deleteNamespacedPod({ name: 'gw-2', namespace: NAMESPACE });
    await waitUntil('worker-b to drain gw-2', async () => bLines.some((l) => l.includes('"k8s-remediation-started"') && l.includes('"gatewayId":"gw-2"')), { timeoutMs: 15_000 });
  });
});
