import { defineQuery, patched, proxyActivities, setHandler, workflowInfo } from '@temporalio/workflow';
import { BATCH_CALL_TIMEOUT_MS, FLEET_REBALANCE_CLAIM, type FleetRebalancePlan, heartbeatTimeoutMs, planFleetRebalance } from '#core';
import type { RemediationActivities } from '#remediation/remediation-activities';
import { claimOperation, releaseOperation } from './remediation/operation-claim.js';
import { rebalanceFleet as rebalanceFleetV1 } from './v1/rebalance-fleet.js';
import { isV1History } from './versions.js';

export interface RebalanceRequest {
  readonly reason: string;
  /** Relative tolerance around the mean utilisation (0.1: every gateway within ±10 % of it). */
  readonly tolerance?: number;
}

export interface RebalanceReport {
  readonly reason: string;
  plan?: Pick<FleetRebalancePlan, 'meanUtilisation' | 'balancedBefore' | 'balancedAfter' | 'sessionsToMove' | 'moves'> & { summary: string };
  readonly moved: { from: string; to: string; planned: number; moved: number; refused: number }[];
  outcome: 'running' | 'balanced' | 'already-balanced' | 'partial' | 'busy';
  /** Another rebalance held the fleet first: which one, and how long this one waited for it. */
  waitedFor?: string;
  waitedMs?: number;
}

export const rebalanceReportQuery = defineQuery<RebalanceReport>('report');

const RETRY = { initialInterval: '200ms', backoffCoefficient: 2, maximumInterval: '5s', maximumAttempts: 10 } as const;

/** A dead worker is noticed in seconds; the timeout outlasts the slowest call made before a heartbeat (a batch's call to its source). */
const act = proxyActivities<RemediationActivities>({ startToCloseTimeout: '2m', heartbeatTimeout: heartbeatTimeoutMs(BATCH_CALL_TIMEOUT_MS), retry: RETRY });

/**
 * Rebalances take turns on one fleet-wide operation claim (FLEET_REBALANCE_CLAIM): two that
 * overlap (two restores finishing together, a scale-out during a restore) would plan from the
 * same snapshot and both move sessions off the same gateway. The next one plans from the fleet
 * the first left.
 */
const REBALANCE_WAIT_MS = 600_000;

/**
 * Evens connections across serving gateways after a recovery or a scale-out:
 * a pure plan (capacity-weighted, headroom kept, paced and jittered batches),
 * carried out with the same idempotent batch activity as a migration.
 */
export async function rebalanceFleet(request: RebalanceRequest): Promise<RebalanceReport> {
  if (isV1History()) return rebalanceFleetV1(request);
  const report: RebalanceReport = { reason: request.reason, moved: [], outcome: 'running' };
  setHandler(rebalanceReportQuery, () => report);
  // Runs recorded before rebalances took turns replay without the claim.
  if (!patched('serialized-rebalance')) return rebalance(report, request);
  const claim = await claimOperation(FLEET_REBALANCE_CLAIM, 'rebalance', REBALANCE_WAIT_MS);
  if (!claim.acquired) {
    Object.assign(report, { outcome: 'busy', waitedFor: claim.heldBy, waitedMs: claim.waitedMs });
    return report;
  }
  if (claim.waitedFor) Object.assign(report, { waitedFor: claim.waitedFor, waitedMs: claim.waitedMs });
  try {
    return await rebalance(report, request);
  } finally {
    await releaseOperation(FLEET_REBALANCE_CLAIM);
  }
}

async function rebalance(report: RebalanceReport, request: RebalanceRequest): Promise<RebalanceReport> {
  const [{ policy }, gateways] = await Promise.all([act.loadPolicy(), act.fleetLoad()]);
  const plan = planFleetRebalance({
    gateways,
    tolerance: request.tolerance ?? 0.1,
    policy: { headroomFraction: 0.1, batchSize: policy.migration.batchSize, pauseBetweenBatchesMs: policy.migration.pauseMs, jitterFraction: policy.migration.jitterFraction },
    // Workflow randomness is seeded per run and replays identically.
    jitterSeed: Math.floor(Math.random() * 2 ** 31),
  });
  const { meanUtilisation, balancedBefore, balancedAfter, sessionsToMove, moves } = plan;
  report.plan = { meanUtilisation, balancedBefore, balancedAfter, sessionsToMove, moves, summary: plan.explanation.summary };
  if (moves.length === 0) {
    report.outcome = 'already-balanced';
    return report;
  }
  const addressOf = new Map(gateways.map((g) => [g.gatewayId, g.address]));
  for (const batch of plan.batches) {
    for (const [i, move] of batch.moves.entries()) {
      const outcome = await act.migrateBatch({
        gatewayId: move.fromGatewayId,
        // The batch's pause, taken inside the activity (durable timers fire on a ~1 s granularity).
        delayMs: i === 0 && batch.index > 0 ? batch.pauseMs + batch.jitterMs : 0,
        batchId: `${workflowInfo().workflowId}#${batch.index}:${move.fromGatewayId}>${move.toGatewayId}`,
        targets: [{ gatewayId: move.toGatewayId, address: addressOf.get(move.toGatewayId) ?? '' }],
        limit: move.count,
        spreadMs: policy.migration.spreadMs,
        waitMs: policy.migration.batchWaitMs,
      });
      report.moved.push({ from: move.fromGatewayId, to: move.toGatewayId, planned: move.count, moved: outcome.moved, refused: outcome.refused });
    }
  }
  report.outcome = report.moved.every((m) => m.moved === m.planned) ? 'balanced' : 'partial';
  return report;
}
