import { Client, Connection } from '@temporalio/client';
import { PushClient } from '#client';
import { DEFAULT_POLICY, type MigrationBudgetSettings, type RemediationReport, summarise } from '#core';
import { Fleet, waitUntil } from '#devstack';
import { PolicyStore } from '#etcd';
import { RemediationClient } from '#temporal';
import { peakInWindow } from './peak-rate.js';
import { type BenchRow, timingRow } from './report-table.js';

const TARGETS = ['gw-1', 'gw-2'];
const SOURCES_PER_RUN = 3;
const SESSIONS_PER_SOURCE = 400;
const WINDOW_MS = 1_000;

/** A budget small enough to bind on this machine, so the rows show it holding; the fleet's sessions rate stays out of the way. */
const BUDGET: MigrationBudgetSettings = { sessionsPerSecond: 10_000, sessionsBurst: 1_000, reconnectsPerSecondPerTarget: 150, reconnectsBurstPerTarget: 30 };
/** As good as none: each run then goes at its own pace, and a target sees their sum. */
const NO_BUDGET: MigrationBudgetSettings = { sessionsPerSecond: 100_000, sessionsBurst: 100_000, reconnectsPerSecondPerTarget: 100_000, reconnectsBurstPerTarget: 100_000 };

interface DrainRound {
  /** Per run: the busiest 1 s window on the busiest target (clients welcomed there after a redirect). */
  readonly peak: number;
  readonly allMovedMs: number;
  readonly disorder: number;
}

/** Three gateways drained at once (remediations started together) onto the same targets, under their clients. */
const drainThreeAtOnce = async (fleet: Fleet, temporal: Client, label: string): Promise<DrainRound> => {
  const sources = Array.from({ length: SOURCES_PER_RUN }, (_, i) => `${label}-src-${i}`);
  for (const id of sources) await fleet.startGateway(id);
  const targetAddresses = TARGETS.map((id) => fleet.gateway(id).address);
  const arrivals = new Map<string, number[]>();
  const clients = sources.flatMap((source) =>
    Array.from(
      { length: SESSIONS_PER_SOURCE },
      (_, i) =>
        new PushClient({
          sessionId: `${source}-${i}`,
          gateways: [fleet.gateway(source).address, ...targetAddresses],
          topics: ['ticker'],
          onEvent: (event) => {
            if (event.kind !== 'connected' || event.via !== 'redirect') return;
            const times = arrivals.get(event.gatewayId) ?? [];
            times.push(event.at);
            arrivals.set(event.gatewayId, times);
          },
        }),
    ),
  );
  try {
    clients.forEach((c) => c.start());
    await waitUntil(`${clients.length} clients receiving on ${sources.join(', ')}`, async () => clients.every((c) => c.gatewayId?.startsWith(`${label}-src-`) && (c.ledgers.get('ticker')?.received ?? 0) > 0), { timeoutMs: 120_000 });
    const remediations = new RemediationClient(temporal);
    const startedAt = Date.now();
    const runs = await Promise.all(sources.map((gatewayId) => remediations.start({ gatewayId, trigger: 'api', reason: `bench ${label}`, requestedAt: startedAt })));
    const allMovedAt = await waitUntil(`every client off ${sources.join(', ')}`, async () => (clients.every((c) => c.connected && !sources.includes(c.gatewayId ?? '')) ? Date.now() : undefined), { timeoutMs: 180_000, intervalMs: 20 });
    const reports = await Promise.all(runs.map((r) => temporal.workflow.getHandle(r.workflowId, r.runId).result() as Promise<RemediationReport>));
    const unhealed = reports.filter((r) => !r.migration || r.migration.remaining > 0);
    if (unhealed.length > 0) throw new Error(`${unhealed.length} of the drains left sessions behind: ${unhealed.map((r) => r.gatewayId).join(', ')}`);
    // Every client delivers on: give the redirected ones a moment to catch up before counting gaps.
    await new Promise((resolve) => setTimeout(resolve, 1_000));
    return {
      peak: Math.max(0, ...[...arrivals.values()].map((times) => peakInWindow(times, WINDOW_MS))),
      allMovedMs: allMovedAt - startedAt,
      disorder: clients.reduce((n, c) => n + c.counters.lost + c.counters.duplicates + c.counters.reorders, 0),
    };
  } finally {
    clients.forEach((c) => c.stop());
    for (const id of sources) await fleet.stopGateway(id);
  }
};

const roundsWith = async (fleet: Fleet, temporal: Client, policies: PolicyStore, budget: MigrationBudgetSettings, label: string, runs: number): Promise<DrainRound[]> => {
  await policies.publish({
    ...DEFAULT_POLICY,
    guardrails: {
      ...DEFAULT_POLICY.guardrails,
      maxQuarantinedFraction: 1,
      rateLimit: { maxRemediations: 10_000, windowMs: 60_000, perGatewayCooldownMs: 0 },
      approval: { ...DEFAULT_POLICY.guardrails.approval, requiredFrom: null },
    },
    migration: { ...DEFAULT_POLICY.migration, budget },
  });
  // Batches read the budget at most a second old.
  await new Promise((resolve) => setTimeout(resolve, 1_100));
  const rounds: DrainRound[] = [];
  for (let run = 0; run < runs; run++) rounds.push(await drainThreeAtOnce(fleet, temporal, `${label}${run}`));
  return rounds;
};

const rowsOf = (rounds: readonly DrainRound[], name: string, id: string): BenchRow[] => [
  { id: `budget.${id}.peak-reconnects-per-target`, metric: `${name}: peak reconnects/s on a target`, summary: summarise(rounds.map((r) => r.peak)), unit: '/s' },
  { ...timingRow(`  all ${SOURCES_PER_RUN * SESSIONS_PER_SOURCE} sessions off the 3 sources`, rounds.map((r) => r.allMovedMs)), id: `budget.${id}.all-moved` },
  { id: `budget.${id}.lost-dup-reordered`, metric: '  messages lost/dup/reordered (all runs)', count: rounds.reduce((n, r) => n + r.disorder, 0) },
];

/**
 * Three concurrent drains (3 × 400 sessions, real gateways and clients) onto the same two
 * targets, with the shared budget and with one too large to bind: the busiest target's
 * reconnects in its busiest 1 s window, from the clients' own welcome times after a redirect.
 */
export const benchBudget = async (runs: number): Promise<BenchRow[]> => {
  const fleet = await Fleet.start({ gateways: TARGETS.length, worker: true, useExisting: false });
  const connection = await Connection.connect(fleet.stack.temporal.connection);
  const temporal = new Client({ connection, namespace: fleet.stack.temporal.namespace });
  const etcd = fleet.stack.connectEtcd();
  try {
    const policies = new PolicyStore(etcd);
    const budgeted = await roundsWith(fleet, temporal, policies, BUDGET, 'b', runs);
    const unbudgeted = await roundsWith(fleet, temporal, policies, NO_BUDGET, 'n', runs);
    return [
      {
        id: 'budget.bound-per-target',
        metric: `budget per target: ${BUDGET.reconnectsPerSecondPerTarget}/s + burst ${BUDGET.reconnectsBurstPerTarget}`,
        count: BUDGET.reconnectsPerSecondPerTarget + BUDGET.reconnectsBurstPerTarget,
        unit: '/s max',
      },
      ...rowsOf(budgeted, '3 drains, shared budget', 'shared'),
      ...rowsOf(unbudgeted, '3 drains, budget too large to bind', 'unbound'),
    ];
  } finally {
    etcd.close();
    await connection.close();
    await fleet.stop();
  }
};
