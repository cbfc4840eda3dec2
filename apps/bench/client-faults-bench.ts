import { RemoteSwarm, type SwarmReport } from '#client';
import { GatewayVitalsSchema } from '#core';
import { Fleet, RawReader, waitUntil } from '#devstack';
import { connectEtcd, vitalsKey } from '#etcd';
import { type BenchRow, timingRow } from './report-table.js';

/** The demo's rate: ~1 KB/s per client, so the kernel's buffers would take half an hour to fill. */
const MESSAGES_PER_SECOND = 20;
const VITALS_INTERVAL_MS = 250;
const WEDGED_SESSIONS = 500;

const swarmUntil = (swarm: RemoteSwarm, what: string, accept: (r: SwarmReport) => boolean): Promise<SwarmReport> =>
  waitUntil(what, async () => {
    const report = await swarm.report();
    return accept(report) ? report : undefined;
  }, { timeoutMs: 120_000, intervalMs: 50 });

/** A raw `ws` client stops reading; how long until its gateway's vitals say write-blocked (by default settings). */
const benchSlowReader = async (fleet: Fleet, runs: number): Promise<BenchRow[]> => {
  const gateway = await fleet.startGateway('bench-slow', { VITALS_INTERVAL_MS: String(VITALS_INTERVAL_MS) });
  const etcd = connectEtcd(fleet.stack.etcd.endpoints);
  const found: number[] = [];
  try {
    for (let run = 0; run < runs; run++) {
      const reader = new RawReader(gateway.address, `slow-${run}`, 'ticker');
      try {
        await reader.reading();
        const stoppedAt = Date.now();
        reader.stopReading();
        await waitUntil('vitals saying write-blocked', async () => {
          const raw = await etcd.get(vitalsKey(gateway.id)).string();
          return raw !== null && GatewayVitalsSchema.parse(JSON.parse(raw)).writeBlocked;
        }, { timeoutMs: 120_000, intervalMs: 20 });
        found.push(Date.now() - stoppedAt);
      } finally {
        reader.close();
      }
      await waitUntil('the gateway unblocked again', async () => {
        const raw = await etcd.get(vitalsKey(gateway.id)).string();
        return raw !== null && !GatewayVitalsSchema.parse(JSON.parse(raw)).writeBlocked;
      }, { timeoutMs: 60_000, intervalMs: 50 });
    }
  } finally {
    etcd.close();
    await gateway.app.process.stop();
    fleet.gateways.delete(gateway.id);
  }
  return [timingRow(`slow reader (${MESSAGES_PER_SECOND} msg/s) → write-blocked in vitals`, found)];
};

/** 500 clients on a gateway that is SIGSTOPped: how long until every one is on another gateway, and what was lost. */
const benchWedged = async (fleet: Fleet, runs: number): Promise<BenchRow[]> => {
  const allElsewhere: number[] = [];
  const firstElsewhere: number[] = [];
  let lost = 0;
  let disorder = 0;
  for (let run = 0; run < runs; run++) {
    const wedged = await fleet.startGateway(`bench-wedged-${run}`);
    const others = [...fleet.gateways.values()].filter((g) => g.id !== wedged.id).map((g) => g.address);
    const swarm = await RemoteSwarm.start({ prefix: `wedged-${run}`, count: WEDGED_SESSIONS, gateways: [wedged.address, ...others], topics: ['ticker'] });
    try {
      await swarmUntil(swarm, 'every client receiving on the gateway', (r) => r.byGateway[wedged.id] === WEDGED_SESSIONS && r.receiving === WEDGED_SESSIONS);
      const stoppedAt = Date.now();
      wedged.app.process.signal('SIGSTOP');
      await swarmUntil(swarm, 'a first client elsewhere', (r) => r.connected - (r.byGateway[wedged.id] ?? 0) > 0);
      firstElsewhere.push(Date.now() - stoppedAt);
      await swarmUntil(swarm, 'every client elsewhere', (r) => r.byGateway[wedged.id] === undefined && r.connected === WEDGED_SESSIONS);
      allElsewhere.push(Date.now() - stoppedAt);
      const head = fleet.publisher.head('ticker');
      const settled = await swarmUntil(swarm, 'every client caught up', (r) => (r.lowestLast.ticker ?? -1) >= head - 1);
      lost += settled.counters.lost;
      disorder += settled.counters.duplicates + settled.counters.reorders;
    } finally {
      await swarm.stop();
      wedged.app.process.signal('SIGCONT');
      await fleet.killGateway(wedged.id);
    }
  }
  return [
    timingRow(`wedged (SIGSTOP), ${WEDGED_SESSIONS} sessions → first elsewhere`, firstElsewhere),
    timingRow(`wedged (SIGSTOP), ${WEDGED_SESSIONS} sessions → all elsewhere`, allElsewhere),
    { metric: `wedged   messages lost (must be 0), ${runs} runs`, count: lost },
    { metric: `wedged   messages duplicated or reordered`, count: disorder },
  ];
};

/** Clients that stop reading, and gateways that stop talking, at the demo's message rate (`npm run bench -- --only client-faults`). */
export const benchClientFaults = async (runs: number): Promise<BenchRow[]> => {
  const fleet = await Fleet.start({ gateways: 2, worker: false, useExisting: false, messagesPerSecond: MESSAGES_PER_SECOND });
  try {
    return [...(await benchSlowReader(fleet, runs)), ...(await benchWedged(fleet, runs))];
  } finally {
    await fleet.stop();
  }
};
