import { type V1Pod, V1MicroTime, makeInformer } from '@kubernetes/client-node';
import { DEFAULT_GATEWAY_SELECTOR, ROTATION_LABEL } from '#core';
import { type Fleet, type RunningGateway } from './fleet.js';
import { type KubeClients, MERGE_PATCH, isNotFound } from '#k8s';

/**
 * The kubelet these tests do not have. There is no container runtime here: gateway
 * pods are local gateway processes (real ones, from dist/), and this harness does for
 * them what a kubelet would do, against the real API server:
 * - registers the Node and renews its Lease in `kube-node-lease` (and its Ready
 *   heartbeat); `loseNode()` stops that, which the real node lifecycle controller turns
 *   into Ready=Unknown — a real node loss;
 * - sets each Pod's Ready condition from the gateway process's own `/healthz` (its readiness probe);
 * - gives each Pod a placeholder, non-loopback pod IP (EndpointSlices reject loopback)
 *   that nobody ever dials: clients and Homeostat reach gateways at their registered
 *   address;
 * - turns a Pod's deletion into SIGTERM, then SIGKILL after the grace period, and deletes
 *   the Pod object for good once the process has exited.
 */
export class LocalKubelet {
  private readonly pods = new Map<string, { gateway: RunningGateway; ready: boolean | undefined; terminating: boolean }>();
  private readonly timers: NodeJS.Timeout[] = [];
  private heartbeat: NodeJS.Timeout | undefined;
  private informer: ReturnType<typeof makeInformer<V1Pod>> | undefined;
  private nextIp = 10;

  private constructor(
    private readonly kube: KubeClients,
    private readonly fleet: Fleet,
    readonly namespace: string,
    readonly nodeName: string,
  ) {}

  static async start(kube: KubeClients, fleet: Fleet, { namespace, nodeName }: { namespace: string; nodeName: string }): Promise<LocalKubelet> {
    const kubelet = new LocalKubelet(kube, fleet, namespace, nodeName);
    await kubelet.registerNode();
    await kubelet.watchPods();
    return kubelet;
  }

  /** Starts a gateway process as pod `id` on this node, Ready once its /healthz answers. */
  async runPod(id: string, { graceSeconds = 20, labels = {} }: { graceSeconds?: number; labels?: Record<string, string> } = {}): Promise<RunningGateway> {
    const [selectorKey, selectorValue] = DEFAULT_GATEWAY_SELECTOR.split('=') as [string, string];
    await this.kube.core.createNamespacedPod({
      namespace: this.namespace,
      body: {
        metadata: { name: id, namespace: this.namespace, labels: { [selectorKey]: selectorValue, [ROTATION_LABEL]: 'in', ...labels } },
        spec: {
          nodeName: this.nodeName,
          terminationGracePeriodSeconds: graceSeconds,
          containers: [{ name: 'gateway', image: 'homeostat/gateway:local', ports: [{ containerPort: 8080, name: 'ws' }] }],
        },
      },
    });
    // A little under the grace period, as deploy/k8s/gateway.yaml sets it: the drain beats the SIGKILL.
    const gateway = await this.fleet.startGateway(id, { SHUTDOWN_DRAIN_WAIT_MS: String(Math.max(0, graceSeconds * 1_000 - 1_000)) });
    this.pods.set(id, { gateway, ready: undefined, terminating: false });
    const ip = `10.244.0.${this.nextIp++}`;
    await this.kube.core.patchNamespacedPodStatus(
      { name: id, namespace: this.namespace, body: { status: { phase: 'Running', podIP: ip, podIPs: [{ ip }], hostIP: '10.240.0.1', startTime: new Date() } } },
      MERGE_PATCH,
    );
    await this.probe(id);
    this.timers.push(setInterval(() => void this.probe(id).catch(() => undefined), 200));
    return gateway;
  }

  /** The node stops renewing its Lease and heartbeat, as if it lost power. */
  loseNode(): void {
    clearInterval(this.heartbeat);
  }

  async stop(): Promise<void> {
    this.loseNode();
    for (const t of this.timers) clearInterval(t);
    await this.informer?.stop().catch(() => undefined);
  }

  private async registerNode(): Promise<void> {
    const name = this.nodeName;
    await this.kube.core.createNode({ body: { metadata: { name, labels: { 'kubernetes.io/hostname': name } } } });
    const beat = async (): Promise<void> => {
      const now = new Date();
      await this.kube.core.patchNodeStatus(
        {
          name,
          body: {
            status: {
              conditions: [{ type: 'Ready', status: 'True', reason: 'KubeletReady', message: 'local kubelet harness', lastHeartbeatTime: now, lastTransitionTime: now }],
              addresses: [{ type: 'InternalIP', address: '10.240.0.1' }],
            },
          },
        },
        MERGE_PATCH,
      );
      await this.renewLease();
    };
    await beat();
    this.heartbeat = setInterval(() => void beat().catch(() => undefined), 1_000);
  }

  private async renewLease(): Promise<void> {
    const { nodeName: name } = this;
    const namespace = 'kube-node-lease';
    const spec = { holderIdentity: name, leaseDurationSeconds: 40, renewTime: new V1MicroTime() };
    try {
      const lease = await this.kube.coordination.readNamespacedLease({ name, namespace });
      await this.kube.coordination.replaceNamespacedLease({ name, namespace, body: { ...lease, spec: { ...lease.spec, ...spec } } });
    } catch (error) {
      if (!isNotFound(error)) throw error;
      await this.kube.coordination.createNamespacedLease({ namespace, body: { metadata: { name, namespace }, spec } });
    }
  }

  /** Ready from the process's /healthz; the status is patched only when it changes. */
  private async probe(id: string): Promise<void> {
    const pod = this.pods.get(id);
    if (!pod || pod.terminating) return;
    // The readiness probe a kubelet would send: GET /healthz on the gateway's public listener.
    const probeUrl = pod.gateway.address.replace(/^ws/, 'http').replace(/\/ws$/, '/healthz');
    const ready = await fetch(probeUrl, { signal: AbortSignal.timeout(500) }).then((r) => r.ok, () => false);
    if (ready === pod.ready) return;
    pod.ready = ready;
    const now = new Date();
    const status = ready ? 'True' : 'False';
    await this.kube.core.patchNamespacedPodStatus(
      {
        name: id,
        namespace: this.namespace,
        body: {
          status: {
            conditions: [
              { type: 'PodScheduled', status: 'True', lastTransitionTime: now },
              { type: 'Initialized', status: 'True', lastTransitionTime: now },
              { type: 'ContainersReady', status, lastTransitionTime: now },
              { type: 'Ready', status, lastTransitionTime: now },
            ],
            containerStatuses: [
              { name: 'gateway', image: 'homeostat/gateway:local', imageID: '', ready, restartCount: 0, started: true, state: { running: { startedAt: now } } },
            ],
          },
        },
      },
      MERGE_PATCH,
    );
  }

  private async watchPods(): Promise<void> {
    const { namespace } = this;
    const informer = makeInformer<V1Pod>(this.kube.config, `/api/v1/namespaces/${namespace}/pods`, () => this.kube.core.listNamespacedPod({ namespace }));
    informer.on('update', (pod) => this.onUpdate(pod));
    informer.on('error', () => undefined);
    await informer.start();
    this.informer = informer;
  }

  /** deletionTimestamp set: SIGTERM now, SIGKILL after the grace period, then the final delete. */
  private onUpdate(pod: V1Pod): void {
    const id = pod.metadata?.name ?? '';
    const local = this.pods.get(id);
    if (!local || local.terminating || !pod.metadata?.deletionTimestamp) return;
    local.terminating = true;
    const process = local.gateway.app.process;
    process.signal('SIGTERM');
    const kill = setTimeout(() => process.signal('SIGKILL'), (pod.metadata.deletionGracePeriodSeconds ?? 30) * 1_000);
    void process.exited.then(async () => {
      clearTimeout(kill);
      this.pods.delete(id);
      this.fleet.gateways.delete(id);
      await this.kube.core.deleteNamespacedPod({ name: id, namespace: this.namespace, gracePeriodSeconds: 0 }).catch(() => undefined);
    });
  }
}
