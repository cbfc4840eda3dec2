import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { type ObserverMember, observersFor } from '#core';
import { Fleet, waitUntil } from '#devstack';
import { DetectorProcess, type LogLine } from './support/detector-process.js';
import { watchedBy } from './support/watched-gateways.js';

const GATEWAYS = ['gw-1', 'gw-2', 'gw-3', 'gw-4', 'gw-5', 'gw-6'];
const TTL_SECONDS = 1;

const handOvers = (detector: DetectorProcess, after: number): LogLine[] => detector.lines.slice(after).filter((l) => l.event === 'gateway-handed-over');

/**
 * Sharded detection on real processes: three detectors in three zones share six real
 * gateways, two observers each (the default policy), assigned by rendezvous hashing over
 * the detectors registered under etcd leases.
 */
describe('detectors sharing the fleet', () => {
  let fleet: Fleet;
  const detectors = new Map<string, { process: DetectorProcess; zone: string }>();

  const start = async (id: string, zone: string) => {
    const process = await DetectorProcess.start(fleet, id, { DETECTOR_ZONE: zone, DETECTOR_LEASE_TTL_SECONDS: String(TTL_SECONDS) });
    detectors.set(id, { process, zone });
    return process;
  };

  const members = (): ObserverMember[] => [...detectors].map(([id, { zone }]) => ({ id, zone }));

  /** Every gateway is watched by exactly the detectors rendezvous hashing names for it. */
  const assignmentSettled = () =>
    GATEWAYS.every((gw) => {
      const expected = observersFor(gw, members(), 2).map((m) => m.id).sort();
      const actual = [...detectors].filter(([, d]) => watchedBy(d.process).has(gw)).map(([id]) => id).sort();
      return expected.join() === actual.join();
    });

  beforeAll(async () => {
    fleet = await Fleet.start({ gateways: 0, worker: false, useExisting: false });
    for (const id of GATEWAYS) await fleet.startGateway(id);
    await start('det-a', 'zone-a');
    await start('det-b', 'zone-b');
    await start('det-c', 'zone-c');
  });

  afterAll(async () => {
    for (const { process } of detectors.values()) await process.stop();
    await fleet?.stop();
  });

  it('should watch each gateway from two detectors in different zones', async () => {
    await waitUntil('the assignment settles', async () => assignmentSettled(), { timeoutMs: 20_000 });
    for (const gw of GATEWAYS) {
      const zones = [...detectors.values()].filter((d) => watchedBy(d.process).has(gw)).map((d) => d.zone);
      expect(new Set(zones).size).toBe(2);
    }
  });

  it("should hand a SIGKILLed detector's gateways to the others, and move nothing else", async () => {
    const survivors = ['det-a', 'det-b'].map((id) => detectors.get(id)!.process);
    const marks = survivors.map((d) => d.lines.length);
    const victim = detectors.get('det-c')!;
    const owned = [...watchedBy(victim.process)];
    victim.process.app.process.signal('SIGKILL');
    detectors.delete('det-c');
    await waitUntil('its gateways are watched by two detectors again', async () => assignmentSettled(), { timeoutMs: 10_000 + TTL_SECONDS * 1_000 });
    // The survivors only took gateways on; none was ever dropped, so no gateway went unwatched.
    survivors.forEach((d, i) => expect(handOvers(d, marks[i]!)).toEqual([]));
    // What changed hands is what the dead detector had watched.
    const taken = survivors.flatMap((d, i) => d.lines.slice(marks[i]).filter((l) => l.event === 'gateway-joined').map((l) => l.gatewayId));
    expect(new Set(taken)).toEqual(new Set(owned));
  });

  it('should give a joining detector its share, taken only from the gateways it now observes', async () => {
    const before = new Map([...detectors].map(([id, d]) => [id, d.process.lines.length]));
    const joined = await start('det-d', 'zone-c');
    await waitUntil('the new detector has its share', async () => assignmentSettled(), { timeoutMs: 20_000 });
    const share = watchedBy(joined);
    expect(share.size).toBeGreaterThan(0);
    for (const [id, mark] of before) {
      for (const line of handOvers(detectors.get(id)!.process, mark)) expect(share.has(line.gatewayId as string)).toBe(true);
    }
  });
});
