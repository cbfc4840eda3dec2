import { setTimeout as sleep } from 'node:timers/promises';
import { type Etcd3 } from 'etcd3';
import {
  type ClientJournal,
  type Policy,
  type RunRecord,
  type ScenarioScore,
  acceptsSessions,
  actingRuns,
  auditDelivery,
  auditRedirects,
  isOutOfRotation,
  lastArrival,
  remediationStorms,
  servingFloorViolations,
  stateInconsistencies,
  unfinishedRuns,
  verdictOf,
} from '#core';
import { waitUntil } from '#devstack';
import { GatewayStateStore } from '#etcd';
import { RemediationClient } from '#temporal';
import { type FleetObserver } from './observe/fleet-observer.js';
import { runsSince } from './observe/run-ledger.js';
import { type ChaosContext, type InjectedFault, type Scenario } from './scenario.js';

export interface ScenarioEnvironment {
  readonly context: ChaosContext;
  readonly etcd: Etcd3;
  readonly observer: FleetObserver;
  readonly policy: Policy;
  readonly topics: readonly string[];
  /** When the chaos run began: storms and state consistency look at every run since. */
  readonly runStartedAt: number;
}

const HEAL_TIMEOUT_MS = 90_000;


/**
 * Quiet: no run open, and none started for QUIET_MS. A fault can fire several triggers some
 * time apart (the detector at once, lease expiry a second or two later); recovering between
 * them would hide the later one's effect.
 */
const QUIET_MS = 3_000;
const settled = async (context: ChaosContext, since: number, alsoPoll?: () => Promise<boolean>): Promise<boolean> => {
  await alsoPoll?.();
  const runs = await runsSince(context.temporal, since);
  const lastStart = Math.max(since, ...runs.map((r) => r.startedAt));
  return actingRuns(runs).length === 0 && Date.now() - lastStart >= QUIET_MS;
};

/** Polls `probe` until it holds; a timeout becomes a broken expectation instead of an exception. */
const expect = async (violations: string[], what: string, probe: () => Promise<boolean>, timeoutMs: number): Promise<number | undefined> => {
  try {
    await waitUntil(what, async () => probe(), { timeoutMs, intervalMs: 100 });
    return Date.now();
  } catch (error) {
    violations.push(`expected ${what}: ${(error as Error).message}`);
    return undefined;
  }
};

/** Every registered gateway serving, every client connected: the state each scenario starts from and must return to. */
const fleetHealthy = async (env: ScenarioEnvironment): Promise<boolean> => {
  const states = await new GatewayStateStore(env.etcd).list();
  const gateways = [...env.context.fleet.gateways.keys()];
  const report = await env.context.load.report();
  return gateways.every((id) => acceptsSessions(states.get(id)?.state)) && report.connected === report.clients;
};

/**
 * The state a fault is injected into: healthy, and no run still open from before (say, a
 * detector false positive while 2 000 clients connect) that the fault's own triggers would
 * join, so that every run the scenario sees is the fault's (found by the full run with seed
 * 840290597: a run started 1 s before the SIGKILL absorbed its triggers, and the scenario
 * saw "no remediation of gw-1"). Whatever such a run left out of rotation is restored.
 */
const quietAndHealthy = async (env: ScenarioEnvironment): Promise<boolean> => {
  const open = actingRuns(await runsSince(env.context.temporal, env.runStartedAt, 'running'));
  if (open.length > 0) return false;
  if (await fleetHealthy(env)) return true;
  env.context.log('before the fault: the fleet is not healthy (a run outside any scenario acted?); restoring what is out of rotation');
  await restoreAll(env).catch(() => undefined);
  return false;
};

/**
 * Puts back into service every gateway a scenario left out of rotation or held for a human
 * (restore joins one already running): the chaos run plays the operator who picks up a
 * `needs-human` hand-off once the fault is gone.
 */
const restoreAll = async (env: ScenarioEnvironment): Promise<void> => {
  const states = await new GatewayStateStore(env.etcd).list();
  const restores = new RemediationClient(env.context.temporal);
  for (const id of env.context.fleet.gateways.keys()) {
    const state = states.get(id)?.state;
    if (isOutOfRotation(state) || state === 'needs-human') await restores.startRestore(id, 'chaos: heal back after the scenario', 'chaos');
  }
};

const heads = (env: ScenarioEnvironment, offset: number): Record<string, number> =>
  Object.fromEntries(env.topics.map((t) => [t, env.context.fleet.publisher.head(t) + offset]));

const declaredSoFar = (journals: readonly ClientJournal[]): Map<string, number> =>
  new Map(journals.flatMap((j) => Object.entries(j.declaredLost).map(([topic, n]) => [`${j.sessionId}/${topic}`, n] as const)));

const describeOutcome = (runs: readonly RunRecord[], victims: readonly string[]): string => {
  const own = runs.filter((r) => r.type === 'remediateGateway' && victims.includes(r.gatewayId ?? ''));
  if (own.length === 0) return runs.some((r) => r.type === 'remediateGateway') ? 'other runs only' : 'no run';
  return own.map((r) => `${r.outcome ?? r.status.toLowerCase()}${r.actions?.length ? ` (${r.actions.join('+')})` : ''}`).join(', ');
};

/** Plays one scenario: baseline, fault, expected effect, recovery, heal back, catch-up; then every invariant. */
export const runScenario = async (env: ScenarioEnvironment, scenario: Scenario): Promise<ScenarioScore> => {
  const { context } = env;
  const violations: string[] = [];
  await expect(violations, 'a healthy, quiet fleet before the fault (every gateway serving, every client connected, no run open)', () => quietAndHealthy(env), HEAL_TIMEOUT_MS);
  const from = heads(env, 0);
  const declaredBefore = declaredSoFar(await context.load.journals());
  const startedAt = Date.now();
  const beforeReport = await context.load.report();
  let fault: InjectedFault;
  try {
    fault = await scenario.inject(context);
  } catch (error) {
    return failed(scenario, beforeReport.clients, [`could not inject the fault: ${(error as Error).message}`]);
  }
  context.log(`${scenario.name}: ${scenario.fault} (victims ${fault.victims.join(', ') || 'none'})`);
  const victimSessions = fault.victims.reduce((n, id) => n + (beforeReport.byGateway[id] ?? 0), 0);

  let rehomedAt: number | undefined;
  const rehomed = async (): Promise<boolean> => {
    const report = await context.load.report();
    const done = report.connected === report.clients && fault.victims.every((id) => (report.byGateway[id] ?? 0) === 0);
    if (done) rehomedAt ??= Date.now();
    return done;
  };
  let firstRun: number | undefined;
  const firstRunOf = (runs: readonly RunRecord[]): number | undefined =>
    runs.find((r) => r.type === 'remediateGateway' && fault.victims.includes(r.gatewayId ?? ''))?.startedAt;
  if (scenario.expectsRun) {
    await expect(violations, `a remediation of ${fault.victims.join(' or ')}`, async () => {
      const runs = await runsSince(context.temporal, startedAt);
      firstRun = firstRunOf(runs);
      return firstRun !== undefined;
    }, 45_000);
  }
  if (scenario.movesSessions) await expect(violations, `every session off ${fault.victims.join(', ')}`, rehomed, 60_000);
  await expect(violations, 'every run started to end (or wait for a human)', () => settled(context, fault.at, rehomed), 60_000);

  await fault.recover();
  // Before anything is restarted: a process that died on its own must not be hidden by its replacement.
  const processProblems = new Set(context.processes.violations());
  // Whatever else died meanwhile (a crash, a gateway a run ended for good) comes back as a supervisor would bring it.
  for (const id of context.fleet.goneGateways) {
    context.log(`restarting ${id}, which is gone`);
    await context.fleet.restartGateway(id);
  }
  // etcd may still be coming back (its client fails fast for a while after errors): the heal-back loop retries.
  await restoreAll(env).catch(() => undefined);
  await expect(violations, 'the fleet healed back (every gateway serving, every client connected)', async () => {
    if (!(await fleetHealthy(env))) {
      await restoreAll(env).catch(() => undefined);
      return false;
    }
    return settled(context, startedAt);
  }, HEAL_TIMEOUT_MS);
  const through = heads(env, -1);
  await expect(violations, 'every client caught up with the publisher', async () => {
    const journals = await context.load.journals();
    return journals.every((j) => env.topics.every((t) => lastArrival(j, t) >= (through[t] ?? 0)));
  }, 60_000);
  // Visibility lags a little behind the runs' closes.
  await sleep(500);

  const [journals, runs, allRuns, states] = await Promise.all([
    context.load.journals(),
    runsSince(context.temporal, startedAt),
    runsSince(context.temporal, env.runStartedAt),
    new GatewayStateStore(env.etcd).list(),
  ]);
  firstRun ??= firstRunOf(runs);
  const delivery = auditDelivery(journals, from, through, declaredBefore);
  if (delivery.lost + delivery.duplicated + delivery.reordered > 0) {
    violations.push(`delivery: ${delivery.lost} lost, ${delivery.duplicated} duplicated, ${delivery.reordered} reordered (worst: ${delivery.worst.join(', ')})`);
  }
  const redirects = auditRedirects(journals, runs, startedAt);
  if (redirects.doubleRedirects.length > 0) violations.push(`redirected twice by one run: ${redirects.doubleRedirects.slice(0, 5).join('; ')}`);
  violations.push(...servingFloorViolations(env.observer.since(startedAt), env.policy.guardrails.maxQuarantinedFraction).map((v) => `serving floor: ${v}`));
  violations.push(...unfinishedRuns(runs).map((v) => `run not ended: ${v}`));
  violations.push(...remediationStorms(allRuns, env.policy.guardrails.rateLimit).map((v) => `storm: ${v}`));
  for (const problem of context.processes.violations()) processProblems.add(problem);
  violations.push(...[...processProblems].map((v) => `process: ${v}`));
  violations.push(...stateInconsistencies(states, allRuns).map((v) => `etcd vs Temporal: ${v}`));
  violations.push(...(scenario.check?.(runs, fault) ?? []));
  violations.push(...(fault.problems?.() ?? []).map((v) => `fault: ${v}`));

  const out = env.observer.firstSince(fault.at, (s) => fault.victims.some((id) => isOutOfRotation(s.states[id]?.state)));
  return {
    scenario: scenario.name,
    fault: scenario.fault,
    outcome: describeOutcome(runs, fault.victims),
    ...(firstRun !== undefined ? { timeToDetectMs: Math.max(0, firstRun - fault.at) } : {}),
    ...(out ? { timeOutOfRotationMs: out.at - fault.at } : {}),
    ...(rehomedAt !== undefined && victimSessions > 0 ? { timeRehomedMs: rehomedAt - fault.at } : {}),
    sessions: victimSessions,
    delivered: delivery.delivered,
    lost: delivery.lost,
    duplicated: delivery.duplicated,
    reordered: delivery.reordered,
    runsStarted: runs.length,
    runs: runs.map((run) => describeRun(run, fault.at)),
    violations,
    verdict: verdictOf(violations),
  };
};

const describeRun = (run: RunRecord, faultAt: number): string =>
  `+${run.startedAt - faultAt}..${run.closedAt === undefined ? 'open' : `+${run.closedAt - faultAt}`} ms ${run.workflowId} ${run.type} → ${run.outcome ?? run.status.toLowerCase()}${run.actions?.length ? ` (${run.actions.join('+')})` : ''}${run.outcomeReason ? `: ${run.outcomeReason}` : ''}`;

export const failed = (scenario: Scenario, sessions: number, violations: string[]): ScenarioScore => ({
  scenario: scenario.name,
  fault: scenario.fault,
  outcome: 'not run',
  sessions,
  delivered: 0,
  lost: 0,
  duplicated: 0,
  reordered: 0,
  runsStarted: 0,
  violations,
  verdict: 'fail',
});
