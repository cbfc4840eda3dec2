import { type Rotation, rotationPatch } from '#core';
import { type PodRef } from './gateway-pods.js';
import { type KubeClients, isNotFound } from './kube-client.js';
import { MERGE_PATCH } from './merge-patch.js';

/**
 * Puts a pod in or out of rotation: a merge patch of one label (the gateways' Service
 * selects `homeostat.io/rotation=in`) and the annotations naming the run. Applying the
 * same patch twice changes nothing, so Temporal may retry it freely.
 */
export const setPodRotation = async (
  kube: KubeClients,
  pod: PodRef,
  rotation: Rotation,
  by: { workflowId: string; link: string; reason: string },
): Promise<boolean> => {
  try {
    await kube.core.patchNamespacedPod({ name: pod.name, namespace: pod.namespace, body: rotationPatch(rotation, by) }, MERGE_PATCH);
    return true;
  } catch (error) {
    // Deleted meanwhile: a pod that is gone is out of every EndpointSlice anyway.
    if (isNotFound(error)) return false;
    throw error;
  }
};
