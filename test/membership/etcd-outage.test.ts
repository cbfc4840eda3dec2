import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { type PushClient } from '#client';
import { type GatewayRegistration } from '#core';
import { type EtcdServer, Fleet, type RunningGateway, waitUntil } from '#devstack';
import { FleetRegistry, GatewayStateStore, QuarantineSet, connectEtcd } from '#etcd';
import { RemediationClient } from '#temporal';
import { connectClients, totals } from '../support/clients.js';
import { connectTemporalClient } from '../support/temporal-client.js';

const ACTING = new Set(['quarantine', 'degrade', 'migrate', 'drain']);

/** Resolves when the gateway logs `event` (a JSON line with that `event` field). */
const logged = (gateway: RunningGateway, event: string, timeoutMs = 30_000): Promise<true> =>
  gateway.app.process.waitForLine((line) => {
    try {
      return (JSON.parse(line) as { event?: string }).event === event ? true : undefined;
    } catch {
      return undefined;
    }
  }, timeoutMs);

const sleep = (ms: number): Promise<void> => new Promise((resolve) => setTimeout(resolve, ms));

describe('membership through etcd outages', () => {
  let fleet: Fleet;
  let etcdServer: EtcdServer;
  let clients: PushClient[];
  let temporal: Awaited<ReturnType<typeof connectTemporalClient>>;
  let before: Map<string, GatewayRegistration>;

  /** A fresh client per look: one that saw etcd go away fails fast for a while (etcd3's breaker). */
  const withEtcd = async <T>(use: (etcd: ReturnType<typeof connectEtcd>) => Promise<T>): Promise<T> => {
    const etcd = connectEtcd(fleet.stack.etcd.endpoints);
    try {
      return await use(etcd);
    } finally {
      etcd.close();
    }
  };
  const registrations = (): Promise<Map<string, GatewayRegistration>> =>
    withEtcd(async (etcd) => new Map((await new FleetRegistry(etcd).list()).map((g) => [g.id, g])));

  /** Every gateway registered again, by the same process (same instance id) as before the outage. */
  const allBackAsBefore = async (): Promise<boolean> => {
    const now = await registrations().catch(() => new Map<string, GatewayRegistration>());
    return [...before.values()].every((g) => now.get(g.id)?.instanceId === g.instanceId);
  };

  /** No run acted on the fleet since `since`, every gateway still serving, nothing quarantined. */
  const expectFleetUntouched = async (since: Date): Promise<void> => {
    const runs = (await new RemediationClient(temporal.client).list({ since })).runs;
    expect(runs.filter((r) => r.action !== undefined && ACTING.has(r.action))).toEqual([]);
    expect(runs.filter((r) => r.trigger === 'lease-expired')).toEqual([]);
    const [states, quarantined] = await withEtcd(async (etcd) => [await new GatewayStateStore(etcd).list(), await new QuarantineSet(etcd).members()] as const);
    expect([...states.entries()].map(([id, s]) => [id, s.state]).sort()).toEqual([...before.keys()].sort().map((id) => [id, 'serving']));
    expect(quarantined).toEqual({});
  };

  const expectDeliveryIntact = async (): Promise<void> => {
    const received = totals(clients).received;
    await waitUntil('messages still flowing', async () => totals(clients).received > received + clients.length);
    expect(totals(clients)).toMatchObject({ lost: 0, duplicates: 0, reorders: 0 });
  };

  beforeAll(async () => {
    fleet = await Fleet.start({ gateways: 3, worker: true, detector: true, useExisting: false, leaseTtlSeconds: 1 });
    if (!fleet.stack.etcdServer) throw new Error('this test needs the embedded etcd');
    etcdServer = fleet.stack.etcdServer;
    temporal = await connectTemporalClient(fleet.stack);
    const addresses = fleet.gatewayAddresses;
    // Ten clients start on each gateway.
    clients = (await Promise.all(addresses.map((_, i) => connectClients(10, [...addresses.slice(i), ...addresses.slice(0, i)], ['ticker'], `c${i}`)))).flat();
    before = await registrations();
    expect([...before.values()].every((g) => g.instanceId !== undefined)).toBe(true);
  });

  afterAll(async () => {
    etcdServer?.resume();
    clients?.forEach((c) => c.stop());
    await temporal?.close();
    await fleet?.stop();
  });

  it('should bring every gateway back into the registry after etcd is frozen for 5 s, with no run acting on the healthy fleet', async () => {
    const gateways = [...fleet.gateways.values()];
    const reregistered = gateways.map((g) => logged(g, 're-registered'));
    const since = new Date();
    etcdServer.pause();
    await sleep(5_000);
    etcdServer.resume();
    await Promise.all(reregistered);
    await waitUntil('every gateway registered again by the same process', allBackAsBefore, { timeoutMs: 10_000, intervalMs: 100 });
    // Give the lease watchers and the detector time to act if they were going to.
    await sleep(4_000);
    await expectFleetUntouched(since);
    await expectDeliveryIntact();
  });

  it('should bring every gateway back after etcd is killed and restarted on its data dir, with no run acting', async () => {
    const gateways = [...fleet.gateways.values()];
    const reregistered = gateways.map((g) => logged(g, 're-registered'));
    const since = new Date();
    await etcdServer.restart({ downForMs: 3_000 });
    await Promise.all(reregistered);
    await waitUntil('every gateway registered again by the same process', allBackAsBefore, { timeoutMs: 10_000, intervalMs: 100 });
    await sleep(4_000);
    await expectFleetUntouched(since);
    await expectDeliveryIntact();
  });
});
