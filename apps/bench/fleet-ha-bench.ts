import { loadavg } from 'node:os';
import { setTimeout as sleep } from 'node:timers/promises';
import { type Client, Connection, Client as TemporalClient } from '@temporalio/client';
import { type PushClient } from '#client';
import { DEFAULT_POLICY, type ObserverMember, type Policy, type RemediationReport, observersFor, remediationWorkflowId, summarise } from '#core';
import { type EtcdCluster, Fleet, type HomeostatProcess, JsonLog, type JsonLogLine, waitUntil } from '#devstack';
import { PolicyStore } from '#etcd';
import { RemediationClient } from '#temporal';
import { clientsOn, lostDuplicatedOrReordered } from './healing-bench.js';
import { type BenchRow, timingRow } from './report-table.js';

const ZONES = ['zone-a', 'zone-b', 'zone-c'] as const;
/** The fleet of issue 14: 30 gateways in three zones. */
const GATEWAYS_PER_ZONE = 10;
/** The migration rows' fleet: up to eight targets, and four gateways left serving after them. */
const MIGRATION_GATEWAYS_PER_ZONE = 4;
/** Each round kills something and waits for the fleet to settle again: a few show the spread. */
const MAX_RUNS = 5;
/**
 * The shipped default for gateways, detectors and the worker leader. The other sections run at
 * 1 s; 30 gateways and their clients on two cores would lapse healthy 1 s leases under load.
 */
const LEASE_TTL_SECONDS = 2;
/** How long the partitioned observer is watched for a removal that must not come: many detection cycles. */
const PARTITION_WINDOW_MS = 10_000;
const MIGRATING_SESSIONS = 100;

/** Where a long section is, on stderr (the tables go to stdout). */
const progress = (what: string): void => void process.stderr.write(`fleet-ha: ${what} (load ${loadavg()[0]!.toFixed(1)})\n`);

/** The default policy (blast radius and storm mode included): the rows watch what the fleet does by itself. */
const FLEET_POLICY: Policy = { ...DEFAULT_POLICY, name: 'fleet-ha-bench' };

/**
 * The migration rows' own small fleet lets the bench quarantine one gateway after another
 * (six operator runs in a minute, no approval step, storm mode off) and moves sessions in
 * small paced batches, so a migration lasts seconds and the etcd leader dies in the middle.
 */
const MIGRATION_POLICY: Policy = {
  ...DEFAULT_POLICY,
  name: 'fleet-ha-bench-migrations',
  guardrails: {
    ...DEFAULT_POLICY.guardrails,
    maxQuarantinedFraction: 1,
    rateLimit: { maxRemediations: 10_000, windowMs: 60_000, perGatewayCooldownMs: 0 },
    approval: { ...DEFAULT_POLICY.guardrails.approval, requiredFrom: null },
    storm: { ...DEFAULT_POLICY.guardrails.storm, fleetFraction: 1, zoneFraction: 1 },
  },
  migration: { ...DEFAULT_POLICY.migration, batchSize: 10, pauseMs: 200, jitterFraction: 0 },
};

/** A fleet's size and policy: three zones of `gatewaysPerZone` gateways, one detector per zone, two workers. */
interface FleetShape {
  readonly gatewaysPerZone: number;
  readonly policy: Policy;
}

interface Observer {
  readonly member: ObserverMember;
  app: HomeostatProcess;
  log: JsonLog;
}

interface Worker {
  readonly name: string;
  app: HomeostatProcess;
  log: JsonLog;
}

/** Which gateways a detector watches and has heard answer, replayed from its own log. */
export const answeringIn = (lines: readonly JsonLogLine[]): Set<string> => {
  const watched = new Set<string>();
  const answering = new Set<string>();
  for (const { event, gatewayId } of lines) {
    if (typeof gatewayId !== 'string') continue;
    if (event === 'gateway-joined') watched.add(gatewayId);
    if (event === 'answering' && watched.has(gatewayId)) answering.add(gatewayId);
    if (event === 'gateway-handed-over' || event === 'gateway-left' || event === 'gateway-vanished') {
      watched.delete(gatewayId);
      answering.delete(gatewayId);
    }
  }
  return answering;
};

/** Workflows of `type` started since `sinceMs` (Temporal's visibility). */
const startedSince = async (temporal: Client, type: string, sinceMs: number): Promise<string[]> => {
  const ids: string[] = [];
  for await (const run of temporal.workflow.list({ query: `WorkflowType = '${type}' AND StartTime >= '${new Date(sinceMs).toISOString()}'` })) ids.push(run.workflowId);
  return ids;
};

/**
 * Issue 14's figures on one machine: 30 real gateways in three zones, three detectors (one per
 * zone, two observers per gateway), two workers and a 3-member etcd cluster, all real processes.
 * Each row kills or cuts off one part and times how the rest carries on.
 */
class HaFleet {
  /** Gateways the bench itself asked to remediate; any other run is a detector's or the backstop's. */
  readonly asked = new Set<string>();
  /** When every gateway was first watched by its two observers. */
  upAt = 0;

  private constructor(
    readonly fleet: Fleet,
    readonly cluster: EtcdCluster,
    readonly temporal: Client,
    private readonly connection: Connection,
    readonly gateways: readonly { readonly id: string; readonly zone: string }[],
    readonly observers: Observer[],
    readonly workers: Worker[],
  ) {}

  static async start({ gatewaysPerZone, policy }: FleetShape): Promise<HaFleet> {
    const fleet = await Fleet.start({ gateways: 0, worker: false, useExisting: false, etcdMembers: 3, leaseTtlSeconds: LEASE_TTL_SECONDS });
    if (!fleet.stack.etcdCluster) throw new Error('the fleet-ha bench needs the embedded etcd cluster');
    const connection = await Connection.connect(fleet.stack.temporal.connection);
    const temporal = new TemporalClient({ connection, namespace: fleet.stack.temporal.namespace });
    const etcd = fleet.stack.connectEtcd();
    await new PolicyStore(etcd).publish(policy).finally(() => etcd.close());
    const gateways = ZONES.flatMap((zone) => Array.from({ length: gatewaysPerZone }, (_, i) => ({ id: `${zone}-gw-${i + 1}`, zone })));
    const ha = new HaFleet(fleet, fleet.stack.etcdCluster, temporal, connection, gateways, [], []);
    // Five at a time: thirty node processes starting at once starve the two cores.
    for (let i = 0; i < gateways.length; i += 5) await Promise.all(gateways.slice(i, i + 5).map(({ id, zone }) => fleet.startGateway(id, { GATEWAY_ZONE: zone })));
    for (const name of ['worker-1', 'worker-2']) ha.workers.push(await ha.startWorker(name));
    for (const zone of ZONES) ha.observers.push(await ha.startObserver({ id: `detector-${zone}`, zone }));
    await ha.settled();
    ha.upAt = Date.now();
    progress('fleet up and every gateway watched by its two observers');
    return ha;
  }

  async startObserver(member: ObserverMember, env: Record<string, string> = {}): Promise<Observer> {
    const { app, log } = await JsonLog.startApp('detector', {
      name: member.id,
      logDir: this.fleet.logDir,
      env: { ...this.fleet.stack.env, DETECTOR_ID: member.id, DETECTOR_ZONE: member.zone, DETECTOR_LEASE_TTL_SECONDS: String(LEASE_TTL_SECONDS), ...env },
    });
    return { member, app, log };
  }

  async startWorker(name: string): Promise<Worker> {
    const { app, log } = await JsonLog.startApp('worker', { name, logDir: this.fleet.logDir, env: { ...this.fleet.stack.env, SWEEP_SCHEDULE: 'off', LEADER_TTL_SECONDS: String(LEASE_TTL_SECONDS) } });
    return { name, app, log };
  }

  /** Every gateway answers exactly the two detectors rendezvous hashing names for it. */
  async settled(): Promise<void> {
    const members = this.observers.map((o) => o.member);
    await waitUntil(
      'every gateway answering its two observers',
      async () => {
        const answering = new Map(this.observers.map((o) => [o.member.id, answeringIn(o.log.lines)]));
        return this.gateways.every(({ id }) => {
          const expected = observersFor(id, members, 2).map((m) => m.id);
          const actual = [...answering].filter(([, set]) => set.has(id)).map(([detector]) => detector);
          return expected.length === actual.length && expected.every((d) => actual.includes(d));
        });
      },
      { timeoutMs: 60_000, intervalMs: 50 },
    );
  }

  async stop(): Promise<void> {
    await Promise.all([...this.observers, ...this.workers].map((p) => p.app.process.stop()));
    await this.connection.close();
    await this.fleet.stop();
  }
}

/**
 * Detector SIGKILL → each gateway it watched answering its new second observer, by the time
 * that observer logged it. The other observer of each gateway watched on throughout; the
 * victim is started again after each round and takes its share back.
 */
const detectorKills = async (ha: HaFleet, runs: number): Promise<BenchRow[]> => {
  const rewatched: number[] = [];
  for (let run = 0; run < runs; run++) {
    const victim = ha.observers[run % ha.observers.length]!;
    progress(`detector kill ${run + 1} of ${runs}: ${victim.member.id}`);
    const owned = [...answeringIn(victim.log.lines)];
    const survivors = ha.observers.filter((o) => o !== victim);
    const before = survivors.map((o) => ({ observer: o, from: o.log.lines.length, answering: answeringIn(o.log.lines) }));
    const killedAt = Date.now();
    victim.app.process.signal('SIGKILL');
    await victim.app.process.exited;
    const times = await Promise.all(
      owned.map(async (gatewayId) => {
        const heir = before.find((s) => !s.answering.has(gatewayId));
        if (!heir) throw new Error(`${gatewayId}: both survivors already watched it, so the victim was not its observer`);
        const line = await heir.observer.log.waitFor(`${gatewayId} answering ${heir.observer.member.id}`, (l) => l.event === 'answering' && l.gatewayId === gatewayId, { from: heir.from });
        return Number(line.time) - killedAt;
      }),
    );
    rewatched.push(...times);
    const restarted = await ha.startObserver(victim.member);
    victim.app = restarted.app;
    victim.log = restarted.log;
    await ha.settled();
  }
  return [{ ...timingRow(`detector SIGKILL → its gateways watched again (each gateway, ${runs} kills)`, rewatched), id: 'fleet-ha.detector-kill.rewatched' }];
};

/** Worker-leader SIGKILL → the other worker's lease-expiry watch is live, by the time it logged it. */
const workerLeaderKills = async (ha: HaFleet, runs: number): Promise<BenchRow[]> => {
  const resumed: number[] = [];
  const leading = (w: Worker): number => w.log.events('leader-elected').length - w.log.events('leader-lost').length;
  for (let run = 0; run < runs; run++) {
    progress(`worker-leader kill ${run + 1} of ${runs}`);
    const leader = await waitUntil('a worker leads', async () => ha.workers.find((w) => leading(w) > 0 && w.log.events('lease-watch-started').length > 0));
    const heir = ha.workers.find((w) => w !== leader)!;
    const from = heir.log.lines.length;
    const killedAt = Date.now();
    leader.app.process.signal('SIGKILL');
    await leader.app.process.exited;
    const line = await heir.log.waitFor('the other worker watching leases', (l) => l.event === 'lease-watch-started', { from });
    resumed.push(Number(line.time) - killedAt);
    const restarted = await ha.startWorker(leader.name);
    leader.app = restarted.app;
    leader.log = restarted.log;
  }
  return [{ ...timingRow(`worker-leader SIGKILL → lease-expiry watching resumes (${runs} kills)`, resumed), id: 'fleet-ha.worker-leader-kill.watching-resumed' }];
};

/**
 * One observer cut off from a whole zone by fault injection (its probes to those gateways fail,
 * the gateways keep serving), restarted that way and watched for PARTITION_WINDOW_MS: the other
 * observers still see the zone answering, so nothing may be removed.
 */
const partitionFromZone = async (ha: HaFleet): Promise<BenchRow[]> => {
  const observer = ha.observers[0]!;
  progress(`partition of ${observer.member.id}`);
  const cutOffZone = ZONES.find((z) => z !== observer.member.zone)!;
  const cutOff = ha.gateways.filter((g) => g.zone === cutOffZone).map((g) => g.id);
  await observer.app.process.stop();
  const since = Date.now();
  const partitioned = await ha.startObserver(observer.member, { DETECTOR_PARTITION_FROM: cutOff.join(','), DETECTOR_CONNECT_TIMEOUT_MS: '300' });
  await sleep(PARTITION_WINDOW_MS);
  const suspected = new Set(partitioned.log.events('partition-suspected').map((l) => l.gatewayId));
  const removals = await startedSince(ha.temporal, 'remediateGateway', since);
  const storms = await startedSince(ha.temporal, 'stormHold', since);
  await partitioned.app.process.stop();
  const healed = await ha.startObserver(observer.member);
  observer.app = healed.app;
  observer.log = healed.log;
  await ha.settled();
  const label = `observer ${observer.member.id} cut off from ${cutOffZone} (${cutOff.length} gateways), ${PARTITION_WINDOW_MS / 1_000} s`;
  return [
    { id: 'fleet-ha.partition.removals', metric: `${label}: removals started`, count: removals.length, unit: 'runs' },
    { id: 'fleet-ha.partition.suspected-gateways', metric: '  gateways with a partition-suspected finding', count: suspected.size, unit: 'gateways' },
    { id: 'fleet-ha.partition.storms', metric: '  storm runs', count: storms.length, unit: 'runs' },
  ];
};

interface MigrationRound {
  readonly durationMs: number;
  /** The run's own `migrate-sessions` step, which the leader kill falls in. */
  readonly migrateMs: number;
  readonly outcome: string;
  readonly disorder: number;
}

/** A remediation of `gatewayId` under its clients (quarantine, then paced migration); the etcd leader SIGKILLed once sessions move, if asked. */
const migrationRound = async (ha: HaFleet, gatewayId: string, killLeader: boolean): Promise<MigrationRound> => {
  progress(`migration of ${gatewayId}${killLeader ? ', etcd leader killed halfway' : ''}`);
  const clients: PushClient[] = await clientsOn(ha.fleet, gatewayId, MIGRATING_SESSIONS);
  try {
    const startedAt = Date.now();
    const run = await new RemediationClient(ha.temporal).start({ gatewayId, trigger: 'api', reason: 'bench: etcd leader kill mid-migration', requestedAt: startedAt, actions: ['quarantine', 'migrate'] });
    const result = ha.temporal.workflow.getHandle(run.workflowId, run.runId).result() as Promise<RemediationReport>;
    let killed: string | undefined;
    // A run refused by its guardrails moves nothing: it is counted as not healed, with no kill.
    if (killLeader && (await Promise.race([waitUntil('sessions moving', async () => clients.some((c) => c.gatewayId !== gatewayId), { intervalMs: 5 }), result.then(() => false)]))) {
      killed = await ha.cluster.leader();
      await ha.cluster.kill(killed);
    }
    const report = await result;
    const durationMs = Date.now() - startedAt;
    if (killed) await ha.cluster.start(killed);
    const received = clients.reduce((n, c) => n + (c.ledgers.get('ticker')?.received ?? 0), 0);
    await waitUntil('messages flowing after the move', async () => clients.reduce((n, c) => n + (c.ledgers.get('ticker')?.received ?? 0), 0) > received + clients.length);
    const stranded = clients.filter((c) => c.gatewayId === gatewayId).length;
    const step = report.steps.find((st) => st.name === 'migrate-sessions');
    const migrateMs = step?.finishedAt === undefined ? Number.NaN : step.finishedAt - step.startedAt;
    return { durationMs, migrateMs, outcome: report.outcome, disorder: lostDuplicatedOrReordered(clients) + stranded };
  } finally {
    clients.forEach((c) => c.stop());
  }
};

/** The same migration with and without the etcd leader SIGKILLed halfway. */
const etcdLeaderKills = async (ha: HaFleet, runs: number): Promise<BenchRow[]> => {
  // Targets taken from the three zones in turn.
  const round = (killLeader: boolean) => (i: number) => {
    const gatewayId = ha.gateways[(i % ZONES.length) * (ha.gateways.length / ZONES.length) + Math.floor(i / ZONES.length)]!.id;
    ha.asked.add(gatewayId);
    return migrationRound(ha, gatewayId, killLeader);
  };
  const calm: MigrationRound[] = [];
  const killed: MigrationRound[] = [];
  for (let i = 0; i < runs; i++) calm.push(await round(false)(2 * i));
  for (let i = 0; i < runs; i++) killed.push(await round(true)(2 * i + 1));
  const added = summarise(killed.map((r) => r.migrateMs)).p50 - summarise(calm.map((r) => r.migrateMs)).p50;
  return [
    { ...timingRow(`run under ${MIGRATING_SESSIONS} sessions (quarantine + migrate), etcd calm`, calm.map((r) => r.durationMs)), id: 'fleet-ha.etcd-leader-kill.calm-run' },
    { ...timingRow('  its migrate-sessions step', calm.map((r) => r.migrateMs)), id: 'fleet-ha.etcd-leader-kill.calm-migrate' },
    { ...timingRow('same run, etcd leader SIGKILLed mid-migration', killed.map((r) => r.durationMs)), id: 'fleet-ha.etcd-leader-kill.run' },
    { ...timingRow('  its migrate-sessions step', killed.map((r) => r.migrateMs)), id: 'fleet-ha.etcd-leader-kill.migrate' },
    { id: 'fleet-ha.etcd-leader-kill.added', metric: '  migrate step time added by the kill (p50 − p50)', count: Math.round(added), unit: 'ms' },
    { id: 'fleet-ha.etcd-leader-kill.not-healed', metric: '  runs not healed', count: [...calm, ...killed].filter((r) => r.outcome !== 'healed').length, unit: 'runs' },
    { id: 'fleet-ha.etcd-leader-kill.lost-dup-reordered', metric: '  messages lost/dup/reordered, sessions left behind', count: [...calm, ...killed].reduce((n, r) => n + r.disorder, 0) },
  ];
};

/**
 * Runs nobody asked for since the fleet came up: every gateway stayed healthy, so each is a
 * false positive (on two cores, some pongs starve while processes are killed and restarted).
 */
const unaskedRuns = async (ha: HaFleet, id: string, metric: string): Promise<BenchRow> => {
  const unasked = (await startedSince(ha.temporal, 'remediateGateway', ha.upAt)).filter((workflowId) => ![...ha.asked].some((g) => workflowId === remediationWorkflowId(g)));
  return { id, metric, count: unasked.length, unit: 'runs' };
};

/** Runs `measure` on a fresh fleet of `shape`, always stopping it. */
const onFleet = async (shape: FleetShape, measure: (ha: HaFleet) => Promise<BenchRow[]>): Promise<BenchRow[]> => {
  const ha = await HaFleet.start(shape);
  try {
    return await measure(ha);
  } finally {
    await ha.stop();
  }
};

/**
 * `npm run bench -- --only fleet-ha`: 3 detectors, 2 workers and 3 etcd members on 30 gateways,
 * parts killed or cut off one at a time; then the etcd leader killed under migrations, on a
 * fleet of 12 (on two cores, 30 gateways with clients and kills starve into false positives
 * that would swamp the migration figures).
 */
export const benchFleetHa = async (runs: number): Promise<BenchRow[]> => {
  const rounds = Math.min(runs, MAX_RUNS);
  const membership = await onFleet({ gatewaysPerZone: GATEWAYS_PER_ZONE, policy: FLEET_POLICY }, async (ha) => [
    ...(await detectorKills(ha, rounds)),
    ...(await workerLeaderKills(ha, rounds)),
    ...(await partitionFromZone(ha)),
    await unaskedRuns(ha, 'fleet-ha.unasked-runs', 'runs started for healthy gateways (false positives), rows above'),
  ]);
  const migrations = await onFleet({ gatewaysPerZone: MIGRATION_GATEWAYS_PER_ZONE, policy: MIGRATION_POLICY }, async (ha) => [
    ...(await etcdLeaderKills(ha, Math.min(rounds, 4))),
    await unaskedRuns(ha, 'fleet-ha.etcd-leader-kill.unasked-runs', '  runs started for gateways nobody asked for'),
  ]);
  return [...membership, ...migrations];
};
