import { readFileSync } from 'node:fs';
import { Client, Connection } from '@temporalio/client';
import { remediationWorkflowId } from '#core';
import { Fleet, type HomeostatProcess, startApp, waitUntil } from '#devstack';
import { OBSERVER_VIEWS_PREFIX } from '#etcd';
import { ChannelOnlyAgent } from './channel-only-agent.js';
import { type BenchRow, timingRow } from './report-table.js';
import { writeSyntheticGateways } from './synthetic-fleet.js';

/** Fleet sizes one detector is given, smallest first. */
const SIZES = [500, 1_000, 2_000];
/** How long the detector's CPU is sampled while it watches a quiet fleet. */
const CPU_WINDOW_MS = 10_000;
const CLOCK_TICKS_PER_SECOND = 100;

/** The process's user + system CPU time, in seconds (Linux /proc). */
const cpuSeconds = (pid: number): number => {
  const fields = readFileSync(`/proc/${pid}/stat`, 'utf8').split(') ')[1]?.split(' ') ?? [];
  return (Number(fields[11]) + Number(fields[12])) / CLOCK_TICKS_PER_SECOND;
};

interface CapacityRound {
  readonly size: number;
  readonly crashToStartedMs: number[];
  readonly cpuPercentPer1000: number;
}

/** One detector against `size` channel-only agents: its CPU while all answer, then `crashes` agents crashed one by one. */
const watchFleetOf = async (fleet: Fleet, temporal: Client, size: number, crashes: number): Promise<CapacityRound> => {
  const etcd = fleet.stack.connectEtcd();
  const ids = Array.from({ length: size }, (_, i) => `cap-${size}-${i}`);
  const agents = new Map<string, ChannelOnlyAgent>();
  let detector: HomeostatProcess | undefined;
  const lease = etcd.lease(30);
  try {
    for (const id of ids) agents.set(id, await ChannelOnlyAgent.start(id, fleet.stack.controlSecret));
    await writeSyntheticGateways(etcd, ids.map((id) => ({ id, controlUrl: agents.get(id)?.controlUrl })), lease);
    detector = await startApp('detector', { name: `capacity-${size}`, env: { ...fleet.stack.env, DETECTOR_ID: `capacity-${size}` }, logDir: fleet.logDir });
    await waitUntil(
      `the detector answered by all ${size} agents`,
      async () => Object.values(await etcd.getAll().prefix(OBSERVER_VIEWS_PREFIX).strings()).filter((v) => v.includes('"status":"answering"')).length >= size,
      { timeoutMs: 120_000, intervalMs: 500 },
    );
    const pid = detector.process.pid as number;
    const before = cpuSeconds(pid);
    await new Promise((resolve) => setTimeout(resolve, CPU_WINDOW_MS));
    const cpuPercent = ((cpuSeconds(pid) - before) / (CPU_WINDOW_MS / 1_000)) * 100;
    const crashToStartedMs: number[] = [];
    for (const id of ids.slice(0, crashes)) {
      const crashedAt = Date.now();
      agents.get(id)?.crash();
      const handle = temporal.workflow.getHandle(remediationWorkflowId(id));
      const run = await waitUntil(`remediation of ${id}`, () => handle.describe().catch(() => undefined), { timeoutMs: 30_000, intervalMs: 10 });
      crashToStartedMs.push(run.startTime.getTime() - crashedAt);
    }
    return { size, crashToStartedMs, cpuPercentPer1000: (cpuPercent / size) * 1_000 };
  } finally {
    await detector?.process.stop();
    for (const agent of agents.values()) agent.crash();
    await lease.revoke().catch(() => undefined);
    etcd.close();
  }
};

/**
 * Detector capacity: one detector at the default ping interval against 500, 1 000 and 2 000
 * agents, each its own control channel on its own port (the agents share the bench's process,
 * so the machine carries both sides). Crash → remediation started is read from Temporal's start
 * time; nothing executes the runs (no worker), so only detection is measured.
 */
export const benchDetectorCapacity = async (runs: number): Promise<BenchRow[]> => {
  const fleet = await Fleet.start({ gateways: 0, worker: false, useExisting: false });
  const connection = await Connection.connect(fleet.stack.temporal.connection);
  const temporal = new Client({ connection, namespace: fleet.stack.temporal.namespace });
  try {
    const rows: BenchRow[] = [];
    for (const size of SIZES) {
      const round = await watchFleetOf(fleet, temporal, size, runs);
      rows.push(
        { ...timingRow(`detector watching ${size}: crash → remediation started`, round.crashToStartedMs), id: `detector-capacity.${size}.crash-to-started` },
        { id: `detector-capacity.${size}.cpu-per-1000`, metric: `  detector CPU per 1 000 gateways watched`, count: Math.round(round.cpuPercentPer1000 * 10) / 10, unit: '% of a core' },
      );
    }
    return rows;
  } finally {
    await connection.close();
    await fleet.stop();
  }
};
