import { mkdtemp } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { type Etcd3 } from 'etcd3';
import { DEFAULT_GATEWAY_SELECTOR, ROTATION_LABEL } from '#core';
import { connectEtcd } from '#etcd';
import { KubeClients, REPORTING_CONTROLLER, installCrds } from '#k8s';
import { Fleet, type FleetOptions } from './fleet.js';
import { type KubeCluster, type KubeClusterOptions, startKubeCluster } from './kube-cluster.js';
import { LocalKubelet } from './local-kubelet.js';

/*
 * Gateways as pods on a real control plane, without a kubelet or containers: a real
 * kube-apiserver and kube-controller-manager, Homeostat's Temporal and etcd, and local
 * gateway processes whose pods the LocalKubelet harness runs. Used by the K8s tests,
 * `npm run demo -- --k8s` and the bench's k8s section.
 */

export const NAMESPACE = 'edge';
export const SERVICE = 'push-gateways';

export interface K8sEnv {
  readonly cluster: KubeCluster;
  readonly kube: KubeClients;
  readonly fleet: Fleet;
  readonly etcd: Etcd3;
  readonly kubelet: LocalKubelet;
  /** Environment that switches a Homeostat process into K8s mode against this cluster. */
  readonly k8sEnv: Record<string, string>;
  stop(): Promise<void>;
}

/**
 * The whole setting: a Kubernetes control plane, Temporal and etcd for Homeostat, the
 * gateways' namespace and Service (selecting rotation=in, as deploy/k8s does), and the
 * kubelet harness on one node. No gateway or worker yet: tests start what they need.
 */
export const startK8sEnv = async (fleetOptions: FleetOptions = {}, clusterOptions: Pick<KubeClusterOptions, 'nodeMonitorGracePeriodSeconds'> = {}): Promise<K8sEnv> => {
  const logDir = await mkdtemp(join(tmpdir(), 'homeostat-k8s-logs-'));
  const cluster = await startKubeCluster({ logDir, ...clusterOptions });
  const kube = KubeClients.from({ kind: 'explicit', cluster });
  let fleet: Fleet | undefined;
  try {
    await kube.core.createNamespace({ body: { metadata: { name: NAMESPACE } } });
    await installCrds(kube);
    const [key, value] = DEFAULT_GATEWAY_SELECTOR.split('=') as [string, string];
    await kube.core.createNamespacedService({
      namespace: NAMESPACE,
      body: {
        metadata: { name: SERVICE, namespace: NAMESPACE },
        spec: { selector: { [key]: value, [ROTATION_LABEL]: 'in' }, ports: [{ name: 'ws', port: 8080, targetPort: 'ws' }] },
      },
    });
    fleet = await Fleet.start({ gateways: 0, worker: false, useExisting: false, logDir, ...fleetOptions });
    const etcd = connectEtcd(fleet.stack.etcd.endpoints);
    const kubelet = await LocalKubelet.start(kube, fleet, { namespace: NAMESPACE, nodeName: 'node-a' });
    const started = fleet;
    return {
      cluster,
      kube,
      fleet,
      etcd,
      kubelet,
      k8sEnv: { K8S_MODE: 'on', KUBECONFIG: cluster.kubeconfigFile, K8S_NAMESPACES: NAMESPACE },
      stop: async () => {
        await kubelet.stop();
        etcd.close();
        await started.stop();
        await cluster.stop();
      },
    };
  } catch (error) {
    await fleet?.stop();
    await cluster.stop();
    throw error;
  }
};

/**
 * Pod names in the Service's EndpointSlices: those ready to take traffic, or with
 * `all`, every one listed (an unready pod stays listed, marked not ready, until its
 * labels stop matching the selector).
 */
export const serviceEndpoints = async (kube: KubeClients, { all = false }: { all?: boolean } = {}): Promise<string[]> => {
  const slices = await kube.discovery.listNamespacedEndpointSlice({ namespace: NAMESPACE, labelSelector: `kubernetes.io/service-name=${SERVICE}` });
  return slices.items
    .flatMap((s) => s.endpoints ?? [])
    .filter((e) => all || e.conditions?.ready !== false)
    .map((e) => e.targetRef?.name ?? '')
    .sort();
};

/** Homeostat's Events on a pod, oldest first: reason, type (Normal, Warning) and note. */
export const homeostatEvents = async (kube: KubeClients, pod: string): Promise<{ reason: string; type: string; note: string }[]> => {
  const events = await kube.events.listNamespacedEvent({ namespace: NAMESPACE });
  return events.items
    .filter((e) => e.reportingController === REPORTING_CONTROLLER && e.regarding?.name === pod)
    .sort((a, b) => new Date(a.eventTime ?? 0).getTime() - new Date(b.eventTime ?? 0).getTime())
    .map((e) => ({ reason: e.reason ?? '', type: e.type ?? '', note: e.note ?? '' }));
};
