import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { Fleet, type HomeostatProcess, startApp, waitUntil } from '#devstack';
import { FleetRegistry } from '#etcd';
import { runsOf, waitForRemediation } from './detection/support/remediation-runs.js';
import { connectTemporalClient } from './support/temporal-client.js';

const electedIn = (app: HomeostatProcess): boolean => app.process.tail(400).includes('"event":"leader-elected"');

/**
 * Two workers on one task queue (a third joins later); the lease-expiry watcher (a singleton
 * duty) runs in the one elected through etcd. SIGKILL the leader: the other takes the duty
 * over, and a gateway dying afterwards still gets exactly one run; one dying while no worker
 * leads gets its run from the next leader, which reads on from where the last one stopped.
 */
describe('worker leader election through etcd', () => {
  let fleet: Fleet;
  let second: HomeostatProcess;
  let third: HomeostatProcess | undefined;
  let temporal: Awaited<ReturnType<typeof connectTemporalClient>>;

  beforeAll(async () => {
    fleet = await Fleet.start({ gateways: 3, worker: true, useExisting: false });
    second = await startWorker('worker-2');
    temporal = await connectTemporalClient(fleet.stack);
  });

  const startWorker = (name: string) => startApp('worker', { name, logDir: fleet.logDir, env: { ...fleet.stack.env, SWEEP_SCHEDULE: 'off', LEADER_TTL_SECONDS: '1' } });

  afterAll(async () => {
    await third?.process.stop();
    await second?.process.stop();
    await temporal?.close();
    await fleet?.stop();
  });

  it('should run the lease-expiry watcher in one worker only', () => {
    expect(electedIn(fleet.worker!)).toBe(true);
    expect(electedIn(second)).toBe(false);
  });

  it('should hand the watcher to the other worker when the leader is SIGKILLed, without starting a run twice', async () => {
    fleet.worker!.process.signal('SIGKILL');
    await waitUntil('the second worker leads', async () => electedIn(second), { timeoutMs: 15_000 });
    const killedAt = Date.now();
    await fleet.killGateway('gw-1');
    const run = await waitForRemediation(temporal.client, 'gw-1', killedAt, 30_000);
    expect(run.request.trigger).toBe('lease-expired');
    // Give a duplicate every chance to appear before counting.
    await new Promise((resolve) => setTimeout(resolve, 3_000));
    expect(await runsOf(temporal.client, 'gw-1')).toHaveLength(1);
  });

  it('should start a run for a lease that lapsed while no worker led, once the next leader reads on from where the last one stopped', async () => {
    third = await startWorker('worker-3');
    const next = third;
    // Frozen, it cannot take the lead: between the leader's death and the lapse no worker watches.
    next.process.signal('SIGSTOP');
    try {
      second.process.signal('SIGKILL');
      const killedAt = Date.now();
      await fleet.killGateway('gw-2');
      const etcd = fleet.stack.connectEtcd();
      await waitUntil('gw-2 gone from the registry', async () => (await new FleetRegistry(etcd).get('gw-2')) === undefined).finally(() => etcd.close());
      next.process.signal('SIGCONT');
      await waitUntil('the third worker leads', async () => electedIn(next), { timeoutMs: 15_000 });
      expect(next.process.tail(400)).toMatch(/"event":"lease-watch-started"[^\n]*"resumed":true/);
      const run = await waitForRemediation(temporal.client, 'gw-2', killedAt, 30_000);
      expect(run.request).toMatchObject({ trigger: 'lease-expired', reason: expect.stringContaining('lease backstop') });
    } finally {
      next.process.signal('SIGCONT');
    }
  });
});
