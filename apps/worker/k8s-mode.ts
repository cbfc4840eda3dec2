import { hostname } from 'node:os';
import { type Etcd3 } from 'etcd3';
import { type LeaderElector } from '#core';
import { FailoverPolicyController, GatewayPodController, KubeClients, StreamSessionWriter, KubeLeaseElector, KubePodActuator, controlNamespace, kubeSourceFromSettings } from '#k8s';
import { EtcdElector, type TimelineWriter, connectEtcdWith } from '#etcd';
import { type PodActuation } from '#remediation';
import { type Logger } from '#runtime';
import { type RemediationClient, temporalUiRunLink } from '#temporal';
import { type WorkerSettings } from './settings.js';

/** The Lease the worker replicas elect their leader on. */
export const WORKER_LEADER_LEASE = 'homeostat-worker-leader';

export interface WorkerK8s {
  /** Rotation labels and Events for the activities (every replica acts). */
  readonly actuation: PodActuation | undefined;
  readonly elector: LeaderElector;
  /** The leader's Kubernetes duties; nothing outside K8s mode. */
  readonly leaderDuties: (runs: RemediationClient, log: Logger) => Promise<() => Promise<void>>;
}

/** Embedded mode: the replicas elect their leader through etcd. */
const etcdElector = (settings: WorkerSettings, log: Logger): LeaderElector =>
  new EtcdElector({ connect: () => connectEtcdWith(settings), electionName: WORKER_LEADER_LEASE, identity: workerIdentity(settings), ttlSeconds: settings.LEADER_TTL_SECONDS, log });

export const workerIdentity = (settings: WorkerSettings): string => settings.POD_NAME ?? `${hostname()}-${process.pid}`;

/** K8s mode wiring; outside it, one sole leader and no pod actuation. */
export const setUpK8s = (settings: WorkerSettings, etcd: Etcd3, log: Logger, timeline?: TimelineWriter): WorkerK8s => {
  if (!settings.K8S_MODE) return { actuation: undefined, elector: etcdElector(settings, log), leaderDuties: async () => async () => undefined };
  const kube = KubeClients.from(kubeSourceFromSettings(settings));
  const identity = workerIdentity(settings);
  const namespaces = settings.K8S_NAMESPACES;
  return {
    actuation: {
      pods: new KubePodActuator(kube, namespaces, identity),
      runLink: (workflowId, runId) => temporalUiRunLink(settings.TEMPORAL_UI_URL, settings.TEMPORAL_NAMESPACE, workflowId, runId),
    },
    elector: new KubeLeaseElector({ kube, namespace: controlNamespace(settings), leaseName: WORKER_LEADER_LEASE, identity, log }),
    leaderDuties: async (runs, dutyLog) => {
      const pods = new GatewayPodController({ kube, etcd, runs, namespaces, selector: settings.K8S_GATEWAY_SELECTOR, identity, log: dutyLog, ...(timeline ? { timeline } : {}) });
      const policies = new FailoverPolicyController(kube, etcd, controlNamespace(settings), dutyLog);
      const sessions = new StreamSessionWriter(kube, etcd, runs, () => pods.knownPods, dutyLog);
      const started: { stop(): Promise<void> }[] = [];
      try {
        for (const duty of [pods, policies, sessions]) {
          await duty.start();
          started.push(duty);
        }
      } catch (error) {
        for (const duty of started.reverse()) await duty.stop();
        throw error;
      }
      return async () => {
        for (const duty of started.reverse()) await duty.stop();
      };
    },
  };
};
