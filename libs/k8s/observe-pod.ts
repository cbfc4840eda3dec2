import { type V1Node, type V1Pod } from '@kubernetes/client-node';
import { type NodeObservation, type NodeReadiness, type PodObservation } from '#core';
import { gatewayIdOfPod } from './gateway-pods.js';

const readyCondition = (pod: V1Pod) => pod.status?.conditions?.find((c) => c.type === 'Ready');

/** A Pod object as the pure signal tracker sees it. */
export const observePod = (pod: V1Pod): PodObservation => {
  const ready = readyCondition(pod);
  const changedAt = ready?.lastTransitionTime ?? pod.metadata?.creationTimestamp;
  return {
    uid: pod.metadata?.uid ?? '',
    name: pod.metadata?.name ?? '',
    namespace: pod.metadata?.namespace ?? '',
    gatewayId: gatewayIdOfPod(pod),
    nodeName: pod.spec?.nodeName,
    ready: ready?.status === 'True',
    readyChangedAtMs: changedAt ? new Date(changedAt).getTime() : undefined,
    restarts: (pod.status?.containerStatuses ?? []).reduce((sum, c) => sum + (c.restartCount ?? 0), 0),
    terminating: pod.metadata?.deletionTimestamp != null,
    terminationGracePeriodSeconds: pod.spec?.terminationGracePeriodSeconds ?? 30,
  };
};

export const observeNode = (node: V1Node): NodeObservation => {
  const status = node.status?.conditions?.find((c) => c.type === 'Ready')?.status;
  const ready: NodeReadiness = status === 'True' || status === 'False' ? status : 'Unknown';
  return { name: node.metadata?.name ?? '', ready };
};
