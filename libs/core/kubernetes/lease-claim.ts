/** A leader Lease as the elector reads it (coordination.k8s.io/v1, or any lease-like record). */
export interface LeaseView {
  readonly holder: string | undefined;
  readonly renewedAtMs: number | undefined;
  readonly durationMs: number;
}

export type LeaseMove = 'renew' | 'take' | 'wait';

/**
 * What a candidate does with the Lease it read: renew it if it holds it, take it when it
 * is free or its holder stopped renewing for longer than its duration, else wait.
 * Writes go with the resourceVersion read, so two candidates never both win a take.
 */
export const leaseMove = (lease: LeaseView, me: string, nowMs: number): LeaseMove => {
  if (lease.holder === me) return 'renew';
  if (!lease.holder || lease.renewedAtMs === undefined) return 'take';
  return nowMs - lease.renewedAtMs > lease.durationMs ? 'take' : 'wait';
};
