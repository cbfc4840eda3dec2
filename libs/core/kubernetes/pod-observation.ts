/**
 * What the K8s controller reads off a gateway Pod and its Node: plain data, so the
 * mapping to findings is pure and tested without an API server.
 */
export interface PodObservation {
  readonly uid: string;
  readonly name: string;
  readonly namespace: string;
  /** The gateway the pod runs (pod name unless a label says otherwise). */
  readonly gatewayId: string;
  readonly nodeName: string | undefined;
  /** The pod's Ready condition is True. */
  readonly ready: boolean;
  /** When the Ready condition last changed (ms since epoch), if known. */
  readonly readyChangedAtMs: number | undefined;
  /** Container restarts, summed over the pod's containers. */
  readonly restarts: number;
  /** The pod has a deletionTimestamp: Kubernetes is stopping it. */
  readonly terminating: boolean;
  readonly terminationGracePeriodSeconds: number;
}

/** A node's Ready condition as the node lifecycle controller keeps it. */
export type NodeReadiness = 'True' | 'False' | 'Unknown';

export interface NodeObservation {
  readonly name: string;
  readonly ready: NodeReadiness;
}

/** The Kubernetes predicates of the decision tree. */
export const K8S_FINDINGS = ['podNotReady', 'podRestarting', 'podTerminating', 'nodeLost'] as const;

export type K8sFinding = (typeof K8S_FINDINGS)[number];
