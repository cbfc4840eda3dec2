import { type V1Pod } from '@kubernetes/client-node';
import { GATEWAY_ID_LABEL } from '#core';
import { type KubeClients, isNotFound } from './kube-client.js';

export interface PodRef {
  readonly namespace: string;
  readonly name: string;
  readonly uid: string | undefined;
}

/** A gateway's id: its `homeostat.io/gateway-id` label, else the pod's name. */
export const gatewayIdOfPod = (pod: V1Pod): string => pod.metadata?.labels?.[GATEWAY_ID_LABEL] ?? pod.metadata?.name ?? '';

/**
 * Finds the pod that runs a gateway in the managed namespaces: by name first (the
 * default: pod name = gateway id), else by the gateway-id label. Undefined when there
 * is none (an embedded gateway, or a pod already deleted): nothing to label then.
 */
export class GatewayPods {
  constructor(
    private readonly kube: KubeClients,
    private readonly namespaces: readonly string[],
  ) {}

  async find(gatewayId: string): Promise<V1Pod | undefined> {
    for (const namespace of this.namespaces) {
      const byName = await this.kube.core.readNamespacedPod({ name: gatewayId, namespace }).catch((error: unknown) => {
        if (isNotFound(error)) return undefined;
        throw error;
      });
      if (byName && gatewayIdOfPod(byName) === gatewayId) return byName;
      const labelled = await this.kube.core.listNamespacedPod({ namespace, labelSelector: `${GATEWAY_ID_LABEL}=${gatewayId}`, limit: 1 });
      if (labelled.items[0]) return labelled.items[0];
    }
    return undefined;
  }
}

export const podRef = (pod: V1Pod): PodRef => ({ namespace: pod.metadata?.namespace ?? 'default', name: pod.metadata?.name ?? '', uid: pod.metadata?.uid });
