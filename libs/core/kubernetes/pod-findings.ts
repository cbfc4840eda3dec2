import { type KubernetesPolicy } from '../policy/kubernetes-policy.js';
import { type K8sFinding, type NodeObservation, type PodObservation } from './pod-observation.js';

/**
 * The Kubernetes predicates that hold for a pod now. `wasReady` says whether the pod
 * has ever been seen Ready: a pod still starting up is not unready, merely new.
 */
export const podFindings = (
  pod: PodObservation,
  node: NodeObservation | undefined,
  policy: KubernetesPolicy,
  { nowMs, wasReady }: { readonly nowMs: number; readonly wasReady: boolean },
): K8sFinding[] => {
  const unreadyForMs = pod.readyChangedAtMs === undefined ? 0 : nowMs - pod.readyChangedAtMs;
  const holds: Record<K8sFinding, boolean> = {
    podTerminating: pod.terminating,
    // A terminating pod is unready on purpose; that is podTerminating's story, not this one.
    podNotReady: !pod.terminating && wasReady && !pod.ready && unreadyForMs >= policy.notReadyAfterMs,
    podRestarting: pod.restarts >= policy.restartsToFlag,
    // The node lifecycle controller turns Ready Unknown when the kubelet stops renewing its Lease.
    nodeLost: node !== undefined && node.ready !== 'True' && pod.nodeName === node.name,
  };
  return (Object.keys(holds) as K8sFinding[]).filter((f) => holds[f]);
};

/** A one-line reason for a remediation request, naming what Kubernetes said. */
export const describeFindings = (pod: PodObservation, findings: readonly K8sFinding[]): string =>
  `kubernetes: pod ${pod.namespace}/${pod.name} ${findings.join(', ')}` +
  (pod.terminating ? ` (grace ${pod.terminationGracePeriodSeconds} s)` : '') +
  (pod.nodeName ? ` on node ${pod.nodeName}` : '');
