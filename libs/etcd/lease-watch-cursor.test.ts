import { afterAll, beforeAll, beforeEach, describe, expect, it } from '@jest/globals';
import { type Etcd3 } from 'etcd3';
import { type EtcdServer, startEtcd, waitUntil } from '#devstack';
import { connectEtcd } from './connect.js';
import { type FleetEvent, FleetRegistry } from './fleet-registry.js';
import { type CorruptRecordError } from './json-value.js';
import { LEASE_WATCH_CURSOR_KEY, gatewayKey } from './keys.js';
import { LeaseWatchCursor } from './lease-watch-cursor.js';

const registration = (id: string): string => JSON.stringify({ id, address: 'ws://127.0.0.1:1/ws', controlUrl: 'http://127.0.0.1:1', capacity: 10, zone: 'z1', instanceId: `i-${id}` });

describe(LeaseWatchCursor.name, () => {
  let server: EtcdServer;
  let etcd: Etcd3;
  let cursor: LeaseWatchCursor;
  const corrupt: CorruptRecordError[] = [];

  beforeAll(async () => {
    server = await startEtcd();
    etcd = connectEtcd(server.endpoints);
    cursor = new LeaseWatchCursor(etcd);
  });

  beforeEach(async () => {
    corrupt.length = 0;
    await etcd.delete().key(LEASE_WATCH_CURSOR_KEY);
  });

  afterAll(async () => {
    etcd.close();
    await server.stop();
  });

  const revisionNow = async (): Promise<string> => (await etcd.get(LEASE_WATCH_CURSOR_KEY).exec()).header.revision;

  it('should start after now when no leader saved a cursor', async () => {
    const now = await revisionNow();
    expect(await cursor.startingPoint((e) => corrupt.push(e))).toEqual({ after: now, resumed: false });
  });

  it('should replay what changed after the saved revision, through the registry watch', async () => {
    const saved = await revisionNow();
    await cursor.save(saved);
    // While no leader watches: one gateway registers, another's registration goes away.
    await etcd.put(gatewayKey('gw-a')).value(registration('gw-a'));
    await etcd.put(gatewayKey('gw-b')).value(registration('gw-b'));
    await etcd.delete().key(gatewayKey('gw-b'));

    const start = await cursor.startingPoint((e) => corrupt.push(e));
    expect(start).toEqual({ after: saved, resumed: true });
    const seen: string[] = [];
    const revisions: string[] = [];
    const stop = await new FleetRegistry(etcd).watch(
      (event: FleetEvent, revision) => {
        seen.push(`${event.kind} ${event.kind === 'registered' ? event.gateway.id : event.gatewayId}`);
        revisions.push(revision);
      },
      (e) => {
        throw e;
      },
      { after: start.after },
    );
    try {
      await waitUntil('the three changes replayed', async () => seen.length === 3);
      expect(seen).toEqual(['registered gw-a', 'registered gw-b', 'vanished gw-b']);
      expect(revisions.map(BigInt).every((r) => r > BigInt(saved))).toBe(true);
    } finally {
      await stop();
    }
  });

  it('should start after now, and say so, when the saved cursor is not a revision', async () => {
    await etcd.put(LEASE_WATCH_CURSOR_KEY).value('twelve');
    const now = await revisionNow();
    expect(await cursor.startingPoint((e) => corrupt.push(e))).toEqual({ after: now, resumed: false });
    expect(corrupt.map((e) => e.message)).toEqual([expect.stringContaining('not a revision')]);
  });

  it('should start after now when the history since the saved revision was compacted away', async () => {
    const saved = await revisionNow();
    await cursor.save(saved);
    await etcd.put(gatewayKey('gw-c')).value(registration('gw-c'));
    await etcd.kv.compact({ revision: await revisionNow() });
    const now = await revisionNow();
    expect(await cursor.startingPoint((e) => corrupt.push(e))).toEqual({ after: now, resumed: false });
    expect(corrupt).toEqual([]);
  });

  it('should start after now when the saved revision is ahead of etcd (restored from an older backup)', async () => {
    await etcd.put(LEASE_WATCH_CURSOR_KEY).value('999999999');
    const now = await revisionNow();
    expect(await cursor.startingPoint((e) => corrupt.push(e))).toEqual({ after: now, resumed: false });
  });
});
