import { type Milestone, type Rotation } from '#core';
import { type PodActuator, type RunRef } from '#remediation';
import { GatewayPods, type PodRef, podRef } from './gateway-pods.js';
import { type KubeClients } from './kube-client.js';
import { PodEvents } from './pod-events.js';
import { setPodRotation } from './pod-rotation.js';

/**
 * The gateway activities' hands in K8s mode: the rotation label and the milestone
 * Events on the gateway's pod. A gateway without a pod (gone, or not on Kubernetes)
 * is skipped: etcd and the agent stay the truth, the pod only mirrors it.
 */
export class KubePodActuator implements PodActuator {
  private readonly pods: GatewayPods;
  private readonly events: PodEvents;
  /** The last pod seen per gateway: a run's last Events still land on a pod deleted meanwhile. */
  private readonly lastSeen = new Map<string, PodRef>();

  constructor(
    private readonly kube: KubeClients,
    namespaces: readonly string[],
    reportingInstance: string,
  ) {
    this.pods = new GatewayPods(kube, namespaces);
    this.events = new PodEvents(kube, reportingInstance);
  }

  async setRotation(gatewayId: string, rotation: Rotation, run: RunRef, reason: string): Promise<void> {
    const pod = await this.find(gatewayId);
    if (pod) await setPodRotation(this.kube, pod, rotation, { workflowId: run.workflowId, link: run.link, reason });
  }

  async milestone(gatewayId: string, milestone: Milestone, what: string, run: RunRef): Promise<void> {
    // An Event may name a pod that is gone (a drained pod has exited by the time the run ends).
    const pod = (await this.find(gatewayId)) ?? this.lastSeen.get(gatewayId);
    if (pod) await this.events.record(pod, { milestone, what, ...run });
  }

  private async find(gatewayId: string): Promise<PodRef | undefined> {
    const pod = await this.pods.find(gatewayId);
    if (!pod) return undefined;
    const ref = podRef(pod);
    this.lastSeen.set(gatewayId, ref);
    return ref;
  }
}
