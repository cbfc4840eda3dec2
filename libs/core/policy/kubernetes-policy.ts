import { z } from 'zod';

/** How Kubernetes facts become findings (K8s mode only; ignored otherwise). */
export const KubernetesPolicySchema = z.strictObject({
  /** A pod that was Ready and has been unready this long is `podNotReady`. */
  notReadyAfterMs: z.int().positive().max(600_000).default(2_000),
  /** A pod whose containers restarted this many times (in total) is `podRestarting`. */
  restartsToFlag: z.int().positive().max(1_000).default(3),
  /** New Ready pods within this quiet period share one rebalance. */
  rebalanceDebounceMs: z.int().min(0).max(600_000).default(2_000),
});

export type KubernetesPolicy = z.output<typeof KubernetesPolicySchema>;
