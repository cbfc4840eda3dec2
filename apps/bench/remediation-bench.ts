import { type Client } from '@temporalio/client';
import { type RemediationReport } from '#core';
import { type Fleet, killGatewayAndWatchHealing } from '#devstack';
import { RemediationClient } from '#temporal';
import { clientsOn, temporalOverheadRow } from './healing-bench.js';
import { type BenchRow, timingRow } from './report-table.js';

const CLIENTS_PER_VICTIM = 10;


/** Kill → detection → healing, on a fresh gateway each run. */
export const benchKills = async (fleet: Fleet, temporal: Client, runs: number): Promise<BenchRow[]> => {
  const detect: number[] = [];
  const rehome: number[] = [];
  const heal: number[] = [];
  let lost = 0;
  for (let i = 0; i < runs; i++) {
    const id = `bench-kill-${i}`;
    await fleet.startGateway(id);
    const clients = await clientsOn(fleet, id, CLIENTS_PER_VICTIM);
    const t = await killGatewayAndWatchHealing(fleet, temporal, clients, id);
    detect.push(t.remediationStartedAt - t.killedAt);
    rehome.push(t.rehomedAt - t.killedAt);
    heal.push(t.remediationFinishedAt - t.killedAt);
    lost += t.missedPerClient.reduce((a, b) => a + b, 0);
    clients.forEach((c) => c.stop());
  }
  return [
    timingRow('gateway kill → remediation started', detect),
    timingRow('gateway kill → its clients re-homed', rehome),
    timingRow('gateway kill → remediation finished', heal),
    { metric: `messages lost (${runs} kills × ${CLIENTS_PER_VICTIM} clients)`, count: lost },
  ];
};

/** The thin workflow on a live gateway: start → complete, as Temporal records it. */
export const benchWorkflow = async (fleet: Fleet, temporal: Client, runs: number): Promise<BenchRow[]> => {
  const remediations = new RemediationClient(temporal);
  const serverSide: number[] = [];
  const clientSide: number[] = [];
  const runIds: { workflowId: string; runId: string }[] = [];
  for (let i = 0; i < runs; i++) {
    const id = `bench-live-${i}`;
    const gateway = await fleet.startGateway(id);
    const clients = await clientsOn(fleet, id, CLIENTS_PER_VICTIM);
    const requestedAt = Date.now();
    const run = await remediations.start({ gatewayId: id, trigger: 'api', reason: 'bench', requestedAt });
    const handle = temporal.workflow.getHandle(run.workflowId, run.runId);
    runIds.push(run);
    const report = (await handle.result()) as RemediationReport;
    clientSide.push(Date.now() - requestedAt);
    const description = await handle.describe();
    serverSide.push((description.closeTime?.getTime() ?? Number.NaN) - description.startTime.getTime());
    if (report.outcome !== 'healed') throw new Error(`bench run ${run.workflowId} ended ${report.outcome}`);
    clients.forEach((c) => c.stop());
    await fleet.stopGateway(gateway.id);
  }
  return [
    timingRow('remediateGateway start → complete (Temporal)', serverSide),
    timingRow(`  same, as the caller sees it (${CLIENTS_PER_VICTIM} sessions moved)`, clientSide),
    await temporalOverheadRow(temporal, runIds),
  ];
};
