import { type Client } from '@temporalio/client';
import { z } from 'zod';
import { type PushClient } from '#client';
import { type Policy, type RemediationReport } from '#core';
import { type Fleet, connectClients, startApp, waitUntil } from '#devstack';
import { GatewayStateStore, type PolicyStore } from '#etcd';
import { RemediationClient } from '#temporal';
import { type Interval, covered } from './covered-time.js';
import { type BenchRow, timingRow } from './report-table.js';

const BIG = 2_000;

/** `count` clients that start on `gatewayId` (in waves) and fall back to the rest of the fleet. */
export const clientsOn = async (fleet: Fleet, gatewayId: string, count: number): Promise<PushClient[]> => {
  const first = fleet.gateway(gatewayId).address;
  const clients = await connectClients(count, [first, ...fleet.gatewayAddresses.filter((a) => a !== first)], ['ticker'], gatewayId);
  const elsewhere = clients.filter((c) => c.gatewayId !== gatewayId).length;
  if (elsewhere > 0) throw new Error(`${elsewhere} of ${count} clients did not start on ${gatewayId} (it refused them, or their handshakes timed out)`);
  return clients;
};

/** Every client's lost, duplicated and reordered messages, summed: 0 is the only good figure. */
export const lostDuplicatedOrReordered = (clients: readonly PushClient[]): number => clients.reduce((n, c) => n + c.counters.lost + c.counters.duplicates + c.counters.reorders, 0);

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
    { metric: `  messages lost/dup/reordered`, count: lostDuplicatedOrReordered(crashClients) },
    { metric: `remediation → all ${BIG} sessions migrated`, count: liveRehomedAt - requestedAt, unit: 'ms' },
    { metric: `  per-session interruption p50 / p99 (ms)`, count: interruption ? `${Math.round(interruption.p50)} / ${Math.round(interruption.p99)}` : 'n/a' },
    { metric: `  batches; messages lost/dup/reordered`, count: `${report.migration?.batches ?? 'n/a'}; ${lostDuplicatedOrReordered(liveClients)}` },
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

/** Batch sizes of the migration-rate curve: the default, then larger batches (pacing is a policy setting). */
const CURVE_BATCH_SIZES = [200, 500, 1_000] as const;

/**
 * Planned migration of 2 000 sessions at several batch sizes: sessions per second against the
 * clients' interruption p99, beside a reference: the same number of clients re-homing on their
 * own after a SIGKILL, which no redirect paces. It is no physical ceiling: those clients wait out
 * their own reconnect jitter, which large batches can beat.
 */
export const benchMigrationRates = async (fleet: Fleet, temporal: Client, policies: PolicyStore, base: Policy): Promise<BenchRow[]> => {
  const crashVictim = await fleet.startGateway('bench-reference');
  const crashClients = await clientsOn(fleet, crashVictim.id, BIG);
  const killedAt = await fleet.killGateway(crashVictim.id);
  const reference = BIG / ((await rehomed(crashClients, crashVictim.id)) - killedAt) * 1_000;
  crashClients.forEach((c) => c.stop());
  const rows: BenchRow[] = [{ id: 'remediation.migration-rate.reference', metric: `reference: ${BIG} clients re-homing on their own after SIGKILL (with their reconnect jitter)`, count: Math.round(reference), unit: 'sessions/s' }];
  try {
    for (const batchSize of CURVE_BATCH_SIZES) {
      await policies.publish({ ...base, migration: { ...base.migration, batchSize } });
      const victim = await fleet.startGateway(`bench-rate-${batchSize}`);
      const clients = await clientsOn(fleet, victim.id, BIG);
      const requestedAt = Date.now();
      const run = await new RemediationClient(temporal).start({ gatewayId: victim.id, trigger: 'api', reason: 'bench: migration rate', requestedAt });
      const rate = BIG / ((await rehomed(clients, victim.id)) - requestedAt) * 1_000;
      const report = (await temporal.workflow.getHandle(run.workflowId, run.runId).result()) as RemediationReport;
      clients.forEach((c) => c.stop());
      const p99 = report.migration?.interruptionMs?.p99;
      rows.push(
        { id: `remediation.migration-rate.batch-${batchSize}.rate`, metric: `migration, batches of ${batchSize}: sessions/s (÷ reference ${(rate / reference).toFixed(2)})`, count: Math.round(rate), unit: 'sessions/s' },
        { id: `remediation.migration-rate.batch-${batchSize}.interruption-p99`, metric: '  interruption p99', count: p99 === undefined ? 'n/a' : Math.round(p99), unit: 'ms' },
        { id: `remediation.migration-rate.batch-${batchSize}.lost-dup-reordered`, metric: '  messages lost/dup/reordered', count: lostDuplicatedOrReordered(clients) },
      );
    }
  } finally {
    await policies.publish(base);
  }
  return rows;
};

const eventTime = (e: HistoryEvent): number => Number(e.eventTime?.seconds ?? 0) * 1_000 + Math.floor((e.eventTime?.nanos ?? 0) / 1e6);

/**
 * One run's busy intervals from its own history: activities (scheduled or local), durable timers,
 * and its child workflows' busy intervals (their idle time is overhead too).
 */
const busyIntervals = async (temporal: Client, workflowId: string, runId: string): Promise<{ span: Interval | undefined; busy: Interval[] }> => {
  const events = (await temporal.workflow.getHandle(workflowId, runId).fetchHistory()).events ?? [];
  const startedBy = new Map<string, number>();
  const busy: Interval[] = [];
  const since = (key: string, at: number): Interval => ({ from: startedBy.get(key) ?? at, to: at });
  let localFrom = 0;
  for (const event of events) {
    const at = eventTime(event);
    const id = String(event.eventId);
    if (event.activityTaskStartedEventAttributes) startedBy.set(String(event.activityTaskStartedEventAttributes.scheduledEventId), at);
    const done = event.activityTaskCompletedEventAttributes ?? event.activityTaskFailedEventAttributes;
    if (done) busy.push(since(String(done.scheduledEventId), at));
    if (event.timerStartedEventAttributes) startedBy.set(`timer:${id}`, at);
    if (event.timerFiredEventAttributes) busy.push(since(`timer:${String(event.timerFiredEventAttributes.startedEventId)}`, at));
    if (event.workflowTaskStartedEventAttributes) localFrom = at;
    const localDone = localActivityDoneAt(event);
    if (localDone !== undefined) {
      busy.push({ from: localFrom, to: Math.max(localFrom, localDone) });
      localFrom = localDone;
    }
    const execution = event.childWorkflowExecutionCompletedEventAttributes?.workflowExecution;
    if (execution?.workflowId && execution.runId) busy.push(...(await busyIntervals(temporal, execution.workflowId, execution.runId)).busy);
  }
  const first = events[0];
  const last = events.at(-1);
  return { span: first && last ? { from: eventTime(first), to: eventTime(last) } : undefined, busy };
};

/** One run's time not spent in activities, timers or its children's work. */
const overheadOf = async (temporal: Client, workflowId: string, runId: string): Promise<number> => {
  const { span, busy } = await busyIntervals(temporal, workflowId, runId);
  return span ? span.to - span.from - covered(busy) : 0;
};

/** Run time minus time spent in activities and durable timers (children's included), per run. */
export const temporalOverheadRow = async (temporal: Client, workflowIds: readonly { workflowId: string; runId: string }[]): Promise<BenchRow> => {
  const overheads: number[] = [];
  for (const { workflowId, runId } of workflowIds) overheads.push(await overheadOf(temporal, workflowId, runId));
  return timingRow('Temporal overhead per remediation (run − activities − timers)', overheads);
};
