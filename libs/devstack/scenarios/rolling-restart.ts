import { type Client } from '@temporalio/client';
import { type RemediationReport, remediationWorkflowId } from '#core';
import { type K8sEnv, serviceEndpoints } from '../kube-env.js';
import { waitUntil } from '../wait-until.js';
import { runStartedSince } from './run-after.js';

/** One old pod replaced: what its deletion set off, every time measured. */
export interface PodReplacement {
  readonly pod: string;
  readonly replacement: string;
  readonly deletedAt: number;
  /** When the old pod's gateway process exited, and how (0 after a completed drain). */
  readonly exitedAt: number;
  readonly exit: { readonly code: number | null; readonly signal: NodeJS.Signals | null };
  readonly workflowId: string;
  readonly runId: string;
  readonly report: RemediationReport;
}

/**
 * A rolling restart as a Deployment with maxSurge 1 / maxUnavailable 0 does it: for each
 * old pod, a replacement comes up and joins the Service, then the old pod is deleted and
 * the Kubernetes trigger's drain hot-migrates its sessions before the pod exits. (The
 * harness plays the ReplicaSet controller; the LocalKubelet runs the pods.)
 */
export const rollingRestart = async (env: K8sEnv, temporal: Client, pods: readonly string[], { graceSeconds = 25 } = {}): Promise<PodReplacement[]> => {
  const replaced: PodReplacement[] = [];
  for (const pod of pods) {
    const replacement = `${pod}-b`;
    await env.kubelet.runPod(replacement, { graceSeconds });
    await waitUntil(`${replacement} behind the Service`, async () => (await serviceEndpoints(env.kube)).includes(replacement), { timeoutMs: 20_000 });
    const exited = env.fleet.gateway(pod).app.process.exited.then((exit) => ({ exit, at: Date.now() }));
    const deletedAt = Date.now();
    await env.kube.core.deleteNamespacedPod({ name: pod, namespace: env.kubelet.namespace });
    const workflowId = remediationWorkflowId(pod);
    const run = await runStartedSince(temporal, workflowId, deletedAt, `the drain of ${pod} started`, 30_000);
    const report = (await temporal.workflow.getHandle(workflowId, run.runId).result()) as RemediationReport;
    const { exit, at } = await exited;
    replaced.push({ pod, replacement, deletedAt, exitedAt: at, exit, workflowId, runId: run.runId, report });
  }
  return replaced;
};
