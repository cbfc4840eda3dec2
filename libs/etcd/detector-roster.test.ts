import { type ChildProcess, spawn } from 'node:child_process';
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { type Etcd3 } from 'etcd3';
import { type ObserverMember } from '#core';
import { type EtcdServer, startEtcd, waitUntil } from '#devstack';
import { connectEtcd } from './connect.js';
import { DetectorRoster } from './detector-roster.js';
import { detectorKey } from './keys.js';

/** A process that puts `key` under a 1 s lease and keeps it alive until it is killed. */
const spawnLeaseHolder = (endpoint: string, key: string, value: string): ChildProcess =>
  spawn(
    process.execPath,
    ['--input-type=module', '-e', `import { Etcd3 } from 'etcd3'; const e = new Etcd3({ hosts: [${JSON.stringify(endpoint)}] }); await e.lease(1).put(${JSON.stringify(key)}).value(${JSON.stringify(value)}); setInterval(() => {}, 1000);`],
    { stdio: 'ignore' },
  );

describe(DetectorRoster.name, () => {
  let server: EtcdServer;
  let etcd: Etcd3;
  const clients: Etcd3[] = [];
  const connect = () => {
    const client = connectEtcd(server.endpoints);
    clients.push(client);
    return client;
  };

  const rosters: DetectorRoster[] = [];
  const roster = (id: string, zone: string, seen: (readonly ObserverMember[])[]) => {
    const made = new DetectorRoster(connect(), { self: { id, zone, startedAt: Date.now() }, leaseTtlSeconds: 1, connect, onChange: (m) => seen.push(m), onError: () => undefined });
    rosters.push(made);
    return made;
  };

  const ids = (seen: (readonly ObserverMember[])[]) => (seen.at(-1) ?? []).map((m) => m.id);

  beforeAll(async () => {
    server = await startEtcd();
    etcd = connectEtcd(server.endpoints);
  });

  afterAll(async () => {
    await Promise.all(rosters.map((r) => r.stop()));
    for (const client of clients) client.close();
    etcd.close();
    await server.stop();
  });

  it('should see every live detector, itself included, and one that leaves at once', async () => {
    const seenA: (readonly ObserverMember[])[] = [];
    const a = roster('det-a', 'z1', seenA);
    const b = roster('det-b', 'z2', []);
    await a.start();
    await b.start();
    await waitUntil('a sees b', async () => ids(seenA).join() === 'det-a,det-b', { timeoutMs: 5_000 });
    expect(a.live).toEqual([{ id: 'det-a', zone: 'z1' }, { id: 'det-b', zone: 'z2' }]);
    await b.stop();
    await waitUntil('a sees b leave', async () => ids(seenA).join() === 'det-a', { timeoutMs: 5_000 });
    await a.stop();
  });

  it('should drop a detector whose process died once its lease runs out', async () => {
    const seenA: (readonly ObserverMember[])[] = [];
    const a = roster('det-c', 'z1', seenA);
    await a.start();
    // A real process holding a detector record under a kept-alive lease, then SIGKILLed:
    // nothing renews the lease any more (closing a client in-process would not stop etcd3's keep-alive).
    const doomed = spawnLeaseHolder(server.endpoints[0]!, detectorKey('det-dead'), JSON.stringify({ id: 'det-dead', zone: 'z1', startedAt: 0 }));
    try {
      await waitUntil('c sees the doomed one', async () => ids(seenA).includes('det-dead'), { timeoutMs: 10_000 });
    } finally {
      doomed.kill('SIGKILL');
    }
    await waitUntil('its lease expires', async () => !ids(seenA).includes('det-dead'), { timeoutMs: 10_000 });
    await a.stop();
  });

  it('should ignore a corrupt record instead of counting it as a member', async () => {
    const seen: (readonly ObserverMember[])[] = [];
    const errors: Error[] = [];
    const d = new DetectorRoster(connect(), { self: { id: 'det-d', zone: 'z1', startedAt: 0 }, leaseTtlSeconds: 1, connect, onChange: (m) => seen.push(m), onError: (e) => errors.push(e) });
    rosters.push(d);
    await d.start();
    await etcd.put(detectorKey('det-garbage')).value('{not json');
    await waitUntil('the corrupt record is reported', async () => errors.length > 0, { timeoutMs: 5_000 });
    expect(d.live.map((m) => m.id)).not.toContain('det-garbage');
    await etcd.delete().key(detectorKey('det-garbage'));
    await d.stop();
  });
});
