import { Context } from '@temporalio/activity';
import { type MigrateResult } from '#agent';
import { BATCH_CALL_TIMEOUT_MS } from '#core';
import { type FleetAccess, isUnreachable } from './fleet-access.js';
import { sleepWithHeartbeat } from './heartbeat-sleep.js';
import { type BatchOutcome, type FleetGatewayLoad, type RemediationActivities } from './remediation-activities.js';

type MigrationActivities = Pick<RemediationActivities, 'migrationTargets' | 'migrateBatch' | 'fleetLoad'>;

const POLL_MS = 100;

/** Load of every serving gateway; one that does not answer is left out rather than guessed at. */
const servingLoad = async (fleet: FleetAccess): Promise<FleetGatewayLoad[]> => {
  const gateways = await fleet.servingGateways();
  const loads = await Promise.all(
    gateways.map(async (g) => {
      const status = await fleet.agentAt(g).status().catch(() => undefined);
      return status ? [{ gatewayId: g.id, address: g.address, zone: g.zone, capacity: status.capacity, connections: status.sessions }] : [];
    }),
  );
  return loads.flat();
};

/** The agent's answer, with each moved session's interruption instead of the per-session list. */
const outcomeOf = ({ sessions, startedAt: _startedAt, settledAt: _settledAt, interruptionMs: _summary, ...counts }: MigrateResult): BatchOutcome => ({
  ...counts,
  interruptionsMs: sessions.flatMap((s) => (s.outcome === 'moved' && s.interruptionMs !== undefined ? [s.interruptionMs] : [])),
  sourceGone: false,
});

/**
 * One batch per activity, keyed by `batchId`: a retry (after a worker died, say)
 * finds the batch the agent already has under that id and reports it, so no
 * session is redirected twice and no token issued twice.
 */
export const createMigrationActivities = (fleet: FleetAccess): MigrationActivities => ({
  migrationTargets: async ({ gatewayId }) => {
    const [loads, agent] = await Promise.all([servingLoad(fleet), fleet.agentFor(gatewayId)]);
    // Asked at its last known address even when unregistered: an agent that does not answer is unknown, not empty.
    const status = agent ? await agent.status().catch(() => undefined) : undefined;
    return { sourceSessions: status?.sessions, sourceReachable: status !== undefined, targets: loads.filter((t) => t.gatewayId !== gatewayId) };
  },
  fleetLoad: () => servingLoad(fleet),
  migrateBatch: async ({ gatewayId, delayMs, batchId, targets, limit, spreadMs, waitMs }) => {
    const context = Context.current();
    await sleepWithHeartbeat(delayMs, { batchId, pausing: true });
    // Every wait below ends early when the activity is cancelled: its sleep and its agent calls.
    context.heartbeat({ batchId, starting: true });
    const agent = await fleet.agentFor(gatewayId, BATCH_CALL_TIMEOUT_MS, context.cancellationSignal);
    if (!agent) return { ...EMPTY_OUTCOME, batchId, sourceGone: true };
    let result = await agent.migrate({ batchId, targets: [...targets], limit, spreadMs, waitMs: 0 }).catch((error: unknown) => {
      if (isUnreachable(error)) return undefined;
      throw error;
    });
    // A source that stopped answering cannot redirect anyone: say so, rather than count it empty.
    if (!result) return { ...EMPTY_OUTCOME, batchId, sourceGone: false, sourceUnreachable: true };
    const deadline = Date.now() + waitMs;
    while (!result.settled && Date.now() < deadline) {
      context.heartbeat({ batchId, pending: result.pending, moved: result.moved });
      await context.sleep(POLL_MS);
      result = await agent.migration(batchId);
    }
    return outcomeOf(result);
  },
});

const EMPTY_OUTCOME: BatchOutcome = {
  batchId: '',
  settled: true,
  redirected: 0,
  moved: 0,
  refused: 0,
  gone: 0,
  absent: 0,
  busy: 0,
  pending: 0,
  remaining: 0,
  movedTo: {},
  interruptionsMs: [],
  sourceGone: true,
};
