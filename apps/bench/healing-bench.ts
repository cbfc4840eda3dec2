import { type Client } from '@temporalio/client';
import { z } from 'zod';
import { PushClient } from '#client';
import { type RemediationReport } from '#core';
import { type Fleet, startApp, waitUntil } from '#devstack';
import { GatewayStateStore } from '#etcd';
import { RemediationClient } from '#temporal';
import { type BenchRow, timingRow } from './report-table.js';

const BIG = 2_000;

/** `count` clients that start on `gatewayId` and fall back to the rest of the fleet. */
export const clientsOn = async (fleet: Fleet, gatewayId: string, count: number): Promise<PushClient[]> => {
  const first = fleet.gateway(gatewayId).address;
  const others = fleet.gatewayAddresses.filter((a) => a !== first);
  const clients = Array.from({ length: count }, (_, i) => new PushClient({ sessionId: `${gatewayId}-${i}`, gateways: [first, ...others], topics: ['ticker'] }));
  clients.forEach((c) => c.start());
  await waitUntil(`${count} clients on ${gatewayId}`, async () => clients.every((c) => c.gatewayId === gatewayId && (c.ledgers.get('ticker')?.received ?? 0) > 0), {
    timeoutMs: 120_000,
  });
  return clients;
};

const lost = (clients: readonly PushClient[]): number => clients.reduce((n, c) => n + c.counters.lost + c.counters.duplicates + c.counters.reorders, 0);

const rehomed = (clients: readonly PushClient[], from: string): Promise<number> =>
  waitUntil(`${clients.length} clients off ${from}`, async () => (clients.every((c) => c.connected && c.gatewayId !== from) ? Date.now() : undefined), {
    timeoutMs: 120_000,
    intervalMs: 10,
  });

/**
 * Fault → out of rotation, with the detector on the fast path: SIGKILL a fresh
 * gateway, time until its state in etcd says it takes no new sessions.
 */
export const benchFaultToOutOfRotation = async (fleet: Fleet, runs: number): Promise<BenchRow[]> => {
  const detector = await startApp('detector', { name: 'bench-healing-detector', env: { ...fleet.stack.env, DETECTOR_ID: 'bench-healing' }, logDir: fleet.logDir });
  const etcd = fleet.stack.connectEtcd();
  const states = new GatewayStateStore(etcd);
  const times: number[] = [];
  try {
    for (let i = 0; i < runs; i++) {
      const id = `bench-fault-${i}`;
      await fleet.startGateway(id);
      await waitUntil('detector watching', async () => (await fleet.control(id).status()).detectors > 0);
      const killedAt = await fleet.killGateway(id);
      const state = await waitUntil(`${id} out of rotation`, async () => {
        const record = await states.get(id);
        return record && record.state !== 'serving' ? record : undefined;
      });
      times.push(state.since - killedAt);
    }
  } finally {
    etcd.close();
    await detector.process.stop();
  }
  return [timingRow('fault (SIGKILL) → out of rotation, with detector', times)];
};

/** 2 000 sessions: a crash (clients re-home themselves) and a planned remediation (batched migration). */
export const benchTwoThousand = async (fleet: Fleet, temporal: Client): Promise<BenchRow[]> => {
  const crashVictim = await fleet.startGateway('bench-big-crash');
  const crashClients = await clientsOn(fleet, crashVictim.id, BIG);
  const killedAt = await fleet.killGateway(crashVictim.id);
  const crashRehomedAt = await rehomed(crashClients, crashVictim.id);
  crashClients.forEach((c) => c.stop());

  const liveVictim = await fleet.startGateway('bench-big-live');
  const liveClients = await clientsOn(fleet, liveVictim.id, BIG);
  const requestedAt = Date.now();
  const run = await new RemediationClient(temporal).start({ gatewayId: liveVictim.id, trigger: 'api', reason: 'bench', requestedAt });
  const liveRehomedAt = await rehomed(liveClients, liveVictim.id);
  const report = (await temporal.workflow.getHandle(run.workflowId, run.runId).result()) as RemediationReport;
  liveClients.forEach((c) => c.stop());
  const interruption = report.migration?.interruptionMs;
  return [
    { metric: `SIGKILL → all ${BIG} sessions re-homed (clients)`, count: crashRehomedAt - killedAt, unit: 'ms' },
    { metric: `  messages lost/dup/reordered`, count: lost(crashClients) },
    { metric: `remediation → all ${BIG} sessions migrated`, count: liveRehomedAt - requestedAt, unit: 'ms' },
    { metric: `  per-session interruption p50 / p99 (ms)`, count: interruption ? `${Math.round(interruption.p50)} / ${Math.round(interruption.p99)}` : 'n/a' },
    { metric: `  batches; messages lost/dup/reordered`, count: `${report.migration?.batches ?? 'n/a'}; ${lost(liveClients)}` },
  ];
};

type HistoryEvent = NonNullable<Awaited<ReturnType<ReturnType<Client['workflow']['getHandle']>['fetchHistory']>>['events']>[number];

const TimestampSchema = z.object({ seconds: z.coerce.number(), nanos: z.number().default(0) });
const LocalActivityMarkerSchema = z.object({ complete_time: TimestampSchema });

/**
 * When a local activity completed, from the marker it leaves (sdk-core's LocalActivityMarkerData).
 * Its own schedule time is on another clock than the history's, so its duration is taken from
 * the previous completion (or the start of its workflow task) instead.
 */
const localActivityDoneAt = (event: HistoryEvent): number | undefined => {
  const marker = event.markerRecordedEventAttributes;
  const data = marker?.markerName === 'core_local_activity' ? marker.details?.data?.payloads?.[0]?.data : undefined;
  if (!data) return undefined;
  const parsed = LocalActivityMarkerSchema.safeParse(JSON.parse(Buffer.from(data).toString('utf8')));
  return parsed.success ? parsed.data.complete_time.seconds * 1_000 + parsed.data.complete_time.nanos / 1e6 : undefined;
};

/** Run time minus time spent in activities (scheduled and local) and durable timers, from each run's own history. */
export const temporalOverheadRow = async (temporal: Client, workflowIds: readonly { workflowId: string; runId: string }[]): Promise<BenchRow> => {
  const overheads: number[] = [];
  for (const { workflowId, runId } of workflowIds) {
    const events = (await temporal.workflow.getHandle(workflowId, runId).fetchHistory()).events ?? [];
    const at = (e: (typeof events)[number]): number => Number(e.eventTime?.seconds ?? 0) * 1_000 + Math.floor((e.eventTime?.nanos ?? 0) / 1e6);
    const startedBy = new Map<string, number>();
    let busy = 0;
    let localFrom = 0;
    for (const event of events) {
      const id = String(event.eventId);
      if (event.activityTaskStartedEventAttributes) startedBy.set(String(event.activityTaskStartedEventAttributes.scheduledEventId), at(event));
      const done = event.activityTaskCompletedEventAttributes ?? event.activityTaskFailedEventAttributes;
      if (done) busy += at(event) - (startedBy.get(String(done.scheduledEventId)) ?? at(event));
      if (event.timerStartedEventAttributes) startedBy.set(`timer:${id}`, at(event));
      if (event.timerFiredEventAttributes) busy += at(event) - (startedBy.get(`timer:${String(event.timerFiredEventAttributes.startedEventId)}`) ?? at(event));
      if (event.workflowTaskStartedEventAttributes) localFrom = at(event);
      const localDone = localActivityDoneAt(event);
      if (localDone !== undefined) {
        busy += Math.max(0, localDone - localFrom);
        localFrom = localDone;
      }
    }
    const first = events[0];
    const last = events.at(-1);
    if (first && last) overheads.push(at(last) - at(first) - busy);
  }
  return timingRow('Temporal overhead per remediation (run − activities − timers)', overheads);
};
