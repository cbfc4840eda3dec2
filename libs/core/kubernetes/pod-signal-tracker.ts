import { type KubernetesPolicy } from '../policy/kubernetes-policy.js';
import { podFindings } from './pod-findings.js';
import { type K8sFinding, type NodeObservation, type PodObservation } from './pod-observation.js';

export interface PodVerdict {
  /** Every Kubernetes predicate that holds now (the run's findings). */
  readonly findings: readonly K8sFinding[];
  /** Findings that did not hold at the previous look: each is worth one remediation trigger. */
  readonly fresh: readonly K8sFinding[];
  /** The pod turned Ready after the initial listing (a scale-out or a replacement pod). */
  readonly becameReady: boolean;
}

/**
 * Remembers, per pod uid, what held at the last look, so a finding triggers once when
 * it appears rather than on every informer event, and a pod's first Ready is told apart
 * from the pods that were already there. Pure: time comes in as an argument.
 */
export class PodSignalTracker {
  private readonly held = new Map<string, ReadonlySet<K8sFinding>>();
  private readonly seenReady = new Set<string>();

  constructor(private readonly policy: () => KubernetesPolicy) {}

  /**
   * `initial` marks pods of the first listing: already serving, so never "new". Their
   * findings still count as fresh: a new leader must drain a pod already terminating
   * (workflow ids make a trigger the old leader sent too join the same run).
   */
  observe(pod: PodObservation, node: NodeObservation | undefined, nowMs: number, initial = false): PodVerdict {
    const wasReady = this.seenReady.has(pod.uid);
    const findings = podFindings(pod, node, this.policy(), { nowMs, wasReady });
    const before = this.held.get(pod.uid) ?? new Set<K8sFinding>();
    this.held.set(pod.uid, new Set(findings));
    if (pod.ready) this.seenReady.add(pod.uid);
    return {
      findings,
      fresh: findings.filter((f) => !before.has(f)),
      becameReady: !initial && pod.ready && !wasReady && !pod.terminating,
    };
  }

  /** The pod is gone from the API: forget it. */
  forget(uid: string): void {
    this.held.delete(uid);
    this.seenReady.delete(uid);
  }
}
