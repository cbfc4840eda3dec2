import { execFile } from 'node:child_process';
import { mkdtemp, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { type Etcd3 } from 'etcd3';
import { type PushClient } from '#client';
import { DEFAULT_POLICY, type Policy, type SimulatedIncident, type SimulationSummary, remediationWorkflowId } from '#core';
import { Fleet, type RunningApi, waitUntil } from '#devstack';
import { PolicyStore, connectEtcd } from '#etcd';
import { connectClients } from '../support/clients.js';
import { as, call } from '../support/http.js';
import { STORM_OFF } from '../support/policies.js';
import { connectTemporalClient } from '../support/temporal-client.js';
import { DetectorProcess } from '../detection/support/detector-process.js';
import { hasRemediation, waitForRemediation } from '../detection/support/remediation-runs.js';

type Simulation = { summary: SimulationSummary; incidents: SimulatedIncident[]; corruptEvents: number };

/**
 * The policy in force while the faults are recorded: the default, with room to take every faulty
 * gateway out, a health alarm that clears within a second or so (a stall's jitter may fire it,
 * and the default's 10 s would make one incident of the three stalls below), and a fourth missed
 * pong to suspect, so the stalls below (one or two missed pongs, three with bad luck) never are.
 */
const IN_FORCE = {
  ...DEFAULT_POLICY,
  name: 'lab-in-force',
  detector: { ...DEFAULT_POLICY.detector, missesToSuspect: 4 },
  hysteresis: { ...DEFAULT_POLICY.hysteresis, clearAfterMs: 1_000 },
  // Three faults within ten seconds in a fleet of five is a storm by the default policy (CI saw
  // one pause the write-blocked gateway's run): the lab's faults are three incidents, not one.
  guardrails: { ...DEFAULT_POLICY.guardrails, maxQuarantinedFraction: 1, storm: STORM_OFF },
};
const withDetector = (missesToSuspect: number, rest: Partial<Policy> = {}) => ({ ...IN_FORCE, ...rest, detector: { ...IN_FORCE.detector, missesToSuspect } });
/**
 * One missed pong is enough, and every dip is its own removal (no cool-down): brief stalls become
 * removals; the second within the flap window goes to a human.
 */
const STRICTER = withDetector(1, {
  guardrails: {
    ...IN_FORCE.guardrails,
    rateLimit: { ...IN_FORCE.guardrails.rateLimit, perGatewayCooldownMs: 0 },
    flapDamping: { ...IN_FORCE.guardrails.flapDamping, escalateAfter: 2 },
  },
});
/** A hang never reaches suspect: only a dead channel or a blocked gateway is acted on. */
const LOOSER = withDetector(1_000);

const authored = (policy: Policy): Record<string, unknown> => {
  const { version: _v, ...rest } = JSON.parse(JSON.stringify(policy)) as Policy;
  return rest;
};

const run = promisify(execFile);

const incidentsOf = (simulation: Simulation, gatewayId: string) => simulation.incidents.filter((i) => i.gatewayId === gatewayId);

describe('policy lab on a recorded run of real faults', () => {
  let fleet: Fleet;
  let api: RunningApi;
  let etcd: Etcd3;
  let temporal: Awaited<ReturnType<typeof connectTemporalClient>>;
  let detector: DetectorProcess;
  let recordedFrom: number;
  let recordedUntil: number;

  const watched = async (id: string, env: Record<string, string> = {}) => {
    const gateway = await fleet.startGateway(id, env);
    await detector.waitForEvent('answering', id);
    return gateway;
  };

  const simulate = async (policy: Policy, extra: Record<string, unknown> = {}) => {
    const body = { policy: authored(policy), from: new Date(recordedFrom).toISOString(), until: new Date(recordedUntil).toISOString(), maxIncidents: 1_000, ...extra };
    const answer = await call(api, 'POST', '/v1/policies/simulate', body);
    expect(answer.status).toBe(200);
    return answer.body as Simulation;
  };

  /** Every key with its last change: equal before and after means nothing was written. */
  const etcdState = async () => {
    const response = await etcd.getAll().exec();
    return { revision: response.header.revision, keys: response.kvs.map((kv) => `${kv.key.toString()}@${kv.mod_revision}`).sort() };
  };

  const remediationRuns = async () => {
    const runs: string[] = [];
    for await (const execution of temporal.client.workflow.list({ query: `WorkflowType = 'remediateGateway' OR WorkflowType = 'restoreGateway'` })) runs.push(`${execution.workflowId}/${execution.runId}`);
    return runs.sort();
  };

  beforeAll(async () => {
    // Messages flow briskly, so a gateway whose sockets stop draining fills its send buffers soon.
    fleet = await Fleet.start({ gateways: 0, worker: false, api: true, useExisting: false, messagesPerSecond: 200 });
    api = fleet.api!;
    await fleet.startWorker({ WATCH_LEASES: 'false' });
    etcd = connectEtcd(fleet.stack.etcd.endpoints);
    temporal = await connectTemporalClient(fleet.stack);
    recordedFrom = Date.now();
    detector = await DetectorProcess.start(fleet, 'det-lab');
    const inForce = await new PolicyStore(etcd).publish(IN_FORCE);
    await detector.waitForEvent('policy-applied', undefined, (l) => l.version === inForce.version);
    await Promise.all(['lab-steady-1', 'lab-steady-2'].map((id) => watched(id)));

    // A crash (SIGKILL).
    await watched('lab-kill');
    await fleet.killGateway('lab-kill');
    await waitForRemediation(temporal.client, 'lab-kill');

    // A hang (SIGSTOP), then the stopped process dies.
    const hung = await watched('lab-hang');
    hung.app.process.signal('SIGSTOP');
    await waitForRemediation(temporal.client, 'lab-hang');
    await fleet.killGateway('lab-hang');

    // A write block reported by the gateway itself.
    const blocked = await watched('lab-blocked', { FAULT_INJECTION: 'enabled', SEND_HIGH_WATER_BYTES: '2048' });
    const clients: PushClient[] = await connectClients(5, [blocked.address], ['ticker'], 'lab-client');
    await fleet.control('lab-blocked').injectFault({ kind: 'write-block' });
    await waitForRemediation(temporal.client, 'lab-blocked');
    clients.forEach((c) => c.stop());
    await fleet.killGateway('lab-blocked');

    // Flapping: five stalls of 450 ms. Pings go every 100 ms and a pong is late after 250 ms, so
    // one or two pings are judged missed before the gateway answers again — unless the detector
    // itself lags on a busy machine (it forgives its own stalls) — and never the four to suspect.
    const flapping = await watched('lab-flap');
    for (let i = 0; i < 5; i++) {
      flapping.app.process.signal('SIGSTOP');
      await sleep(450);
      flapping.app.process.signal('SIGCONT');
      await sleep(3_500);
    }

    // The record is complete: nothing may write from here on but the lab's callers. Runs still
    // watching their gateways are ended, and the worker stopped, so etcd and Temporal stand still.
    await detector.stop();
    await Promise.all(['lab-steady-1', 'lab-steady-2', 'lab-flap'].map((id) => fleet.stopGateway(id)));
    recordedUntil = Date.now();
    // The crash's run has long ended (its record written as it ended); the others may still be watching.
    await temporal.client.workflow.getHandle(remediationWorkflowId('lab-kill')).result();
    for await (const run of temporal.client.workflow.list({ query: 'ExecutionStatus = "Running"' })) {
      await temporal.client.workflow.getHandle(run.workflowId, run.runId).terminate('the policy lab test recorded what it needs').catch(() => undefined);
    }
    await fleet.worker!.process.stop();
  }, 300_000);

  afterAll(async () => {
    await detector?.stop();
    await temporal?.close();
    etcd?.close();
    await fleet?.stop();
  });

  it('should reproduce every decision the detector took with the policy in force', async () => {
    expect(await hasRemediation(temporal.client, 'lab-flap')).toBe(false);
    const result = await simulate(IN_FORCE);
    expect(result.summary.determinism.mismatches).toEqual([]);
    expect(result.summary.determinism.reproduced).toBe(result.summary.determinism.decisions);
    expect(result.summary.determinism.decisions).toBeGreaterThan(20);
    expect(result.incidents.every((i) => i.difference === 'same')).toBe(true);
    // Its removals are the runs the detector started.
    const removed = [...new Set(result.incidents.filter((i) => i.inForce.removedAtMs !== null).map((i) => i.gatewayId))].sort();
    expect(removed).toEqual(['lab-blocked', 'lab-hang', 'lab-kill']);
    for (const id of removed) expect(await hasRemediation(temporal.client, id)).toBe(true);
    expect(incidentsOf(result, 'lab-kill')[0]?.inForce).toMatchObject({ rule: 'degrade-failing', facts: expect.arrayContaining(['heartbeatLost']) });
    expect(incidentsOf(result, 'lab-hang')[0]?.signals).toContain('L2-suspect:silent-hang');
    expect(incidentsOf(result, 'lab-blocked')[0]?.signals).toContain('self-report:write-blocked');
    expect(result.summary.inForce.removals).toBe(3);
    expect(result.summary.candidate.removals).toBe(3);
  });

  it('should say what each run actually did beside what the detector decided, and match the runs it started', async () => {
    const inForceVersion = (await new PolicyStore(etcd).current()).policy.version;
    const result = await simulate(withDetector(1));
    const [kill] = incidentsOf(result, 'lab-kill');
    // The detector degraded on a lost heartbeat; the run, on its own evidence, took the gone gateway out.
    expect(kill?.inForce.actions).toEqual(['degrade']);
    expect(kill?.happened.status).toBe('recorded');
    const runId = (await temporal.client.workflow.getHandle(remediationWorkflowId('lab-kill')).describe()).runId;
    expect(kill?.happened.runs).toEqual([
      expect.objectContaining({ runId, trigger: 'detector', policyVersion: inForceVersion, actions: ['quarantine', 'migrate'], rule: 'isolate-vanished', outcome: 'healed' }),
    ]);
    expect(kill!.happened.runs[0]!.finishedAt).toBeGreaterThan(kill!.happened.runs[0]!.startedAt);
    // Every run the detector started is one the policy in force, replayed, starts in the same incident.
    expect(result.summary.determinism.runs.mismatches).toEqual([]);
    expect(result.summary.determinism.runs.recorded).toBeGreaterThanOrEqual(1);
    // The hang's and the write block's runs were still open (terminated) or ended; never no run at all.
    for (const id of ['lab-hang', 'lab-blocked']) expect(['recorded', 'not-recorded']).toContain(incidentsOf(result, id)[0]?.happened.status);
    expect(incidentsOf(result, 'lab-flap').every((i) => i.happened.status === 'no-run')).toBe(true);
    expect(result.corruptEvents).toBe(0);
  });

  it('should show a stricter threshold removing earlier and removing gateways that recovered on their own', async () => {
    const result = await simulate(STRICTER);
    expect(result.summary.determinism.mismatches).toEqual([]);
    const [hang] = incidentsOf(result, 'lab-hang');
    expect(hang?.difference).toBe('earlier');
    expect(hang!.candidate.timeToRemovalMs!).toBeLessThan(hang!.inForce.timeToRemovalMs!);
    expect(incidentsOf(result, 'lab-kill')[0]?.difference).toBe('same');
    const flaps = incidentsOf(result, 'lab-flap');
    expect(flaps.length).toBeGreaterThanOrEqual(2);
    expect(flaps.every((i) => i.recoveredOnItsOwn && i.inForce.removedAtMs === null)).toBe(true);
    // The first is a removal of a gateway that recovers on its own; the next within the flap window goes to a human.
    expect(flaps[0]).toMatchObject({ difference: 'newly-removed', candidate: { flapped: false } });
    expect(flaps[1]).toMatchObject({ difference: 'blocked-by-guardrail', candidate: { flapped: true, blockedBy: { guardrail: 'flap-damping' } } });
    expect(result.summary.candidate.falsePositiveCandidates).toBeGreaterThanOrEqual(1);
    expect(result.summary.candidate.wouldFlap).toBeGreaterThanOrEqual(1);
    expect(result.summary.candidate.removals).toBeGreaterThan(result.summary.inForce.removals);
  });

  it('should show a looser threshold missing the hang until the process died', async () => {
    const result = await simulate(LOOSER);
    const [hang] = incidentsOf(result, 'lab-hang');
    expect(hang).toMatchObject({ difference: 'later', candidate: { facts: expect.arrayContaining(['heartbeatLost']) } });
    expect(hang!.candidate.timeToRemovalMs!).toBeGreaterThan(hang!.inForce.timeToRemovalMs!);
    expect(incidentsOf(result, 'lab-blocked')[0]?.difference).toBe('same');
    expect(incidentsOf(result, 'lab-flap').every((i) => i.candidate.removedAtMs === null)).toBe(true);
  });

  it('should change nothing in etcd or Temporal', async () => {
    await waitUntil('the fleet at rest', async () => {
      const before = await etcdState();
      await sleep(1_000);
      return (await etcdState()).revision === before.revision ? true : undefined;
    }, { timeoutMs: 60_000, intervalMs: 100 });
    const [etcdBefore, runsBefore] = [await etcdState(), await remediationRuns()];
    await simulate(IN_FORCE);
    await simulate(STRICTER, { gatewayIds: ['lab-hang', 'lab-flap'] });
    await simulate(LOOSER);
    expect(await etcdState()).toEqual(etcdBefore);
    expect(await remediationRuns()).toEqual(runsBefore);
    expect(runsBefore).toContain(`${remediationWorkflowId('lab-kill')}/${(await temporal.client.workflow.getHandle(remediationWorkflowId('lab-kill')).describe()).runId}`);
  });

  it('should let an operator simulate, not a viewer, and describe the route in the OpenAPI document', async () => {
    const body = { policy: authored(IN_FORCE), from: new Date(recordedFrom).toISOString(), until: new Date(recordedUntil).toISOString() };
    expect((await call(as(api, api.tokenFor('viewer')), 'POST', '/v1/policies/simulate', body)).status).toBe(403);
    expect((await call(as(api, api.tokenFor('operator')), 'POST', '/v1/policies/simulate', body)).status).toBe(200);
    expect((await call(as(api, undefined), 'POST', '/v1/policies/simulate', body)).status).toBe(401);
    const document = (await call(api, 'GET', '/openapi.json')).body;
    const route = document.paths['/v1/policies/simulate'].post;
    expect(route.requestBody.content['application/json'].schema).toMatchObject({ type: 'object', required: expect.arrayContaining(['policy', 'from', 'until']) });
    expect(route.responses['400'].content['application/problem+json']).toBeDefined();
  });

  it('should print the simulation as a table from npm run simulate', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'policy-lab-'));
    const file = join(dir, 'stricter.json');
    await writeFile(file, JSON.stringify(authored(STRICTER)));
    const sinceMinutes = Math.ceil((Date.now() - recordedFrom) / 60_000) + 1;
    const { stdout } = await run(process.execPath, ['dist/apps/simulate/main.js', '--policy', file, '--since', `${sinceMinutes}m`, '--gateway', 'lab-hang'], {
      env: { ...process.env, HOMEOSTAT_API_URL: api.url, HOMEOSTAT_API_TOKEN: api.tokenFor('operator') },
    });
    const lines = stdout.split('\n');
    expect(lines[0]).toMatch(/^onset \(UTC\)\s+gateway\s+signals\s+in force\s+what the run did\s+candidate\s+difference$/);
    expect(lines.find((l) => l.includes('lab-hang'))).toMatch(/lab-hang\s+.*L2-suspect:silent-hang.*degrade \+\d+ ms\s+(not recorded|[a-z+]+ [a-z-]+)\s+degrade \+\d+ ms\s+earlier/);
    expect(stdout).toMatch(/replay of the policy in force: (\d+) of \1 recorded decisions reproduced, (\d+) of \2 runs the detector started/);
  });

  it('should refuse a bad request with a problem naming the field', async () => {
    const until = await call(api, 'POST', '/v1/policies/simulate', { policy: authored(IN_FORCE), from: '2026-12-01T10:00:00Z', until: '2026-12-01T09:00:00Z' });
    expect(until.status).toBe(400);
    expect(until.contentType).toContain('application/problem+json');
    expect(JSON.stringify(until.body)).toContain('until must be after from');
    const tree = authored(IN_FORCE);
    (tree.decisionTree as { rules: { when: unknown }[] }).rules[0]!.when = { pred: 'cpuOnFire' };
    const bad = await call(api, 'POST', '/v1/policies/simulate', { policy: tree, from: '2026-12-01T09:00:00Z', until: '2026-12-01T10:00:00Z' });
    expect(bad.status).toBe(400);
    expect(JSON.stringify(bad.body)).toContain('policy.decisionTree.rules.0.when.pred');
  });

  it('should store a policy that would remove too many in shadow mode, with the reason, and enforce one within the bound', async () => {
    const gate = (maxRemovals: number) => ({ ...authored(STRICTER), lab: { requireSimulation: { lookbackHours: 1, maxRemovals } } });
    const refused = await call(api, 'PUT', '/v1/policies', gate(1));
    expect(refused.status).toBe(200);
    expect(refused.body.policy.mode).toBe('shadow');
    expect(refused.body.policy.lab.shadowReason).toMatch(/removes \d+ gateway\(s\), more than the bound of 1: stored in shadow mode/);
    expect(refused.body.gate).toMatchObject({ enforce: false, maxRemovals: 1, lookbackHours: 1 });
    const allowed = await call(api, 'PUT', '/v1/policies', gate(1_000));
    expect(allowed.body.policy).toMatchObject({ mode: 'enforce', lab: { requireSimulation: { maxRemovals: 1_000 } } });
    expect(allowed.body.policy.lab.shadowReason).toBeUndefined();
    expect(allowed.body.gate).toMatchObject({ enforce: true });
  });
});
