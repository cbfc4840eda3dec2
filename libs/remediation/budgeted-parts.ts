import { type ControlApiClient, ControlApiError, type MigrateResult, type MigrationTarget } from '#agent';
import { type MigrationBudgetSettings, largestTake } from '#core';
import { type MigrationBudgetUnavailableError } from '#etcd';
import { isUnreachable } from './fleet-access.js';
import { type MigrationBudgetPacer, type PacedBy, budgetBuckets } from './migration-budget-pacer.js';

/** What the batch's activity lends it: its retry attempt, its heartbeating sleep, its heartbeat and its log. */
export interface PartsContext {
  /** A retried activity: parts may already run on the agent, and are joined rather than paid for again. */
  readonly retried: boolean;
  readonly sleep: (ms: number, details: unknown) => Promise<void>;
  readonly heartbeat: (details: unknown) => void;
  readonly warn: (message: string, attributes: Record<string, unknown>) => void;
}

export interface BatchCall {
  readonly batchId: string;
  readonly targets: readonly MigrationTarget[];
  readonly limit: number;
  readonly spreadMs: number;
}

/**
 * Longest a batch waits for tokens in all before it stops starting parts and reports
 * what it moved: the activity's start-to-close timeout is 2 min, and the workflow
 * asks again for whatever is left (rebalance reports the move partial).
 */
export const BUDGET_WAIT_LIMIT_MS = 60_000;

const partId = (batchId: string, index: number): string => (index === 0 ? batchId : `${batchId}/${index}`);

/** The part the agent already runs under this id, if any (a retried activity joins it instead of paying again). */
const knownPart = async (agent: ControlApiClient, id: string): Promise<MigrateResult | undefined> =>
  agent.migration(id).catch((error: unknown) => {
    if (error instanceof ControlApiError && error.status === 404) return undefined;
    throw error;
  });

/**
 * Starts the batch in parts no bigger than any bucket's burst, each paid for from the
 * migration budget before the agent sends its redirects. Every target's bucket is
 * charged for the whole part: the agent may send all of it to any one of them.
 * Answers the parts' first reports; none when the source did not answer at all.
 */
export const migrateInBudgetedParts = async (
  agent: ControlApiClient,
  pacer: MigrationBudgetPacer,
  { batchId, targets, limit, spreadMs }: BatchCall,
  budget: MigrationBudgetSettings,
  context: PartsContext,
): Promise<MigrateResult[]> => {
  const buckets = budgetBuckets(
    targets.map((t) => t.gatewayId),
    budget,
  );
  const partSize = largestTake(
    buckets.map((b) => b.rate),
    limit,
  );
  const waitLimit = Date.now() + BUDGET_WAIT_LIMIT_MS;
  const results: MigrateResult[] = [];
  let pacedBy: PacedBy = 'shared';
  for (let index = 0, left = limit; left > 0 && Date.now() < waitLimit; index++) {
    const id = partId(batchId, index);
    const size = Math.min(partSize, left);
    let result = context.retried ? await knownPart(agent, id) : undefined;
    if (!result) {
      pacedBy = await pacer.take(buckets, size, pacedBy, {
        sleep: (ms, details) => context.sleep(ms, { batchId, part: index, ...(details as object) }),
        onFallback: (error: MigrationBudgetUnavailableError) =>
          context.warn('migration budget unavailable: this batch is paced by the worker alone (other runs may add up on its targets)', { event: 'migration-budget-unavailable', batchId, error: error.message }),
      });
      context.heartbeat({ batchId, part: index, starting: true });
      result = await agent.migrate({ batchId: id, targets: [...targets], limit: size, spreadMs, waitMs: 0 }).catch((error: unknown) => {
        if (isUnreachable(error)) return undefined;
        throw error;
      });
    }
    if (!result) break;
    results.push(result);
    left -= size;
    // Fewer sessions free to move than asked for: the source has nothing more for this batch.
    if (result.sessions.length < size || result.remaining === 0) break;
  }
  return results;
};
