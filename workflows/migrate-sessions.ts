import { ActivityCancellationType, ApplicationFailure, continueAsNew, defineQuery, patched, proxyActivities, proxyLocalActivities, setHandler, workflowInfo } from '@temporalio/workflow';
import { BATCH_CALL_TIMEOUT_MS, type Histogram, type MigrationSettings, type MigrationSummary, emptyHistogram, heartbeatTimeoutMs, histogramPercentile, planRebalance, recordValues } from '#core';
import type { BatchOutcome, FleetGatewayLoad, RemediationActivities } from '#remediation/remediation-activities';
import { migrateSessions as migrateSessionsV1 } from './v1/migrate-sessions.js';
import { isV1History } from './versions.js';

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
  /** Interruption of each moved session, as a fixed-size histogram: the continue-as-new input stays bounded. */
  readonly interruptions: Histogram;
  readonly sessionsAtStart: number | undefined;
}

export const migrationProgressQuery = defineQuery<MigrationProgress>('progress');

const RETRY = { initialInterval: '200ms', backoffCoefficient: 2, maximumInterval: '5s', maximumAttempts: 10 } as const;

// A batch heartbeats before each call to its source and every poll; a dead worker is noticed
// within seconds and the batch retried (joined by id). The timeout outlasts the slowest call made
// between heartbeats (or, by migrationTargets, before any).
const HEARTBEAT_TIMEOUT = heartbeatTimeoutMs(BATCH_CALL_TIMEOUT_MS);

const act = proxyActivities<RemediationActivities>({ startToCloseTimeout: '2m', heartbeatTimeout: HEARTBEAT_TIMEOUT, retry: RETRY });

/**
 * Each round's look at the source and the targets is a short read: runs since `local-follow-up`
 * make it a local activity (no trip through the server's task queues, see
 * ./remediation/activities.ts), bounded as the scheduled one was by the heartbeat timeout.
 */
const local = proxyLocalActivities<RemediationActivities>({ startToCloseTimeout: HEARTBEAT_TIMEOUT, retry: RETRY });
const roundLook = (): typeof act => (patched('local-follow-up') ? local : act);

// A cancelled migration waits for its batch to stop (the batch's sleeps and agent calls end on cancellation).
const batches = proxyActivities<RemediationActivities>({
  startToCloseTimeout: '2m',
  heartbeatTimeout: HEARTBEAT_TIMEOUT,
  cancellationType: ActivityCancellationType.WAIT_CANCELLATION_COMPLETED,
  retry: RETRY,
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
  if (isV1History()) return migrateSessionsV1(input as unknown as Parameters<typeof migrateSessionsV1>[0]);
  const { gatewayId, settings } = input;
  let progress = progressFrom(input.progress);
  setHandler(migrationProgressQuery, () => progress);
  let stalled = 0;
  let delayMs = 0;
  for (let inThisRun = 0; ; inThisRun++) {
    if (inThisRun >= BATCHES_PER_RUN || workflowInfo().continueAsNewSuggested) {
      return continueAsNew<typeof migrateSessions>({ ...input, progress });
    }
    const { sourceSessions, sourceReachable, targets } = await roundLook().migrationTargets({ gatewayId });
    // Not answering is not empty: what is left there is unknown, and the parent run must empty it another way.
    if (sourceReachable === false) return finish(progress, undefined);
    if (sourceSessions === undefined || sourceSessions === 0) return finish(progress, 0);
    progress = { ...progress, sessionsAtStart: progress.sessionsAtStart ?? sourceSessions };
    if (targets.length === 0) throw ApplicationFailure.nonRetryable(`no serving gateway can take the sessions of ${gatewayId}`, 'NoTargets');
    const shares = shareOut(Math.min(settings.batchSize, sourceSessions), targets, settings);
    // No room anywhere within the headroom: stop rather than overfill a target.
    if (shares.length === 0) return finish(progress, sourceSessions);
    const batchOf = (target: FleetGatewayLoad, count: number, delay: number) => ({
      gatewayId,
      delayMs: delay,
      batchId: `${workflowInfo().workflowId}#${progress.batches}:${target.gatewayId}`,
      targets: [{ gatewayId: target.gatewayId, address: target.address }],
      limit: count,
      spreadMs: settings.spreadMs,
      waitMs: settings.batchWaitMs,
    });
    let movedThisRound = 0;
    let remaining = sourceSessions;
    if (patched('parallel-target-batches')) {
      // Every target's part of the round at once: the agent never puts one session in two unsettled
      // batches, and the fleet-wide budget paces the sum. One after the other, a round took as long
      // as all its targets' batches together.
      const outcomes = await Promise.all(shares.map(({ target, count }) => batches.migrateBatch(batchOf(target, count, delayMs))));
      for (const outcome of outcomes) {
        progress = record(progress, outcome);
        movedThisRound += outcome.moved + outcome.gone;
      }
      remaining = Math.min(...outcomes.map((o) => o.remaining));
      if (outcomes.some((o) => o.sourceGone)) return finish(progress, 0);
      if (outcomes.some((o) => o.sourceUnreachable)) return finish(progress, undefined);
    } else {
      for (const [i, { target, count }] of shares.entries()) {
        const outcome = await batches.migrateBatch(batchOf(target, count, i === 0 ? delayMs : 0));
        progress = record(progress, outcome);
        movedThisRound += outcome.moved + outcome.gone;
        remaining = outcome.remaining;
        if (outcome.sourceGone) return finish(progress, 0);
        if (outcome.sourceUnreachable) return finish(progress, undefined);
      }
    }
    progress = { ...progress, batches: progress.batches + 1 };
    if (remaining === 0) return finish(progress, 0);
    stalled = movedThisRound > 0 ? 0 : stalled + 1;
    if (stalled >= MAX_STALLED_BATCHES) return finish(progress, remaining);
    // The pause runs at the start of the next batch's activity: durable timers fire on a ~1 s
    // granularity. Math.random is deterministic inside a workflow, so the jitter replays.
    delayMs = settings.pauseMs + Math.round(Math.random() * settings.pauseMs * settings.jitterFraction);
  }
}

/**
 * Where the previous run left off. A v1 run that continued as new hands over its
 * interruptions as an array (its new run is live code): fold it into the histogram.
 */
const progressFrom = (carried: (MigrationProgress & { readonly interruptionsMs?: readonly number[] }) | undefined): MigrationProgress => {
  if (!carried) return { batches: 0, moved: 0, refused: 0, gone: 0, movedTo: {}, interruptions: emptyHistogram(), sessionsAtStart: undefined };
  const { interruptionsMs, ...progress } = carried;
  return { ...progress, interruptions: progress.interruptions ?? recordValues(emptyHistogram(), interruptionsMs ?? []) };
};

const record = (progress: MigrationProgress, outcome: BatchOutcome): MigrationProgress => {
  const movedTo = { ...progress.movedTo };
  for (const [target, count] of Object.entries(outcome.movedTo)) movedTo[target] = (movedTo[target] ?? 0) + count;
  return {
    ...progress,
    moved: progress.moved + outcome.moved,
    refused: progress.refused + outcome.refused,
    gone: progress.gone + outcome.gone,
    movedTo,
    interruptions: recordValues(progress.interruptions, outcome.interruptionsMs),
  };
};

/**
 * How many of this batch's sessions each target takes: the pure planner
 * spreads them by free capacity and keeps every target's headroom. The
 * sessions are counted, not named: the agent picks which ones leave.
 */
const shareOut = (count: number, targets: readonly FleetGatewayLoad[], settings: MigrationSettings) => {
  const plan = planRebalance({
    sessionIds: Array.from({ length: count }, (_, i) => `slot-${i}`),
    // Serving targets count as healthy here: judging their health is the detector's and the sweep's job.
    targets: targets.map(({ gatewayId, capacity, connections, zone }) => ({ gatewayId, capacity, connections, zone, healthScore: 100 })),
    policy: { headroomFraction: settings.headroomFraction, batchSize: count, pauseBetweenBatchesMs: 0, jitterFraction: 0, minTargetHealthScore: 0 },
    jitterSeed: 0,
  });
  const counts = new Map<string, number>();
  for (const { targetGatewayId } of plan.batches.flatMap((b) => b.assignments)) counts.set(targetGatewayId, (counts.get(targetGatewayId) ?? 0) + 1);
  return targets.flatMap((target) => {
    const share = counts.get(target.gatewayId) ?? 0;
    return share > 0 ? [{ target, count: share }] : [];
  });
};

/** `remaining` undefined: the source stopped answering, so nobody knows how many are left on it. */
const finish = (progress: MigrationProgress, remaining: number | undefined): MigrationSummary => {
  const { interruptions } = progress;
  const sessions = progress.sessionsAtStart ?? 0;
  const unconfirmed = remaining === 0 ? Math.max(0, sessions - progress.moved - progress.gone) : 0;
  return {
    sessions,
    moved: progress.moved,
    remaining: remaining ?? Math.max(0, sessions - progress.moved - progress.gone),
    ...(unconfirmed > 0 ? { leftUnconfirmed: unconfirmed } : {}),
    ...(remaining === undefined ? { sourceUnreachable: true, note: 'the source stopped answering: what is left on it is unknown (remaining is an estimate)' } : {}),
    targets: Object.keys(progress.movedTo).sort(),
    movedTo: progress.movedTo,
    gone: progress.gone,
    refused: progress.refused,
    batches: progress.batches,
    ...(interruptions.n > 0 ? { interruptionMs: { p50: histogramPercentile(interruptions, 50), p99: histogramPercentile(interruptions, 99) } } : {}),
  };
};
