import { type V1Pod } from '@kubernetes/client-node';
import { type Etcd3 } from 'etcd3';
import { type GatewayVitals, ROTATION_LABEL, ROTATION_LINK_ANNOTATION, ROTATION_WORKFLOW_ANNOTATION } from '#core';
import { watchVitals } from '#etcd';
import { type Logger } from '#runtime';
import { type RemediationClient } from '#temporal';
import { HOMEOSTAT_API_VERSION, HOMEOSTAT_GROUP, STREAM_SESSION } from './crds/index.js';
import { gatewayIdOfPod } from './gateway-pods.js';
import { type KubeClients, isConflict } from './kube-client.js';
import { MERGE_PATCH } from './merge-patch.js';

const api = { group: HOMEOSTAT_GROUP, version: HOMEOSTAT_API_VERSION, plural: STREAM_SESSION.plural };

/** At most one status write per gateway per tick, and only when something changed. */
const TICK_MS = 1_000;

const OPEN_OUTCOMES = new Set(['running', 'awaiting-approval']);

export interface StreamSessionStatus {
  readonly sessions: number;
  readonly capacity: number;
  readonly rotation: string;
  readonly migration: { readonly inProgress: boolean; readonly moved: number; readonly remaining: number };
  readonly lastRemediation?: { readonly workflowId: string; readonly outcome: string; readonly link: string };
}

/**
 * Keeps one StreamSession per gateway pod (never one per client session: see the CRD):
 * sessions held (from the vitals every gateway publishes to etcd each second), whether
 * the pod is in rotation, migration progress while it is out and still has sessions,
 * and the last remediation with its Temporal link. Written at most once a second per
 * pod, only when it changed. Runs in the leader only.
 */
export class StreamSessionWriter {
  private readonly vitals = new Map<string, GatewayVitals>();
  private readonly written = new Map<string, string>();
  private readonly migrationStart = new Map<string, number>();
  private readonly outcomes = new Map<string, string>();
  private timer: NodeJS.Timeout | undefined;
  private stopVitals: (() => Promise<void>) | undefined;
  private ticking = false;

  constructor(
    private readonly kube: KubeClients,
    private readonly etcd: Etcd3,
    private readonly runs: RemediationClient,
    private readonly pods: () => Iterable<V1Pod>,
    private readonly log: Logger,
  ) {}

  async start(): Promise<void> {
    this.stopVitals = await watchVitals(this.etcd, {
      onVitals: (v) => this.vitals.set(v.gatewayId, v),
      onGone: (id) => this.vitals.delete(id),
      onError: (err) => this.log.warn({ err }, 'vitals unusable for StreamSession'),
    });
    this.timer = setInterval(() => void this.tick(), TICK_MS);
  }

  async stop(): Promise<void> {
    clearInterval(this.timer);
    await this.stopVitals?.();
  }

  private async tick(): Promise<void> {
    if (this.ticking) return;
    this.ticking = true;
    try {
      for (const pod of this.pods()) await this.write(pod).catch((err: unknown) => this.log.warn({ err, pod: pod.metadata?.name }, 'StreamSession not written'));
    } finally {
      this.ticking = false;
    }
  }

  private async write(pod: V1Pod): Promise<void> {
    const name = pod.metadata?.name ?? '';
    const namespace = pod.metadata?.namespace ?? '';
    const status = await this.statusOf(pod);
    const serialised = JSON.stringify(status);
    if (this.written.get(`${namespace}/${name}`) === serialised) return;
    if (!this.written.has(`${namespace}/${name}`)) await this.ensureObject(pod);
    await this.kube.custom.patchNamespacedCustomObjectStatus({ ...api, namespace, name, body: { status: { ...status, updatedAt: new Date().toISOString().replace(/\.\d+Z$/, 'Z') } } }, MERGE_PATCH);
    this.written.set(`${namespace}/${name}`, serialised);
  }

  private async statusOf(pod: V1Pod): Promise<StreamSessionStatus> {
    const gatewayId = gatewayIdOfPod(pod);
    const vitals = this.vitals.get(gatewayId);
    const sessions = vitals?.connections ?? 0;
    const rotation = pod.metadata?.labels?.[ROTATION_LABEL] ?? 'in';
    const migrating = rotation === 'out' && sessions > 0;
    if (migrating && !this.migrationStart.has(gatewayId)) this.migrationStart.set(gatewayId, sessions);
    if (!migrating && rotation === 'in') this.migrationStart.delete(gatewayId);
    const start = this.migrationStart.get(gatewayId);
    const workflowId = pod.metadata?.annotations?.[ROTATION_WORKFLOW_ANNOTATION];
    return {
      sessions,
      capacity: vitals?.capacity ?? 0,
      rotation,
      migration: { inProgress: migrating, moved: start === undefined ? 0 : Math.max(0, start - sessions), remaining: start === undefined ? 0 : sessions },
      ...(workflowId ? { lastRemediation: { workflowId, outcome: await this.outcomeOf(workflowId), link: pod.metadata?.annotations?.[ROTATION_LINK_ANNOTATION] ?? '' } } : {}),
    };
  }

  /** Asks Temporal only while the run is open: a closed run's outcome never changes. */
  private async outcomeOf(workflowId: string): Promise<string> {
    const known = this.outcomes.get(workflowId);
    if (known && !OPEN_OUTCOMES.has(known)) return known;
    const outcome = await this.runs.report(workflowId).then((r) => r.report?.outcome ?? known ?? 'unknown', () => known ?? 'unknown');
    this.outcomes.set(workflowId, outcome);
    return outcome;
  }

  private async ensureObject(pod: V1Pod): Promise<void> {
    const { name = '', namespace = '', uid = '' } = pod.metadata ?? {};
    const body = {
      apiVersion: `${HOMEOSTAT_GROUP}/${HOMEOSTAT_API_VERSION}`,
      kind: STREAM_SESSION.kind,
      // Owned by its pod: Kubernetes' garbage collector deletes it with the pod.
      metadata: { name, namespace, ownerReferences: [{ apiVersion: 'v1', kind: 'Pod', name, uid }] },
      spec: { gatewayId: gatewayIdOfPod(pod), podName: name },
    };
    await this.kube.custom.createNamespacedCustomObject({ ...api, namespace, body }).catch((error: unknown) => {
      if (!isConflict(error)) throw error;
    });
  }
}
