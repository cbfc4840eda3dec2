import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { type Etcd3 } from 'etcd3';
import { type PushClient } from '#client';
import { type ChangeAuthor, DEFAULT_POLICY, DETECTOR_SHADOW_FLAG, type PolicyInput } from '#core';
import { Fleet, waitUntil } from '#devstack';
import { DetectionStore, FlagStore, PolicyStore, connectEtcd } from '#etcd';
import { connectClients } from '../support/clients.js';
import { STORM_OFF } from '../support/policies.js';
import { connectTemporalClient } from '../support/temporal-client.js';
import { DetectorProcess } from './support/detector-process.js';
import { hasRemediation, runsOf, waitForRemediation } from './support/remediation-runs.js';
import { verdictFromEvidence } from './support/verdict.js';

/** Flags are set by someone: here the test, as an admin would through the API. */
const testAuthor = (): ChangeAuthor => ({ by: 'test-admin', role: 'admin', source: 'token-file', at: Date.now() });

describe('detector on real gateway processes', () => {
  let fleet: Fleet;
  let etcd: Etcd3;
  let temporal: Awaited<ReturnType<typeof connectTemporalClient>>;
  let detector: DetectorProcess;

  /** Starts a gateway and waits until the detector holds a control channel to it and is answered. */
  const watched = async (id: string, by: DetectorProcess = detector, env: Record<string, string> = {}) => {
    const gateway = await fleet.startGateway(id, env);
    await by.waitForEvent('answering', id);
    return gateway;
  };

  /**
   * Publishes a policy and waits until the detector says it is in force. Storm mode is off: a
   * few test gateways failing within its 10 s window are a third of this fleet (in CI, crash-1,
   * hang-1 and blocked-1 began a fleet storm that paused every later run); it has its own suite.
   */
  const enforce = async (change: Partial<PolicyInput>) => {
    const policy = await new PolicyStore(etcd).publish({ ...DEFAULT_POLICY, guardrails: { ...DEFAULT_POLICY.guardrails, storm: STORM_OFF }, ...change });
    await detector.waitForEvent('policy-applied', undefined, (l) => l.version === policy.version);
    return policy;
  };

  beforeAll(async () => {
    // Messages flow briskly, so a gateway whose sockets stop draining fills its send buffers soon.
    fleet = await Fleet.start({ gateways: 0, worker: false, useExisting: false, messagesPerSecond: 200 });
    // Only the detector may trigger here: the worker's own lease watcher would blur whose run it is.
    await fleet.startWorker({ WATCH_LEASES: 'false' });
    etcd = connectEtcd(fleet.stack.etcd.endpoints);
    temporal = await connectTemporalClient(fleet.stack);
    detector = await DetectorProcess.start(fleet, 'det-a');
    await enforce({ name: 'detector-faults' });
  });

  afterAll(async () => {
    await detector?.stop();
    await temporal?.close();
    etcd?.close();
    await fleet?.stop();
  });

  it('should classify a SIGKILLed gateway as a crash (L3) and start its remediation with the evidence', async () => {
    await watched('crash-1');
    await fleet.killGateway('crash-1');
    const run = await waitForRemediation(temporal.client, 'crash-1');
    expect(run.request.trigger).toBe('detector');
    expect(run.request.reason).toMatch(/^crash-1 crash \[L3-transport\]: control channel lost: /);
    expect(run.evidence).toMatchObject({ gatewayId: 'crash-1', detectorId: 'det-a', tier: 'L3-transport', classification: 'crash', response: 'remediate' });
    expect(run.evidence?.probe.transport).toEqual(expect.any(String));
    expect(run.evidence?.facts).toContain('heartbeatLost');
    expect(run.evidence?.verdict).toEqual(verdictFromEvidence(run.evidence!, DEFAULT_POLICY));
    const started = await detector.waitForEvent('remediation-started', 'crash-1');
    expect(started).toMatchObject({ workflowId: run.workflowId, runId: run.runId, joined: false });
  });

  it('should classify a SIGSTOPped gateway as a silent hang (L2) after missesToSuspect unanswered pings', async () => {
    const gateway = await watched('hang-1');
    gateway.app.process.signal('SIGSTOP');
    const run = await waitForRemediation(temporal.client, 'hang-1');
    await fleet.killGateway('hang-1');
    expect(run.evidence).toMatchObject({ tier: 'L2-suspect', classification: 'silent-hang', response: 'remediate' });
    expect(run.evidence?.probe.consecutiveMisses).toBeGreaterThanOrEqual(DEFAULT_POLICY.detector.missesToSuspect);
    expect(run.evidence?.probe.latePongs).toBe(0);
    expect(run.evidence?.probe.lastRttsMs.length).toBeGreaterThan(0);
    expect(run.evidence?.verdict).toEqual(verdictFromEvidence(run.evidence!, DEFAULT_POLICY));
  });

  it('should act at once on a write-blocked self-report and say so in the evidence', async () => {
    const gateway = await watched('blocked-1', detector, { FAULT_INJECTION: 'enabled', SEND_HIGH_WATER_BYTES: '2048' });
    const clients: PushClient[] = await connectClients(5, [gateway.address], ['ticker'], 'blocked-client');
    const agent = fleet.control(gateway.id);
    try {
      await agent.injectFault({ kind: 'write-block' });
      const run = await waitForRemediation(temporal.client, 'blocked-1');
      expect(run.evidence).toMatchObject({
        tier: 'self-report',
        classification: 'write-blocked',
        selfReport: { kind: 'write-blocked' },
        response: 'remediate',
      });
      expect(run.evidence?.facts).toContain('writeBlocked');
      expect(run.evidence?.facts).not.toContain('heartbeatLost');
      expect(run.evidence?.verdict).toEqual(verdictFromEvidence(run.evidence!, DEFAULT_POLICY));
      expect(detector.events('self-report', 'blocked-1').map((l) => l.kind)).toContain('write-blocked');
    } finally {
      await agent.clearFaults().catch(() => undefined);
      clients.forEach((c) => c.stop());
      await fleet.killGateway('blocked-1');
    }
  });

  it('should tell an RTT spike within the pong timeout (observe) from one beyond it (L2, remediate)', async () => {
    const { pingIntervalMs, pongTimeoutMs } = DEFAULT_POLICY.detector;
    const gateway = await watched('slow-1', detector, { FAULT_INJECTION: 'enabled' });
    const agent = fleet.control(gateway.id);
    const learned = await detector.waitForEvent('baseline-learned', 'slow-1');
    const withinTimeout = Math.round(pongTimeoutMs / 2);
    expect(withinTimeout).toBeGreaterThan(learned.rttSpikeThresholdMs as number);

    await agent.injectFault({ kind: 'latency', ms: withinTimeout });
    const observed = await detector.waitForEvent('detection', 'slow-1');
    expect(observed.evidence).toMatchObject({ tier: 'L1-rtt', classification: 'rtt-spike', response: 'observe' });
    // Judged the moment the window's median crossed the bar, with the injected delay in the latest round trips.
    const { rtt, probe } = observed.evidence as { rtt: { medianMs: number; thresholdMs: number }; probe: { lastRttsMs: number[] } };
    expect(rtt.medianMs).toBeGreaterThan(rtt.thresholdMs);
    expect(Math.max(...probe.lastRttsMs)).toBeGreaterThanOrEqual(withinTimeout);
    expect(await hasRemediation(temporal.client, 'slow-1')).toBe(false);

    // Later than the timeout, yet answered: misses with late pongs, i.e. slow rather than hung.
    await agent.injectFault({ kind: 'latency', ms: pongTimeoutMs + Math.round(pingIntervalMs / 2) });
    const run = await waitForRemediation(temporal.client, 'slow-1');
    await fleet.killGateway('slow-1');
    expect(run.evidence).toMatchObject({ tier: 'L2-suspect', classification: 'rtt-spike', response: 'remediate' });
    expect(run.evidence?.probe.latePongs).toBeGreaterThan(0);
    expect(Math.max(...(run.evidence?.probe.lastRttsMs ?? []))).toBeGreaterThan(pongTimeoutMs);
  });

  it('should not remediate a gateway that shuts down gracefully', async () => {
    const leaving = await watched('leave-1');
    await leaving.app.process.stop();
    await detector.waitForEvent('gateway-left', 'leave-1');
    // A crash after the goodbye is detected and remediated: by then the goodbye was fully handled.
    await watched('after-leave-1');
    await fleet.killGateway('after-leave-1');
    await waitForRemediation(temporal.client, 'after-leave-1');
    expect(await hasRemediation(temporal.client, 'leave-1')).toBe(false);
    expect(detector.events('detection', 'leave-1')).toEqual([]);
  });

  it('should fall back on lease expiry when the policy makes the fast path slower than the lease', async () => {
    // A pong timeout far beyond the lease TTL: only the backstop can notice a hang in time.
    const slowProbe = await enforce({ name: 'slow-probe', detector: { pingIntervalMs: 100, pongTimeoutMs: 30_000, missesToSuspect: 3 } });
    const gateway = await watched('backstop-1');
    gateway.app.process.signal('SIGSTOP');
    const run = await waitForRemediation(temporal.client, 'backstop-1');
    await fleet.killGateway('backstop-1');
    expect(run.evidence).toMatchObject({ tier: 'lease-expired', classification: 'vanished', policy: { version: slowProbe.version } });
    expect(run.evidence?.probe.consecutiveMisses).toBeLessThan(DEFAULT_POLICY.detector.missesToSuspect);
    await enforce({ name: 'default-again' });
  });

  it('should record without acting in shadow mode, and act once the policy is enforced again', async () => {
    const shadow = await enforce({ name: 'shadow-trial', mode: 'shadow' });
    const gateway = await watched('shadow-1');
    gateway.app.process.signal('SIGSTOP');
    const seen = await detector.waitForEvent('detection', 'shadow-1');
    expect(seen.evidence).toMatchObject({ classification: 'silent-hang', response: 'shadow', policy: { version: shadow.version, mode: 'shadow' } });
    // The log line comes first; the record follows it to etcd.
    const record = await waitUntil('the detection recorded in etcd', () => new DetectionStore(etcd).get('shadow-1'));
    expect(record).toMatchObject({ run: null, evidence: { response: 'shadow', detectorId: 'det-a' } });
    expect(await hasRemediation(temporal.client, 'shadow-1')).toBe(false);

    const enforced = await enforce({ name: 'enforce-again' });
    const run = await waitForRemediation(temporal.client, 'shadow-1');
    await fleet.killGateway('shadow-1');
    expect(run.evidence).toMatchObject({ response: 'remediate', policy: { version: enforced.version, mode: 'enforce' } });
    // Still hung, or (when the switch back took longer than its 1 s lease, as once in CI) gone from the registry too.
    expect(['silent-hang', 'vanished']).toContain(run.evidence?.classification);
  });

  it('should honour the detector-shadow degrade switch whatever the policy says', async () => {
    const flags = new FlagStore(etcd);
    await flags.set(DETECTOR_SHADOW_FLAG, { enabled: true, reason: 'test' }, testAuthor());
    await detector.waitForEvent('flag-changed', undefined, (l) => l.flag === DETECTOR_SHADOW_FLAG && l.enabled === true);
    await watched('flagged-1');
    await fleet.killGateway('flagged-1');
    const seen = await detector.waitForEvent('detection', 'flagged-1');
    expect(seen.evidence).toMatchObject({ classification: 'crash', response: 'shadow', policy: { mode: 'enforce' } });
    expect(await hasRemediation(temporal.client, 'flagged-1')).toBe(false);
    await flags.set(DETECTOR_SHADOW_FLAG, { enabled: false }, testAuthor());
    await detector.waitForEvent('flag-changed', undefined, (l) => l.flag === DETECTOR_SHADOW_FLAG && l.enabled === false);
  });

  it('should let two detectors that see the same crash start one run between them', async () => {
    const second = await DetectorProcess.start(fleet, 'det-b');
    try {
      await watched('dup-1');
      await second.waitForEvent('answering', 'dup-1');
      // With no worker the run stays open, so whichever detector comes second must find it.
      await fleet.worker!.process.stop();
      await fleet.killGateway('dup-1');
      const [a, b] = await Promise.all([detector.waitForEvent('remediation-started', 'dup-1'), second.waitForEvent('remediation-started', 'dup-1')]);
      expect(a.runId).toBe(b.runId);
      expect([a.joined, b.joined].sort()).toEqual([false, true]);
      expect(await runsOf(temporal.client, 'dup-1')).toEqual([a.runId]);
    } finally {
      await second.stop();
      await fleet.startWorker({ WATCH_LEASES: 'false' });
    }
  });
});
