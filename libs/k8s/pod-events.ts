import { createHash } from 'node:crypto';
import { V1MicroTime } from '@kubernetes/client-node';
import { MILESTONES, type Milestone, milestoneEventKey, milestoneNote } from '#core';
import { type PodRef } from './gateway-pods.js';
import { type KubeClients, isConflict } from './kube-client.js';

export const REPORTING_CONTROLLER = 'homeostat.io/remediation';

export interface MilestoneEvent {
  readonly milestone: Milestone;
  /** What happened, in a sentence. */
  readonly what: string;
  readonly workflowId: string;
  readonly runId: string;
  readonly link: string;
}

/**
 * `events.k8s.io/v1` Events on the gateway's pod, so `kubectl describe pod` tells the
 * story of each remediation (and of a storm it was a suspect of). The Event's name is
 * derived from the run and milestone (`milestoneEventKey`): an activity retried by Temporal
 * writes the same Event again and gets 409, not a twin.
 */
export class PodEvents {
  constructor(
    private readonly kube: KubeClients,
    private readonly reportingInstance: string,
  ) {}

  async record(pod: PodRef, event: MilestoneEvent): Promise<void> {
    const { reason, type, action } = MILESTONES[event.milestone];
    const key = createHash('sha256').update(milestoneEventKey(event.milestone, event.workflowId, event.runId)).digest('hex').slice(0, 16);
    try {
      await this.kube.events.createNamespacedEvent({
        namespace: pod.namespace,
        body: {
          metadata: { name: `${pod.name}.${key}`, namespace: pod.namespace, labels: { 'homeostat.io/milestone': event.milestone } },
          eventTime: new V1MicroTime(),
          reportingController: REPORTING_CONTROLLER,
          reportingInstance: this.reportingInstance.slice(0, 128),
          action,
          reason,
          type,
          note: milestoneNote(event.what, event.link),
          regarding: { apiVersion: 'v1', kind: 'Pod', namespace: pod.namespace, name: pod.name, ...(pod.uid ? { uid: pod.uid } : {}) },
        },
      });
    } catch (error) {
      if (!isConflict(error)) throw error;
    }
  }
}
