import { Client, Connection } from '@temporalio/client';
import { type Etcd3, type Lease } from 'etcd3';
import { type HealthSweepReport } from '#core';
import { type HomeostatProcess, startApp, startStack } from '#devstack';
import { gatewayKey, stateKey, vitalsKey } from '#etcd';
import { HOMEOSTAT_TASK_QUEUE } from '#temporal';
import { type BenchRow, timingRow } from './report-table.js';
import { syntheticVitals, writeSyntheticGateways } from './synthetic-fleet.js';

const FLEET_SIZES = [1_000, 10_000];
const STALE_PER_RUN = 5;
const PUBLISH_BATCH = 200;

interface SweepTimings {
  readonly temporalMs: number[];
  readonly callerMs: number[];
  readonly largestResultBytes: number[];
}

/**
 * Sweep time for fleets of synthetic gateways (registrations, states and vitals in etcd),
 * as Temporal records each run (start → close) and as the caller sees it, and the largest
 * activity result in the sweep's history (it must not grow with the fleet). Has its own
 * Temporal, etcd and worker (no schedule, no lease watcher), so nothing else runs sweeps.
 */
export const benchSweep = async (runs = Number(process.env.BENCH_RUNS ?? 5)): Promise<BenchRow[]> => {
  const stack = await startStack({ useExisting: false });
  let worker: HomeostatProcess | undefined;
  let connection: Connection | undefined;
  const etcd = stack.connectEtcd();
  try {
    worker = await startApp('worker', { name: 'sweep bench worker', env: { ...stack.env, WATCH_LEASES: 'false', SWEEP_SCHEDULE: 'off' } });
    connection = await Connection.connect(stack.temporal.connection);
    const temporal = new Client({ connection, namespace: stack.temporal.namespace });
    // Before the fleet exists: the worker's first run is slow (it loads the workflow bundle) and is not measured.
    await sweepOnce(temporal, 'sweep:bench-warm-up', 0);
    const rows: BenchRow[] = [];
    for (const size of FLEET_SIZES) rows.push(...(await benchFleetSize(etcd, temporal, size, runs)));
    return rows;
  } finally {
    await connection?.close();
    await worker?.process.stop();
    etcd.close();
    await stack.stop();
  }
};

const benchFleetSize = async (etcd: Etcd3, temporal: Client, size: number, runs: number): Promise<BenchRow[]> => {
  const ids = Array.from({ length: size }, (_, i) => `bench-${size}-gw-${String(i).padStart(5, '0')}`);
  const lease = await writeSyntheticGateways(etcd, ids.map((id) => ({ id, vitals: syntheticVitals(id, Date.now()) })));
  try {
    const healthy = await timeSweeps(runs, async (run) => {
      await publishVitals(etcd, ids, lease);
      return sweepOnce(temporal, `sweep:bench-${size}-healthy-${run}`, 0);
    });
    const withStale = await timeSweeps(runs, async (run) => {
      const stale = Array.from({ length: STALE_PER_RUN }, (_, i) => `bench-${size}-stale-${run}-${i}`);
      await publishVitals(etcd, ids, lease);
      await writeSyntheticGateways(etcd, stale.map((id) => ({ id, vitals: syntheticVitals(id, Date.now() - 10 * 60_000) })), lease);
      try {
        return await sweepOnce(temporal, `sweep:bench-${size}-stale-${run}`, STALE_PER_RUN);
      } finally {
        // Gone before the next run, so every run scans the same fleet size and starts the same children.
        await Promise.all(stale.flatMap((id) => [gatewayKey(id), vitalsKey(id), stateKey(id)].map((key) => etcd.delete().key(key))));
      }
    });
    return [
      { ...timingRow(`healthSweep, ${size} healthy gateways (Temporal)`, healthy.temporalMs), id: `sweep.healthy-${size}-temporal` },
      { ...timingRow('  same, as the caller sees it', healthy.callerMs), id: `sweep.healthy-${size}-caller` },
      { ...timingRow(`healthSweep, ${size} + ${STALE_PER_RUN} stale → ${STALE_PER_RUN} remediations`, withStale.temporalMs), id: `sweep.stale-${size}-temporal` },
      { id: `sweep.largest-activity-result-${size}`, metric: `  largest activity result in its history, ${size} gw`, count: Math.max(...healthy.largestResultBytes), unit: 'bytes' },
    ];
  } finally {
    await lease.revoke();
    await Promise.all(ids.map((id) => etcd.delete().key(stateKey(id))));
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
  const timings: SweepTimings = { temporalMs: [], callerMs: [], largestResultBytes: [] };
  for (let i = 0; i < runs; i++) {
    const result = await run(i);
    timings.temporalMs.push(result.temporalMs);
    timings.callerMs.push(result.callerMs);
    timings.largestResultBytes.push(result.largestResultBytes);
  }
  return timings;
};

interface SweepRun {
  readonly temporalMs: number;
  readonly callerMs: number;
  readonly largestResultBytes: number;
}

const sweepOnce = async (temporal: Client, workflowId: string, expectStarted?: number): Promise<SweepRun> => {
  const startedAt = Date.now();
  // Publishing ten thousand vitals records takes seconds on a loaded machine: a longer staleness
  // window keeps the first ones written fresh, while the 10-minute-old stale ones stay stale.
  const handle = await temporal.workflow.start('healthSweep', { workflowId, taskQueue: HOMEOSTAT_TASK_QUEUE, args: [{ staleAfterIntervals: 60 }] });
  const report: HealthSweepReport = await handle.result();
  const callerMs = Date.now() - startedAt;
  // A bench that silently measured the wrong thing would be worse than none.
  if (expectStarted !== undefined && report.remediations.started !== expectStarted) {
    throw new Error(`${workflowId} started ${report.remediations.started} remediations, expected ${expectStarted}`);
  }
  const description = await handle.describe();
  const history = await handle.fetchHistory();
  const resultSizes = (history.events ?? []).flatMap((e) => e.activityTaskCompletedEventAttributes?.result?.payloads?.map((p) => p.data?.length ?? 0) ?? []);
  return {
    temporalMs: (description.closeTime?.getTime() ?? Number.NaN) - description.startTime.getTime(),
    callerMs,
    largestResultBytes: Math.max(0, ...resultSizes),
  };
};
