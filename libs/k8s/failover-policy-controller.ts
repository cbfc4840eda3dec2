import { type KubernetesObject, makeInformer } from '@kubernetes/client-node';
import { type Etcd3 } from 'etcd3';
import { PolicyValidationError } from '#core';
import { PolicyLab } from '#etcd';
import { type Logger } from '#runtime';
import { FAILOVER_POLICY, HOMEOSTAT_API_VERSION, HOMEOSTAT_GROUP } from './crds/index.js';
import { type KubeClients } from './kube-client.js';
import { MERGE_PATCH } from './merge-patch.js';

interface Condition {
  readonly type: string;
  readonly status: 'True' | 'False';
  readonly reason: string;
  readonly message: string;
  readonly lastTransitionTime: string;
  readonly observedGeneration: number;
}

export interface FailoverPolicyObject extends KubernetesObject {
  spec?: Record<string, unknown>;
  status?: { appliedVersion?: number; observedGeneration?: number; conditions?: Condition[] };
}

const api = { group: HOMEOSTAT_GROUP, version: HOMEOSTAT_API_VERSION, plural: FAILOVER_POLICY.plural };

/**
 * FailoverPolicy objects → the etcd policy store. A new generation of an object is
 * validated with the same zod schema the API uses; a valid one is published (it becomes
 * the current policy, hot-reloaded by detectors and runs) and its status records the
 * etcd version; an invalid one changes nothing and its status says which field is wrong.
 * A generation already handled is skipped, so a restart or a new leader publishes nothing twice.
 */
export class FailoverPolicyController {
  private readonly informer;
  private readonly lab: PolicyLab;
  private queue = Promise.resolve();

  constructor(
    private readonly kube: KubeClients,
    etcd: Etcd3,
    private readonly namespace: string,
    private readonly log: Logger,
  ) {
    this.lab = new PolicyLab(etcd);
    this.informer = makeInformer<FailoverPolicyObject>(
      kube.config,
      `/apis/${api.group}/${api.version}/namespaces/${namespace}/${api.plural}`,
      () => kube.custom.listNamespacedCustomObject({ ...api, namespace }) as never,
    );
    // One at a time: two quick edits must publish in the order they were made.
    const enqueue = (obj: FailoverPolicyObject) => (this.queue = this.queue.then(() => this.reconcile(obj)).catch((err: unknown) => this.log.error({ err }, 'FailoverPolicy not reconciled')));
    this.informer.on('add', enqueue);
    this.informer.on('update', enqueue);
    this.informer.on('error', (err: unknown) => {
      if ((err as { name?: string } | undefined)?.name === 'AbortError') return;
      this.log.warn({ err }, 'FailoverPolicy watch broke; restarting it');
      setTimeout(() => void this.informer.start().catch(() => undefined), 1_000);
    });
  }

  start(): Promise<void> {
    return this.informer.start();
  }

  async stop(): Promise<void> {
    await this.informer.stop();
    await this.queue;
  }

  private async reconcile(obj: FailoverPolicyObject): Promise<void> {
    const name = obj.metadata?.name ?? '';
    const generation = obj.metadata?.generation ?? 0;
    if (obj.status?.observedGeneration === generation) return;
    const input = { ...obj.spec, name: obj.spec?.name ?? name };
    try {
      // Through the policy lab's gate: with lab.requireSimulation it may be stored in shadow mode, and the condition says why.
      const { policy, gate } = await this.lab.publish(input, Date.now());
      const gated = gate && !gate.enforce ? ` in shadow mode: ${gate.reason}` : '';
      await this.setStatus(name, { appliedVersion: policy.version, observedGeneration: generation }, condition(generation, 'True', 'Published', `published as policy version ${policy.version}${gated}`));
      this.log.info({ event: 'failover-policy-published', name, generation, version: policy.version }, `FailoverPolicy ${name} is policy v${policy.version}`);
    } catch (error) {
      if (!(error instanceof PolicyValidationError)) throw error;
      // The version in force stays; only the condition changes.
      await this.setStatus(name, { appliedVersion: obj.status?.appliedVersion, observedGeneration: generation }, condition(generation, 'False', 'Invalid', error.message));
      this.log.warn({ event: 'failover-policy-invalid', name, generation, issues: error.issues }, `FailoverPolicy ${name} is invalid; nothing changed`);
    }
  }

  private async setStatus(name: string, fields: { appliedVersion: number | undefined; observedGeneration: number }, valid: Condition): Promise<void> {
    await this.kube.custom.patchNamespacedCustomObjectStatus({ ...api, namespace: this.namespace, name, body: { status: { ...fields, conditions: [valid] } } }, MERGE_PATCH);
  }
}

const condition = (generation: number, status: 'True' | 'False', reason: string, message: string): Condition => ({
  type: 'Valid',
  status,
  reason,
  message: message.slice(0, 32_000),
  lastTransitionTime: new Date().toISOString().replace(/\.\d+Z$/, 'Z'),
  observedGeneration: generation,
});
