import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { type Etcd3 } from 'etcd3';
import { type EtcdServer, startEtcd, waitUntil } from '#devstack';
import { FleetRegistry, connectEtcd } from '#etcd';
import { type MembershipEvent, RegistrationKeeper } from './registration-keeper.js';

const registration = {
  id: 'gw-keep',
  address: 'ws://127.0.0.1:1/ws',
  controlUrl: 'http://127.0.0.1:1',
  capacity: 10,
  zone: 'local',
  version: '0',
  instanceId: 'instance-keep',
};

describe(RegistrationKeeper.name, () => {
  let server: EtcdServer;
  let etcd: Etcd3;
  let keeper: RegistrationKeeper;
  const events: MembershipEvent[] = [];
  const clients: Etcd3[] = [];

  /** A fresh client per look: the keeper's own lost etcd too, and a client that saw it go fails fast for a while. */
  const registered = async (): Promise<string | undefined> => {
    const look = connectEtcd(server.endpoints);
    try {
      return (await new FleetRegistry(look).get(registration.id))?.instanceId;
    } catch {
      return undefined;
    } finally {
      look.close();
    }
  };

  beforeAll(async () => {
    server = await startEtcd();
    etcd = connectEtcd(server.endpoints);
    keeper = new RegistrationKeeper({
      registration,
      leaseTtlSeconds: 1,
      etcd,
      connect: () => {
        const fresh = connectEtcd(server.endpoints);
        clients.push(fresh);
        return fresh;
      },
      onEvent: (event) => events.push(event),
    });
    await keeper.start();
  });

  afterAll(async () => {
    server?.resume();
    keeper?.close();
    etcd?.close();
    clients.forEach((c) => c.close());
    await server?.stop();
  });

  it('should register under a lease with its instance id', async () => {
    expect(keeper.registered).toBe(true);
    expect(await registered()).toBe('instance-keep');
    expect(events).toEqual([{ kind: 'registered', incarnation: 1, attempt: 0 }]);
  });

  it('should register again under a fresh lease after etcd was frozen past the TTL, retrying until etcd answers', async () => {
    server.pause();
    await waitUntil('the lease lost', async () => events.some((e) => e.kind === 'lease-lost'), { timeoutMs: 10_000 });
    expect(keeper.registered).toBe(false);
    expect(keeper.lease).toBeUndefined();
    // Attempts against a frozen etcd fail (time out) and are retried.
    await waitUntil('a failed attempt', async () => events.some((e) => e.kind === 're-register-failed'), { timeoutMs: 10_000 });
    const stalledAt = keeper.lastRenewedAt;
    server.resume();
    await waitUntil('registered again', async () => keeper.registered, { timeoutMs: 10_000 });
    expect(events.at(-1)).toMatchObject({ kind: 'registered', incarnation: 2 });
    expect(keeper.lastRenewedAt).toBeGreaterThan(stalledAt);
    await waitUntil('the registration back in etcd', async () => (await registered()) === 'instance-keep');
    const failures = events.filter((e): e is Extract<MembershipEvent, { kind: 're-register-failed' }> => e.kind === 're-register-failed');
    // Every wait stays within the backoff cap (2 s).
    expect(failures.every((f) => f.retryInMs <= 2_000)).toBe(true);
  });

  it('should keep the registration alive under the new lease', async () => {
    const renewed = keeper.lastRenewedAt;
    await waitUntil('a keep-alive on the new lease', async () => keeper.lastRenewedAt > renewed);
    expect(await registered()).toBe('instance-keep');
  });
});
