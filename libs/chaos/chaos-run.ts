import { Client, Connection } from '@temporalio/client';
import { type Scorecard, type ScenarioScore, pickVictims, verdictOf } from '#core';
import { seededRandom } from '#core/rebalance/seeded-random';
import { Fleet, waitUntil } from '#devstack';
import { PolicyStore } from '#etcd';
import { CHAOS_POLICY } from './chaos-policy.js';
import { ChaosLoad } from './load/chaos-load.js';
import { FleetObserver } from './observe/fleet-observer.js';
import { ProcessBook } from './observe/process-book.js';
import { type ChaosProfile } from './profiles.js';
import { failed, runScenario } from './run-scenario.js';
import { type ChaosContext, type Scenario } from './scenario.js';

export interface ChaosRunOptions {
  readonly profile: ChaosProfile;
  readonly scenarios: readonly Scenario[];
  readonly seed: number;
  readonly log: (line: string) => void;
  /** Called after every scenario, so a long run's scorecard is written as it goes. */
  readonly onScore?: (card: Scorecard) => Promise<void>;
}

const TOPICS = ['ticker'];

const card = (options: ChaosRunOptions, startedAt: number, scores: readonly ScenarioScore[], skipped: readonly string[], extra: readonly string[] = []): Scorecard => ({
  ...(skipped.length ? { skipped } : {}),
  profile: options.profile.name,
  seed: options.seed,
  sessions: options.profile.sessions,
  startedAt: new Date(startedAt).toISOString(),
  scenarios: scores,
  verdict: verdictOf([...scores.flatMap((s) => s.violations), ...extra]),
});

/**
 * A whole chaos run: the embedded stack (or TEMPORAL_ADDRESS / ETCD_ENDPOINTS),
 * a fleet with detector, worker and API, the chaos policy, the client load; then each
 * scenario in turn, scored against every invariant; then everything stopped,
 * and the kernel asked that nothing we started is left.
 */
export const runChaos = async (options: ChaosRunOptions): Promise<Scorecard> => {
  const { profile, log } = options;
  const startedAt = Date.now();
  log(`starting a fleet of ${profile.gateways} gateways with detector and worker…`);
  const fleet = await Fleet.start({ gateways: profile.gateways, worker: true, detector: true, api: true, messagesPerSecond: profile.messagesPerSecond, topics: TOPICS });
  log(`logs of every process in ${fleet.logDir}`);
  const scores: ScenarioScore[] = [];
  const leftovers: string[] = [];
  const skipped: string[] = [];
  let load: ChaosLoad | undefined;
  const connection = await Connection.connect(fleet.stack.temporal.connection);
  const etcd = fleet.stack.connectEtcd();
  const observer = new FleetObserver(etcd);
  const policies = new PolicyStore(etcd);
  try {
    await policies.publish(CHAOS_POLICY);
    log(`starting ${profile.sessions} push sessions…`);
    load = await ChaosLoad.start(profile.sessions, fleet.gatewayAddresses, TOPICS);
    const clients = load;
    await waitUntil(`${profile.sessions} sessions receiving`, async () => (await clients.report()).receiving === profile.sessions, { timeoutMs: 120_000 });
    observer.start();
    const random = seededRandom(options.seed);
    const lastHit = new Map<string, number>();
    let round = 0;
    const context: ChaosContext = {
      fleet,
      temporal: new Client({ connection, namespace: fleet.stack.temporal.namespace }),
      load: clients,
      random,
      processes: new ProcessBook(fleet, () => clients.pids),
      policies,
      victims: async (count) => {
        const { byGateway } = await clients.report();
        const all = [...fleet.gateways.keys()];
        const loaded = all.filter((id) => (byGateway[id] ?? 0) >= profile.sessions / all.length / 4);
        if (loaded.length < count) log(`only ${loaded.length} gateways hold a fair share of the sessions (${JSON.stringify(byGateway)}); choosing among all`);
        const chosen = pickVictims(loaded.length >= count ? loaded : all, count, lastHit, random);
        round += 1;
        for (const id of chosen) lastHit.set(id, round);
        return chosen;
      },
      log,
    };
    const env = { context, etcd, observer, policy: CHAOS_POLICY, topics: TOPICS, runStartedAt: startedAt };
    const embedded = { temporal: fleet.stack.temporalServer !== undefined, etcd: fleet.stack.etcdServer !== undefined };
    for (const scenario of options.scenarios) {
      const missing = (scenario.requires ?? []).filter((service) => !embedded[service]);
      if (missing.length) {
        skipped.push(`${scenario.name}: it stops ${missing.join(' and ')}, which this run did not start`);
        log(`── ${scenario.name}: skipped`);
        continue;
      }
      log(`── ${scenario.name}`);
      // A scenario that throws fails itself, not the whole run: the next one may still tell us something.
      const score = await runScenario(env, scenario).catch((error: unknown) => failed(scenario, profile.sessions, [`the scenario broke off: ${(error as Error).message}`]));
      scores.push(score);
      log(`   ${score.verdict.toUpperCase()}: ${score.outcome}${score.violations.length ? `\n   ${score.violations.join('\n   ')}` : ''}`);
      await options.onScore?.(card(options, startedAt, scores, skipped));
    }
  } finally {
    observer.stop();
    etcd.close();
    await connection.close();
    await load?.stop();
    await fleet.stop();
    // The kernel's word, not our bookkeeping: anything still alive below us is an orphan.
    const orphans = await waitUntil('every process we started to be gone', async () => ProcessBook.descendants().length === 0, { timeoutMs: 10_000 }).catch(
      () => ProcessBook.descendants(),
    );
    if (Array.isArray(orphans) && orphans.length > 0) leftovers.push(`orphan processes after the run: ${orphans.join(', ')}`);
  }
  const final = card(options, startedAt, scores, skipped, leftovers);
  return leftovers.length ? { ...final, afterRun: leftovers } : final;
};
