import { ClientSwarm } from '#client';
import { DEFAULT_POLICY } from '#core';
import { type PodReplacement, caughtUp, provisionKubeBinaries, rollingRestart, startK8sEnv, waitUntil } from '#devstack';
import { PolicyStore } from '#etcd';
import { Client, Connection } from '@temporalio/client';
import { temporalUiRunLink } from '#temporal';

const PODS = ['gw-1', 'gw-2', 'gw-3'];
const SESSIONS = 600;

const seconds = (ms: number): string => `${(ms / 1_000).toFixed(2)} s`;

const stepLine = (step: PodReplacement, link: string): string => {
  const m = step.report.migration;
  const moved = m ? `${m.moved} sessions moved (${m.remaining} left), interruption p50 ${m.interruptionMs?.p50 ?? '?'} ms / p99 ${m.interruptionMs?.p99 ?? '?'} ms` : 'no migration';
  return [
    `  ${step.pod} deleted → ${step.report.outcome} (${step.report.decision?.rule ?? 'no rule'}), ${moved}`,
    `    pod exited ${seconds(step.exitedAt - step.deletedAt)} after deletion with code ${step.exit.code ?? step.exit.signal}; replacement ${step.replacement}`,
    ...(step.report.outcomeReason ? [`    the run says: ${step.report.outcomeReason}`] : []),
    `    the drain in the Temporal UI: ${link}`,
  ].join('\n');
};

/**
 * `npm run demo -- --k8s`: gateways as pods on a real kube-apiserver and
 * kube-controller-manager (built into .homeostat/ on first use), the worker in K8s mode,
 * and a rolling restart of every gateway pod under client load, with the clients' own
 * count of lost, duplicated and reordered messages.
 */
export const runK8sDemo = async (once: boolean): Promise<void> => {
  provisionKubeBinaries();
  console.log('Starting kube-apiserver, kube-controller-manager, Temporal, etcd, 3 gateway pods and the worker in K8s mode…');
  const env = await startK8sEnv();
  const connection = await Connection.connect(env.fleet.stack.temporal.connection);
  const temporal = new Client({ connection, namespace: env.fleet.stack.temporal.namespace });
  let swarm: ClientSwarm | undefined;
  const stop = async (): Promise<void> => {
    swarm?.stop();
    await connection.close();
    await env.stop();
  };
  try {
    await new PolicyStore(env.etcd).publish(DEFAULT_POLICY);
    for (const pod of PODS) await env.kubelet.runPod(pod, { graceSeconds: 25 });
    await env.fleet.startWorker(env.k8sEnv);
    const clients = new ClientSwarm({ prefix: 'demo-k8s', count: SESSIONS, gateways: env.fleet.gatewayAddresses, topics: ['ticker'] });
    swarm = clients;
    await clients.start();
    await waitUntil(`${SESSIONS} clients receiving`, async () => clients.report().receiving === SESSIONS, { timeoutMs: 60_000, intervalMs: 200 });
    console.log(`
  kubectl: export KUBECONFIG=${env.cluster.kubeconfigFile}; kubectl -n ${env.kubelet.namespace} get pods -L homeostat.io/rotation
  Temporal UI ${env.fleet.stack.temporal.uiUrl}
  ${SESSIONS} clients connected: ${Object.entries(clients.report().byGateway).map(([g, n]) => `${g} ${n}`).join(', ')}

Rolling restart (maxSurge 1, maxUnavailable 0): each old pod is deleted once its replacement is Ready…`);
    const ui = (s: PodReplacement) => temporalUiRunLink(env.fleet.stack.temporal.uiUrl, env.fleet.stack.temporal.namespace, s.workflowId, s.runId);
    for (const step of await rollingRestart(env, temporal, PODS)) console.log(stepLine(step, ui(step)));
    const settled = await caughtUp(clients, env.fleet.publisher.head('ticker'), 90_000);
    const { lost, duplicates, reorders } = settled.counters;
    console.log(`
  ${settled.connected} of ${SESSIONS} clients connected, on ${Object.entries(settled.byGateway).map(([g, n]) => `${g} ${n}`).join(', ')}
  messages lost ${lost}, duplicated ${duplicates}, reordered ${reorders} (counted by every client against the publisher's sequence)`);
    if (once) return;
    console.log('\nEverything keeps running: try kubectl, open the Temporal UI. Ctrl-C stops it all.');
    await new Promise<void>((resolve) => process.once('SIGINT', resolve));
  } finally {
    await stop();
  }
};
