import { type KubernetesObject, type V1Node, type V1Pod, makeInformer } from '@kubernetes/client-node';
import { type Etcd3 } from 'etcd3';
import { DEFAULT_POLICY, type IncidentSettings, type K8sFinding, type KubernetesPolicy, PodSignalTracker, type PodVerdict, ScaleOutDebounce, describeFindings } from '#core';
import { GatewayStateStore, PolicyStore, QuarantineSet, StormStore, type TimelineWriter } from '#etcd';
import { type Logger } from '#runtime';
import { AutomaticTrigger, type RemediationClient } from '#temporal';
import { type KubeClients } from './kube-client.js';
import { observeNode, observePod } from './observe-pod.js';

export interface GatewayPodControllerOptions {
  readonly kube: KubeClients;
  readonly etcd: Etcd3;
  readonly runs: RemediationClient;
  readonly namespaces: readonly string[];
  readonly selector: string;
  /** Names this controller in the runs it starts (`k8s:<identity>`). */
  readonly identity: string;
  readonly log: Logger;
  /** The policy lab's timelines: each run this controller starts or joins is recorded there (none when absent). */
  readonly timeline?: TimelineWriter;
}

/** How often pods are looked at again without an event: `podNotReady` is about time passing. */
const RELOOK_MS = 250;

interface Watch {
  stop(): Promise<void>;
}

/**
 * The fleet seen from Kubernetes: informers on the gateway pods (a label selector, in
 * each managed namespace) and on nodes. Kubernetes facts become findings; a fresh one
 * starts a remediation (trigger `k8s`; workflow ids dedupe), a pod turning Ready after
 * the initial listing feeds one debounced rebalance, and a pod that is gone no longer
 * counts against the blast radius. Runs in the leader only.
 */
export class GatewayPodController {
  private readonly pods = new Map<string, V1Pod>();
  private readonly nodes = new Map<string, V1Node>();
  private policy: KubernetesPolicy = DEFAULT_POLICY.kubernetes;
  private incident: IncidentSettings = DEFAULT_POLICY.incident;
  private readonly tracker = new PodSignalTracker(() => this.policy);
  private readonly debounce = new ScaleOutDebounce(() => this.policy.rebalanceDebounceMs);
  private readonly watches: Watch[] = [];
  private timer: NodeJS.Timeout | undefined;
  private listing = true;

  /** Like every automatic trigger: no second run for a gateway already out or held, none in a storm. */
  private readonly triggers: AutomaticTrigger;

  constructor(private readonly options: GatewayPodControllerOptions) {
    const states = new GatewayStateStore(options.etcd);
    const storms = new StormStore(options.etcd);
    this.triggers = new AutomaticTrigger({
      runs: options.runs,
      log: options.log,
      source: `k8s:${options.identity}`,
      startedEvent: 'k8s-remediation-started',
      gatewayState: (gatewayId) => states.get(gatewayId).catch(() => undefined),
      incidentSettings: async () => this.incident,
      storm: async () => (await storms.read().catch(() => ({ storm: null }))).storm,
      timeline: options.timeline,
    });
  }

  async start(): Promise<void> {
    const { kube, namespaces, selector, log } = this.options;
    const stopPolicy = await new PolicyStore(this.options.etcd).watch(
      ({ policy }) => {
        this.policy = policy.kubernetes;
        this.incident = policy.incident;
      },
      (err) => log.warn({ err }, 'policy unusable; keeping the Kubernetes settings in force'),
    );
    this.watches.push({ stop: stopPolicy });
    const nodes = makeInformer<V1Node>(kube.config, '/api/v1/nodes', () => kube.core.listNode());
    nodes.on('add', (n) => this.onNode(n));
    nodes.on('update', (n) => this.onNode(n));
    nodes.on('delete', (n) => this.nodes.delete(n.metadata?.name ?? ''));
    await this.startInformer(nodes, 'nodes');
    for (const namespace of namespaces) {
      const pods = makeInformer<V1Pod>(kube.config, `/api/v1/namespaces/${namespace}/pods`, () => kube.core.listNamespacedPod({ namespace, labelSelector: selector }), selector);
      pods.on('add', (p) => this.onPod(p));
      pods.on('update', (p) => this.onPod(p));
      pods.on('delete', (p) => void this.onPodGone(p));
      await this.startInformer(pods, `pods in ${namespace}`);
    }
    this.listing = false;
    this.timer = setInterval(() => this.relook(), RELOOK_MS);
    log.info({ event: 'k8s-controller-started', namespaces, selector, pods: this.pods.size, nodes: this.nodes.size }, 'watching gateway pods');
  }

  /** The gateway pods as last seen (for the StreamSession writer). */
  get knownPods(): Iterable<V1Pod> {
    return this.pods.values();
  }

  async stop(): Promise<void> {
    clearInterval(this.timer);
    await Promise.all(this.watches.splice(0).map((w) => w.stop()));
  }

  private async startInformer<T extends KubernetesObject>(informer: ReturnType<typeof makeInformer<T>>, what: string): Promise<void> {
    informer.on('error', (err: unknown) => {
      if ((err as { name?: string } | undefined)?.name === 'AbortError') return;
      this.options.log.warn({ err, what }, 'watch broke; restarting it');
      setTimeout(() => void informer.start().catch(() => undefined), 1_000);
    });
    await informer.start();
    this.watches.push({ stop: () => informer.stop() });
  }

  private onNode(node: V1Node): void {
    this.nodes.set(node.metadata?.name ?? '', node);
    for (const pod of this.pods.values()) if (pod.spec?.nodeName === node.metadata?.name) this.judge(pod);
  }

  private onPod(pod: V1Pod): void {
    this.pods.set(pod.metadata?.uid ?? '', pod);
    this.judge(pod);
  }

  private async onPodGone(pod: V1Pod): Promise<void> {
    const { uid = '' } = pod.metadata ?? {};
    this.pods.delete(uid);
    this.tracker.forget(uid);
    const gatewayId = observePod(pod).gatewayId;
    // Gone for good: it must not keep a place in the blast radius (a new pod has a new name).
    await new QuarantineSet(this.options.etcd).release(gatewayId).catch((err: unknown) => this.options.log.warn({ err, gatewayId }, 'quarantine not released'));
    this.options.log.info({ event: 'k8s-pod-gone', pod: pod.metadata?.name, gatewayId }, 'gateway pod deleted');
  }

  private relook(): void {
    for (const pod of this.pods.values()) this.judge(pod);
    const burst = this.debounce.takeDue(Date.now());
    if (burst) this.rebalance(burst);
  }

  private judge(pod: V1Pod): void {
    const observed = observePod(pod);
    const node = observed.nodeName ? this.nodes.get(observed.nodeName) : undefined;
    const verdict = this.tracker.observe(observed, node ? observeNode(node) : undefined, Date.now(), this.listing);
    if (verdict.fresh.length > 0) void this.remediate(observed, verdict);
    if (verdict.becameReady) this.debounce.noteReady(observed.name, Date.now());
  }

  /**
   * Like every automatic trigger: a gateway a run already took out for good, or one held for a
   * human, gets no second run (a run that closed a moment ago is not joined by workflow id);
   * the open run, if any, still hears the finding.
   */
  private async remediate(pod: ReturnType<typeof observePod>, verdict: PodVerdict): Promise<void> {
    const { log } = this.options;
    const findings: readonly K8sFinding[] = verdict.findings;
    const request = {
      gatewayId: pod.gatewayId,
      trigger: 'k8s',
      reason: describeFindings(pod, findings),
      requestedAt: Date.now(),
      findings: { detectorId: `k8s:${this.options.identity}`, facts: findings, classification: verdict.fresh[0] },
    } as const;
    await this.triggers.fire(request, { findings }).catch((err: unknown) => log.error({ err, gatewayId: pod.gatewayId }, 'could not start remediation'));
  }

  private rebalance(pods: readonly string[]): void {
    const { runs, log } = this.options;
    runs.startRebalance(`scale-out: ${pods.length} new gateway pod(s) ready (${pods.slice(0, 5).join(', ')})`).then(
      (run) => log.info({ event: 'k8s-rebalance-started', ...run, pods }, 'rebalance after scale-out'),
      (err: unknown) => log.error({ err }, 'could not start rebalance'),
    );
  }
}
