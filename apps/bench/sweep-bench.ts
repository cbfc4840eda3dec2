import { Client, Connection } from '@temporalio/client';
import { type Etcd3, type Lease } from 'etcd3';
import { type HealthSweepReport } from '#core';
import { type HomeostatProcess, startApp, startStack } from '#devstack';
import { connectEtcd, gatewayKey, stateKey, vitalsKey } from '#etcd';
import { HOMEOSTAT_TASK_QUEUE } from '#temporal';
import { type BenchRow, timingRow } from './report-table.js';
import { syntheticVitals, writeSyntheticGateways } from './synthetic-fleet.js';

const FLEET_SIZE = 1_000;
const STALE_PER_RUN = 5;
const PUBLISH_BATCH = 200;

interface SweepTimings {
  readonly temporalMs: number[];
  readonly callerMs: number[];
  readonly snapshotBytes: number[];
}

/**
 * Sweep time for a thousand synthetic gateways (registrations, states and vitals in etcd),
 * as Temporal records each run (start → close) and as the caller sees it. Has its own
 * Temporal, etcd and worker (no schedule, no lease watcher), so nothing else runs sweeps.
 */
export const benchSweep = async (runs = Number(process.env.BENCH_RUNS ?? 5)): Promise<BenchRow[]> => {
  const stack = await startStack({ useExisting: false });
  let worker: HomeostatProcess | undefined;
  let connection: Connection | undefined;
  const etcd = connectEtcd(stack.etcd.endpoints);
  try {
    worker = await startApp('worker', { name: 'sweep bench worker', env: { ...stack.env, WATCH_LEASES: 'false', SWEEP_SCHEDULE: 'off' } });
    connection = await Connection.connect({ address: stack.temporal.address });
    const temporal = new Client({ connection, namespace: stack.temporal.namespace });
    // Before the fleet exists: the worker's first run is slow (it loads the workflow bundle) and is not measured.
    await sweepOnce(temporal, 'sweep:bench-warm-up', 0);
    const ids = Array.from({ length: FLEET_SIZE }, (_, i) => `bench-gw-${String(i).padStart(4, '0')}`);
    const lease = await writeSyntheticGateways(etcd, ids.map((id) => ({ id, vitals: syntheticVitals(id, Date.now()) })));
    const healthy = await timeSweeps(runs, async (run) => {
      await publishVitals(etcd, ids, lease);
      return sweepOnce(temporal, `sweep:bench-healthy-${run}`, 0);
    });
    const withStale = await timeSweeps(runs, async (run) => {
      const stale = Array.from({ length: STALE_PER_RUN }, (_, i) => `bench-stale-${run}-${i}`);
      await publishVitals(etcd, ids, lease);
      await writeSyntheticGateways(etcd, stale.map((id) => ({ id, vitals: syntheticVitals(id, Date.now() - 10 * 60_000) })), lease);
      try {
        return await sweepOnce(temporal, `sweep:bench-stale-${run}`, STALE_PER_RUN);
      } finally {
        // Gone before the next run, so every run scans the same fleet size and starts the same children.
        await Promise.all(stale.flatMap((id) => [gatewayKey(id), vitalsKey(id), stateKey(id)].map((key) => etcd.delete().key(key))));
      }
    });
    const kb = (bytes: number[]) => Math.round(Math.max(...bytes) / 1_024);
    return [
      timingRow(`healthSweep, ${FLEET_SIZE} healthy gateways (Temporal)`, healthy.temporalMs),
      timingRow('  same, as the caller sees it', healthy.callerMs),
      timingRow(`healthSweep, ${FLEET_SIZE} + ${STALE_PER_RUN} stale → ${STALE_PER_RUN} remediations`, withStale.temporalMs),
      { metric: '  fleet snapshot passed to the workflow, KB', count: kb(healthy.snapshotBytes) },
    ];
  } finally {
    await connection?.close();
    await worker?.process.stop();
    etcd.close();
    await stack.stop();
  }
};

/** Gateways publish continuously; publishing again before each run keeps every one fresh. */
const publishVitals = async (etcd: Etcd3, ids: readonly string[], lease: Lease): Promise<void> => {
  const now = Date.now();
  for (let i = 0; i < ids.length; i += PUBLISH_BATCH) {
    await Promise.all(ids.slice(i, i + PUBLISH_BATCH).map((id) => lease.put(vitalsKey(id)).value(JSON.stringify(syntheticVitals(id, now)))));
  }
};

const timeSweeps = async (runs: number, run: (index: number) => Promise<SweepRun>): Promise<SweepTimings> => {
  const timings: SweepTimings = { temporalMs: [], callerMs: [], snapshotBytes: [] };
  for (let i = 0; i < runs; i++) {
    const result = await run(i);
    timings.temporalMs.push(result.temporalMs);
    timings.callerMs.push(result.callerMs);
    timings.snapshotBytes.push(result.snapshotBytes);
  }
  return timings;
};

interface SweepRun {
  readonly temporalMs: number;
  readonly callerMs: number;
  readonly snapshotBytes: number;
}

const sweepOnce = async (temporal: Client, workflowId: string, expectStarted?: number): Promise<SweepRun> => {
  const startedAt = Date.now();
  const handle = await temporal.workflow.start('healthSweep', { workflowId, taskQueue: HOMEOSTAT_TASK_QUEUE, args: [{}] });
  const report: HealthSweepReport = await handle.result();
  const callerMs = Date.now() - startedAt;
  // A bench that silently measured the wrong thing would be worse than none.
  if (expectStarted !== undefined && report.remediations.started !== expectStarted) {
    throw new Error(`${workflowId} started ${report.remediations.started} remediations, expected ${expectStarted}`);
  }
  const description = await handle.describe();
  const history = await handle.fetchHistory();
  const snapshot = history.events?.find((e) => e.activityTaskCompletedEventAttributes)?.activityTaskCompletedEventAttributes?.result?.payloads?.[0];
  return {
    temporalMs: (description.closeTime?.getTime() ?? Number.NaN) - description.startTime.getTime(),
    callerMs,
    snapshotBytes: snapshot?.data?.length ?? 0,
  };
};
