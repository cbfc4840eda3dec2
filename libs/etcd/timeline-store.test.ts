import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { type Etcd3 } from 'etcd3';
import { DEFAULT_POLICY, type TimelineObservation, recordedTriggerOf } from '#core';
import { type EtcdServer, startEtcd } from '#devstack';
import { endedRun, hang, quiet, recordMoments } from '../core/policy-lab/test-fixtures.js';
import { connectEtcd } from './connect.js';
import { timelineEventsPrefix, timelinePrefix } from './keys.js';
import { DEFAULT_TIMELINE_RETENTION, TimelineStore } from './timeline-store.js';

const HOUR = 3_600_000;
const T0 = Date.parse('2026-12-01T00:00:00Z');

/** One observation every minute for `hours`, as a detector would keep a quiet gateway's timeline. */
const minutely = (gatewayId: string, hours: number, detectorId = 'det-a'): TimelineObservation[] =>
  recordMoments(gatewayId, DEFAULT_POLICY, Array.from({ length: hours * 60 }, (_, i) => quiet(T0 + i * 60_000)), detectorId);

describe(TimelineStore.name, () => {
  let server: EtcdServer;
  let etcd: Etcd3;
  let store: TimelineStore;

  beforeAll(async () => {
    server = await startEtcd();
    etcd = connectEtcd(server.endpoints);
    store = new TimelineStore(etcd);
  });

  afterAll(async () => {
    etcd?.close();
    await server?.stop();
  });

  it('should read back a window in time order, every detector at its edges included, and list the gateways', async () => {
    const a = recordMoments('gw-read', DEFAULT_POLICY, [quiet(T0), ...hang(T0, 3), quiet(T0 + 500)], 'det-a');
    const b = recordMoments('gw-read', DEFAULT_POLICY, [quiet(T0 + 200)], 'det-b');
    await store.append([...a, ...b]);
    const { observations, corrupt } = await store.read('gw-read', T0 + 100, T0 + 300);
    expect(corrupt).toBe(0);
    expect(observations.map((o) => [o.atMs - T0, o.detectorId])).toEqual([[100, 'det-a'], [200, 'det-a'], [200, 'det-b'], [300, 'det-a']]);
    expect(await store.gatewayIds()).toContain('gw-read');
  });

  it('should drop what is older than the retention', async () => {
    await store.append(minutely('gw-age', 3));
    await store.prune('gw-age', T0 + 3 * HOUR, { ...DEFAULT_TIMELINE_RETENTION, maxAgeMs: HOUR, maxEntriesPerGateway: 1_000_000 });
    const { observations } = await store.read('gw-age', 0, T0 + 10 * HOUR);
    expect(observations).toHaveLength(60);
    expect(observations[0]?.atMs).toBe(T0 + 2 * HOUR);
  });

  it('should keep at most the size cap per gateway, the newest, and leave other gateways alone', async () => {
    await store.append([...minutely('gw-cap', 2), ...minutely('gw-other', 1)]);
    await store.prune('gw-cap', T0 + 2 * HOUR, { ...DEFAULT_TIMELINE_RETENTION, maxEntriesPerGateway: 100 });
    const kept = (await store.read('gw-cap', 0, T0 + 10 * HOUR)).observations;
    expect(kept).toHaveLength(100);
    expect(kept.at(-1)?.atMs).toBe(T0 + 119 * 60_000);
    expect(await etcd.getAll().prefix(timelinePrefix('gw-other')).count()).toBe(60);
  });

  it('should skip and count a record that does not parse', async () => {
    await etcd.put(`${timelinePrefix('gw-bad')}000001796083200000.000/det-a`).value('{"not":"an observation"}');
    expect(await store.read('gw-bad', 0, Number.MAX_SAFE_INTEGER / 2)).toEqual({ observations: [], corrupt: 1 });
  });

  it('should keep a run once however often its ending is written, beside the triggers, in time order', async () => {
    const run = endedRun('gw-runs', { requestedAt: T0 + 1_000 });
    const lease = recordedTriggerOf({ gatewayId: 'gw-runs', trigger: 'lease-expired', reason: 'registration lease expired', requestedAt: T0 + 3_000 }, 'lease-watcher', {
      workflowId: 'remediate:gw-runs',
      runId: run.runId,
      delivery: 'joined',
    });
    // A retried activity writes the same run again.
    await store.recordEvent(lease);
    await store.recordEvent(run);
    await store.recordEvent(run);
    expect(await store.readEvents('gw-runs', T0, T0 + HOUR)).toEqual({ events: [run, lease], corrupt: 0 });
    expect(await store.readEvents('gw-runs', T0 + 2_000, T0 + HOUR)).toEqual({ events: [lease], corrupt: 0 });
    expect(await store.gatewayIds()).toContain('gw-runs');
  });

  it('should keep at most the cap of events per gateway, and refuse to write a record its schema refuses', async () => {
    for (let i = 0; i < 12; i++) await store.recordEvent(endedRun('gw-many-runs', { requestedAt: T0 + i * 60_000 }));
    await store.pruneEvents('gw-many-runs', T0 + HOUR, { ...DEFAULT_TIMELINE_RETENTION, maxEventsPerGateway: 10 });
    const { events } = await store.readEvents('gw-many-runs', 0, T0 + HOUR);
    expect(events.map((e) => (e.kind === 'run' ? e.requestedAt - T0 : -1))).toEqual(Array.from({ length: 10 }, (_, i) => (i + 2) * 60_000));
    await expect(store.recordEvent({ ...endedRun('gw-many-runs', { requestedAt: T0 }), outcomeReason: 'x'.repeat(5_000) })).rejects.toThrow();
  });

  it('should skip and count an event that does not parse or is too large to be one', async () => {
    const prefix = timelineEventsPrefix('gw-bad-events');
    await etcd.put(`${prefix}000001796083200000.000/run:a`).value('{"kind":"run"}');
    await etcd.put(`${prefix}000001796083200001.000/run:b`).value(JSON.stringify({ ...endedRun('gw-bad-events', { requestedAt: 1 }), padding: 'x'.repeat(70_000) }));
    expect(await store.readEvents('gw-bad-events', 0, Number.MAX_SAFE_INTEGER / 2)).toEqual({ events: [], corrupt: 2 });
  });
});
