import { type RateLimitSettings } from '../policy/guardrails-policy.js';
import { type RunRecord } from './run-record.js';

/** Outcomes of a run that stopped and says why, for a human to pick up. */
const HUMAN_OUTCOMES = new Set(['needs-human', 'awaiting-approval']);

/** Runs still doing something: open, and not parked waiting for a human (a scenario waits for these to end, and starts only without any). */
export const actingRuns = (runs: readonly RunRecord[]): RunRecord[] =>
  runs.filter((r) => r.status === 'RUNNING' && !(r.outcome !== undefined && HUMAN_OUTCOMES.has(r.outcome)));

/**
 * Every run started during a scenario ended, or is visibly waiting for a human
 * with its reason. Returns what breaks the rule, one line per run.
 */
export const unfinishedRuns = (runs: readonly RunRecord[]): string[] =>
  runs.flatMap((run) => {
    if (run.status === 'RUNNING') {
      if (run.outcome && HUMAN_OUTCOMES.has(run.outcome) && run.outcomeReason) return [];
      return [`${run.workflowId} (${run.type}) still running, outcome ${run.outcome ?? 'unknown'}`];
    }
    if (run.status !== 'COMPLETED') return [`${run.workflowId} (${run.type}) ended ${run.status}`];
    if (run.outcome && HUMAN_OUTCOMES.has(run.outcome) && !run.outcomeReason) return [`${run.workflowId} needs a human but gives no reason`];
    return [];
  });

/** The most acting remediations one gateway may see within the policy's window: one, then one per cooldown. */
export const perGatewayRunBound = (limit: RateLimitSettings): number =>
  limit.perGatewayCooldownMs > 0 ? 1 + Math.floor(limit.windowMs / limit.perGatewayCooldownMs) : limit.maxRemediations;

/** Most events within any window of `windowMs` (sliding), over sorted times. */
export const densestWindow = (times: readonly number[], windowMs: number): number => {
  const sorted = [...times].sort((a, b) => a - b);
  let best = 0;
  let start = 0;
  for (let end = 0; end < sorted.length; end++) {
    while ((sorted[end] ?? 0) - (sorted[start] ?? 0) >= windowMs) start += 1;
    best = Math.max(best, end - start + 1);
  }
  return best;
};

/**
 * No remediation storm: remediations that got past the rate limit (the ones that
 * act) stay within the policy's bounds, per gateway and fleet-wide.
 */
export const remediationStorms = (runs: readonly RunRecord[], limit: RateLimitSettings): string[] => {
  const acting = runs.filter((r) => r.type === 'remediateGateway' && r.passedRateLimit);
  const problems: string[] = [];
  const fleetWide = densestWindow(acting.map((r) => r.startedAt), limit.windowMs);
  if (fleetWide > limit.maxRemediations) problems.push(`${fleetWide} remediations within ${limit.windowMs} ms (policy allows ${limit.maxRemediations})`);
  const bound = perGatewayRunBound(limit);
  const byGateway = new Map<string, number[]>();
  for (const run of acting) byGateway.set(run.gatewayId ?? '?', [...(byGateway.get(run.gatewayId ?? '?') ?? []), run.startedAt]);
  for (const [gatewayId, starts] of byGateway) {
    const densest = densestWindow(starts, limit.windowMs);
    if (densest > bound) problems.push(`${gatewayId}: ${densest} remediations within ${limit.windowMs} ms (bound ${bound})`);
  }
  return problems;
};
