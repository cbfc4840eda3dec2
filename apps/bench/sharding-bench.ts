import { DEFAULT_POLICY, type ObserverMember, type Policy, observersFor } from '#core';
import { Fleet, type HomeostatProcess, JsonLog, waitUntil } from '#devstack';
import { PolicyStore } from '#etcd';
import { ChannelOnlyAgent } from './channel-only-agent.js';
import { answeringIn } from './fleet-ha-bench.js';
import { type BenchRow, timingRow } from './report-table.js';
import { writeSyntheticGateways } from './synthetic-fleet.js';

/**
 * The size. On the 2-core machine it is the edge: in stop 23 it churned twice (detector
 * loops stalled, their 2 s membership leases lapsed, the shards churned); in stop 24 it ran clean
 * three times. `--sharding-agents N` tries another size (1 200 always ran clean).
 */
const DEFAULT_AGENTS = 2_000;
const ZONES = ['zone-a', 'zone-b', 'zone-c'] as const;
/** Each kill moves a third of the fleet: a few kills give hundreds of samples. */
const MAX_KILLS = 3;
/**
 * The row measures membership (who watches what after a kill), not the fast probe, so the detectors
 * ping once a second and a late pong is no miss. At the default 100 ms, 2 000 agents (in this process)
 * and their 20 000 pings a second starved the two cores: after 3 min each detector heard about 370 of
 * its 667 answer; at 900 agents the detectors' membership leases lapsed and the shards churned.
 * One observer per gateway: two would double the watches for no more to measure here.
 */
const POLICY: Policy = {
  ...DEFAULT_POLICY,
  name: 'sharding-bench',
  detector: { ...DEFAULT_POLICY.detector, pingIntervalMs: 1_000, pongTimeoutMs: 2_000, observers: 1 },
};

interface Observer {
  readonly member: ObserverMember;
  app: HomeostatProcess;
  log: JsonLog;
}

/**
 * Sharding at fleet size: three detectors share 1 200 synthetic agents by default (each the real
 * control-channel server on its own port, in the bench's process). A detector is SIGKILLed and
 * its third of the fleet moves to the survivors: each gateway's time from the kill to its new
 * owner hearing it answer, by the time the owner logged it.
 */
export const benchSharding = async (runs: number, agentCount = DEFAULT_AGENTS): Promise<BenchRow[]> => {
  const fleet = await Fleet.start({ gateways: 0, worker: false, useExisting: false });
  const etcd = fleet.stack.connectEtcd();
  const lease = etcd.lease(30);
  const agents = new Map<string, ChannelOnlyAgent>();
  const observers: Observer[] = [];
  const startObserver = async (member: ObserverMember): Promise<Observer> => {
    const env = { ...fleet.stack.env, DETECTOR_ID: member.id, DETECTOR_ZONE: member.zone, DETECTOR_LEASE_TTL_SECONDS: '2' };
    return { member, ...(await JsonLog.startApp('detector', { name: member.id, logDir: fleet.logDir, env })) };
  };
  const ownerOf = (gatewayId: string, among: readonly Observer[]): Observer => {
    const id = observersFor(gatewayId, among.map((o) => o.member), 1)[0]?.id;
    return among.find((o) => o.member.id === id) as Observer;
  };
  const settled = (ids: readonly string[]) =>
    waitUntil(
      `each of ${ids.length} agents answering its observer`,
      async () => {
        const answering = new Map(observers.map((o) => [o, answeringIn(o.log.lines)]));
        return ids.every((id) => answering.get(ownerOf(id, observers))?.has(id));
      },
      { timeoutMs: 180_000, intervalMs: 1_000 },
    );
  try {
    await new PolicyStore(etcd).publish(POLICY);
    const ids = Array.from({ length: agentCount }, (_, i) => `shard-${i}`);
    for (const id of ids) agents.set(id, await ChannelOnlyAgent.start(id, fleet.stack.controlSecret));
    // Detectors first: the first one up would otherwise take the whole fleet until the others joined,
    // and at about a core per 1 000 watches it could not answer its readiness probe meanwhile.
    for (const zone of ZONES) observers.push(await startObserver({ id: `shard-detector-${zone}`, zone }));
    await writeSyntheticGateways(etcd, ids.map((id) => ({ id, controlUrl: agents.get(id)?.controlUrl })), lease);
    await settled(ids);

    const rewatched: number[] = [];
    const moved: number[] = [];
    for (let kill = 0; kill < Math.min(runs, MAX_KILLS); kill++) {
      const victim = observers[kill % observers.length] as Observer;
      const survivors = observers.filter((o) => o !== victim);
      const heirs = new Map([...answeringIn(victim.log.lines)].map((id) => [id, ownerOf(id, survivors)]));
      const cursors = new Map(survivors.map((o) => [o, o.log.lines.length]));
      moved.push(heirs.size);
      const killedAt = Date.now();
      victim.app.process.signal('SIGKILL');
      await victim.app.process.exited;
      // Read each survivor's new lines once: hundreds of gateways move, and a poll per gateway would load the bench.
      await waitUntil(
        `${heirs.size} gateways watched again`,
        async () => {
          for (const survivor of survivors) {
            const lines = survivor.log.lines;
            for (const line of lines.slice(cursors.get(survivor))) {
              if (line.event !== 'answering' || typeof line.gatewayId !== 'string' || heirs.get(line.gatewayId) !== survivor) continue;
              rewatched.push(Number(line.time) - killedAt);
              heirs.delete(line.gatewayId);
            }
            cursors.set(survivor, lines.length);
          }
          return heirs.size === 0;
        },
        { timeoutMs: 120_000, intervalMs: 100 },
      );
      const restarted = await startObserver(victim.member);
      victim.app = restarted.app;
      victim.log = restarted.log;
      await settled(ids);
    }
    return [
      { ...timingRow(`${agentCount} agents, 3 detectors: detector SIGKILL → each of its gateways watched again`, rewatched), id: 'sharding.detector-kill.rewatched' },
      { id: 'sharding.detector-kill.moved', metric: '  gateways that changed hands per kill (mean)', count: Math.round(moved.reduce((a, b) => a + b, 0) / Math.max(1, moved.length)), unit: 'gateways' },
    ];
  } finally {
    await Promise.all(observers.map((o) => o.app.process.stop()));
    for (const agent of agents.values()) agent.crash();
    await lease.revoke().catch(() => undefined);
    etcd.close();
    await fleet.stop();
  }
};
