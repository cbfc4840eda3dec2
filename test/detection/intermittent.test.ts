import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { DEFAULT_POLICY } from '#core';
import { Fleet } from '#devstack';
import { PolicyStore, connectEtcd } from '#etcd';
import { connectTemporalClient } from '../support/temporal-client.js';
import { DetectorProcess } from './support/detector-process.js';
import { waitForRemediation } from './support/remediation-runs.js';

const FREEZE_MS = 400;
const PERIOD_MS = 2_000;

describe('intermittent hangs', () => {
  let fleet: Fleet;
  let temporal: Awaited<ReturnType<typeof connectTemporalClient>>;
  let detector: DetectorProcess;
  let freezing: NodeJS.Timeout | undefined;

  beforeAll(async () => {
    fleet = await Fleet.start({ gateways: 0, worker: false, useExisting: false });
    // Only the detector may trigger here.
    await fleet.startWorker({ WATCH_LEASES: 'false' });
    temporal = await connectTemporalClient(fleet.stack);
    detector = await DetectorProcess.start(fleet, 'det-i');
    // Freezes this short must never add up to a suspect here (on a loaded machine two misses
    // can become three): the point is what the availability window sees below that tier.
    const etcd = connectEtcd(fleet.stack.etcd.endpoints);
    const policy = await new PolicyStore(etcd)
      .publish({ ...DEFAULT_POLICY, detector: { ...DEFAULT_POLICY.detector, missesToSuspect: 8 } })
      .finally(() => etcd.close());
    await detector.waitForEvent('policy-applied', undefined, (l) => l.version === policy.version);
  });

  afterAll(async () => {
    clearInterval(freezing);
    await detector?.stop();
    await temporal?.close();
    await fleet?.stop();
  });

  it('should find a gateway frozen 400 ms out of every 2 s intermittent, cost it score, and start a remediation for it', async () => {
    const gateway = await fleet.startGateway('flaky-1', { GATEWAY_LEASE_TTL_SECONDS: '2' });
    await detector.waitForEvent('answering', 'flaky-1');
    const since = Date.now();
    // SIGSTOP/SIGCONT: the whole process freezes, as under a stop-the-world pause or CPU starvation.
    const freezeOnce = (): void => {
      gateway.app.process.signal('SIGSTOP');
      setTimeout(() => gateway.app.process.signal('SIGCONT'), FREEZE_MS);
    };
    freezing = setInterval(freezeOnce, PERIOD_MS);

    const run = await waitForRemediation(temporal.client, 'flaky-1', since, 90_000);
    clearInterval(freezing);
    gateway.app.process.signal('SIGCONT');

    expect(run.request.trigger).toBe('detector');
    const evidence = run.evidence;
    expect(evidence).toMatchObject({ gatewayId: 'flaky-1', tier: 'availability', classification: 'intermittent' });
    expect(evidence?.facts).toContain('intermittent');
    // It never looked hung to the tiers: each freeze is shorter than missesToSuspect pings.
    expect(evidence?.facts).not.toContain('heartbeatLost');
    expect(evidence?.verdict).toEqual({ actions: ['degrade'], rule: 'degrade-intermittent' });
    const availability = evidence?.availability;
    expect(availability?.observedMs).toBeGreaterThanOrEqual(DEFAULT_POLICY.detector.availability.minObservedMs);
    expect(availability?.stallsPerMinute).toBeGreaterThanOrEqual(DEFAULT_POLICY.detector.availability.intermittentStallsPerMinute);
    expect(availability?.unavailableFraction).toBeGreaterThanOrEqual(DEFAULT_POLICY.detector.availability.intermittentUnavailableFraction);
    expect(evidence?.score).toBeLessThan(100);
    expect(run.request.reason).toMatch(/intermittent: [\d.]+ stalls\/min, unavailable [\d.]+ %/);
  });
});
