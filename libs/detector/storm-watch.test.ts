import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from '@jest/globals';
import { type Etcd3 } from 'etcd3';
import { DEFAULT_POLICY, type StormState, type StormSuspect } from '#core';
import { type EtcdServer, startEtcd, waitUntil } from '#devstack';
import { StormStore, connectEtcd } from '#etcd';
import { StormWatch } from './storm-watch.js';
import { silentLog } from './testing/detector-rig.js';

const FLEET = ['gw-1', 'gw-2', 'gw-3', 'gw-4', 'gw-5', 'gw-6'].map((id) => ({ id, zone: 'z1' }));
const SETTINGS = { ...DEFAULT_POLICY.guardrails.storm, fleetFraction: 0.3, zoneFraction: 1, windowMs: 10_000, quietMs: 5_000, minSuspects: 3 };

describe(StormWatch.name, () => {
  let server: EtcdServer;
  let etcd: Etcd3;
  let store: StormStore;
  let now: number;
  let elsewhere: StormSuspect[];
  let announced: StormState[];
  let watch: StormWatch;

  const startWatch = async (overrides: Partial<ConstructorParameters<typeof StormWatch>[0]> = {}): Promise<StormWatch> => {
    watch = new StormWatch({
      store,
      downElsewhere: async () => elsewhere,
      fleet: async () => FLEET,
      settings: () => SETTINGS,
      now: () => now,
      announce: async (storm) => announced.push(storm),
      log: silentLog,
      refreshMs: 20,
      ...overrides,
    });
    await watch.start();
    return watch;
  };

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
    now = 1_000_000;
    elsewhere = [];
    announced = [];
  });

  afterEach(() => watch?.stop());

  it('should admit removals below the threshold and begin a storm, in etcd and announced once, with the one that tips it', async () => {
    await startWatch();
    expect(watch.admit('gw-1')).toEqual({ paused: false });
    expect(watch.admit('gw-2')).toEqual({ paused: false });
    const third = watch.admit('gw-3');
    expect(third).toMatchObject({ paused: true, storm: { scope: 'fleet', suspects: ['gw-1', 'gw-2', 'gw-3'] } });
    expect(watch.admit('gw-4').paused).toBe(true);
    await waitUntil('the storm saved and announced', async () => announced.length === 1 && (await store.read()).storm !== null);
    expect((await store.read()).storm).toMatchObject({ sinceMs: now, scope: 'fleet' });
  });

  it("should count other observers' suspects, and adopt a storm another detector began", async () => {
    elsewhere = [
      { gatewayId: 'gw-4', sinceMs: now - 1_000 },
      { gatewayId: 'gw-5', sinceMs: now - 500 },
    ];
    await startWatch();
    expect(watch.admit('gw-6')).toMatchObject({ paused: true, storm: { suspects: ['gw-4', 'gw-5', 'gw-6'] } });
    await watch.stop();

    await etcd.delete().all();
    elsewhere = [];
    await store.begin({ sinceMs: now - 100, scope: 'zone:z1', suspects: ['gw-1', 'gw-2', 'gw-3'], lastSuspectAtMs: now - 100, reason: 'another detector saw it' });
    await startWatch();
    expect(watch.admit('gw-1')).toMatchObject({ paused: true, storm: { reason: 'another detector saw it' } });
  });

  it('should lift the storm once quiet and under the threshold, and not begin it again from suspects older than the lift', async () => {
    await startWatch();
    ['gw-1', 'gw-2', 'gw-3'].forEach((id) => watch.admit(id));
    await waitUntil('the storm saved', async () => (await store.read()).storm !== null);
    // Quiet for longer than the quiet period, but the window still holds three suspects: still a storm.
    now += SETTINGS.quietMs + 1;
    await new Promise((resolve) => setTimeout(resolve, 100));
    expect((await store.read()).storm).not.toBeNull();
    now += SETTINGS.windowMs - SETTINGS.quietMs;
    await waitUntil('the storm lifted', async () => (await store.read()).lift?.by === 'quiet');
    expect(watch.storm).toBeNull();
    // gw-1..3 are still suspects, but from before the lift: they start removals again, one by one.
    expect(watch.admit('gw-1')).toEqual({ paused: false });
    expect(watch.admit('gw-4')).toEqual({ paused: false });
  });

  it('should hold the storm it knows while etcd cannot be read, and begin one it cannot save yet', async () => {
    let reachable = true;
    const flaky = { read: () => (reachable ? store.read() : Promise.reject(new Error('etcd away'))), begin: (s: StormState) => (reachable ? store.begin(s) : Promise.reject(new Error('etcd away'))), update: store.update.bind(store), lift: store.lift.bind(store) };
    await startWatch({ store: flaky });
    reachable = false;
    ['gw-1', 'gw-2'].forEach((id) => watch.admit(id));
    expect(watch.admit('gw-3').paused).toBe(true);
    now += SETTINGS.quietMs * 10;
    await new Promise((resolve) => setTimeout(resolve, 100));
    expect(watch.storm).not.toBeNull();
    expect(announced).toHaveLength(0);
    reachable = true;
    await waitUntil('the storm saved and announced once etcd is back', async () => announced.length === 1);
    expect(announced[0]?.sinceMs).toBe(1_000_000);
    // Its quiet period passed while etcd was away: once it can be written, it lifts.
    await waitUntil('the storm lifted', async () => (await store.read()).lift?.by === 'quiet');
  });
});
