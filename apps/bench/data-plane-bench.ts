import { migrateInBatches, type MigrateResult } from '#agent';
import { mergeReports, RemoteSwarm, type SwarmReport } from '#client';
import { Fleet, waitUntil } from '#devstack';
import { type BenchRow, timingRow } from './report-table.js';

/** One child process holds at most this many clients: a redirect briefly needs two sockets each (20 000 open files per process). */
const CLIENTS_PER_PROCESS = 2_500;
const SIZES = [2_000, 10_000] as const;
const CRASH_SESSIONS = 10_000;
/** Batches of 250 whose redirects spread over 250 ms: targets see ~1 000 arrivals a second at most, never a storm. */
const PACING = { batchSize: 250, pauseMs: 100, jitterMs: 50, spreadMs: 250, batchWaitMs: 60_000 };
const MESSAGES_PER_SECOND = 2;
/**
 * 1 000 connects a second per client process: 10 000 handshakes at once on two cores outlast the
 * clients' handshake deadline, and those clients (rightly) start on the next seed gateway.
 */
const CONNECTS_PER_10_MS = 10;
/** A loaded machine can be slow to answer; the bench measures, it does not give up early. */
const CONTROL_TIMEOUT_MS = 60_000;

const label = (sessions: number): string => `${sessions / 1_000}k`;

const swarmReport = async (swarms: readonly RemoteSwarm[]): Promise<SwarmReport> => mergeReports(await Promise.all(swarms.map((s) => s.report())));

const waitForSwarms = (what: string, swarms: readonly RemoteSwarm[], done: (r: SwarmReport) => boolean): Promise<SwarmReport> =>
  waitUntil(what, async () => {
    const report = await swarmReport(swarms);
    // Thrown, not returned: a timeout then says where the clients were.
    if (!done(report)) throw new Error(`${report.connected} connected, by gateway ${JSON.stringify(report.byGateway)}, ${report.receiving} receiving, disconnects by close code ${JSON.stringify(report.disconnectCodes)}`);
    return report;
  }, { timeoutMs: 180_000, intervalMs: 500 });

/** Starts `sessions` clients (in child processes) seeded with `gateways`, the first one first. */
const startSwarms = async (prefix: string, sessions: number, gateways: readonly string[], journal = false): Promise<RemoteSwarm[]> => {
  const swarms: RemoteSwarm[] = [];
  for (let i = 0; i * CLIENTS_PER_PROCESS < sessions; i++) {
    const count = Math.min(CLIENTS_PER_PROCESS, sessions - i * CLIENTS_PER_PROCESS);
    swarms.push(await RemoteSwarm.start({ prefix: `${prefix}-${i}`, count, gateways, topics: ['ticker'], journal, connectsPer10Ms: CONNECTS_PER_10_MS }));
  }
  return swarms;
};

/**
 * One size: `sessions` clients (spread over child processes) on a fresh source
 * gateway, idle memory measured with the publisher paused, then all of them
 * migrated live to two fresh targets in paced batches while messages flow.
 */
const benchSize = async (fleet: Fleet, sessions: number): Promise<BenchRow[]> => {
  const name = label(sessions);
  const [source, a, b] = await Promise.all([fleet.startGateway(`dp-${name}-src`), fleet.startGateway(`dp-${name}-a`), fleet.startGateway(`dp-${name}-b`)]);
  const sourceApi = fleet.control(source.id, CONTROL_TIMEOUT_MS);
  let swarms: RemoteSwarm[] = [];
  try {
    fleet.publisher.pause();
    const rssBefore = (await sourceApi.status()).rssBytes;
    swarms = await startSwarms(`dp-${name}`, sessions, [source.address, a.address, b.address]);
    await waitForSwarms(`${sessions} idle sessions on ${source.id}`, swarms, (r) => r.byGateway[source.id] === sessions);
    const rssIdle = (await sourceApi.status()).rssBytes;
    fleet.publisher.resume();
    await waitForSwarms(`${sessions} sessions receiving`, swarms, (r) => r.receiving === sessions);

    const startedAt = Date.now();
    const batches: MigrateResult[] = await migrateInBatches(
      (call) => sourceApi.migrate({ ...call, targets: [a, b].map((g) => ({ gatewayId: g.id, address: g.address })) }),
      PACING,
      { idPrefix: `bench-${name}` },
    );
    const seconds = (Date.now() - startedAt) / 1_000;
    const head = fleet.publisher.head('ticker');
    const settled = await waitForSwarms('every client caught up', swarms, (r) => Object.values(r.lowestLast).every((last) => last >= head - 1));
    const moves = batches.flatMap((batch) => batch.sessions);
    const moved = moves.filter((m) => m.outcome === 'moved');
    const { lost, duplicates, reorders } = settled.counters;
    return [
      { metric: `${name} sessions: migrated per second`, count: Math.round(moved.length / seconds) },
      timingRow(`${name}   interruption, source (redirect→left)`, moved.map((m) => m.interruptionMs ?? Number.NaN)),
      timingRow(`${name}   interruption, client (redirect→welcome)`, settled.redirectInterruptionsMs),
      { metric: `${name}   sessions not moved (of ${sessions})`, count: sessions - moved.length },
      { metric: `${name}   messages lost (must be 0)`, count: lost },
      { metric: `${name}   messages duplicated or reordered`, count: duplicates + reorders },
      { metric: `${name}   memory per idle session (bytes RSS)`, count: Math.round((rssIdle - rssBefore) / sessions) },
      { metric: `${name}   client event-loop delay p99 (ms)`, count: Math.round(settled.eventLoopDelayP99Ms) },
    ];
  } finally {
    fleet.publisher.resume();
    await Promise.all(swarms.map((s) => s.stop()));
    for (const gateway of [source, a, b]) {
      await gateway.app.process.stop();
      fleet.gateways.delete(gateway.id);
    }
  }
};

/**
 * A crash under `sessions` clients: the gateway SIGKILLed, its clients re-homing by themselves
 * onto two survivors (their seed lists; no redirect). Each session's re-home time is from the
 * kill to the survivor's welcome, from the clients' own journals.
 */
const benchCrash = async (fleet: Fleet, sessions: number): Promise<BenchRow[]> => {
  const name = `${label(sessions)} crash`;
  const [victim, a, b] = await Promise.all([fleet.startGateway(`dp-crash-${sessions}`), fleet.startGateway(`dp-crash-${sessions}-a`), fleet.startGateway(`dp-crash-${sessions}-b`)]);
  const swarms = await startSwarms(`dp-crash-${sessions}`, sessions, [victim.address, a.address, b.address], true);
  try {
    // A handshake that outlasts its deadline starts the client on the next seed: the few that did are left out.
    await waitForSwarms(`${sessions} sessions receiving, nearly all on ${victim.id}`, swarms, (r) => (r.byGateway[victim.id] ?? 0) >= sessions * 0.99 && r.receiving === sessions);
    const killedAt = await fleet.killGateway(victim.id);
    await waitForSwarms(`${sessions} sessions re-homed`, swarms, (r) => r.connected === sessions && (r.byGateway[victim.id] ?? 0) === 0);
    const head = fleet.publisher.head('ticker');
    const settled = await waitForSwarms('every client caught up', swarms, (r) => Object.values(r.lowestLast).every((last) => last >= head - 1));
    const journals = (await Promise.all(swarms.map((s) => s.journals()))).flat();
    const onVictim = journals.filter((j) => j.moves.filter((m) => m.at < killedAt).at(-1)?.to === victim.id);
    // A crash disconnects first, so the move that re-homes a session has no `from`: it is the first connect after the kill.
    const rehomedMs = onVictim.map((j) => (j.moves.find((m) => m.at >= killedAt && m.to !== victim.id)?.at ?? Number.NaN) - killedAt);
    const { lost, duplicates, reorders } = settled.counters;
    return [
      { ...timingRow(`${name}: SIGKILL → each session re-homed`, rehomedMs), id: `data-plane.crash-${sessions}.rehomed` },
      { id: `data-plane.crash-${sessions}.all-rehomed`, metric: `${name}   SIGKILL → all ${onVictim.length} on it re-homed`, count: Math.max(...rehomedMs), unit: 'ms' },
      { id: `data-plane.crash-${sessions}.lost-dup-reordered`, metric: `${name}   messages lost/dup/reordered`, count: lost + duplicates + reorders },
      { id: `data-plane.crash-${sessions}.client-loop-delay-p99`, metric: `${name}   client event-loop delay p99 (ms)`, count: Math.round(settled.eventLoopDelayP99Ms) },
    ];
  } finally {
    await Promise.all(swarms.map((s) => s.stop()));
    for (const gateway of [a, b]) {
      await gateway.app.process.stop();
      fleet.gateways.delete(gateway.id);
    }
  }
};

/** Live migration at 2k and 10k sessions, and a crash under 10k, on a fleet of its own (`npm run bench`). */
export const benchDataPlane = async (): Promise<BenchRow[]> => {
  const fleet = await Fleet.start({ gateways: 0, worker: false, useExisting: false, messagesPerSecond: MESSAGES_PER_SECOND });
  try {
    const rows: BenchRow[] = [];
    for (const sessions of SIZES) rows.push(...(await benchSize(fleet, sessions)));
    rows.push(...(await benchCrash(fleet, CRASH_SESSIONS)));
    return rows;
  } finally {
    await fleet.stop();
  }
};
