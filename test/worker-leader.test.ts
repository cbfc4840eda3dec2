import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { Fleet, type HomeostatProcess, startApp, waitUntil } from '#devstack';
import { runsOf, waitForRemediation } from './detection/support/remediation-runs.js';
import { connectTemporalClient } from './support/temporal-client.js';

const electedIn = (app: HomeostatProcess): boolean => app.process.tail(400).includes('"event":"leader-elected"');

/**
 * Two workers on one task queue; the lease-expiry watcher (a singleton duty) runs in the
 * one elected through etcd. SIGKILL the leader: the other takes the duty over, and a
 * gateway dying afterwards still gets exactly one run.
 */
describe('worker leader election through etcd', () => {
  let fleet: Fleet;
  let second: HomeostatProcess;
  let temporal: Awaited<ReturnType<typeof connectTemporalClient>>;

  beforeAll(async () => {
    fleet = await Fleet.start({ gateways: 3, worker: true, useExisting: false });
    second = await startApp('worker', { name: 'worker-2', logDir: fleet.logDir, env: { ...fleet.stack.env, SWEEP_SCHEDULE: 'off', LEADER_TTL_SECONDS: '1' } });
    temporal = await connectTemporalClient(fleet.stack);
  });

  afterAll(async () => {
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
});
