import { setTimeout as sleep } from 'node:timers/promises';
import { type EtcdServer, waitUntil } from '#devstack';
import { RemediationClient } from '#temporal';
import { type ChaosContext, type InjectedFault, type Scenario } from '../scenario.js';
import { type Recovery, fleetWideFault, freeze, onOneGateway, sigkill } from './fault-tools.js';

const sessionsOn = async (context: ChaosContext, id: string): Promise<number> => (await context.load.report()).byGateway[id] ?? 0;

/**
 * Starts an operator's remediation of one gateway (quarantine + migrate) and runs
 * `disrupt` once part of its sessions have moved and part have not: the middle of
 * the migration, seen from the clients.
 */
const disruptMidMigration = async (context: ChaosContext, what: string, disrupt: () => Promise<Recovery | void>): Promise<InjectedFault> => {
  const [id] = (await context.victims(1)) as [string];
  const before = await sessionsOn(context, id);
  if (before < 2) throw new Error(`${id} holds ${before} sessions: nothing to catch halfway`);
  const at = Date.now();
  await new RemediationClient(context.temporal).start({ gatewayId: id, trigger: 'api', reason: `chaos: ${what} mid-migration`, requestedAt: at });
  const left = await waitUntil(
    `${id}'s migration halfway`,
    async () => {
      const now = await sessionsOn(context, id);
      return now < before && now > 0 ? now : undefined;
    },
    { timeoutMs: 30_000, intervalMs: 20 },
  );
  context.log(`${what} with ${left} of ${before} sessions still on ${id}`);
  const recover = await disrupt();
  return { at, victims: [id], recover: recover ?? (async () => undefined) };
};

const runningWorker = (context: ChaosContext) => {
  const worker = context.fleet.worker;
  if (!worker) throw new Error('this fleet runs no worker');
  return worker.process;
};

const MIGRATION = { profiles: ['ci', 'full'], expectsRun: true, movesSessions: true } as const;

export const workerKilledMidMigration: Scenario = {
  ...MIGRATION,
  name: 'worker-sigkill-mid-migration',
  fault: 'SIGKILL the worker halfway through a migration',
  expected: 'the run resumes on the restarted worker and finishes; every session is moved exactly once',
  inject: (context) =>
    disruptMidMigration(context, 'worker SIGKILL', async () => {
      await sigkill(context, 'worker', runningWorker(context));
      await context.fleet.startWorker();
    }),
};

/** Long enough for the worker's activity heartbeats and its leader lease (2 s) to lapse. */
const WORKER_FROZEN_MS = 5_000;

export const workerFrozenMidMigration: Scenario = {
  ...MIGRATION,
  profiles: ['full'],
  name: 'worker-sigstop-mid-migration',
  fault: `SIGSTOP the worker ${WORKER_FROZEN_MS / 1_000} s halfway through a migration`,
  expected: 'the migration pauses while the worker is frozen and finishes after the thaw (timed-out activities retried); every session is moved exactly once',
  inject: (context) =>
    disruptMidMigration(context, 'worker SIGSTOP', async () => {
      const thawed = freeze(runningWorker(context), WORKER_FROZEN_MS);
      return () => thawed;
    }),
};

export const temporalRestartMidMigration: Scenario = {
  ...MIGRATION,
  profiles: ['full'],
  name: 'temporal-restart-mid-migration',
  fault: 'restart the Temporal server halfway through a migration',
  expected: 'the run continues from its history once Temporal is back; every session is moved exactly once',
  requires: ['temporal'],
  inject: (context) =>
    disruptMidMigration(context, 'Temporal restart', async () => {
      const server = context.fleet.stack.temporalServer;
      if (!server) throw new Error('Temporal is not embedded (TEMPORAL_ADDRESS): this scenario needs to restart it');
      await server.restart();
    }),
};

/** A fault in the embedded etcd (skipped against ETCD_ENDPOINTS), played in both profiles. */
const etcdFault = (name: string, fault: string, expected: string, hit: (etcd: EtcdServer) => Recovery): Scenario =>
  fleetWideFault({ name, fault, expected, profiles: ['ci', 'full'], requires: ['etcd'] }, async (context) => {
    const etcd = context.fleet.stack.etcdServer;
    if (!etcd) throw new Error('etcd is not embedded (ETCD_ENDPOINTS): this scenario needs to stop it');
    return hit(etcd);
  });

export const etcdPaused = etcdFault(
  'etcd-paused-3s',
  'SIGSTOP etcd 3 s',
  'gateways keep serving their sessions; every one is registered again after the thaw; no run acts on the healthy fleet',
  (etcd) => {
    etcd.pause();
    const thawed = sleep(3_000).then(() => etcd.resume());
    return () => thawed;
  },
);

export const etcdKilledAndRestarted = etcdFault(
  'etcd-kill-restart',
  'SIGKILL etcd, restart it on its data dir 1 s later',
  'gateways register again on the restarted etcd; no run acts on the healthy fleet; nothing lost',
  (etcd) => {
    const restarted = etcd.restart({ downForMs: 1_000 });
    return () => restarted;
  },
);

export const detectorKilledDuringHang: Scenario = {
  name: 'detector-killed-during-hang',
  fault: 'hang a gateway 8 s; SIGKILL the detector 150 ms in, start a new one 1 s later',
  expected: 'the new detector (or lease expiry) still starts a remediation; clients leave the silent gateway and resume elsewhere',
  profiles: ['full'],
  expectsRun: true,
  movesSessions: true,
  inject: onOneGateway(async (context, id) => {
    const at = Date.now();
    await context.fleet.control(id).injectFault({ kind: 'hang', forMs: 8_000 });
    await sleep(150);
    const detector = context.fleet.detectors.find((d) => d.process.running);
    if (detector) await sigkill(context, 'detector', detector.process);
    await sleep(1_000);
    await context.fleet.startDetector(`detector-${context.fleet.detectors.length + 1}`);
    return () => sleep(Math.max(0, at + 8_000 - Date.now()));
  }),
};
