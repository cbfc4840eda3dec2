import { type ChildProcess, spawn } from 'node:child_process';
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { type Etcd3 } from 'etcd3';
import { type EtcdServer, startEtcd, waitUntil } from '#devstack';
import { createLogger } from '#runtime';
import { connectEtcd } from './connect.js';
import { EtcdElector } from './etcd-elector.js';

const log = createLogger('elector-test');
log.level = 'silent';

/** A separate process that wins the election first and then dies without resigning. */
const spawnLeader = (endpoint: string, election: string): ChildProcess =>
  spawn(
    process.execPath,
    [
      '--input-type=module',
      '-e',
      `import { Etcd3 } from 'etcd3'; const c = new Etcd3({ hosts: [${JSON.stringify(endpoint)}] }).election(${JSON.stringify(election)}, 1).campaign('doomed'); c.on('elected', () => console.log('elected')); setInterval(() => {}, 1000);`,
    ],
    { stdio: ['ignore', 'pipe', 'ignore'] },
  );

describe(EtcdElector.name, () => {
  let server: EtcdServer;
  let observer: Etcd3;
  const clients: Etcd3[] = [];
  const connect = () => {
    const client = connectEtcd(server.endpoints);
    clients.push(client);
    return client;
  };
  const elector = (electionName: string, identity: string) => new EtcdElector({ connect, electionName, identity, ttlSeconds: 1, log, retryMs: 100 });

  beforeAll(async () => {
    server = await startEtcd();
    observer = connectEtcd(server.endpoints);
  });

  afterAll(async () => {
    for (const client of clients) client.close();
    observer.close();
    await server.stop();
  });

  it('should run the duty in one replica only, and hand it over when the leader resigns', async () => {
    const running = new Set<string>();
    const duty = (name: string) => async () => {
      running.add(name);
      return async () => void running.delete(name);
    };
    const resignA = await elector('e1', 'a').campaign(duty('a'));
    expect([...running]).toEqual(['a']);
    const resignB = await elector('e1', 'b').campaign(duty('b'));
    // B returned as a follower: its duty does not run while A leads.
    expect([...running]).toEqual(['a']);
    await resignA();
    await waitUntil('b takes over', async () => running.has('b'), { timeoutMs: 5_000 });
    expect([...running]).toEqual(['b']);
    await resignB();
    expect(running.size).toBe(0);
  });

  it('should take over from a leader process that was SIGKILLed, about one lease TTL later', async () => {
    const leader = spawnLeader(server.endpoints[0]!, 'e2');
    let taken = false;
    try {
      await new Promise<void>((resolve) => leader.stdout!.on('data', (d: Buffer) => d.toString().includes('elected') && resolve()));
      const resign = await elector('e2', 'survivor').campaign(async () => {
        taken = true;
        return async () => undefined;
      });
      expect(taken).toBe(false);
      leader.kill('SIGKILL');
      await waitUntil('the survivor leads', async () => taken, { timeoutMs: 10_000 });
      expect(await observer.election('e2').leader()).toBe('survivor');
      await resign();
    } finally {
      leader.kill('SIGKILL');
    }
  });
});
