import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { Client, Connection } from '@temporalio/client';
import { type PushClient } from '#client';
import { Fleet, freePort, startApiProcess, waitUntil } from '#devstack';
import { connectClients } from '../support/clients.js';
import { call } from '../support/http.js';
import { sample, scrape } from '../support/prometheus.js';
import { waitForOutcome } from '../support/remediation-runs.js';

describe('health and metrics', () => {
  let fleet: Fleet;
  let api: string;
  let workerOps: string;
  let detectorOps: string;
  let clients: PushClient[];
  let connection: Connection;
  let temporal: Client;

  beforeAll(async () => {
    fleet = await Fleet.start({ gateways: 3, worker: true, api: true, detector: true, useExisting: false });
    api = fleet.api!.url;
    workerOps = String(fleet.worker!.ready.opsUrl);
    detectorOps = String(fleet.detectors[0]!.ready.opsUrl);
    clients = await connectClients(12, fleet.gatewayAddresses, ['ticker'], 'metrics-client');
    connection = await Connection.connect({ address: fleet.stack.temporal.address });
    temporal = new Client({ connection, namespace: fleet.stack.temporal.namespace });
  });

  afterAll(async () => {
    clients?.forEach((c) => c.stop());
    await connection?.close();
    await fleet?.stop();
  });

  it('should answer liveness and readiness on the api, the worker and the detector', async () => {
    for (const base of [api, workerOps, detectorOps]) {
      expect((await fetch(`${base}/healthz`)).status).toBe(200);
      const ready = await fetch(`${base}/readyz`);
      expect(ready.status).toBe(200);
      expect(await ready.json()).toEqual({ status: 'ready', checks: { etcd: { ok: true }, temporal: { ok: true } } });
    }
  });

  it('should answer 503 problem+json naming etcd when etcd is unreachable', async () => {
    const deadEtcd = `http://127.0.0.1:${await freePort()}`;
    const app = await startApiProcess({ env: { ...fleet.stack.env, ETCD_ENDPOINTS: deadEtcd } });
    try {
      const response = await fetch(`${app.url}/readyz`);
      expect(response.status).toBe(503);
      expect(response.headers.get('content-type')).toContain('application/problem+json');
      const problem = (await response.json()) as Record<string, unknown>;
      expect(problem).toMatchObject({ type: 'urn:homeostat:problem:dependency-unavailable', status: 503, dependency: 'etcd', down: ['etcd'], checks: { temporal: { ok: true }, etcd: { ok: false } } });
      expect(problem.detail).toContain('etcd');
    } finally {
      await app.app.process.stop();
    }
  });

  it('should count a remediation run, its migration and the fleet state it leaves', async () => {
    const before = await scrape(`${workerOps}/metrics`);
    const healedBefore = sample(before, 'homeostat_remediations_total', { outcome: 'healed', action: 'quarantine+migrate', trigger: 'api' });
    const movedBefore = sample(before, 'homeostat_sessions_migrated_total');
    const onGw1 = clients.filter((c) => c.gatewayId === 'gw-1').length;
    expect(onGw1).toBeGreaterThan(0);

    expect((await call(fleet.api!, 'POST', '/v1/remediations', { gatewayId: 'gw-1', reason: 'metrics test' })).status).toBe(201);
    const report = await waitForOutcome(temporal, 'gw-1', ['healed']);
    expect(report.migration?.moved).toBe(onGw1);

    // The sink is called when the workflow task completes, a moment after the report says healed.
    const after = await waitUntil('the run counted', async () => {
      const text = await scrape(`${workerOps}/metrics`);
      return sample(text, 'homeostat_remediations_total', { outcome: 'healed', action: 'quarantine+migrate', trigger: 'api' }) > healedBefore ? text : undefined;
    });
    expect(sample(after, 'homeostat_remediations_total', { outcome: 'healed', action: 'quarantine+migrate', trigger: 'api' })).toBe(healedBefore + 1);
    expect(sample(after, 'homeostat_sessions_migrated_total')).toBe(movedBefore + onGw1);
    expect(sample(after, 'homeostat_session_interruption_seconds_count')).toBeGreaterThanOrEqual(onGw1);
    expect(sample(after, 'homeostat_time_to_out_of_rotation_seconds_count', { trigger: 'api' })).toBeGreaterThanOrEqual(1);
    // Temporal's own worker metrics, from the SDK runtime, on the same endpoint.
    expect(after).toMatch(/^temporal_\w+/m);

    const fleetMetrics = await scrape(`${api}/metrics`, fleet.api!.tokenFor('viewer'));
    expect(sample(fleetMetrics, 'homeostat_gateways', { state: 'quarantined' })).toBe(1);
    expect(sample(fleetMetrics, 'homeostat_gateways', { state: 'serving' })).toBe(2);
    expect(sample(fleetMetrics, 'homeostat_approvals_waiting')).toBe(0);
  });

  it('should measure detection latency when the detector finds a crashed gateway', async () => {
    const before = sample(await scrape(`${detectorOps}/metrics`), 'homeostat_detection_latency_seconds_count');
    expect(sample(await scrape(`${detectorOps}/metrics`), 'homeostat_gateway_health_score', { gateway: 'gw-3' })).toBeGreaterThan(0);
    await fleet.killGateway('gw-3');
    const text = await waitUntil('a finding measured', async () => {
      const scraped = await scrape(`${detectorOps}/metrics`);
      return sample(scraped, 'homeostat_detection_latency_seconds_count') > before ? scraped : undefined;
    });
    expect(sample(text, 'homeostat_detector_findings_total')).toBeGreaterThanOrEqual(1);
    expect(sample(text, 'homeostat_detection_latency_seconds_sum')).toBeGreaterThanOrEqual(0);
  });
});
