import type { Action } from '../decision/actions.js';
import type { PolicyMode } from '../policy/policy-schema.js';
import type { SkipReason, UnhealthySignal } from './assess-gateway.js';
import type { UnreadableRecord } from './fleet-snapshot.js';

/**
 * What the sweep did about an unhealthy gateway: started a remediation, joined one that
 * was already open, left it for a later sweep (per-sweep cap), or only recorded it
 * (a policy in shadow mode).
 */
export type SweepRemediationOutcome = 'started' | 'joined' | 'deferred' | 'shadow';

export interface UnhealthyGatewayReport {
  readonly gatewayId: string;
  readonly score: number;
  readonly vitalsAgeMs: number;
  readonly signals: readonly UnhealthySignal[];
  readonly actions: readonly Action[];
  /** The `reason` given to (or that would have been given to) the remediation. */
  readonly reason: string;
  readonly remediation: SweepRemediationOutcome;
  /** The remediation's workflow id, `remediate:<gatewayId>`. */
  readonly workflowId: string;
}

/** A sweep run's account of itself: the workflow's result. */
export interface HealthSweepReport {
  readonly policy: { readonly name: string; readonly version: number; readonly mode: PolicyMode };
  readonly readAt: number;
  readonly startedAt: number;
  readonly finishedAt: number;
  readonly durationMs: number;
  /** Registered gateways read from etcd. */
  readonly scanned: number;
  readonly healthy: number;
  readonly skipped: Readonly<Record<SkipReason, number>>;
  /** Most severe first; beyond a bound, unremediated ones are counted in `unlisted` instead. */
  readonly unhealthy: readonly UnhealthyGatewayReport[];
  readonly remediations: { readonly started: number; readonly joined: number; readonly deferred: number };
  /** Absent in reports of v1 sweeps, which listed every unhealthy gateway. */
  readonly unlisted?: { readonly deferred: number; readonly shadow: number };
  /** The first unreadable records; `unreadableTotal` counts them all (absent in v1 reports, which listed all). */
  readonly unreadable: readonly UnreadableRecord[];
  readonly unreadableTotal?: number;
}
