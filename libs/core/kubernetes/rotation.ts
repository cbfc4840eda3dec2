/**
 * The actuator in K8s mode: the gateways' Service selects `homeostat.io/rotation=in`, so
 * setting `out` makes Kubernetes drop the pod from the Service's EndpointSlices.
 */
export const ROTATION_LABEL = 'homeostat.io/rotation';

export const ROTATIONS = ['in', 'out'] as const;

export type Rotation = (typeof ROTATIONS)[number];

/** Who changed the rotation last, for `kubectl describe pod`. */
export const ROTATION_WORKFLOW_ANNOTATION = 'homeostat.io/workflow-id';
export const ROTATION_LINK_ANNOTATION = 'homeostat.io/temporal-ui';
export const ROTATION_REASON_ANNOTATION = 'homeostat.io/rotation-reason';

/** The gateways Homeostat manages, unless K8S_GATEWAY_SELECTOR says otherwise. */
export const DEFAULT_GATEWAY_SELECTOR = 'app.kubernetes.io/component=push-gateway';

/** A pod may run a gateway whose id differs from the pod name; this label says which. */
export const GATEWAY_ID_LABEL = 'homeostat.io/gateway-id';

/** The pod's merge patch for a rotation change: labels and annotations only, so re-applying it is a no-op. */
export const rotationPatch = (rotation: Rotation, by: { workflowId: string; link: string; reason: string }) => ({
  metadata: {
    labels: { [ROTATION_LABEL]: rotation },
    annotations: {
      [ROTATION_WORKFLOW_ANNOTATION]: by.workflowId,
      [ROTATION_LINK_ANNOTATION]: by.link,
      [ROTATION_REASON_ANNOTATION]: by.reason.slice(0, 256),
    },
  },
});
