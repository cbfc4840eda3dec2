import { setTimeout as sleep } from 'node:timers/promises';
import { type RunRecord } from '#core';
import { waitUntil } from '#devstack';
import { RemediationClient } from '#temporal';
import { type ChaosContext, type InjectedFault, type Scenario } from '../scenario.js';

const sessionsOn = async (context: ChaosContext, id: string): Promise<number> => (await context.load.report()).byGateway[id] ?? 0;

/**
 * Starts an operator's remediation of one gateway (quarantine + migrate) and runs
 * `disrupt` once part of its sessions have moved and part have not: the middle of
 * the migration, seen from the clients.
 */
const disruptMidMigration = async (context: ChaosContext, what: string, disrupt: () => Promise<void>): Promise<InjectedFault> => {
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
  await disrupt();
  return { at, victims: [id], recover: async () => undefined };
};

/** Runs that took a gateway out of rotation and say they healed it. */
const acting = (runs: readonly RunRecord[]): RunRecord[] =>
  runs.filter((r) => r.type === 'remediateGateway' && r.outcome === 'healed' && (r.actions ?? []).some((a) => a !== 'none' && a !== 'observe'));

const noRunActed = (runs: readonly RunRecord[]): string[] =>
  acting(runs).map((r) => `${r.workflowId} acted (${r.actions?.join('+')}) on a fleet whose gateways were healthy`);

export const workerKilledMidMigration: Scenario = {
  name: 'worker-sigkill-mid-migration',
  fault: 'SIGKILL the worker halfway through a migration',
  expected: 'the run resumes on the restarted worker and finishes; every session is moved exactly once',
  profiles: ['ci', 'full'],
  expectsRun: true,
  movesSessions: true,
  inject: (context) =>
    disruptMidMigration(context, 'worker SIGKILL', async () => {
      const worker = context.fleet.worker;
      if (!worker) throw new Error('this fleet runs no worker');
      context.processes.killed('worker', worker.process.pid);
      worker.process.signal('SIGKILL');
      await worker.process.exited;
      await context.fleet.startWorker();
    }),
};

export const temporalRestartMidMigration: Scenario = {
  name: 'temporal-restart-mid-migration',
  fault: 'restart the Temporal server halfway through a migration',
  expected: 'the run continues from its history once Temporal is back; every session is moved exactly once',
  profiles: ['full'],
  expectsRun: true,
  movesSessions: true,
  requires: ['temporal'],
  inject: (context) =>
    disruptMidMigration(context, 'Temporal restart', async () => {
      const server = context.fleet.stack.temporalServer;
      if (!server) throw new Error('Temporal is not embedded (TEMPORAL_ADDRESS): this scenario needs to restart it');
      await server.restart();
    }),
};

export const etcdPaused: Scenario = {
  name: 'etcd-paused-3s',
  fault: 'SIGSTOP etcd 3 s',
  expected: 'gateways keep serving their sessions; every one is registered again after the thaw; no run acts on the healthy fleet',
  profiles: ['ci', 'full'],
  expectsRun: false,
  movesSessions: false,
  requires: ['etcd'],
  inject: async (context) => {
    const etcd = context.fleet.stack.etcdServer;
    if (!etcd) throw new Error('etcd is not embedded (ETCD_ENDPOINTS): this scenario needs to pause it');
    const at = Date.now();
    etcd.pause();
    const thawed = sleep(3_000).then(() => etcd.resume());
    return { at, victims: [], recover: () => thawed };
  },
  check: noRunActed,
};

export const etcdKilledAndRestarted: Scenario = {
  name: 'etcd-kill-restart',
  fault: 'SIGKILL etcd, restart it on its data dir 1 s later',
  expected: 'gateways register again on the restarted etcd; no run acts on the healthy fleet; nothing lost',
  profiles: ['ci', 'full'],
  expectsRun: false,
  movesSessions: false,
  requires: ['etcd'],
  inject: async (context) => {
    const etcd = context.fleet.stack.etcdServer;
    if (!etcd) throw new Error('etcd is not embedded (ETCD_ENDPOINTS): this scenario needs to restart it');
    const at = Date.now();
    const restarted = etcd.restart({ downForMs: 1_000 });
    return { at, victims: [], recover: () => restarted };
  },
  check: noRunActed,
};

export const detectorKilledDuringHang: Scenario = {
  name: 'detector-killed-during-hang',
  fault: 'hang a gateway 8 s; SIGKILL the detector 150 ms in, start a new one 1 s later',
  expected: 'the new detector (or lease expiry) still starts a remediation; clients leave the silent gateway and resume elsewhere',
  profiles: ['full'],
  expectsRun: true,
  movesSessions: true,
  inject: async (context) => {
    const [id] = (await context.victims(1)) as [string];
    const at = Date.now();
    await context.fleet.control(id).injectFault({ kind: 'hang', forMs: 8_000 });
    await sleep(150);
    const detector = context.fleet.detectors.find((d) => d.process.running);
    if (detector) {
      context.processes.killed('detector', detector.process.pid);
      detector.process.signal('SIGKILL');
      await detector.process.exited;
    }
    await sleep(1_000);
    await context.fleet.startDetector(`detector-${context.fleet.detectors.length + 1}`);
    return { at, victims: [id], recover: () => sleep(Math.max(0, at + 8_000 - Date.now())) };
  },
};
