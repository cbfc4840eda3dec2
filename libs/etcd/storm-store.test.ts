import { afterAll, beforeAll, beforeEach, describe, expect, it } from '@jest/globals';
import { type Etcd3 } from 'etcd3';
import { type StormState } from '#core';
import { type EtcdServer, startEtcd } from '#devstack';
import { AuditLog } from './audit-log.js';
import { connectEtcd } from './connect.js';
import { CorruptRecordError } from './json-value.js';
import { STORM_KEY, STORM_LIFTED_KEY } from './keys.js';
import { StormStore } from './storm-store.js';

const storm = (sinceMs: number, suspects = ['gw-1', 'gw-2', 'gw-3']): StormState => ({
  sinceMs,
  scope: 'fleet',
  suspects,
  lastSuspectAtMs: sinceMs,
  reason: `${suspects.length} of 6 gateways suspect within 10000 ms`,
});

describe(StormStore.name, () => {
  let server: EtcdServer;
  let etcd: Etcd3;
  let store: StormStore;

  beforeAll(async () => {
    server = await startEtcd();
    etcd = connectEtcd(server.endpoints);
    store = new StormStore(etcd);
  });

  afterAll(async () => {
    etcd?.close();
    await server?.stop();
  });

  beforeEach(async () => {
    await etcd.delete().all();
  });

  it('should let the first detector begin a storm and keep its record when a second one races it', async () => {
    const answers = await Promise.all([store.begin(storm(1_000)), store.begin(storm(1_001, ['gw-4', 'gw-5', 'gw-6']))]);
    expect(answers.filter(Boolean)).toHaveLength(1);
    const { storm: on } = await store.read();
    expect(on?.sinceMs).toBe(answers[0] ? 1_000 : 1_001);
  });

  it('should keep suspects current for the storm on, never for one that is over', async () => {
    await store.begin(storm(1_000));
    await store.update({ ...storm(1_000, ['gw-1', 'gw-2', 'gw-3', 'gw-4']), lastSuspectAtMs: 1_500 });
    expect((await store.read()).storm).toMatchObject({ suspects: ['gw-1', 'gw-2', 'gw-3', 'gw-4'], lastSuspectAtMs: 1_500 });
    await store.update({ ...storm(999, ['gw-9']), lastSuspectAtMs: 9_000 });
    expect((await store.read()).storm?.suspects).toHaveLength(4);
  });

  it('should lift only the storm named, record the lift, and audit an admin who lifted it in the same change', async () => {
    await store.begin(storm(1_000));
    expect(await store.lift({ atMs: 2_000, by: 'quiet', reason: 'calm' }, 999)).toBeNull();
    const author = { by: 'alice', role: 'admin', source: 'token-file', at: 2_000 } as const;
    expect(await store.lift({ atMs: 2_000, by: 'alice', reason: 'fixed the switch' }, undefined, author)).toMatchObject({ sinceMs: 1_000 });
    expect(await store.read()).toEqual({ storm: null, lift: { atMs: 2_000, by: 'alice', reason: 'fixed the switch' } });
    expect(await new AuditLog(etcd).recent(1)).toMatchObject([{ action: 'storm.lift', by: 'alice', target: 'storm/fleet', detail: { reason: 'fixed the switch' } }]);
    expect(await store.lift({ atMs: 3_000, by: 'alice', reason: 'again' })).toBeNull();
  });

  it('should refuse a storm record that is not one, naming the key', async () => {
    await etcd.put(STORM_KEY).value('{"sinceMs":"soon"}');
    await expect(store.read()).rejects.toThrow(CorruptRecordError);
    await etcd.put(STORM_KEY).value(JSON.stringify(storm(1_000)));
    await etcd.put(STORM_LIFTED_KEY).value('x'.repeat(20_000));
    await expect(store.read()).rejects.toThrow(`etcd key ${STORM_LIFTED_KEY} holds an invalid record: over 16384 bytes`);
  });
});
