import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { type Etcd3 } from 'etcd3';
import { type PushClient } from '#client';
import { DEFAULT_POLICY, type Policy, type RemediationReport, remediationWorkflowId } from '#core';
import { Fleet, type RunningGateway, waitUntil } from '#devstack';
import { FleetRegistry, GatewayStateStore, PolicyStore, QuarantineSet, connectEtcd, vitalsKey } from '#etcd';
import { connectClients, totals } from '../support/clients.js';
import { STORM_OFF, testPolicy } from '../support/policies.js';
import { startRemediation } from '../support/remediation-runs.js';
import { connectTemporalClient } from '../support/temporal-client.js';
import { DetectorProcess } from '../detection/support/detector-process.js';
import { runsOf } from '../detection/support/remediation-runs.js';
import { takesTurnsWithHeavySuites } from '../support/heavy-suite.js';

/**
 * Guardrails out of the way (each test has its own gateway), storm mode included (on a loaded machine the
 * two gateways taking in a victim's 500 clients can look hung for a moment too), and a watch long enough
 * to see a degrade while it lasts.
 */
const INCIDENT_POLICY: Policy = testPolicy('incident-tests', 1, { storm: STORM_OFF }, { incident: { ...DEFAULT_POLICY.incident, watchMs: 60_000 } });

takesTurnsWithHeavySuites();

describe('one incident, one run', () => {
  let fleet: Fleet;
  let etcd: Etcd3;
  let temporal: Awaited<ReturnType<typeof connectTemporalClient>>;
  let detector: DetectorProcess;
  const clients: PushClient[] = [];

  beforeAll(async () => {
    // Brisk enough that a gateway whose sockets stop draining fills its (2 KiB) send buffers within a second,
    // not so brisk that 500 clients saturate a loaded 2-core CI machine (at 200/s, 100 000 frames/s starved etcd
    // while they connected: the victim's lease lapsed, it self-fenced, and 180 of them started elsewhere).
    fleet = await Fleet.start({ gateways: 2, worker: true, useExisting: false, messagesPerSecond: 50 });
    etcd = connectEtcd(fleet.stack.etcd.endpoints);
    temporal = await connectTemporalClient(fleet.stack);
    await new PolicyStore(etcd).publish(INCIDENT_POLICY);
    detector = await DetectorProcess.start(fleet, 'det-incident');
  });

  afterAll(async () => {
    clients.forEach((c) => c.stop());
    await detector?.stop();
    etcd?.close();
    await temporal?.close();
    await fleet?.stop();
  });

  /** Starts a gateway and waits until the detector watches it. */
  const watched = async (id: string, env: Record<string, string> = {}): Promise<RunningGateway> => {
    const gateway = await fleet.startGateway(id, env);
    await detector.waitForEvent('answering', id);
    return gateway;
  };

  /** `count` clients on `gateway`, able to fall back on the two healthy gateways. */
  const clientsOn = async (gateway: RunningGateway, count: number): Promise<PushClient[]> => {
    const others = [fleet.gateway('gw-1').address, fleet.gateway('gw-2').address];
    const started = await connectClients(count, [gateway.address, ...others], ['ticker'], `${gateway.id}-client`);
    clients.push(...started);
    const elsewhere = started.flatMap((c, i) => (c.gatewayId === gateway.id ? [] : [`client ${i} on ${c.gatewayId ?? 'none'} after ${c.counters.reconnects} reconnects (${c.counters.silentServersLeft} for silence)`]));
    expect(elsewhere).toEqual([]);
    return started;
  };

  /** Its clients are in its published vitals: the run's "how many it held" is a fact, not a guess. */
  const vitalsShow = (id: string, count: number) =>
    waitUntil(`${id}'s vitals to show ${count} connections`, async () => {
      const raw = await etcd.get(vitalsKey(id)).string();
      return raw !== null && (JSON.parse(raw) as { connections: number }).connections >= count;
    });

  const reportOf = (id: string) => temporal.client.workflow.getHandle(remediationWorkflowId(id)).query<RemediationReport>('report');

  const waitForReport = (id: string, what: string, accept: (r: RemediationReport) => boolean, timeoutMs = 60_000): Promise<RemediationReport> =>
    waitUntil(
      `${id}: ${what}`,
      async () => {
        const report = await reportOf(id).catch(() => undefined);
        return report && accept(report) ? report : undefined;
      },
      { timeoutMs, intervalMs: 200 },
    ).catch(async (error: Error) => {
      throw new Error(`${error.message}\nlatest report: ${JSON.stringify(await reportOf(id).catch(String))}`);
    });

  const finished = (id: string, timeoutMs?: number) => waitForReport(id, 'the run to finish', (r) => r.finishedAt !== undefined, timeoutMs);

  /** A watched gateway holding `count` clients, as its published vitals show. */
  const holding = async (id: string, count: number) => {
    const gateway = await watched(id);
    const own = await clientsOn(gateway, count);
    await vitalsShow(id, count);
    return { gateway, own };
  };

  const verifiedDegrade = (id: string) => waitForReport(id, 'a verified degrade', (r) => r.verification?.promise === 'refusing');

  /** A watched gateway with `count` clients whose sockets stop draining (a small send buffer fills soon). */
  const writeBlocked = async (id: string, count: number) => {
    const gateway = await watched(id, { SEND_HIGH_WATER_BYTES: '2048' });
    const own = await clientsOn(gateway, count);
    const agent = fleet.control(gateway.id);
    await agent.injectFault({ kind: 'write-block' });
    return { gateway, own, agent };
  };

  /** Runs `body` under a variant of the incident policy, and puts the incident policy back afterwards. */
  const underPolicy = async (policy: Policy, body: () => Promise<void>): Promise<void> => {
    await new PolicyStore(etcd).publish(policy);
    try {
      await body();
    } finally {
      await new PolicyStore(etcd).publish(INCIDENT_POLICY);
    }
  };

  const stateOf = (id: string) => new GatewayStateStore(etcd).get(id);

  const expectNothingLost = async (moved: readonly PushClient[], from: string): Promise<void> => {
    await waitUntil(`clients of ${from} receiving elsewhere`, async () => moved.every((c) => c.connected && c.gatewayId !== from), { timeoutMs: 30_000 });
    const before = totals(moved).received;
    await waitUntil('messages flowing again', async () => totals(moved).received > before + moved.length);
    expect(totals(moved)).toMatchObject({ lost: 0, duplicates: 0, reorders: 0 });
  };

  it('should tell in a dry run that the real run would be refused by the blast radius, claiming nothing', async () => {
    await underPolicy({ ...INCIDENT_POLICY, guardrails: { ...INCIDENT_POLICY.guardrails, maxQuarantinedFraction: 0.1 } }, async () => {
      await startRemediation(temporal.client, 'gw-1', { dryRun: true, reason: 'what would happen?' });
      const report = await finished('gw-1');
      expect(report.outcome).toBe('dry-run');
      expect(report.outcomeReason).toMatch(/^would do quarantine\+migrate, but would be refused by the blast radius \(quarantining gw-1 would take 1 of \d+ gateways out/);
      expect(report.guardrails.find((g) => g.name === 'blast-radius')).toMatchObject({ allowed: false, detail: expect.stringContaining('checked, not claimed') });
      expect(await stateOf('gw-1')).toMatchObject({ state: 'serving' });
      expect(await new QuarantineSet(etcd).members()).toEqual({});
    });
  });

  it('should degrade a write-blocked gateway, keep its sessions, and put it back when it recovers, in one run', async () => {
    const { gateway, own, agent } = await writeBlocked('wb-1', 5);

    const degraded = await verifiedDegrade('wb-1');
    expect(degraded.decision).toMatchObject({ actions: ['degrade'], rule: 'degrade-failing', facts: { writeBlocked: true, heartbeatLost: false } });
    expect(degraded.verification).toEqual({ promise: 'refusing', ok: true });
    expect(degraded.observed?.map((c) => c.fact)).toEqual(expect.arrayContaining(['out-of-rotation', 'refusing-new-sessions']));
    expect(await stateOf('wb-1')).toMatchObject({ state: 'degraded', controlUrl: gateway.controlUrl });
    expect(own.every((c) => c.gatewayId === 'wb-1')).toBe(true);

    await agent.clearFaults();
    const report = await finished('wb-1');
    expect(report.outcome).toBe('healed');
    expect(report.outcomeReason).toMatch(/^recovered after degrade/);
    expect(report.decisions?.at(-1)).toMatchObject({ change: 'de-escalate', actions: ['none'] });
    expect(await stateOf('wb-1')).toMatchObject({ state: 'serving' });
    expect(await runsOf(temporal.client, 'wb-1')).toHaveLength(1);
  });

  it('should degrade a gateway that stops answering pings while its agent still answers', async () => {
    const gateway = await watched('hb-1');
    const agent = fleet.control(gateway.id);
    await agent.injectFault({ kind: 'hang' });
    const degraded = await verifiedDegrade('hb-1');
    expect(degraded.decision).toMatchObject({ actions: ['degrade'], rule: 'degrade-failing', facts: { heartbeatLost: true, writeBlocked: false } });
    await agent.clearFaults();
    const report = await finished('hb-1');
    expect(report).toMatchObject({ outcome: 'healed', outcomeReason: expect.stringMatching(/^recovered after degrade/) });
  });

  it("should wait the observe verdict's own back-off between looks, then record the recovery", async () => {
    const backoff = { initialMs: 1_000, maxMs: 4_000, multiplier: 2 };
    const policy: Policy = {
      ...INCIDENT_POLICY,
      decisionTree: { rules: [{ name: 'watch-blocked', when: { pred: 'writeBlocked' }, then: { actions: ['observe'], params: { backoff } } }], otherwise: { actions: ['none'] } },
    };
    await underPolicy(policy, async () => {
      const { agent } = await writeBlocked('obs-1', 5);
      // The detector only records an observe verdict; a sweep (or an operator) is what starts a run for one.
      await startRemediation(temporal.client, 'obs-1', { trigger: 'sweep', reason: 'write-blocked (as the sweep reports it)', findings: { detectorId: 'sweep:test', facts: ['writeBlocked'] } });
      const watching = await waitForReport('obs-1', 'three looks after back-offs', (r) => (r.decisions ?? []).filter((d) => d.trigger === 'back-off').length >= 3);
      const looks = (watching.decisions ?? []).filter((d) => d.trigger === 'back-off' || d.change === 'first');
      expect(looks[0]).toMatchObject({ change: 'first', actions: ['observe'], rule: 'watch-blocked' });
      // Each look comes at least the back-off after the one before: 1 s, 2 s, 4 s.
      const gaps = looks.slice(1, 4).map((d, i) => d.at - (looks[i]?.at ?? 0));
      gaps.forEach((gap, i) => expect(gap).toBeGreaterThanOrEqual(Math.min(backoff.maxMs, backoff.initialMs * backoff.multiplier ** i)));
      await agent.clearFaults();
      const report = await finished('obs-1');
      expect(report).toMatchObject({ outcome: 'observed', outcomeReason: expect.stringMatching(/^recovered while observing/) });
      expect(report.steps.map((s) => s.name)).not.toContain('degrade');
    });
  });

  it('should escalate one run from degrade to quarantine + migrate when heartbeat loss follows a write-block, and empty the gateway', async () => {
    const { own, agent } = await writeBlocked('wedge-1', 20);
    await verifiedDegrade('wedge-1');
    await agent.injectFault({ kind: 'hang' });

    const report = await finished('wedge-1');
    expect(report.outcome).toBe('healed');
    const changes = report.decisions?.map((d) => [d.change, d.rule]);
    expect(changes?.[0]).toEqual(['first', 'degrade-failing']);
    expect(changes).toContainEqual(['escalate', 'isolate-wedged']);
    expect(report.decisions?.find((d) => d.change === 'escalate')?.trigger).toBe('detector');
    expect(report.steps.map((s) => s.name)).toEqual(expect.arrayContaining(['degrade', 'quarantine', 'fence', 'terminate', 'verify']));
    expect(report.outcomeReason).toMatch(/^wedge-1 was wedged .*: fenced and terminated by its supervisor; 20 of its 20 clients came back on /);
    expect(report.clients).toMatchObject({ before: 20, seenElsewhere: 20 });
    expect(fleet.terminated).toContain('wedge-1');
    expect(await stateOf('wedge-1')).toMatchObject({ state: 'fenced' });
    expect(await runsOf(temporal.client, 'wedge-1')).toHaveLength(1);
    await expectNothingLost(own, 'wedge-1');
  });

  it('should start exactly one run for one SIGKILL, take the gateway out as gone and count its clients elsewhere', async () => {
    const { own } = await holding('kill-1', 30);
    await fleet.killGateway('kill-1');
    const report = await finished('kill-1');
    expect(report.outcome).toBe('healed');
    expect(report.decision).toMatchObject({ actions: ['quarantine', 'migrate'], rule: 'isolate-vanished' });
    // The crash finding plus one confirming look is conclusive: no re-sampling (the fast path).
    expect(report.steps.find((s) => s.name === 'gather-evidence')?.detail).toMatchObject({ samples: 1, path: expect.stringMatching(/^fast: /) });
    expect(report.outcomeReason).toMatch(/^kill-1 is gone .*; 30 of its 30 clients came back on gw-\d \(\d+\)(, gw-\d \(\d+\))?, the last within \d+ ms of the first trigger$/);
    expect(report.clients?.seenElsewhere).toBe(30);
    expect(report.observed?.find((c) => c.fact === 'clients-elsewhere')).toMatchObject({ value: 30, ok: true });
    // The lease expiry comes after the detector's crash finding: it joins, or is absorbed, but starts nothing.
    await waitUntil('kill-1 gone from the registry', async () => (await new FleetRegistry(etcd).get('kill-1')) === undefined);
    await new Promise((resolve) => setTimeout(resolve, 2_000));
    expect(await runsOf(temporal.client, 'kill-1')).toHaveLength(1);
    await expectNothingLost(own, 'kill-1');
  });

  it('should empty and fence a SIGSTOPped gateway with 500 sessions, every client accounted for', async () => {
    const { gateway, own } = await holding('stop-1', 500);
    gateway.app.process.signal('SIGSTOP');
    const report = await finished('stop-1', 90_000);
    expect(`${report.outcome}: ${report.outcomeReason} (steps: ${report.steps.map((s) => `${s.name} ${s.status}${s.error ? ` ${s.error}` : ''}`).join(', ')})`).toMatch(/^healed: stop-1 was wedged/);
    expect(report.steps.map((s) => s.name)).toEqual(expect.arrayContaining(['fence', 'terminate', 'verify']));
    expect(report.clients).toMatchObject({ before: 500, seenElsewhere: 500 });
    expect(report.assumed).toEqual([]);
    expect(await runsOf(temporal.client, 'stop-1')).toHaveLength(1);
    await expectNothingLost(own, 'stop-1');
  });

  it('should hold a gateway for a human when a run ends needs-human, and start no automatic run for it meanwhile', async () => {
    await underPolicy({ ...INCIDENT_POLICY, guardrails: { ...INCIDENT_POLICY.guardrails, flapDamping: { windowMs: 600_000, escalateAfter: 1 } } }, async () => {
      const gateway = await watched('held-1');
      await fleet.control(gateway.id).injectFault({ kind: 'hang' });
      const report = await finished('held-1');
      expect(report).toMatchObject({ outcome: 'needs-human', outcomeReason: expect.stringContaining('remediated 0 times') });
      expect(report.steps.find((s) => s.name === 'hold-for-human')).toMatchObject({ status: 'done', detail: { inRotation: true } });
      expect(await stateOf('held-1')).toMatchObject({ state: 'needs-human', inRotation: true, by: 'remediate:held-1' });
    });
    await fleet.killGateway('held-1');
    await detector.waitForEvent('remediation-skipped', 'held-1', (l) => String(l.why).startsWith('held for a human'));
    await waitUntil('held-1 gone from the registry', async () => (await new FleetRegistry(etcd).get('held-1')) === undefined);
    await new Promise((resolve) => setTimeout(resolve, 2_000));
    expect(await runsOf(temporal.client, 'held-1')).toHaveLength(1);
    expect(await stateOf('held-1')).toMatchObject({ state: 'needs-human' });
  });

  it('should start a bounded number of runs for a flapping gateway, not one per stall', async () => {
    const gateway = await watched('flap-1');
    for (let i = 0; i < 12; i++) {
      gateway.app.process.signal('SIGSTOP');
      await new Promise((resolve) => setTimeout(resolve, 700));
      gateway.app.process.signal('SIGCONT');
      await new Promise((resolve) => setTimeout(resolve, 1_800));
    }
    const runs = await runsOf(temporal.client, 'flap-1');
    expect(runs.length).toBeGreaterThanOrEqual(1);
    expect(runs.length).toBeLessThanOrEqual(INCIDENT_POLICY.guardrails.flapDamping.escalateAfter);
  });
});
