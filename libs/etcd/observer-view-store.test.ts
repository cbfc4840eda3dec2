import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { type Etcd3 } from 'etcd3';
import { type ObserverView } from '#core';
import { type EtcdServer, startEtcd, waitUntil } from '#devstack';
import { connectEtcd } from './connect.js';
import { DetectorRoster } from './detector-roster.js';
import { type CorruptRecordError } from './json-value.js';
import { observerViewKey } from './keys.js';
import { ObserverViewStore } from './observer-view-store.js';

const view = (detectorId: string, gatewayId: string, status: ObserverView['status']): ObserverView => ({
  detectorId,
  gatewayId,
  instanceId: 'i-1',
  status,
  classification: status === 'down' ? 'crash' : null,
  sinceMs: 1_000,
  atMs: 2_000,
});

describe(ObserverViewStore.name, () => {
  let server: EtcdServer;
  let etcd: Etcd3;
  let roster: DetectorRoster;
  let store: ObserverViewStore;

  beforeAll(async () => {
    server = await startEtcd();
    etcd = connectEtcd(server.endpoints);
    roster = new DetectorRoster(etcd, {
      self: { id: 'det-a', zone: 'z1', startedAt: 0 },
      leaseTtlSeconds: 1,
      connect: () => connectEtcd(server.endpoints),
      onChange: () => undefined,
      onError: () => undefined,
    });
    store = new ObserverViewStore(etcd, (key, value) => roster.putUnderLease(key, value));
  });

  afterAll(async () => {
    await roster.stop();
    etcd.close();
    await server.stop();
  });

  it('should publish nothing before the detector holds its lease', async () => {
    expect(await store.publish(view('det-a', 'gw-1', 'answering'))).toBe(false);
    expect(await store.viewsOf('gw-1', () => undefined)).toEqual([]);
  });

  it("should read back a gateway's views, and only that gateway's", async () => {
    await roster.start();
    expect(await store.publish(view('det-a', 'gw-1', 'down'))).toBe(true);
    await store.publish(view('det-a', 'gw-10', 'answering'));
    expect(await store.viewsOf('gw-1', () => undefined)).toEqual([view('det-a', 'gw-1', 'down')]);
  });

  it('should leave out, and report, a view that does not parse, is too large or sits under another key', async () => {
    await etcd.put(observerViewKey('gw-2', 'det-x')).value('{"not": "a view"}');
    await etcd.put(observerViewKey('gw-2', 'det-y')).value(JSON.stringify({ ...view('det-y', 'gw-2', 'answering'), instanceId: 'x'.repeat(2_000) }));
    await etcd.put(observerViewKey('gw-2', 'det-z')).value(JSON.stringify(view('det-q', 'gw-2', 'answering')));
    await etcd.put(observerViewKey('gw-2', 'det-b')).value(JSON.stringify(view('det-b', 'gw-2', 'answering')));
    const corrupt: CorruptRecordError[] = [];
    expect(await store.viewsOf('gw-2', (e) => corrupt.push(e))).toEqual([view('det-b', 'gw-2', 'answering')]);
    expect(corrupt.map((e) => e.message)).toEqual([
      expect.stringMatching(/det-x holds an invalid record/),
      expect.stringMatching(/det-y holds an invalid record: over 1024 bytes/),
      expect.stringMatching(/det-z holds an invalid record: names det-q about gw-2/),
    ]);
  });

  it('should follow the views that say down: those there at the start, then every change', async () => {
    const put = (gatewayId: string, value: string) => etcd.put(observerViewKey(gatewayId, 'det-x')).value(value);
    await put('gw-5', JSON.stringify(view('det-x', 'gw-5', 'down')));
    const corrupt: CorruptRecordError[] = [];
    const watchErrors: Error[] = [];
    const following = await store.followDown(
      (e) => corrupt.push(e),
      (e) => watchErrors.push(e),
    );
    const downIds = () => following.views().map((v) => `${v.gatewayId}/${v.detectorId}`).sort();
    try {
      expect(downIds()).toEqual(['gw-1/det-a', 'gw-5/det-x']);
      await put('gw-6', JSON.stringify(view('det-x', 'gw-6', 'down')));
      await put('gw-5', JSON.stringify(view('det-x', 'gw-5', 'answering')));
      await put('gw-7', '{"not": "a view"}');
      await waitUntil('the changes followed', async () => downIds().join() === 'gw-1/det-a,gw-6/det-x' && corrupt.some((e) => /gw-7\/det-x holds an invalid record/.test(e.message)));
      await etcd.delete().key(observerViewKey('gw-6', 'det-x'));
      await waitUntil('the deletion followed', async () => downIds().join() === 'gw-1/det-a');
      expect(watchErrors).toEqual([]);
    } finally {
      await following.stop();
      await etcd.delete().prefix(observerViewKey('gw-7', ''));
    }
  });

  it('should withdraw a view, and lose every view with the detector lease', async () => {
    await store.withdraw('gw-10', 'det-a');
    expect(await store.viewsOf('gw-10', () => undefined)).toEqual([]);
    await roster.stop();
    await waitUntil('the views went with the lease', async () => (await store.viewsOf('gw-1', () => undefined)).length === 0, { timeoutMs: 5_000 });
  });
});
