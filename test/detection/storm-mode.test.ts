import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { type Etcd3 } from 'etcd3';
import { type Policy, stormWorkflowId } from '#core';
import { Fleet, type RunningApi, waitUntil } from '#devstack';
import { AuditLog, PolicyStore, StormStore, connectEtcd } from '#etcd';
import { type StormHoldReport } from '../../workflows/storm-hold.js';
import { call } from '../support/http.js';
import { testPolicy } from '../support/policies.js';
import { sample, scrape } from '../support/prometheus.js';
import { connectTemporalClient } from '../support/temporal-client.js';
import { DetectorProcess } from './support/detector-process.js';
import { hasRemediation } from './support/remediation-runs.js';

const GATEWAYS = ['gw-1', 'gw-2', 'gw-3', 'gw-4', 'gw-5', 'gw-6'];

/**
 * Six gateways in one zone: a third of them (3, at least minSuspects) turning suspect within the
 * window is a storm. The blast radius and the rate limit are out of the way, so what stops the
 * removals is storm mode alone.
 */
const stormPolicy = (quietMs: number): Policy => testPolicy('storm-tests', 1, { storm: { fleetFraction: 0.3, zoneFraction: 1, windowMs: 10_000, quietMs, minSuspects: 3 } });

describe('storm mode', () => {
  let fleet: Fleet;
  let etcd: Etcd3;
  let api: RunningApi;
  let detector: DetectorProcess;
  let temporal: Awaited<ReturnType<typeof connectTemporalClient>>;

  beforeAll(async () => {
    fleet = await Fleet.start({ gateways: 0, worker: true, useExisting: false });
    etcd = connectEtcd(fleet.stack.etcd.endpoints);
    temporal = await connectTemporalClient(fleet.stack);
    await new PolicyStore(etcd).publish(stormPolicy(3_000));
    api = await fleet.startApi();
    detector = await DetectorProcess.start(fleet, 'det-storm');
    for (const id of GATEWAYS) {
      await fleet.startGateway(id);
      await detector.waitForEvent('answering', id);
    }
    // The detector reads the fleet it counts fractions of every second: let it read the last gateway too.
    await new Promise((resolve) => setTimeout(resolve, 1_500));
  });

  afterAll(async () => {
    await detector?.stop();
    await temporal?.close();
    etcd?.close();
    await fleet?.stop();
  });

  const hang = (ids: readonly string[]) => Promise.all(ids.map((id) => fleet.control(id).injectFault({ kind: 'hang' })));
  const resume = (ids: readonly string[]) => Promise.all(ids.map((id) => fleet.control(id).clearFaults('hang')));
  const remediated = async (ids: readonly string[]) => (await Promise.all(ids.map(async (id) => ((await hasRemediation(temporal.client, id)) ? [id] : [])))).flat();
  const stormOn = () => waitUntil('a storm in etcd', async () => (await new StormStore(etcd).read()).storm ?? undefined, { timeoutMs: 20_000 });
  const stormRun = (sinceMs: number) => temporal.client.workflow.getHandle(stormWorkflowId(sinceMs));

  it('should pause removals when a third of the fleet hangs at once, explain it in one needs-human run, and lift by itself once quiet', async () => {
    const wave = ['gw-1', 'gw-2', 'gw-3', 'gw-4'];
    await hang(wave);
    const storm = await stormOn();
    expect(storm).toMatchObject({ scope: 'fleet', reason: expect.stringMatching(/^3 of 6 gateways suspect within 10000 ms/) });
    // The two suspects before the threshold were removed as usual; the third began the storm instead.
    await detector.waitForEvent('remediation-skipped', undefined, (l) => String(l.why).startsWith('storm mode since'));
    await new Promise((resolve) => setTimeout(resolve, 2_000));
    expect(await remediated(wave)).toHaveLength(2);

    const report = await waitUntil('the storm run', () => stormRun(storm.sinceMs).query<StormHoldReport>('report').catch(() => undefined));
    expect(report).toMatchObject({ outcome: 'needs-human', scope: 'fleet', outcomeReason: expect.stringContaining('automatic removals paused') });
    const view = await call({ url: api.url, token: api.tokenFor('viewer') }, 'GET', '/v1/storm');
    expect(view).toMatchObject({ status: 200, body: { storm: { scope: 'fleet', workflowId: stormWorkflowId(storm.sinceMs) } } });
    const metrics = await scrape(`${detector.app.ready.opsUrl as string}/metrics`);
    expect(sample(metrics, 'homeostat_storm_active', { scope: 'fleet' })).toBe(1);
    expect(sample(metrics, 'homeostat_storm_paused_removals_total')).toBeGreaterThan(0);

    // The cause goes away; after the quiet period (3 s with no new suspect) the storm lifts by itself.
    await resume(wave);
    const ended: StormHoldReport = await stormRun(storm.sinceMs).result();
    expect(ended).toMatchObject({ outcome: 'lifted', liftedBy: 'quiet', outcomeReason: expect.stringMatching(/^lifted by quiet: no gateway turned suspect for \d+ s/) });
    expect((await new StormStore(etcd).read()).storm).toBeNull();
    expect(await remediated(wave)).toHaveLength(2);
  });

  it('should let an admin lift a storm, audit who did, and resume the removals it paused', async () => {
    await new PolicyStore(etcd).publish(stormPolicy(600_000));
    const serving = GATEWAYS.filter((id) => !['gw-1', 'gw-2', 'gw-3', 'gw-4'].includes(id));
    const before = await remediated(GATEWAYS);
    const wave = [...serving, ...GATEWAYS.filter((id) => !before.includes(id) && !serving.includes(id))];
    await hang(wave);
    const storm = await stormOn();
    await detector.waitForEvent('remediation-skipped', undefined, (l) => String(l.why).startsWith(`storm mode since ${new Date(storm.sinceMs).toISOString()}`));

    const viewer = await call({ url: api.url, token: api.tokenFor('viewer') }, 'POST', '/v1/storm/lift', { reason: 'not mine to lift' });
    expect(viewer.status).toBe(403);
    const lifted = await call({ url: api.url, token: api.tokenFor('admin') }, 'POST', '/v1/storm/lift', { reason: 'the switch is fixed' });
    expect(lifted).toMatchObject({ status: 200, body: { lifted: { sinceMs: storm.sinceMs }, lift: { reason: 'the switch is fixed' } } });
    expect((await call({ url: api.url, token: api.tokenFor('admin') }, 'POST', '/v1/storm/lift', { reason: 'again' })).status).toBe(409);
    const ended: StormHoldReport = await stormRun(storm.sinceMs).result();
    expect(ended).toMatchObject({ outcome: 'lifted', outcomeReason: 'lifted by ' + String(lifted.body.lift.by) + ': the switch is fixed' });
    expect((await new AuditLog(etcd).recent(5)).find((r) => r.action === 'storm.lift')).toMatchObject({ role: 'admin', detail: { reason: 'the switch is fixed' } });

    // Removals resume: every hung gateway of the wave gets its run now (suspects from before the lift begin no new storm).
    await waitUntil('every hung gateway remediated', async () => (await remediated(wave)).length === wave.length, { timeoutMs: 30_000 });
    expect((await new StormStore(etcd).read()).storm).toBeNull();
  });
});
