import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { type Etcd3 } from 'etcd3';
import { DEFAULT_POLICY, type ObserverMember, type RemediationReport, observersFor } from '#core';
import { Fleet, type RunningApi, waitUntil } from '#devstack';
import { DetectionStore, GatewayStateStore, PolicyStore, connectEtcd } from '#etcd';
import { RemediationClient } from '#temporal';
import { call } from '../support/http.js';
import { sample, scrape } from '../support/prometheus.js';
import { waitForOutcome } from '../support/remediation-runs.js';
import { connectTemporalClient } from '../support/temporal-client.js';
import { DetectorProcess } from './support/detector-process.js';
import { hasRemediation, waitForRemediation } from './support/remediation-runs.js';

const VICTIM = 'gw-p';
const DETECTORS: ObserverMember[] = [
  { id: 'det-a', zone: 'zone-a' },
  { id: 'det-b', zone: 'zone-b' },
  { id: 'det-c', zone: 'zone-c' },
];
/** How long the test watches for a removal that must not come: several detection and recheck cycles. */
const QUIET_MS = 4_000;

/**
 * Agreement before removal on real processes: three detectors in three zones share three
 * gateways, two observers each. One of the victim's observers is cut off from it by fault
 * injection (DETECTOR_PARTITION_FROM: its probes fail, the gateway keeps serving); the other
 * still sees it answering. The lone verdict must stay a `partition-suspected` finding, and a
 * real death (SIGKILL), which both observers see, must still be removed.
 */
describe('agreement of observers before a removal', () => {
  let fleet: Fleet;
  let etcd: Etcd3;
  let api: RunningApi;
  let temporal: Awaited<ReturnType<typeof connectTemporalClient>>;
  const detectors = new Map<string, DetectorProcess>();
  const [cutOff, witness] = observersFor(VICTIM, DETECTORS, 2).map((m) => m.id) as [string, string];

  beforeAll(async () => {
    fleet = await Fleet.start({ gateways: 0, worker: false, useExisting: false });
    // Only the detectors may trigger: the worker's lease backstop would act on the kill by itself.
    await fleet.startWorker({ WATCH_LEASES: 'false' });
    for (const id of ['gw-x', 'gw-y', VICTIM]) await fleet.startGateway(id);
    etcd = connectEtcd(fleet.stack.etcd.endpoints);
    temporal = await connectTemporalClient(fleet.stack);
    api = await fleet.startApi();
    // The cut-off observer starts last, once the others (the witness among them) are watching.
    for (const { id, zone } of [...DETECTORS.filter((d) => d.id !== cutOff), DETECTORS.find((d) => d.id === cutOff)!]) {
      const partition: Record<string, string> = id === cutOff ? { DETECTOR_PARTITION_FROM: VICTIM, DETECTOR_CONNECT_TIMEOUT_MS: '300' } : {};
      detectors.set(id, await DetectorProcess.start(fleet, id, { DETECTOR_ZONE: zone, DETECTOR_LEASE_TTL_SECONDS: '1', ...partition }));
      if (id === witness) await detectors.get(id)!.waitForEvent('answering', VICTIM);
    }
  });

  afterAll(async () => {
    for (const d of detectors.values()) await d.stop();
    await temporal?.close();
    etcd?.close();
    await fleet?.stop();
  });

  it('should record a partition-suspected finding and remove nothing while another observer sees the gateway answering', async () => {
    const suspected = await detectors.get(cutOff)!.waitForEvent('partition-suspected', VICTIM);
    expect(suspected).toMatchObject({ classification: 'crash', agreement: { verdict: 'partition-suspected', dissenting: [witness], response: 'observe' } });
    await new Promise((resolve) => setTimeout(resolve, QUIET_MS));

    expect(await hasRemediation(temporal.client, VICTIM)).toBe(false);
    expect((await new GatewayStateStore(etcd).get(VICTIM))?.state ?? 'serving').toBe('serving');
    expect((await fleet.control(VICTIM).status()).gatewayId).toBe(VICTIM);
    // The finding is in etcd, in the API's fleet view and in the cut-off detector's metrics.
    const record = await new DetectionStore(etcd).get(VICTIM);
    expect(record).toMatchObject({ run: null, evidence: { detectorId: cutOff, classification: 'crash' }, agreement: { verdict: 'partition-suspected', agreeing: [cutOff], dissenting: [witness] } });
    const view = await call({ url: api.url, token: api.tokenFor('viewer') }, 'GET', `/v1/gateways/${VICTIM}`);
    expect(view.status).toBe(200);
    expect(view.body.detection).toMatchObject({ agreement: { verdict: 'partition-suspected', dissenting: [witness] } });
    const metrics = await scrape(`${detectors.get(cutOff)!.app.ready.opsUrl as string}/metrics`);
    expect(sample(metrics, 'homeostat_partition_suspected_total', { classification: 'crash', response: 'observe' })).toBeGreaterThan(0);
    expect(sample(metrics, 'homeostat_detector_findings_total')).toBe(0);
  });

  it('should start a run that may only degrade under onPartition: degrade, never a removal', async () => {
    const since = Date.now();
    const policy = await new PolicyStore(etcd).publish({ ...DEFAULT_POLICY, detector: { ...DEFAULT_POLICY.detector, agreement: { ...DEFAULT_POLICY.detector.agreement, onPartition: 'degrade' } } });
    await detectors.get(cutOff)!.waitForEvent('policy-applied', undefined, (l) => l.version === policy.version);
    const run = await waitForRemediation(temporal.client, VICTIM, since);
    expect(run.request.reason).toMatch(/^partition suspected \(/);
    const handle = temporal.client.workflow.getHandle(run.workflowId, run.runId);
    const degraded = await waitUntil('the degrade done', async () => {
      const report = await handle.query<RemediationReport>('report').catch(() => undefined);
      return report?.steps.some((s) => s.name === 'degrade' && s.status === 'done') ? report : undefined;
    });
    expect(degraded.decision?.actions).toEqual(['degrade']);
    expect(degraded.steps.map((s) => s.name)).not.toEqual(expect.arrayContaining(['quarantine']));
    expect(await new GatewayStateStore(etcd).get(VICTIM)).toMatchObject({ state: 'degraded' });
    // Back to observing, the run over, and the gateway restored (a short probation), for the next test.
    await new PolicyStore(etcd).publish({ ...DEFAULT_POLICY, probation: { durationMs: 1_000 } });
    if ((await handle.describe()).status.name === 'RUNNING') await handle.cancel();
    await waitUntil('the degrade run closed', async () => (await handle.describe()).status.name !== 'RUNNING');
    const restore = await new RemediationClient(temporal.client).startRestore(VICTIM, 'the partition test is over');
    expect(await temporal.client.workflow.getHandle(restore.workflowId, restore.runId).result()).toMatchObject({ outcome: 'restored' });
  });

  it('should remove the gateway once it really dies and both of its observers see it down', async () => {
    const killedAt = Date.now();
    await fleet.killGateway(VICTIM);
    const run = await waitForRemediation(temporal.client, VICTIM, killedAt);
    expect(run.request.trigger).toBe('detector');
    expect(run.evidence).toMatchObject({ tier: 'L3-transport', classification: 'crash' });
    const report = await waitForOutcome(temporal.client, VICTIM, ['healed', 'needs-human', 'compensated', 'no-action']);
    expect(report.outcome).toBe('healed');
    expect(report.decision?.actions).toEqual(expect.arrayContaining(['quarantine']));
    // Whichever observer started it did so with both agreeing (the latest detection record may
    // already be a later verdict, e.g. the lease running out, so the detectors' logs tell).
    const started = [cutOff, witness].flatMap((id) => detectors.get(id)!.events('detection', VICTIM)).filter((l) => (l.agreement as { verdict?: string } | undefined)?.verdict === 'agreed');
    expect(started.length).toBeGreaterThan(0);
    for (const line of started) expect([...(line.agreement as { agreeing: string[] }).agreeing].sort()).toEqual([cutOff, witness].sort());
  });
});
