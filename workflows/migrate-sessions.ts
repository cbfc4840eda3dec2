import { ApplicationFailure, continueAsNew, defineQuery, proxyActivities, setHandler, workflowInfo } from '@temporalio/workflow';
import { type MigrationSettings, type MigrationSummary, summarise } from '#core';
import type { BatchOutcome, RemediationActivities } from '#remediation/remediation-activities';

export interface MigrateSessionsInput {
  readonly gatewayId: string;
  readonly settings: MigrationSettings;
  /** Carried across continue-as-new. */
  readonly progress?: MigrationProgress;
}

export interface MigrationProgress {
  readonly batches: number;
  readonly moved: number;
  readonly refused: number;
  readonly gone: number;
  readonly movedTo: Record<string, number>;
  readonly interruptionsMs: number[];
  readonly sessionsAtStart: number | undefined;
}

export const migrationProgressQuery = defineQuery<MigrationProgress>('progress');

const act = proxyActivities<RemediationActivities>({
  startToCloseTimeout: '2m',
  // A batch heartbeats every poll; a dead worker is noticed in seconds and the batch retried (joined by id).
  heartbeatTimeout: '3s',
  retry: { initialInterval: '200ms', backoffCoefficient: 2, maximumInterval: '5s', maximumAttempts: 10 },
});

/** History stays small: a fresh run well before Temporal's limits. */
const BATCHES_PER_RUN = 100;

/** Batches in a row that moved nobody before the migration gives up (targets full, clients stuck). */
const MAX_STALLED_BATCHES = 5;

/**
 * Moves every session off a gateway in paced batches, one heartbeating activity
 * per batch. Batch ids are derived from the workflow id and batch number, so a
 * retried batch joins the one the agent already runs: nothing is moved twice.
 */
export async function migrateSessions(input: MigrateSessionsInput): Promise<MigrationSummary> {
  const { gatewayId, settings } = input;
  let progress: MigrationProgress = input.progress ?? { batches: 0, moved: 0, refused: 0, gone: 0, movedTo: {}, interruptionsMs: [], sessionsAtStart: undefined };
  setHandler(migrationProgressQuery, () => progress);
  let stalled = 0;
  let delayMs = 0;
  for (let inThisRun = 0; ; inThisRun++) {
    if (inThisRun >= BATCHES_PER_RUN || workflowInfo().continueAsNewSuggested) {
      return continueAsNew<typeof migrateSessions>({ ...input, progress });
    }
    const targets = await act.migrationTargets({ gatewayId });
    if (targets.length === 0) throw ApplicationFailure.nonRetryable(`no serving gateway can take the sessions of ${gatewayId}`, 'NoTargets');
    const outcome = await act.migrateBatch({
      gatewayId,
      delayMs,
      batchId: `${workflowInfo().workflowId}#${progress.batches}`,
      targets,
      limit: settings.batchSize,
      spreadMs: settings.spreadMs,
      waitMs: settings.batchWaitMs,
    });
    progress = record(progress, outcome);
    if (outcome.sourceGone || outcome.remaining === 0) return finish(progress, outcome.remaining);
    stalled = outcome.moved + outcome.gone > 0 ? 0 : stalled + 1;
    if (stalled >= MAX_STALLED_BATCHES) return finish(progress, outcome.remaining);
    // The pause runs at the start of the next batch's activity: durable timers fire on a ~1 s
    // granularity. Math.random is deterministic inside a workflow, so the jitter replays.
    delayMs = settings.pauseMs + Math.round(Math.random() * settings.pauseMs * settings.jitterFraction);
  }
}

const record = (progress: MigrationProgress, outcome: BatchOutcome): MigrationProgress => {
  const movedTo = { ...progress.movedTo };
  for (const [target, count] of Object.entries(outcome.movedTo)) movedTo[target] = (movedTo[target] ?? 0) + count;
  return {
    batches: progress.batches + 1,
    moved: progress.moved + outcome.moved,
    refused: progress.refused + outcome.refused,
    gone: progress.gone + outcome.gone,
    movedTo,
    interruptionsMs: [...progress.interruptionsMs, ...outcome.interruptionsMs],
    sessionsAtStart: progress.sessionsAtStart ?? outcome.remaining + outcome.moved + outcome.gone + outcome.pending,
  };
};

const finish = (progress: MigrationProgress, remaining: number): MigrationSummary => {
  const { p50, p99 } = summarise(progress.interruptionsMs);
  return {
    sessions: progress.sessionsAtStart ?? 0,
    moved: progress.moved,
    remaining,
    targets: Object.keys(progress.movedTo).sort(),
    movedTo: progress.movedTo,
    gone: progress.gone,
    refused: progress.refused,
    batches: progress.batches,
    ...(progress.interruptionsMs.length > 0 ? { interruptionMs: { p50, p99 } } : {}),
  };
};
