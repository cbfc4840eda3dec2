import { type RateLimitSettings } from '../policy/index.js';

export interface RemediationRecord {
  readonly gatewayId: string;
  readonly workflowId: string;
  readonly runId: string;
  readonly startedAt: number;
  /** The authenticated caller who asked for the run; absent for automatic runs (detector, lease watcher, sweep). */
  readonly requestedBy?: string;
}

export type RateLimitVerdict = { readonly allowed: true } | { readonly allowed: false; readonly reason: string; readonly retryAtMs: number };

/**
 * Fleet-wide: at most `maxRemediations` acting runs within `windowMs`. A storm of
 * failures is more often the network or the control plane than every gateway at once.
 */
export const checkRateLimit = (history: readonly RemediationRecord[], runId: string, now: number, limit: RateLimitSettings): RateLimitVerdict => {
  const recent = history.filter((r) => r.runId !== runId && r.startedAt > now - limit.windowMs).sort((a, b) => a.startedAt - b.startedAt);
  if (recent.length < limit.maxRemediations) return { allowed: true };
  const oldest = recent[recent.length - limit.maxRemediations] as RemediationRecord;
  return {
    allowed: false,
    reason: `${recent.length} remediations acted in the last ${limit.windowMs} ms (limit ${limit.maxRemediations})`,
    retryAtMs: oldest.startedAt + limit.windowMs,
  };
};
