import { Context } from '@temporalio/activity';
import { type MigrateResult } from '#agent';
import { BATCH_CALL_TIMEOUT_MS } from '#core';
import { MigrationBudget, PolicyStore } from '#etcd';
import { BudgetSettingsCache } from './budget-settings-cache.js';
import { migrateInBudgetedParts } from './budgeted-parts.js';
import { type FleetAccess } from './fleet-access.js';
import { sleepWithHeartbeat } from './heartbeat-sleep.js';
import { MigrationBudgetPacer } from './migration-budget-pacer.js';
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

const sum = (results: readonly MigrateResult[], pick: (r: MigrateResult) => number): number => results.reduce((n, r) => n + pick(r), 0);

/** The agent's answers for every part of the batch, as one, with each moved session's interruption instead of the per-session list. */
const outcomeOf = (batchId: string, results: readonly MigrateResult[]): BatchOutcome => {
  const movedTo: Record<string, number> = {};
  for (const r of results) for (const [target, n] of Object.entries(r.movedTo)) movedTo[target] = (movedTo[target] ?? 0) + n;
  return {
    batchId,
    settled: results.every((r) => r.settled),
    redirected: sum(results, (r) => r.redirected),
    moved: sum(results, (r) => r.moved),
    refused: sum(results, (r) => r.refused),
    pending: sum(results, (r) => r.pending),
    gone: sum(results, (r) => r.gone),
    absent: sum(results, (r) => r.absent),
    busy: sum(results, (r) => r.busy),
    // The last part was asked last: its count of what is left is the freshest.
    remaining: results.at(-1)?.remaining ?? 0,
    movedTo,
    interruptionsMs: results.flatMap((r) => r.sessions.flatMap((s) => (s.outcome === 'moved' && s.interruptionMs !== undefined ? [s.interruptionMs] : []))),
    sourceGone: false,
  };
};

/**
 * One batch per activity, keyed by `batchId`: a retry (after a worker died, say)
 * finds the batch the agent already has under that id and reports it, so no
 * session is redirected twice and no token issued twice.
 *
 * Before its redirects go out a batch takes their tokens from the shared migration
 * budget (one per session from the fleet's sessions bucket and from its target's
 * reconnects bucket), waiting until they are there. A batch bigger than a bucket's
 * burst goes to the agent in parts (`<batchId>`, `<batchId>/1`, …), each paid for
 * before it starts. A retry asks the agent for each part first and pays only for
 * parts it has never seen; a part paid for whose call never reached the agent is
 * paid for again, which only slows the fleet's migrations for a moment.
 */
export const createMigrationActivities = (fleet: FleetAccess): MigrationActivities => {
  const pacer = new MigrationBudgetPacer(new MigrationBudget(fleet.etcd));
  const budgets = new BudgetSettingsCache(new PolicyStore(fleet.etcd));
  return {
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
      const budget = await budgets.current();
      const parts = await migrateInBudgetedParts(agent, pacer, { batchId, targets, limit, spreadMs }, budget, {
        retried: context.info.attempt > 1,
        sleep: sleepWithHeartbeat,
        heartbeat: (details) => context.heartbeat(details),
        warn: (message, attributes) => context.log.warn(message, attributes),
      });
      // A source that stopped answering cannot redirect anyone: say so, rather than count it empty.
      if (parts.length === 0) return { ...EMPTY_OUTCOME, batchId, sourceGone: false, sourceUnreachable: true };
      const deadline = Date.now() + waitMs;
      let results = parts;
      while (!results.every((r) => r.settled) && Date.now() < deadline) {
        context.heartbeat({ batchId, pending: sum(results, (r) => r.pending), moved: sum(results, (r) => r.moved) });
        await context.sleep(POLL_MS);
        results = await Promise.all(results.map((r) => (r.settled ? r : agent.migration(r.batchId))));
      }
      return outcomeOf(batchId, results);
    },
  };
};

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
