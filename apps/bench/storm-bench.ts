import { type Client, Connection, Client as TemporalClient } from '@temporalio/client';
import { DEFAULT_POLICY, type Policy, remediationWorkflowId, summarise } from '#core';
import { Fleet, waitUntil } from '#devstack';
import { OBSERVER_VIEWS_PREFIX, PolicyStore, StormStore } from '#etcd';
import { type BenchRow, timingRow } from './report-table.js';

const ZONES = ['zone-a', 'zone-b'];
const PER_ZONE = 5;
/** Each run is a fresh fleet of ten gateways: a few runs are enough to see the threshold hold. */
const MAX_RUNS = 3;
/** Long past detection and lease expiry: every run the outage was ever going to start has started. */
const SETTLE_MS = 12_000;

/** The default storm settings and blast radius; only the approval step is out of the way, so every removal started acts. */
const POLICY: Policy = { ...DEFAULT_POLICY, name: 'storm-bench', guardrails: { ...DEFAULT_POLICY.guardrails, approval: { ...DEFAULT_POLICY.guardrails.approval, requiredFrom: null } } };

interface OutageRound {
  readonly removals: number;
  readonly stormRuns: number;
  /** Kill → the storm's record in etcd. */
  readonly stormAfterMs: number | undefined;
}

const started = async (temporal: Client, workflowId: string, sinceMs: number): Promise<boolean> => {
  const description = await temporal.workflow.getHandle(workflowId).describe().catch(() => undefined);
  return description !== undefined && description.startTime.getTime() >= sinceMs;
};

const stormRunsSince = async (temporal: Client, sinceMs: number): Promise<number> => {
  let count = 0;
  for await (const _ of temporal.workflow.list({ query: `WorkflowType = 'stormHold' AND StartTime >= '${new Date(sinceMs).toISOString()}'` })) count++;
  return count;
};

/** One zone of two SIGKILLed at once (half the fleet), with one detector and the worker's lease backstop watching. */
const zoneOutage = async (): Promise<OutageRound> => {
  const fleet = await Fleet.start({ gateways: 0, worker: true, useExisting: false });
  const connection = await Connection.connect(fleet.stack.temporal.connection);
  const temporal = new TemporalClient({ connection, namespace: fleet.stack.temporal.namespace });
  const etcd = fleet.stack.connectEtcd();
  try {
    await new PolicyStore(etcd).publish(POLICY);
    const ids = ZONES.flatMap((zone) => Array.from({ length: PER_ZONE }, (_, i) => ({ id: `${zone}-${i + 1}`, zone })));
    await Promise.all(ids.map(({ id, zone }) => fleet.startGateway(id, { GATEWAY_ZONE: zone })));
    await fleet.startDetector('storm-bench-detector');
    await waitUntil('the detector answered by every gateway', async () => {
      const views = Object.values(await etcd.getAll().prefix(OBSERVER_VIEWS_PREFIX).strings());
      return views.filter((v) => v.includes('"status":"answering"')).length === ids.length;
    });
    const victims = ids.filter((g) => g.zone === 'zone-a').map((g) => g.id);
    const killedAt = Date.now();
    await Promise.all(victims.map((id) => fleet.killGateway(id)));
    const storm = await waitUntil('a storm', async () => (await new StormStore(etcd).read()).storm ?? undefined, { timeoutMs: SETTLE_MS }).catch(() => undefined);
    await new Promise((resolve) => setTimeout(resolve, Math.max(0, killedAt + SETTLE_MS - Date.now())));
    const removals = (await Promise.all(victims.map((id) => started(temporal, remediationWorkflowId(id), killedAt)))).filter(Boolean).length;
    return { removals, stormRuns: await stormRunsSince(temporal, killedAt), stormAfterMs: storm ? storm.sinceMs - killedAt : undefined };
  } finally {
    etcd.close();
    await connection.close();
    await fleet.stop();
  }
};

/**
 * Storm mode, measured: half the fleet (a zone of five of ten gateways) dies at once. Under the
 * default policy the zone is over half suspect at its third gateway, so two removals start, the
 * third begins the storm, and nothing more starts (neither from the detector nor from the lease
 * backstop a second later): one `needs-human` storm run.
 */
export const benchStorm = async (runs: number): Promise<BenchRow[]> => {
  const rounds: OutageRound[] = [];
  for (let run = 0; run < Math.min(runs, MAX_RUNS); run++) rounds.push(await zoneOutage());
  const began = rounds.flatMap((r) => (r.stormAfterMs === undefined ? [] : [r.stormAfterMs]));
  return [
    { id: 'storm.zone-outage.removals', metric: `zone outage (${PER_ZONE} of ${PER_ZONE * ZONES.length} killed): removals started`, summary: summarise(rounds.map((r) => r.removals)), unit: 'runs' },
    { id: 'storm.zone-outage.storm-runs', metric: 'zone outage: needs-human storm runs', summary: summarise(rounds.map((r) => r.stormRuns)), unit: 'runs' },
    { id: 'storm.zone-outage.without-storm', metric: 'zone outage: rounds with no storm', count: rounds.length - began.length },
    { ...timingRow('zone outage: SIGKILL → storm began', began), id: 'storm.zone-outage.storm-began' },
  ];
};
