import { resolve } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { Client, Connection } from '@temporalio/client';
import { DEFAULT_POLICY, remediationWorkflowId } from '#core';
import { Fleet, type HomeostatProcess, JsonLog, waitUntil } from '#devstack';
import { PolicyStore } from '#etcd';
import { type BenchRow, timingRow } from './report-table.js';

/** How long the noisy healthy gateway is watched for false positives. */
const NOISY_RUN_MS = 20_000;
/** The preload that makes a real gateway noisy (GC churn and event-loop jitter); see the file. */
const NOISE_PRELOAD = resolve(process.env.HOMEOSTAT_ROOT ?? '.', 'test/detection/support/noisy-gateway.mjs');

const defaultRuns = (): number => Number(process.env.BENCH_RUNS ?? 10);

/**
 * Detection figures on real processes: a detector watching real gateways, faults injected
 * by signal, remediations started on a real Temporal. Every figure is measured here.
 */
export const benchDetection = async (runs = defaultRuns()): Promise<BenchRow[]> => {
  const fleet = await Fleet.start({ gateways: 0, worker: false, useExisting: false });
  const connection = await Connection.connect(fleet.stack.temporal.connection);
  const temporal = new Client({ connection, namespace: fleet.stack.temporal.namespace });
  const etcd = fleet.stack.connectEtcd();
  let detector: HomeostatProcess | undefined;
  try {
    // Only the detector triggers runs here, so every run measured is its own.
    await fleet.startWorker({ WATCH_LEASES: 'false' });
    const followed = await JsonLog.startApp('detector', { name: 'bench-detector', env: { ...fleet.stack.env, DETECTOR_ID: 'bench-detector' }, logDir: fleet.logDir });
    detector = followed.app;
    const { log } = followed;

    /** Injects a fault into a fresh watched gateway; fault → remediation started, from Temporal's start time. */
    const detectionLatency = async (id: string, signal: NodeJS.Signals): Promise<number> => {
      const gateway = await fleet.startGateway(id);
      await log.waitFor(`channel to ${id}`, (l) => l.event === 'answering' && l.gatewayId === id);
      const faultAt = Date.now();
      gateway.app.process.signal(signal);
      const handle = temporal.workflow.getHandle(remediationWorkflowId(id));
      const run = await waitUntil(`remediation of ${id}`, () => handle.describe().catch(() => undefined), { timeoutMs: 30_000, intervalMs: 10 });
      await fleet.killGateway(id);
      return run.startTime.getTime() - faultAt;
    };

    const crash: number[] = [];
    const hang: number[] = [];
    for (let i = 0; i < runs; i++) crash.push(await detectionLatency(`bench-crash-${i}`, 'SIGKILL'));
    for (let i = 0; i < runs; i++) hang.push(await detectionLatency(`bench-hang-${i}`, 'SIGSTOP'));

    const policies = new PolicyStore(etcd);
    const applied: number[] = [];
    for (let i = 0; i < runs; i++) {
      const writtenAt = Date.now();
      const { version } = await policies.publish({ ...DEFAULT_POLICY, name: `bench-${i}` });
      const line = await log.waitFor(`policy v${version} applied`, (l) => l.event === 'policy-applied' && l.version === version);
      applied.push((line.appliedAt as number) - writtenAt);
    }

    const noisy = await fleet.startGateway('bench-noisy', { NODE_OPTIONS: `${process.env.NODE_OPTIONS ?? ''} --import=${NOISE_PRELOAD}`.trim() });
    await log.waitFor('channel to bench-noisy', (l) => l.event === 'answering' && l.gatewayId === 'bench-noisy');
    const watchedFrom = log.lines.length;
    await sleep(NOISY_RUN_MS);
    const during = log.lines.slice(watchedFrom).filter((l) => l.gatewayId === 'bench-noisy');
    const falsePositives = during.filter((l) => l.event === 'detection' || l.event === 'health-alarm').length;
    const summaries = during.filter((l) => l.event === 'probe-summary');
    const misses = Number(summaries.at(-1)?.misses ?? 0);
    await noisy.app.process.stop();

    const seconds = Math.round(NOISY_RUN_MS / 1000);
    return [
      timingRow('crash (SIGKILL) → remediation started', crash),
      timingRow('silent hang (SIGSTOP) → remediation started', hang),
      timingRow('policy write → applied by the detector', applied),
      { metric: `false positives, noisy healthy gateway, ${seconds} s`, count: falsePositives },
      { metric: `  late pongs (L1 misses) in that run`, count: misses },
    ];
  } finally {
    await detector?.process.stop();
    etcd.close();
    await connection.close();
    await fleet.stop();
  }
};
