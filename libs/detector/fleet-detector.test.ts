import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { type Etcd3 } from 'etcd3';
import { parseDetectionReason } from '#core';
import { type EtcdServer, startEtcd, waitUntil } from '#devstack';
import { FleetRegistry, GATEWAYS_PREFIX, POLICY_CURRENT_KEY, RttLevelStore, connectEtcd, flagKey, gatewayKey, policyVersionKey, vitalsKey } from '#etcd';
import { FleetDetector } from './fleet-detector.js';
import { ChannelHost, startDetector } from './testing/detector-rig.js';

describe(FleetDetector.name, () => {
  let server: EtcdServer;
  let etcd: Etcd3;
  const hosts: ChannelHost[] = [];
  let rig: Awaited<ReturnType<typeof startDetector>>;

  beforeAll(async () => {
    server = await startEtcd();
    etcd = connectEtcd(server.endpoints);
    rig = await startDetector(etcd);
  });

  afterAll(async () => {
    await rig?.detector.stop();
    await rig?.live.stop();
    await Promise.all(hosts.map((h) => h.stop()));
    etcd?.close();
    await server?.stop();
  });

  const host = async (gatewayId: string): Promise<ChannelHost> => {
    const started = await ChannelHost.start(gatewayId);
    hosts.push(started);
    return started;
  };

  it('should watch a gateway that registers, over its real control channel', async () => {
    const gw = await host('gw-a');
    await new FleetRegistry(etcd).register(gw.registration, 5);
    await waitUntil('the detector to watch gw-a', async () => rig.detector.gatewayIds.includes('gw-a'));
    await waitUntil('gw-a to see a detector on its control channel', async () => gw.channel.detectors === 1);
  });

  it('should publish a watched gateway\'s RTT level once it has learned its baseline, for the workflow and the sweep', async () => {
    const level = await waitUntil('an RTT level for gw-a', async () => new RttLevelStore(etcd).get('gw-a'), { timeoutMs: 30_000 });
    expect(level).toMatchObject({ gatewayId: 'gw-a', detectorId: 'detector-test' });
    expect(level.baselineSamples).toBeGreaterThanOrEqual(20);
    // Loopback round trips are a fraction of a millisecond: kept as measured, not rounded to 0 or 1.
    expect(Number.isInteger(level.baselineMs)).toBe(false);
    expect(level.level).toBeCloseTo(level.windowMeanMs / level.baselineMs, 9);
  });

  it('should count malformed registration, vitals, policy and flag records and keep every watch alive', async () => {
    await etcd.put(gatewayKey('gw-garbage')).value('{not json');
    await etcd.put(`${GATEWAYS_PREFIX}gw-wrong-shape`).value(JSON.stringify({ id: 'gw-wrong-shape', capacity: -1 }));
    await etcd.put(vitalsKey('gw-a')).value(JSON.stringify({ gatewayId: 'gw-a', at: 'yesterday' }));
    await etcd.put(policyVersionKey(17)).value(JSON.stringify({ name: 5 }));
    await etcd.put(POLICY_CURRENT_KEY).value('17');
    await etcd.put(flagKey('detector-shadow')).value('[]');
    await waitUntil('every bad record counted', async () => {
      const counts = rig.corrupt.snapshot;
      return counts.registration === 2 && counts.vitals === 1 && counts.flag === 1 && counts.policy === 1;
    });
    expect(rig.detector.gatewayIds).not.toContain('gw-garbage');

    // The watches still deliver: a gateway registering after the garbage is picked up.
    const later = await host('gw-b');
    await new FleetRegistry(etcd).register(later.registration, 5);
    await waitUntil('the detector to watch gw-b after the garbage', async () => rig.detector.gatewayIds.includes('gw-b'));
    expect(rig.live.policy.version).toBe(1);
  });

  it('should start with a corrupt registration already stored, leaving it out', async () => {
    const second = await startDetector(etcd);
    try {
      expect(second.detector.gatewayIds).toEqual(expect.arrayContaining(['gw-a', 'gw-b']));
      expect(second.detector.gatewayIds).not.toContain('gw-garbage');
      expect(second.corrupt.snapshot.registration).toBe(2);
    } finally {
      await second.detector.stop();
      await second.live.stop();
    }
  });

  it('should keep watching a gateway whose lease lapsed while it still answers, and start nothing', async () => {
    const gw = await host('gw-blip');
    const registration = { ...gw.registration, instanceId: 'instance-1' };
    await new FleetRegistry(etcd).register(registration, 5);
    await waitUntil('gw-blip watched and answering', async () => rig.detector.answering('gw-blip'));
    // What a lapsed lease looks like to a watcher: the key goes, without `leaving`.
    await etcd.delete().key(gatewayKey('gw-blip'));
    await waitUntil('the lapse followed', async () => rig.detector.lapsedGatewayIds.includes('gw-blip'));
    expect(rig.detector.gatewayIds).toContain('gw-blip');

    // The same process registers again: the lapse is over, nothing was started.
    await new FleetRegistry(etcd).register(registration, 5);
    await waitUntil('the lapse over', async () => !rig.detector.lapsedGatewayIds.includes('gw-blip'));
    expect(rig.detector.gatewayIds).toContain('gw-blip');
    expect(rig.remediations.requests.filter((r) => r.gatewayId === 'gw-blip')).toEqual([]);
  });

  it('should remediate a gateway whose lease lapsed and that no longer answers', async () => {
    const gw = await host('gw-dead');
    await new FleetRegistry(etcd).register({ ...gw.registration, instanceId: 'instance-2' }, 5);
    await waitUntil('gw-dead watched and answering', async () => rig.detector.answering('gw-dead'));
    await etcd.delete().key(gatewayKey('gw-dead'));
    await waitUntil('the lapse followed', async () => rig.detector.lapsedGatewayIds.includes('gw-dead'));
    await gw.stop();
    const request = await waitUntil('a remediation of gw-dead', async () => rig.remediations.requests.find((r) => r.gatewayId === 'gw-dead'));
    expect(request.trigger).toBe('detector');
    expect(parseDetectionReason(request.reason)).toMatchObject({ tier: 'lease-expired', classification: 'vanished' });
    await waitUntil('gw-dead no longer watched', async () => !rig.detector.gatewayIds.includes('gw-dead'));
  });
});
